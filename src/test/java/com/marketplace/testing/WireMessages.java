package com.marketplace.testing;

import com.marketplace.grpc.MessageCodec;
import io.vertx.core.buffer.Buffer;

/** gRPC messages as they go on the wire, for tests that write HTTP/2 bodies by hand. */
public final class WireMessages {

  private WireMessages() {}

  /** The message with its prefix: uncompressed, and its length. */
  public static Buffer prefixed(byte[] message) {
    return Buffer.buffer(MessageCodec.PREFIX_BYTES + message.length).appendByte((byte) 0).appendInt(message.length)
        .appendBytes(message);
  }
}
