package com.marketplace.testing;

import static com.marketplace.testing.TestServers.await;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.function.BiConsumer;

/**
 * An HTTP/2 server of raw frames, for what a Vert.x server would not send or tell: it sends its
 * SETTINGS, empty, at once (a client sends calls once it has them), and hands each frame the client
 * sends on a stream, with the socket, to a handler. It answers nothing by itself.
 */
public final class RawHttp2Peer {

  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  private static final int GOAWAY = 0x7;
  private static final int END_STREAM = 0x1;
  private static final int CLIENT_PREFACE_LENGTH = 24;
  private static final int FRAME_HEADER_LENGTH = 9;
  private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 0x4, 0, 0, 0, 0, 0};

  /** A frame on a stream: type, whether it ends the stream, payload length. */
  public record Frame(int type, boolean endStream, int length) {}

  private RawHttp2Peer() {}

  /** Writes a GOAWAY with no error that names {@code lastStreamId} as the last stream received. */
  public static void goAway(NetSocket socket, int lastStreamId) {
    socket.write(Buffer.buffer().appendMedium(8).appendByte((byte) GOAWAY).appendByte((byte) 0).appendInt(0)
        .appendInt(lastStreamId).appendInt(0));
  }

  public static SocketAddress serve(Vertx vertx, BiConsumer<NetSocket, Frame> onStreamFrame) {
    NetServer peer = vertx.createNetServer().connectHandler(socket -> {
      socket.write(Buffer.buffer(EMPTY_SETTINGS));
      socket.handler(new FrameReader(frame -> onStreamFrame.accept(socket, frame)));
    });
    await(peer.listen(0, "127.0.0.1"));
    return SocketAddress.inetSocketAddress(peer.actualPort(), "127.0.0.1");
  }

  /** Reads HTTP/2 frames after the client's preface, handing on those of streams. */
  private static final class FrameReader implements Handler<Buffer> {

    private final Handler<Frame> onStreamFrame;
    private Buffer pending = Buffer.buffer();
    private int prefaceLeft = CLIENT_PREFACE_LENGTH;

    FrameReader(Handler<Frame> onStreamFrame) {
      this.onStreamFrame = onStreamFrame;
    }

    @Override
    public void handle(Buffer bytes) {
      pending.appendBuffer(bytes);
      int at = Math.min(prefaceLeft, pending.length());
      prefaceLeft -= at;
      while (pending.length() - at >= FRAME_HEADER_LENGTH
          && pending.length() - at >= FRAME_HEADER_LENGTH + pending.getUnsignedMedium(at)) {
        int length = pending.getUnsignedMedium(at);
        boolean endStream = (pending.getUnsignedByte(at + 4) & END_STREAM) != 0;
        if ((pending.getInt(at + 5) & 0x7fffffff) != 0) {
          onStreamFrame.handle(new Frame(pending.getUnsignedByte(at + 3), endStream, length));
        }
        at += FRAME_HEADER_LENGTH + length;
      }
      pending = pending.getBuffer(at, pending.length());
    }
  }
}
