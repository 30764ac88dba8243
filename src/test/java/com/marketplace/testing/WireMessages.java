package com.marketplace.testing;

import com.marketplace.grpc.MessageCodec;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** gRPC messages as they go on the wire, for tests that write HTTP/2 bodies by hand. */
public final class WireMessages {

  private static final Pattern BASE64_PIECE = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  private WireMessages() {}

  /** The message with its prefix: uncompressed, and its length. */
  public static Buffer prefixed(byte[] message) {
    return Buffer.buffer(MessageCodec.PREFIX_BYTES + message.length).appendByte((byte) 0).appendInt(message.length)
        .appendBytes(message);
  }

  /**
   * The payloads of the messages in {@code body}, in order; a gRPC-Web trailer frame (flag 0x80) is
   * not a message and is skipped.
   */
  public static List<byte[]> messages(Buffer body) {
    return frames(body).stream().filter(frame -> !frame.trailers()).map(frame -> frame.payload().getBytes()).toList();
  }

  /**
   * The trailers of a gRPC-Web body, from its trailer frame (flag 0x80): {@code name:value} lines;
   * empty without one.
   */
  public static MultiMap webTrailers(Buffer body) {
    MultiMap trailers = MultiMap.caseInsensitiveMultiMap();
    for (Frame frame : frames(body)) {
      if (frame.trailers()) {
        for (String line : frame.payload().toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            trailers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
          }
        }
      }
    }
    return trailers;
  }

  /** One length-prefixed frame of a body: a message, or gRPC-Web's trailers. */
  private record Frame(boolean trailers, Buffer payload) {}

  private static List<Frame> frames(Buffer body) {
    List<Frame> frames = new ArrayList<>();
    for (int at = 0; at < body.length(); ) {
      int end = at + MessageCodec.PREFIX_BYTES + body.getInt(at + 1);
      frames.add(new Frame((body.getByte(at) & 0x80) != 0, body.getBuffer(at + MessageCodec.PREFIX_BYTES, end)));
      at = end;
    }
    return frames;
  }

  /** A gRPC-Web text body decoded: base64 pieces, each frame's with its own padding. */
  public static Buffer webTextDecoded(String body) {
    Buffer decoded = Buffer.buffer();
    Matcher piece = BASE64_PIECE.matcher(body);
    while (piece.find()) {
      decoded.appendBytes(Base64.getDecoder().decode(piece.group()));
    }
    return decoded;
  }
}
