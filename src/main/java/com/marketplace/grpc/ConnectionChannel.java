package com.marketplace.grpc;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.UnpooledHttpClientConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The Netty channel under a Vert.x HTTP connection. Vert.x 5.0.7 offers no public way to it, and the
 * work-arounds that need it (flush coalescing, frame packing, connection timers, the client's
 * reset-flood limit, calls ending on a connection just closed) all take it from here, the one place
 * that relies on Vert.x's {@link ConnectionBase} and {@link UnpooledHttpClientConnection}.
 */
public final class ConnectionChannel {

  /**
   * The connection inside one that {@code HttpClientAgent.connect} opened, a private field: Vert.x
   * hands that connection out wrapped, and does not call a client's connect handler for it.
   */
  private static final VarHandle UNPOOLED_ACTUAL = unpooledActual();

  private ConnectionChannel() {}

  /** The channel; null for a connection that is not Vert.x's own, which the work-arounds then leave alone. */
  public static Channel of(HttpConnection connection) {
    if (connection instanceof UnpooledHttpClientConnection unpooled && UNPOOLED_ACTUAL != null) {
      return of((HttpConnection) UNPOOLED_ACTUAL.get(unpooled));
    }
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  private static VarHandle unpooledActual() {
    try {
      return MethodHandles.privateLookupIn(UnpooledHttpClientConnection.class, MethodHandles.lookup())
          .findVarHandle(UnpooledHttpClientConnection.class, "actual",
              UnpooledHttpClientConnection.class.getDeclaredField("actual").getType());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
