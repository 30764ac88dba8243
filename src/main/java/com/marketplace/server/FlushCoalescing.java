package com.marketplace.server;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Coalesces a connection's socket flushes. Vert.x 5.0.7 flushes every HTTP/2 frame written outside a
 * read (a stream fed from a drain handler or a timer): one system call per gRPC message. With this,
 * such writes leave together at the end of the event-loop task, or every {@value #MAX_PENDING_FLUSHES}
 * writes. Writes made during a read were already flushed together, at the end of the read.
 *
 * <p>It sits in front of (socket side of) Vert.x's HTTP/2 handler, so what it holds back is already
 * framed, a DATA frame per write. Behind it, Netty would merge a stream's queued messages into 16 KiB
 * frames, and vertx-grpc 5.0.7 clients copy the rest of a frame after each message they take out of
 * it: merged 1 KiB messages reached such a client five times slower.
 */
final class FlushCoalescing {

  private static final int MAX_PENDING_FLUSHES = 32;
  private static final String VERTX_HANDLER = "handler";

  private FlushCoalescing() {}

  static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
      if (pipeline.get(VERTX_HANDLER) != null && pipeline.get(FlushConsolidationHandler.class) == null) {
        pipeline.addBefore(VERTX_HANDLER, "flushCoalescing", new FlushConsolidationHandler(MAX_PENDING_FLUSHES, true));
      }
    }
  }
}
