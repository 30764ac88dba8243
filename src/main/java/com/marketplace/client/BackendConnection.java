package com.marketplace.client;

import com.marketplace.grpc.ConnectionChannel;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection to a backend, opened at its first call and again at the first call after it
 * closed or either side sent GOAWAY, with an HTTP client of its own, closed with it. Calls go straight
 * to the connection rather than through Vert.x's connection pool, whose lookup for every request cost
 * the {@code load} client about 5% of its CPU ({@code bench/results/changes.md}). Use it only from the
 * context of the channel that owns it.
 */
final class BackendConnection {

  private static final Logger LOG = LoggerFactory.getLogger(BackendConnection.class);
  private static final VertxException NO_STREAM = new VertxException("the connection went away before the call could start", true);

  private final Vertx vertx;
  private final HttpClientAgent http;
  private final SocketAddress server;
  private final HostAndPort target;
  private final long maxMessageSize;
  /** The connection open or opening; null before the first call and once it closed or is going away. */
  private Future<HttpClientConnection> connection;

  /**
   * @param target the channel's target that {@code server} is an address of, named as the calls' authority
   *               and, over TLS, checked against the server's certificate
   * @param tls    TLS to the server, or null for cleartext
   */
  BackendConnection(Vertx vertx, SocketAddress server, HostAndPort target, ClientTls tls, long maxMessageSize) {
    this.vertx = vertx;
    this.http = Http2Clients.create(vertx, tls, maxMessageSize);
    this.server = server;
    this.target = target;
    this.maxMessageSize = maxMessageSize;
  }

  /** A whole call (see {@link ClientCall#call}). */
  <Req, Resp> Future<CallResult<Resp>> call(ServiceMethod<Resp, Req> method, CallOptions options, List<Req> requests) {
    return onConnection(options, (open, left) -> ClientCall.call(open, server, method, left, maxMessageSize, requests));
  }

  /** A call to stream on (see {@link ClientCall#start}). */
  <Req, Resp> Future<ClientCall<Req, Resp>> start(ServiceMethod<Resp, Req> method, CallOptions options,
                                                  Handler<Resp> onMessage) {
    return onConnection(options, (open, left) -> ClientCall.start(open, server, method, left, maxMessageSize, onMessage));
  }

  /**
   * Makes a call on the connection: at once if it is open, else once it has opened, with the time
   * the call has left. The wait counts against the call's deadline: a backend that drops every
   * packet would otherwise hold the call for the whole connect timeout.
   */
  private <T> Future<T> onConnection(CallOptions options, BiFunction<HttpClient, CallOptions, Future<T>> calling) {
    Future<HttpClientConnection> current = connection();
    if (current.succeeded()) {
      return calling.apply(current.result(), options);
    }
    if (options.timeout() == null) {
      return current.compose(open -> calling.apply(open, options));
    }
    long start = System.nanoTime();
    return CallDeadline.within(vertx, current, options.timeout(), "a connection to " + Authority.name(server),
            open -> { }) // kept for the calls after this one
        .compose(open -> calling.apply(open, options.withTimeLeftSince(start)));
  }

  /**
   * The connection, opened if there is none; when it cannot be opened, the calls waiting for it fail
   * with an unprocessed {@code RpcException} and the next call tries again.
   */
  private Future<HttpClientConnection> connection() {
    if (connection != null && connection.succeeded() && socketClosed(connection.result())) {
      connection = null;
    }
    if (connection == null) {
      Future<HttpClientConnection> opening = http.connect(Authority.of(target, new HttpConnectOptions().setServer(server)))
          .recover(error -> Future.failedFuture(ClientCall.unreachable(server, error)));
      connection = opening;
      opening.onComplete(opened -> {
        if (opened.failed()) {
          forget(opening);
        } else {
          // Each call fails with its own status; without a handler, Vert.x logs every write to a reset
          // connection as an ERROR, hundreds under load.
          opened.result().exceptionHandler(error -> LOG.debug("connection to {}: {}", server, error.toString()));
          opened.result().closeHandler(closed -> goneAway(opening));
          // GOAWAY sent (on an error) or received
          opened.result().shutdownHandler(goingAway -> goneAway(opening));
        }
      });
    }
    return connection;
  }

  /**
   * Whether the connection's socket has closed. Vert.x fails the calls of a connection that closed
   * before it runs the close handler, and a call made meanwhile (a retry, a closed loop's next call)
   * must not go to it: Vert.x would keep one of the connection's stream slots for each, and once they
   * ran out, later calls would wait forever.
   */
  private static boolean socketClosed(HttpClientConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    return channel != null && !channel.isActive();
  }

  /** Closed or going away: the connection takes no new calls, and those queued on it for a stream go elsewhere. */
  private void goneAway(Future<HttpClientConnection> gone) {
    forget(gone);
    ConnectionChannel.failQueuedRequests(gone.result(), NO_STREAM);
  }

  private void forget(Future<HttpClientConnection> gone) {
    if (connection == gone) {
      connection = null;
    }
  }

  Future<Void> close() {
    return http.close();
  }
}
