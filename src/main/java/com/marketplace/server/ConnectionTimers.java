package com.marketplace.server;

import com.marketplace.grpc.ConnectionChannel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
 *   <li>idleness: a connection on which no call was open or started for the idle timeout (to 1.25
 *       times it) gets a GOAWAY and closes, as grpc-java's {@code maxConnectionIdle}. This replaces
 *       Vert.x's idle timeout, which counts bytes rather than calls: the keep-alive PINGs alone kept
 *       every connection from ever being idle, and it added a listener to every write. Vert.x's
 *       timeout still closes connections that are silent before they become HTTP/2;</li>
 *   <li>maximum age: after it (give or take 10%, so that connections opened together do not all
 *       leave together) the connection gets a GOAWAY and its calls a grace period, so that clients
 *       reconnect and their calls spread over instances added since.</li>
 * </ul>
 */
final class ConnectionTimers {

  private static final Buffer PING_DATA = Buffer.buffer(new byte[8]);
  /** How long a call that started just as the connection went idle may take: Vert.x's default for a shutdown. */
  private static final long IDLE_SHUTDOWN_GRACE_MILLIS = 30_000;
  /** Idleness is checked this many times per idle timeout. */
  private static final int IDLE_CHECKS = 4;

  private ConnectionTimers() {}

  /**
   * Starts the timers of an HTTP/2 {@code connection}; returns what cancels them, to run when it closes.
   *
   * @param http2  the connection's HTTP/2 handler ({@link ConnectionChannel#http2})
   * @param closed completes when the connection closes
   */
  static Runnable watch(Vertx vertx, HttpConnection connection, Http2ConnectionHandler http2, Future<Void> closed,
                        int keepAliveSeconds, int idleSeconds, int maxAgeSeconds, int maxAgeGraceSeconds) {
    long keepAlive = keepAliveSeconds <= 0 ? -1 : vertx.setPeriodic(TimeUnit.SECONDS.toMillis(keepAliveSeconds),
        id -> connection.ping(PING_DATA)
            .timeout(keepAliveSeconds, TimeUnit.SECONDS)
            .onFailure(unanswered -> connection.close()));
    long idle = idleSeconds <= 0 ? -1
        : watchIdleness(vertx, connection, closed, http2.connection(), TimeUnit.SECONDS.toMillis(idleSeconds));
    long maxAge = maxAgeSeconds <= 0 ? -1 : vertx.setTimer(jittered(TimeUnit.SECONDS.toMillis(maxAgeSeconds)),
        id -> GracefulGoAway.shutdown(connection, closed, TimeUnit.SECONDS.toMillis(maxAgeGraceSeconds)));
    return () -> {
      vertx.cancelTimer(keepAlive);
      vertx.cancelTimer(idle);
      vertx.cancelTimer(maxAge);
    };
  }

  /** Shuts the connection down after {@link #IDLE_CHECKS} checks in a row found no call open and none started. */
  private static long watchIdleness(Vertx vertx, HttpConnection connection, Future<Void> closed, Http2Connection http2,
                                    long idleMillis) {
    ChannelPipeline pipeline = ConnectionChannel.of(connection).pipeline();
    if (pipeline.get(IdleStateHandler.class) != null) {
      pipeline.remove(IdleStateHandler.class);
    }
    return vertx.setPeriodic(Math.max(1, idleMillis / IDLE_CHECKS), new IdleCheck(vertx, connection, closed, http2));
  }

  /** One connection's idleness check, run every {@code 1 / IDLE_CHECKS} of the idle timeout. */
  private static final class IdleCheck implements Handler<Long> {
    private final Vertx vertx;
    private final HttpConnection connection;
    private final Future<Void> closed;
    private final Http2Connection http2;
    private int lastStream;
    private int idleChecks;

    IdleCheck(Vertx vertx, HttpConnection connection, Future<Void> closed, Http2Connection http2) {
      this.vertx = vertx;
      this.connection = connection;
      this.closed = closed;
      this.http2 = http2;
      this.lastStream = http2.remote().lastStreamCreated();
    }

    @Override
    public void handle(Long timerId) {
      int latest = http2.remote().lastStreamCreated();
      if (http2.numActiveStreams() > 0 || latest != lastStream) {
        idleChecks = 0;
        lastStream = latest;
      } else if (++idleChecks == IDLE_CHECKS) {
        vertx.cancelTimer(timerId);
        // A call may be on its way: it is served, in Vert.x's default grace period for a shutdown.
        GracefulGoAway.shutdown(connection, closed, IDLE_SHUTDOWN_GRACE_MILLIS);
      }
    }
  }

  private static long jittered(long millis) {
    return Math.max(1, Math.round(millis * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
  }
}
