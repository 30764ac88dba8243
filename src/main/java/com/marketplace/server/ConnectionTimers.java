package com.marketplace.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the server does to each HTTP/2 connection over time:
 * <ul>
 *   <li>keep-alive: a PING every interval; a connection that does not answer within the interval is
 *       dead (a vanished peer, a dropped NAT mapping) and is closed;</li>
 *   <li>maximum age: after it (give or take 10%, so that connections opened together do not all
 *       leave together) the connection gets a GOAWAY and its calls a grace period, so that clients
 *       reconnect and their calls spread over instances added since.</li>
 * </ul>
 */
final class ConnectionTimers {

  private static final Buffer PING_DATA = Buffer.buffer(new byte[8]);

  private ConnectionTimers() {}

  /** Starts the timers of {@code connection}; returns what cancels them, to run when it closes. */
  static Runnable watch(Vertx vertx, HttpConnection connection, int keepAliveSeconds, int maxAgeSeconds,
                        int maxAgeGraceSeconds) {
    if (!isHttp2(connection)) {
      return () -> { };
    }
    long keepAlive = keepAliveSeconds <= 0 ? -1 : vertx.setPeriodic(TimeUnit.SECONDS.toMillis(keepAliveSeconds),
        id -> connection.ping(PING_DATA)
            .timeout(keepAliveSeconds, TimeUnit.SECONDS)
            .onFailure(unanswered -> connection.close()));
    long maxAge = maxAgeSeconds <= 0 ? -1 : vertx.setTimer(jittered(TimeUnit.SECONDS.toMillis(maxAgeSeconds)),
        id -> connection.shutdown(maxAgeGraceSeconds, TimeUnit.SECONDS));
    return () -> {
      vertx.cancelTimer(keepAlive);
      vertx.cancelTimer(maxAge);
    };
  }

  private static long jittered(long millis) {
    return Math.max(1, Math.round(millis * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
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
