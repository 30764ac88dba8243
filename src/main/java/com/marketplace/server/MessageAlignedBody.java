package com.marketplace.server;

import static com.marketplace.grpc.MessageCodec.PREFIX_BYTES;
import static com.marketplace.grpc.MessageCodec.REQUEST_ENDED_INSIDE_A_MESSAGE;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Hands vertx-grpc a gRPC request's body cut at message boundaries: each chunk it reads holds at most
 * one message, or one piece of a message that spans DATA frames. A body that ends inside a message
 * fails the call with INTERNAL: vertx-grpc 5.0.7 drops such a piece and ends the stream as if whole.
 *
 * <p>Why cut: vertx-grpc 5.0.7's deframer copies the rest of a chunk after each message it takes out of it,
 * so a 16 KiB DATA frame packed with 3,276 empty messages cost it 3,276 copies of up to 16 KiB: a client
 * streaming 4 MiB of such frames took the server 2.0 s of CPU, and 0.09 s aligned. Whole messages are
 * handed on as slices, which share the frame's bytes.
 *
 * <p>A message's trailing piece is handed on as a copy: the deframer appends the next frame's bytes to
 * it, and appending to a slice fails inside the deframer and costs an exception. Nothing is held here:
 * messages over the size limit still reach the deframer, which refuses them.
 */
final class MessageAlignedBody extends CheckedBody {

  /** Prefix bytes of the current message seen so far; {@value #PREFIX_BYTES} once its length is known. */
  private int prefixSeen;
  /** Bytes of the current message's payload not yet seen; while its prefix is read, the length so far. */
  private long payloadLeft;

  /** @param request a request whose body is gRPC messages, each behind its 5-byte prefix */
  MessageAlignedBody(HttpServerRequest request) {
    super(request);
  }

  @Override
  void read(Buffer chunk, Handler<Buffer> handler) {
    int size = chunk.length();
    int pieceStart = 0;
    int at = 0;
    while (at < size) {
      at = readMessage(chunk, at);
      if (prefixSeen == PREFIX_BYTES && payloadLeft == 0) {
        prefixSeen = 0;
        if (at < size || pieceStart > 0) {
          handler.handle(chunk.slice(pieceStart, at));
          pieceStart = at;
        }
      }
    }
    if (pieceStart == 0) {
      handler.handle(chunk);
    } else if (pieceStart < size) {
      handler.handle(chunk.getBuffer(pieceStart, size));
    }
  }

  @Override
  String faultAtEnd() {
    return prefixSeen == 0 ? null : REQUEST_ENDED_INSIDE_A_MESSAGE;
  }

  /** Reads as much of the current message as the chunk holds from {@code at}; where it stopped. */
  private int readMessage(Buffer chunk, int at) {
    int size = chunk.length();
    if (prefixSeen == 0 && size - at >= PREFIX_BYTES) {
      payloadLeft = chunk.getUnsignedInt(at + 1);
      prefixSeen = PREFIX_BYTES;
      at += PREFIX_BYTES;
    }
    // A prefix cut by the end of a frame: a byte at a time, the flag byte first, then the length's.
    while (prefixSeen < PREFIX_BYTES && at < size) {
      payloadLeft = prefixSeen == 0 ? 0 : (payloadLeft << 8) | (chunk.getByte(at) & 0xFF);
      prefixSeen++;
      at++;
    }
    if (prefixSeen == PREFIX_BYTES) {
      long taken = Math.min(payloadLeft, size - at);
      payloadLeft -= taken;
      at += (int) taken;
    }
    return at;
  }
}
