package com.marketplace.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test during which an event loop was blocked longer than the limit in
 * {@code vertx-options.json}. Registered for every test through JUnit's extension auto-detection.
 */
public final class NoBlockedEventLoops implements BeforeEachCallback, AfterEachCallback {

  @Override
  public void beforeEach(ExtensionContext context) {
    BlockedThreadRecorder.REPORTS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!BlockedThreadRecorder.REPORTS.isEmpty()) {
      fail("an event loop was blocked: " + BlockedThreadRecorder.REPORTS.get(0));
    }
  }
}
