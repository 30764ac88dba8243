package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link WholeCall}s over real sockets: the frames they put on the wire, read by a bare HTTP/2 peer
 * (every request message, and the end of the stream with the last one), and how an answer that is
 * not gRPC ends. {@link CallEndingsTest} has the endings it shares with {@link ClientCall}.
 */
@ExtendWith(VertxExtension.class)
class WholeCallTest {

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

  @Test
  void aResponseThatIsNotGrpcEndsWithTheStatusItsHttpStatusMapsTo(Vertx vertx) {
    RpcException notFound = CallEndingsTest.failure(getStream(vertx, serveHttp(vertx, 404, "text/plain", "no such page"), CallOptions.defaults()));
    assertEquals(GrpcStatus.UNIMPLEMENTED, notFound.status());
    assertEquals("Not a gRPC response: HTTP status 404, content-type text/plain", notFound.getMessage());
    assertEquals(GrpcStatus.UNAVAILABLE,
        CallEndingsTest.failure(getStream(vertx, serveHttp(vertx, 503, "text/html", "busy"), CallOptions.defaults())).status());
    RpcException noStatus = CallEndingsTest.failure(getStream(vertx, serveHttp(vertx, 200, "application/grpc", ""), CallOptions.defaults()));
    assertEquals(GrpcStatus.UNKNOWN, noStatus.status());
    assertEquals("Response ended without a valid grpc-status", noStatus.getMessage());
  }

  @Test
  void httpStatusesMapAsGrpcSpecifies() {
    assertEquals(GrpcStatus.INTERNAL, WholeCall.statusOfHttp(400));
    assertEquals(GrpcStatus.UNAUTHENTICATED, WholeCall.statusOfHttp(401));
    assertEquals(GrpcStatus.PERMISSION_DENIED, WholeCall.statusOfHttp(403));
    assertEquals(GrpcStatus.UNAVAILABLE, WholeCall.statusOfHttp(429));
    assertEquals(GrpcStatus.UNAVAILABLE, WholeCall.statusOfHttp(504));
    assertEquals(GrpcStatus.UNKNOWN, WholeCall.statusOfHttp(500));
  }

  private static Future<CallResult<Item>> getStream(Vertx vertx, SocketAddress server, CallOptions options) {
    return CallEndingsTest.Way.WHOLE_CALL.call(vertx, server, ApiGrpcClient.getStream, options, 1024,
        List.of(ApiRequest.newBuilder().setLength(1).build()));
  }

  /** A plain HTTP/2 server that answers every request with {@code status}, {@code contentType}, {@code body} and no gRPC status. */
  private static SocketAddress serveHttp(Vertx vertx, int status, String contentType, String body) {
    Handler<HttpServerRequest> answer = request -> request.response().setStatusCode(status)
        .putHeader("content-type", contentType).end(body);
    int port = await(vertx.createHttpServer().requestHandler(answer).listen(0, "127.0.0.1")).actualPort();
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** Makes one call to a peer that records the frames of its first stream until one ends it, and never answers. */
  private static <Req, Resp> List<Frame> requestFrames(Vertx vertx, ServiceMethod<Resp, Req> method, List<Req> requests) {
    Promise<List<Frame>> recorded = Promise.promise();
    NetServer peer = vertx.createNetServer().connectHandler(socket -> {
      // The server's SETTINGS, empty: the client sends calls once it has them.
      socket.write(Buffer.buffer(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0}));
      socket.handler(new FrameRecorder(recorded));
    });
    await(peer.listen(0, "127.0.0.1"));
    CallEndingsTest.Way.WHOLE_CALL.call(vertx, SocketAddress.inetSocketAddress(peer.actualPort(), "127.0.0.1"), method,
        CallOptions.defaults(), 1024, requests);
    return await(recorded.future());
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
