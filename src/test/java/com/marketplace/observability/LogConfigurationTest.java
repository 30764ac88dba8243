package com.marketplace.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogConfigurationTest {

  @Test
  void consoleLinesAtTheConfiguredLevelWrittenByAThreadOfTheirOwnAndNettyAtWarn() {
    LoggerContext context = new LoggerContext();
    LogConfiguration.configure(context, "DEBUG");
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.DEBUG, root.getLevel());
    AsyncAppender queued = assertInstanceOf(AsyncAppender.class, root.getAppender("ASYNC"));
    assertTrue(queued.isNeverBlock(), "a console that is not read must not stall the threads that log");
    ConsoleAppender<?> console = assertInstanceOf(ConsoleAppender.class, queued.getAppender("STDOUT"));
    assertEquals(LogConfiguration.PATTERN, ((PatternLayoutEncoder) console.getEncoder()).getPattern());
    assertEquals(Level.WARN, context.getLogger("io.netty").getEffectiveLevel());
    assertTrue(context.getLogger(HttpClientConnectionInternal.class).isEnabledFor(Level.ERROR));
    assertFalse(context.getLogger(HttpClientConnectionInternal.class).isWarnEnabled(), "'Connection evicted' of a connection closed while opening");
    context.stop();
  }

  @Test
  void logbackFindsItAndItGivesWayToALogbackTestXml() {
    LogConfiguration found = assertInstanceOf(LogConfiguration.class, ServiceLoader.load(Configurator.class).findFirst().orElseThrow());
    assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, found.configure(new LoggerContext()), "the tests' logback-test.xml wins");
  }

  @Test
  void anUnsetOrUnknownLevelIsInfo() {
    for (String level : new String[] {null, "LOUD"}) {
      LoggerContext context = new LoggerContext();
      LogConfiguration.configure(context, level);
      assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
      context.stop();
    }
  }
}
