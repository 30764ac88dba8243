package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.testing.TestClients;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The frames a {@link HalfCloseMergingClient}'s calls put on the wire, read by a bare HTTP/2 peer
 * on a real socket: every request message, and the end of the stream with the last one.
 */
@ExtendWith(VertxExtension.class)
class HalfCloseMergingClientTest {

  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int END_STREAM = 0x1;
  private static final int CLIENT_PREFACE_LENGTH = 24;
  /** gRPC's length-prefixed message: a compression flag and a 4-byte length. */
  private static final int MESSAGE_PREFIX = 5;

  /** A frame of the request stream: type, whether it ends the stream, payload length. */
  record Frame(int type, boolean endStream, int length) {}

  @Test
  void aUnaryRequestIsHeadersAndOneDataFrameThatEndsTheStream(Vertx vertx) {
    HelloRequest hello = HelloRequest.newBuilder().setName("one frame").build();
    List<Frame> frames = requestFrames(vertx, ApiGrpcClient.sayHello, List.of(hello));
    assertEquals(List.of(new Frame(HEADERS, false, frames.get(0).length()),
        new Frame(DATA, true, MESSAGE_PREFIX + hello.getSerializedSize())), frames);
  }

  @Test
  void severalRequestMessagesWrittenTogetherShareTheDataFrameThatEndsTheStream(Vertx vertx) {
    GetProductRequest first = GetProductRequest.newBuilder().setProductId("p-1").build();
    GetProductRequest last = GetProductRequest.newBuilder().setProductId("a longer id, for a longer frame").build();
    List<Frame> frames = requestFrames(vertx, ProductServiceGrpcClient.LookupProducts, List.of(first, last));
    assertEquals(List.of(new Frame(HEADERS, false, frames.get(0).length()),
        new Frame(DATA, true, MESSAGE_PREFIX + first.getSerializedSize() + MESSAGE_PREFIX + last.getSerializedSize())), frames);
  }

  @Test
  void aCallWithoutRequestMessagesIsHeadersThatEndTheStream(Vertx vertx) {
    List<Frame> frames = requestFrames(vertx, ProductServiceGrpcClient.LookupProducts, List.of());
    assertEquals(List.of(new Frame(HEADERS, true, frames.get(0).length())), frames);
  }

  /** Makes one call to a peer that records the frames of its first stream until one ends it, and never answers. */
  private static <Req> List<Frame> requestFrames(Vertx vertx, ServiceMethod<?, Req> method, List<Req> requests) {
    Promise<List<Frame>> recorded = Promise.promise();
    NetServer peer = vertx.createNetServer().connectHandler(socket -> {
      // The server's SETTINGS, empty: the client sends calls once it has them.
      socket.write(Buffer.buffer(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0}));
      socket.handler(new FrameRecorder(recorded));
    });
    await(peer.listen(0, "127.0.0.1"));
    HalfCloseMergingClient client = TestClients.keep(HalfCloseMergingClient.create(vertx, new GrpcClientOptions(),
        new HttpClientOptions().setHttp2ClearTextUpgrade(false)));
    ClientCall.call(client, SocketAddress.inetSocketAddress(peer.actualPort(), "127.0.0.1"), method,
        CallOptions.defaults(), 1024, requests);
    List<Frame> frames = await(recorded.future());
    await(client.close());
    return frames;
  }

  /** Reads HTTP/2 frames after the client's preface, keeping those of streams, until one ends a stream. */
  private static final class FrameRecorder implements Handler<Buffer> {

    private static final int FRAME_HEADER_LENGTH = 9;

    private final Promise<List<Frame>> recorded;
    private final List<Frame> frames = new ArrayList<>();
    private Buffer pending = Buffer.buffer();
    private int prefaceLeft = CLIENT_PREFACE_LENGTH;

    FrameRecorder(Promise<List<Frame>> recorded) {
      this.recorded = recorded;
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
          frames.add(new Frame(pending.getUnsignedByte(at + 3), endStream, length));
          if (endStream) {
            recorded.tryComplete(List.copyOf(frames));
          }
        }
        at += FRAME_HEADER_LENGTH + length;
      }
      pending = pending.getBuffer(at, pending.length());
    }
  }
}
