package com.marketplace.grpc;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.UnpooledHttpClientConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Deque;
import java.util.List;

/**
 * The Netty channel under a Vert.x HTTP connection, and the requests a client connection queues.
 * Vert.x 5.0.7 offers no public way to either, and the work-arounds that need them (flush
 * coalescing, frame packing, connection timers, the client's reset-flood limit, calls ending on a
 * connection just closed, calls queued on one) all take them from here, the one place that relies
 * on Vert.x's {@link ConnectionBase} and {@link UnpooledHttpClientConnection}.
 */
public final class ConnectionChannel {

  /**
   * The connection inside one that {@code HttpClientAgent.connect} opened, a private field: Vert.x
   * hands that connection out wrapped, and does not call a client's connect handler for it.
   */
  private static final VarHandle UNPOOLED_ACTUAL = unpooledField("actual");
  /**
   * The requests queued on such a connection for a stream, beyond the server's limit of concurrent
   * streams, a private field: Vert.x fails them neither when the connection closes nor when it goes
   * away, and their calls would wait forever.
   */
  private static final VarHandle UNPOOLED_PENDING = unpooledField("pending");

  private ConnectionChannel() {}

  /** The channel; null for a connection that is not Vert.x's own, which the work-arounds then leave alone. */
  public static Channel of(HttpConnection connection) {
    if (connection instanceof UnpooledHttpClientConnection unpooled && UNPOOLED_ACTUAL != null) {
      return of((HttpConnection) UNPOOLED_ACTUAL.get(unpooled));
    }
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  /** The channel's HTTP/2 handler; null for a null channel, or one that is not HTTP/2 (HTTP/1.x, gRPC-Web). */
  public static Http2ConnectionHandler http2(Channel channel) {
    return channel == null ? null : channel.pipeline().get(Http2ConnectionHandler.class);
  }

  /**
   * Fails the requests still queued on a client connection for a stream (see {@link #UNPOOLED_PENDING}),
   * for a connection that will open no more streams, so that their calls end or go elsewhere.
   */
  public static void failQueuedRequests(HttpConnection connection, Throwable cause) {
    if (!(connection instanceof UnpooledHttpClientConnection unpooled) || UNPOOLED_PENDING == null) {
      return;
    }
    List<?> queued;
    synchronized (unpooled) { // as Vert.x guards the queue
      Deque<?> pending = (Deque<?>) UNPOOLED_PENDING.get(unpooled);
      queued = List.copyOf(pending);
      pending.clear();
    }
    queued.forEach(request -> ((Promise<?>) request).tryFail(cause));
  }

  private static VarHandle unpooledField(String name) {
    try {
      return MethodHandles.privateLookupIn(UnpooledHttpClientConnection.class, MethodHandles.lookup())
          .findVarHandle(UnpooledHttpClientConnection.class, name,
              UnpooledHttpClientConnection.class.getDeclaredField(name).getType());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
