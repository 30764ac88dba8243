package com.marketplace.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what Vert.x's blocked-thread checker reports, so that a test can fail on it. */
public final class BlockedThreadRecorder extends AppenderBase<ILoggingEvent> {

  static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    REPORTS.add(event.getFormattedMessage());
  }
}
