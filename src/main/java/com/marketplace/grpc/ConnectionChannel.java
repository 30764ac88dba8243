package com.marketplace.grpc;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under a Vert.x HTTP connection. Vert.x 5.0.7 offers no public way to it, and the
 * work-arounds that need it (flush coalescing, frame packing, connection timers, the client's
 * reset-flood limit, calls ending on a connection just closed) all take it from here, the one place
 * that relies on Vert.x's {@link ConnectionBase}.
 */
public final class ConnectionChannel {

  private ConnectionChannel() {}

  /** The channel; null for a connection that is not Vert.x's own, which the work-arounds then leave alone. */
  public static Channel of(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }
}
