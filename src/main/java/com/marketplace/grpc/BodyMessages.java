package com.marketplace.grpc;

import static com.marketplace.grpc.MessageCodec.PREFIX_BYTES;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.WireFormat;
import java.util.ArrayDeque;

/**
 * The messages of a binary gRPC body, a request's or a response's, cut out of it as the chunks
 * arrive, each a slice of the chunk that holds it whole. While paused, messages wait here and the
 * body is paused too, so that flow control holds back the rest.
 */
public final class BodyMessages {

  private final ReadStream<Buffer> body;
  private final long maxMessageSize;
  /** The body's {@code grpc-encoding}: what a message flagged compressed is compressed with. */
  private final String encoding;
  private Handler<GrpcMessage> messageHandler;
  private Handler<Void> endHandler;
  private Runnable tooLarge;
  private Runnable truncated;
  /** The start of a message that the chunks so far did not hold whole; a buffer of its own. */
  private Buffer partial;
  /** After a message over the limit: the rest of the body is dropped. */
  private boolean discarding;
  private boolean paused;
  /** Messages that arrived while paused, and whether the body ended after them. */
  private ArrayDeque<GrpcMessage> waiting;
  private boolean endWaiting;
  private boolean bodyPaused;

  /** Reads {@code body} from now on; a message flagged compressed is compressed with {@code encoding}. */
  public BodyMessages(ReadStream<Buffer> body, String encoding, long maxMessageSize) {
    this.body = body;
    this.encoding = encoding;
    this.maxMessageSize = maxMessageSize;
    body.handler(this::read);
    body.endHandler(v -> ended());
  }

  public void messageHandler(Handler<GrpcMessage> handler) {
    messageHandler = handler;
  }

  public void endHandler(Handler<Void> handler) {
    endHandler = handler;
  }

  /** Runs for a message over the size limit, after which the rest of the body is dropped. */
  public void tooLargeHandler(Runnable handler) {
    tooLarge = handler;
  }

  /** Runs instead of the end handler when the body ends inside a message, which is then lost. */
  public void truncatedHandler(Runnable handler) {
    truncated = handler;
  }

  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    while (!paused && waiting != null && !waiting.isEmpty()) {
      deliver(waiting.poll());
    }
    if (!paused && endWaiting) {
      endWaiting = false;
      ended();
    }
    if (!paused && bodyPaused) {
      bodyPaused = false;
      body.resume();
    }
  }

  private void read(Buffer chunk) {
    if (discarding) {
      return;
    }
    Buffer data = partial == null ? chunk : partial.appendBuffer(chunk);
    int size = data.length();
    int at = 0;
    while (size - at >= PREFIX_BYTES) {
      long length = data.getUnsignedInt(at + 1);
      if (length > maxMessageSize) {
        discarding = true;
        partial = null;
        tooLarge.run();
        return;
      }
      int end = at + PREFIX_BYTES + (int) length;
      if (end > size) {
        break;
      }
      boolean compressed = (data.getByte(at) & 1) != 0;
      String messageEncoding = !compressed ? MessageCodec.IDENTITY : encoding != null ? encoding : MessageCodec.UNSPECIFIED_ENCODING;
      deliver(GrpcMessage.message(messageEncoding, WireFormat.PROTOBUF, data.slice(at + PREFIX_BYTES, end)));
      at = end;
    }
    keepRest(data, at);
  }

  /**
   * Keeps what is left of {@code data} from {@code at}, the start of a message, for the next chunks to
   * complete: in a buffer of its own, sized for the whole message once its length is known, so that a
   * large message is copied once, not again with each chunk.
   */
  private void keepRest(Buffer data, int at) {
    int size = data.length();
    if (at == size) {
      partial = null;
    } else if (data != partial || at > 0) {
      int rest = size - at;
      long whole = rest >= PREFIX_BYTES ? PREFIX_BYTES + data.getUnsignedInt(at + 1) : rest;
      partial = Buffer.buffer((int) Math.max(whole, rest)).appendBuffer(data, at, rest);
    }
  }

  private void deliver(GrpcMessage message) {
    if (paused) {
      if (waiting == null) {
        waiting = new ArrayDeque<>(2);
      }
      waiting.add(message);
      if (!bodyPaused) {
        bodyPaused = true;
        body.pause();
      }
    } else if (messageHandler != null) {
      messageHandler.handle(message);
    }
  }

  private void ended() {
    if (paused) {
      endWaiting = true;
    } else if (partial != null && truncated != null) {
      truncated.run();
    } else if (endHandler != null) {
      endHandler.handle(null);
    }
  }
}
