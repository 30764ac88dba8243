package com.marketplace.client;

import com.marketplace.grpc.ConnectionChannel;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.HttpConnection;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the servers' reset-flood limit off a client connection.
 *
 * <p>Vert.x 5.0.7 builds client HTTP/2 connections as if they were server ones
 * (eclipse-vertx/vert.x#5907, fixed after 5.0.7), so Netty closes a client connection once it has sent
 * 200 resets other than CANCEL within 30 s. A client sends such a reset (STREAM_CLOSED) for every frame
 * still in flight after it cancels a stream: cancelling a fast server stream or two closed the
 * connection, and every other call on it failed. Neither Vert.x nor Netty has a setting for it,
 * so the limit is raised on the encoder itself, once per connection. Our clients do it on each
 * connection's first call; a test that resets streams through a plain Vert.x client does it too.
 */
public final class ResetFloodLimit {

  private static final Logger LOG = LoggerFactory.getLogger(ResetFloodLimit.class);
  private static final String LIMIT_ENCODER = "io.netty.handler.codec.http2.Http2MaxRstFrameLimitEncoder";
  private static final Field MAX_RESETS = maxResetsField();

  private ResetFloodLimit() {}

  /** Lifts the limit on a client connection. */
  public static void lift(HttpConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    if (channel != null) {
      lift(channel);
    }
  }

  /** Lifts the limit on a client connection's channel. */
  static void lift(Channel channel) {
    if (MAX_RESETS == null) {
      return;
    }
    Http2ConnectionHandler handler = ConnectionChannel.http2(channel);
    Http2ConnectionEncoder encoder = handler == null ? null : handler.encoder();
    if (encoder != null && MAX_RESETS.getDeclaringClass().isInstance(encoder)) {
      try {
        MAX_RESETS.setInt(encoder, Integer.MAX_VALUE);
      } catch (IllegalAccessException e) {
        LOG.debug("Cannot lift the reset limit of {}", channel, e);
      }
    }
  }

  private static Field maxResetsField() {
    try {
      Field field = Class.forName(LIMIT_ENCODER).getDeclaredField("maxRstFramesPerWindow");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Client connections keep Netty's reset-flood limit: {}", e.toString());
      return null;
    }
  }
}
