package com.marketplace.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;

/**
 * Packs the messages a server stream writes in one burst into shared HTTP/2 DATA frames of about
 * {@value #FRAME_BYTES} bytes, or {@value #FRAME_MESSAGES} messages when they are smaller.
 *
 * <p>vertx-grpc writes each message as a DATA frame of its own, and Vert.x 5.0.7 flushes every write made
 * outside a read: a stream of small messages cost both sides a frame per message. During a burst of
 * {@link ServerCall#sendAll}, this handler, on the tail side of Vert.x's HTTP/2 handler, holds those
 * flushes back, so that Netty's flow controller merges what the stream queued meanwhile; the burst lets it
 * out every {@value #FRAME_BYTES} bytes or {@value #FRAME_MESSAGES} messages, and at its end.
 *
 * <p>Why not Netty's 16 KiB frames: a vertx-grpc 5.0.7 client copies the rest of a frame after each
 * message it takes out of it, so its cost per message grows with the frame. Server streaming to our load
 * client, medians of 3 runs: empty messages 476k msgs/s at a frame each, 1.67M in 2 KiB frames, 1.26M in
 * 4 KiB, 1.13M in 8 KiB; 1 KiB messages 312k, 359k, 384k, 376k. That copy, about half a frame per
 * message, is why small messages also stop a frame at {@value #FRAME_MESSAGES}: messages of 7 bytes
 * on the wire filled 4 KiB frames 585 at a time, and 10 s of streaming them to our load client gave
 * 1.15M msgs/s, against 2.66M, 2.60M, 2.51M and 2.10M at 16, 32, 64 and 128 messages a frame, for the same server CPU
 * per message (0.33-0.36 µs).
 */
public final class FramePacking extends ChannelOutboundHandlerAdapter {

  static final int FRAME_BYTES = 4096;
  static final int FRAME_MESSAGES = 32;
  /** For connections without packing (HTTP/1.1): every call does nothing. */
  private static final FramePacking NONE = new FramePacking();

  private ChannelHandlerContext context;
  private int bursts;
  private int unflushedBytes;
  private int unflushedMessages;
  private boolean flushHeld;

  private FramePacking() {}

  /** Adds packing to an HTTP/2 connection. */
  public static void install(HttpConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    if (channel != null) {
      ChannelPipeline pipeline = channel.pipeline();
      if (ConnectionChannel.http2(channel) != null && pipeline.get(FlushCoalescing.VERTX_HANDLER) != null) {
        pipeline.addAfter(FlushCoalescing.VERTX_HANDLER, "framePacking", new FramePacking());
      }
    }
  }

  /** The packing of the connection a call runs on; one that does nothing if it has none. */
  static FramePacking of(HttpConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    FramePacking packing = channel == null ? null : channel.pipeline().get(FramePacking.class);
    return packing == null ? NONE : packing;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (bursts > 0) {
      flushHeld = true;
    } else {
      ctx.flush();
    }
  }

  /** A stream starts writing several messages in a row. */
  void beginBurst() {
    if (context != null) {
      bursts++;
    }
  }

  /** The burst wrote a message of {@code messageBytes}. */
  void written(long messageBytes) {
    if (context == null) {
      return;
    }
    unflushedBytes += (int) messageBytes + MessageCodec.PREFIX_BYTES;
    unflushedMessages++;
    if (unflushedBytes >= FRAME_BYTES || unflushedMessages >= FRAME_MESSAGES) {
      flushNow();
    }
  }

  /** The burst is over: what it held back leaves. */
  void endBurst() {
    if (context == null || --bursts > 0) {
      return;
    }
    if (flushHeld) {
      flushNow();
    }
    // Written during a read, the rest leaves when Vert.x flushes at the end of the read.
    unflushedBytes = 0;
    unflushedMessages = 0;
  }

  private void flushNow() {
    unflushedBytes = 0;
    unflushedMessages = 0;
    flushHeld = false;
    // From this handler, so that Vert.x's handler behind it writes out what its flow controller holds.
    context.flush();
  }
}
