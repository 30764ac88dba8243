package com.marketplace.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What a logger (and the loggers below it) logs while the capture is open. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    appender.start();
    logger.addAppender(appender);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** Everything the root logger sees. */
  public static LogCapture all() {
    return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  public List<ILoggingEvent> events() {
    return appender.list;
  }

  /** What was logged at {@code level} or above, as "logger: message" lines: a test that expects none asserts an empty list. */
  public List<String> atLeast(Level level) {
    synchronized (appender) { // as logback appends, from any thread
      return appender.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(level))
          .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
