package com.marketplace.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A gRPC-Web text body decoded from base64 as it arrives, so that vertx-grpc reads binary gRPC messages.
 *
 * <p>vertx-grpc 5.0.7 decodes a text body itself only over HTTP/1.x, and badly: the whole body at its
 * end, as one message, losing what follows a padding inside it, and throwing (the call then hung until
 * the idle timeout) when it is not base64. Over HTTP/2 it reads the text as binary. It reads binary
 * for an HTTP/2 request, so this one says it is HTTP/2.
 *
 * <p>The body is a run of 4-character groups; a group may end in padding, after which the next piece
 * starts (gRPC-Web allows a message, or each, to be encoded on its own). One that is not is refused.
 */
final class WebTextBody extends CheckedBody {

  private static final String NOT_BASE64 = "Request body is not a base64-encoded gRPC-Web message";

  /** Characters of an unfinished group, carried over to the next chunk. */
  private final byte[] group = new byte[3];
  private int groupSize;

  WebTextBody(HttpServerRequest request) {
    super(request);
  }

  @Override
  public HttpVersion version() {
    return HttpVersion.HTTP_2;
  }

  @Override
  void read(Buffer chunk, Handler<Buffer> reader) {
    int length = groupSize + chunk.length();
    byte[] text = new byte[length];
    System.arraycopy(group, 0, text, 0, groupSize);
    chunk.getBytes(0, chunk.length(), text, groupSize);
    for (int i = groupSize; i < length; i++) {
      if (!isBase64(text[i])) {
        refuse(NOT_BASE64);
        return;
      }
    }
    int whole = length - length % 4;
    groupSize = length - whole;
    System.arraycopy(text, whole, group, 0, groupSize);
    Buffer decoded = Buffer.buffer(whole / 4 * 3);
    try {
      // A piece ends with a padded group; the decoder takes one piece at a time.
      for (int pieceStart = 0, at = 0; at < whole; at += 4) {
        if (text[at + 3] == '=' || at + 4 == whole) {
          ByteBuffer piece = Base64.getDecoder().decode(ByteBuffer.wrap(text, pieceStart, at + 4 - pieceStart));
          decoded.appendBytes(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
          pieceStart = at + 4;
        }
      }
    } catch (IllegalArgumentException misplacedPadding) {
      refuse(NOT_BASE64);
      return;
    }
    if (decoded.length() > 0) {
      reader.handle(decoded);
    }
  }

  @Override
  String faultAtEnd() {
    return groupSize == 0 ? null : NOT_BASE64;
  }

  private static boolean isBase64(byte c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
  }
}
