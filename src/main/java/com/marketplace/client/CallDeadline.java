package com.marketplace.client;

import com.marketplace.grpc.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
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
  private Duration timeout;
  private long expiresAtNanos;

  CallDeadline(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The timeout in whole milliseconds, at least 1 (zero would mean no deadline at all). */
  static long millis(Duration timeout) {
    return Math.max(1, timeout.toMillis());
  }

  /**
   * What a call waits for before it can start (a connection, a stream), within the time the call has
   * left: fails with DEADLINE_EXCEEDED once {@code timeout} has passed, and hands what comes later to
   * {@code late}, to be let go.
   */
  static <T> Future<T> within(Vertx vertx, Future<T> waited, Duration timeout, String waitingFor, Handler<T> late) {
    Promise<T> inTime = Promise.promise();
    long timer = vertx.setTimer(millis(timeout), id -> inTime.tryFail(new RpcException(GrpcStatus.DEADLINE_EXCEEDED,
        "Deadline exceeded after " + timeout.toMillis() + " ms waiting for " + waitingFor)));
    waited.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.failed()) {
        inTime.tryFail(done.cause());
      } else if (!inTime.tryComplete(done.result())) {
        late.handle(done.result());
      }
    });
    return inTime.future();
  }

  /** Runs {@code expired} with DEADLINE_EXCEEDED and its message once {@code timeout} has passed, unless stopped. */
  void start(Duration timeout, BiConsumer<GrpcStatus, String> expired) {
    this.timeout = timeout;
    this.expiresAtNanos = System.nanoTime() + timeout.toNanos();
    timer = vertx.setTimer(millis(timeout), id -> {
      timer = -1;
      expired.accept(GrpcStatus.DEADLINE_EXCEEDED, message(timeout));
    });
  }

  /**
   * {@code failure}, unless it is CANCELLED and the deadline has passed, stopped or not: then
   * DEADLINE_EXCEEDED. A server whose deadline passes can only reset the stream (CANCEL), which may
   * come before this side's timer has fired; grpc-java's client turns it into DEADLINE_EXCEEDED too.
   */
  RpcException reconcile(RpcException failure) {
    boolean passed = timeout != null && System.nanoTime() - expiresAtNanos >= 0;
    return passed && failure.status() == GrpcStatus.CANCELLED ? new RpcException(GrpcStatus.DEADLINE_EXCEEDED, message(timeout)) : failure;
  }

  private static String message(Duration timeout) {
    return "Deadline exceeded after " + timeout.toMillis() + " ms";
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
