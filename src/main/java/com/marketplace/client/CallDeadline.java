package com.marketplace.client;

import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * A client call's deadline timer: the deadline is sent as {@code grpc-timeout}, and enforced here too,
 * so that the call ends with DEADLINE_EXCEEDED whether or not the server keeps to it.
 */
final class CallDeadline {

  private final Vertx vertx;
  private long timer = -1;

  CallDeadline(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The timeout in whole milliseconds, at least 1 (zero would mean no deadline at all). */
  static long millis(Duration timeout) {
    return Math.max(1, timeout.toMillis());
  }

  /** Runs {@code expired} with DEADLINE_EXCEEDED and its message once {@code timeout} has passed, unless stopped. */
  void start(Duration timeout, BiConsumer<GrpcStatus, String> expired) {
    timer = vertx.setTimer(millis(timeout), id -> {
      timer = -1;
      expired.accept(GrpcStatus.DEADLINE_EXCEEDED, "Deadline exceeded after " + timeout.toMillis() + " ms");
    });
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
