package com.marketplace.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Decides when the HTTP/2 frames a connection writes leave for the socket, in two cases Vert.x 5.0.7
 * gets wrong for gRPC:
 * <ul>
 *   <li>Frames written outside a read (a stream fed from a drain handler or a timer) were flushed one
 *       by one: a system call per gRPC message. Now they leave together at the end of the event-loop
 *       task, or every {@value #MAX_PENDING_FLUSHES} flushes.</li>
 *   <li>Calls finished during a read (a server answering a unary call at once, a client sending the
 *       next call when one returns) left only once the whole read was handled: with 100 calls in
 *       flight, all 100 in one write, the peer idle until then and this side idle after. Now every
 *       {@value #MAX_PENDING_FLUSHES} finished calls leave, so that both sides work at the same time.</li>
 * </ul>
 *
 * <p>The handler sits in front of (socket side of) Vert.x's HTTP/2 handler, so what it holds back is
 * already framed; how a stream's messages share frames is {@link FramePacking}'s part, and how the
 * frames of one flush reach the socket {@link WriteMerging}'s, installed with it.
 */
public final class FlushCoalescing {

  private static final int MAX_PENDING_FLUSHES = 32;
  /** The name Vert.x gives its own handler in a connection's pipeline. */
  static final String VERTX_HANDLER = "handler";
  private static final String COALESCING_HANDLER = "flushCoalescing";

  private FlushCoalescing() {}

  /** Adds the coalescing, and {@link WriteMerging}, to a new connection. */
  public static void install(HttpConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    if (channel != null) {
      ChannelPipeline pipeline = channel.pipeline();
      if (pipeline.get(VERTX_HANDLER) != null) {
        pipeline.addBefore(VERTX_HANDLER, COALESCING_HANDLER, new FlushConsolidationHandler(MAX_PENDING_FLUSHES, true));
        // On the socket side of the coalescing, so that it merges what each flush that leaves carries.
        pipeline.addBefore(COALESCING_HANDLER, "writeMerging", new WriteMerging());
      }
    }
  }

  /** Server side: counts the request's response, once ended, towards its connection's next flush. */
  public static void flushWhenEnded(HttpServerRequest request) {
    Channel channel = ConnectionChannel.of(request.connection());
    if (channel != null) {
      request.response().endHandler(ended -> flush(channel));
    }
  }

  /**
   * Client side, on the channel of a connection it was installed on ({@link ConnectionChannel#of};
   * null for one that is not Vert.x's own): counts a request just ended towards the next flush.
   */
  public static void flushEnded(Channel channel) {
    if (channel != null) {
      flush(channel);
    }
  }

  private static void flush(Channel channel) {
    // From the tail, so that Vert.x's handler first writes out what its flow controller holds back.
    channel.flush();
  }
}
