package com.marketplace.observability;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The process's logging, set up in code: console lines at {@code MARKETPLACE_LOG_LEVEL} (default
 * INFO), Netty at WARN, two noisy third-party loggers at ERROR. Code rather than a logback.xml
 * because parsing XML loads several hundred classes, about a third of a second of start-up. A file
 * named by {@code -Dlogback.configurationFile}, or a logback-test.xml on the class path, still takes
 * precedence. Found by logback through {@code META-INF/services}.
 *
 * <p>Lines are written to the console by a thread of logback's own, never by the thread that logs:
 * event loops log every call (the access log), and a console that is slow or not read at all (a
 * full pipe) would otherwise stall them. Once the queue of {@value #QUEUE_SIZE} is four-fifths
 * full, lines at INFO and below are dropped, and once it is full, every line is, rather than
 * waiting. What is queued at exit is still written, for up to a second.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg %kvp%n";
  static final String LEVEL_VARIABLE = "MARKETPLACE_LOG_LEVEL";
  static final int QUEUE_SIZE = 8192;
  /** The one logger of vertx-core's client connections, which logs nothing but evictions. */
  static final String EVICTION_LOGGER = "io.vertx.core.http.impl.HttpClientConnectionInternal";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogConfiguration.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    configure(context, System.getenv(LEVEL_VARIABLE));
    Runtime.getRuntime().addShutdownHook(new Thread(context::stop, "log-flush"));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** @param level a level name; unset or unknown means INFO */
  static void configure(LoggerContext context, String level) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    AsyncAppender queued = new AsyncAppender();
    queued.setContext(context);
    queued.setName("ASYNC");
    queued.setQueueSize(QUEUE_SIZE);
    queued.setNeverBlock(true);
    queued.addAppender(console);
    queued.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(queued);
    context.getLogger("io.netty").setLevel(Level.WARN);
    // vertx-micrometer 5.0.7 registers its event-bus handler gauge twice, and Micrometer warns once at start.
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    // vertx-core 5.0.7 warns "Connection evicted", and nothing more, when a client connection opened outside
    // its pool (as ours are, client.BackendConnection) goes away while still opening, as when its client closes.
    context.getLogger(EVICTION_LOGGER).setLevel(Level.ERROR);
  }
}
