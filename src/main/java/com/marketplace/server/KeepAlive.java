package com.marketplace.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 keep-alive from the server side: a PING every interval; a connection that does not answer
 * within the interval is dead (a vanished peer, a dropped NAT mapping) and is closed.
 */
final class KeepAlive {

  private static final Buffer PING_DATA = Buffer.buffer(new byte[8]);

  private KeepAlive() {}

  static void watch(Vertx vertx, HttpConnection connection, int intervalSeconds) {
    if (intervalSeconds <= 0 || !isHttp2(connection)) {
      return;
    }
    long timer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(intervalSeconds), id -> connection.ping(PING_DATA)
        .timeout(intervalSeconds, TimeUnit.SECONDS)
        .onFailure(unanswered -> connection.close()));
    connection.closeHandler(v -> vertx.cancelTimer(timer));
  }

  /** HTTP/1.x connections (gRPC-Web) have no PING; 5.0.7 tells them apart only by refusing SETTINGS. */
  private static boolean isHttp2(HttpConnection connection) {
    try {
      connection.settings();
      return true;
    } catch (UnsupportedOperationException http1) {
      return false;
    }
  }
}
