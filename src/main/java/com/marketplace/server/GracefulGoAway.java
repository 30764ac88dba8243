package com.marketplace.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.TimeUnit;

/**
 * Ends HTTP/2 connections gracefully as grpc-java does (RFC 9113, 6.8): a GOAWAY that names the
 * largest stream id, so that the client opens no new stream but the ones already on their way are
 * still served; a PING, whose answer shows that the client has read it; then a GOAWAY that names the
 * last stream received, and the connection closes once its calls have ended.
 *
 * <p>Vert.x 5.0.7 (through Netty) sends one GOAWAY naming the last stream received. A call the client
 * sent before reading it is refused, and its DATA frame, on a stream Netty never created, is taken
 * for a protocol error that closes the connection, with every call still running on it: a client
 * busy on a connection lost its calls in flight at each shutdown, and at each maximum age.
 */
final class GracefulGoAway {

  private static final Buffer PING_DATA = Buffer.buffer(new byte[] {'g', 'o', 'a', 'w', 'a', 'y', 0, 0});
  /** How long the PING's answer is waited for, at most: grpc-java's wait. */
  private static final long MAX_PING_WAIT_MILLIS = 10_000;

  private GracefulGoAway() {}

  /**
   * The two GOAWAYs and the PING between them, on an HTTP/2 connection; completes, never failing, once
   * the second is sent or the connection has closed.
   *
   * @param closed        completes when the connection closes: Vert.x 5.0.7 leaves a PING then unanswered
   * @param maxWaitMillis how long the PING's answer may take, at most
   */
  static Future<Void> announce(HttpConnection connection, Future<Void> closed, long maxWaitMillis) {
    if (closed.isComplete()) {
      return Future.succeededFuture();
    }
    connection.goAway(0, Integer.MAX_VALUE);
    Future<Buffer> answered = connection.ping(PING_DATA)
        .timeout(Math.max(1, Math.min(maxWaitMillis, MAX_PING_WAIT_MILLIS)), TimeUnit.MILLISECONDS);
    return Future.any(answered, closed).transform(heard -> {
      if (!closed.isComplete()) {
        // -1: the last stream the client opened.
        connection.goAway(0, -1);
      }
      return Future.<Void>succeededFuture();
    });
  }

  /** {@link #announce}, then up to the rest of {@code graceMillis} for the calls to end before the connection closes. */
  static Future<Void> shutdown(HttpConnection connection, Future<Void> closed, long graceMillis) {
    long start = System.nanoTime();
    return announce(connection, closed, graceMillis)
        .compose(v -> connection.shutdown(remaining(graceMillis, start), TimeUnit.MILLISECONDS));
  }

  /** What is left of {@code graceMillis} since {@code start} ({@link System#nanoTime}). */
  static long remaining(long graceMillis, long start) {
    return Math.max(0, graceMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
