package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static com.marketplace.testing.RawHttp2Peer.DATA;
import static com.marketplace.testing.RawHttp2Peer.HEADERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.grpc.GrpcHeaders;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.proto.product.Product;
import com.marketplace.testing.Calls;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.RawHttp2Peer;
import com.marketplace.testing.RawHttp2Peer.Frame;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ClientCall}s over real sockets: the frames they put on the wire, read by a bare HTTP/2 peer
 * (every request message, and the end of the stream with the last one), how an answer that is not
 * gRPC ends, and the end of a request the server no longer wants. {@link CallEndingsTest} has the
 * endings of calls with every request known.
 */
@ExtendWith(VertxExtension.class)
class ClientCallWireTest {

  /** gRPC's length-prefixed message: a compression flag and a 4-byte length. */
  private static final int MESSAGE_PREFIX = 5;

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
  void aLastMessageSentWithTheHalfCloseSharesTheDataFrameThatEndsTheStream(Vertx vertx) {
    HelloRequest hello = HelloRequest.newBuilder().setName("ended with it").build();
    List<Frame> frames = recordFrames(vertx, server -> ClientCall.start(TestClients.http2(vertx), server, ApiGrpcClient.sayHello,
        CallOptions.defaults(), 1024, answer -> { }).onSuccess(call -> call.end(hello)));
    assertEquals(List.of(new Frame(HEADERS, false, frames.get(0).length()),
        new Frame(DATA, true, MESSAGE_PREFIX + hello.getSerializedSize())), frames);
  }

  /**
   * Regression: a call closed with its connection after a GOAWAY was taken as refused, safe to send
   * again, though the GOAWAY named it as received and the server may have been working on it. Only
   * a stream beyond the GOAWAY's last stream is unprocessed. (A connection's first stream is 1.)
   */
  @ParameterizedTest
  @CsvSource({"0, true", "1, false"})
  void aCallClosedAfterAGoAwayIsUnprocessedOnlyBeyondItsLastStream(int lastStreamId, boolean unprocessed, Vertx vertx) {
    SocketAddress server = RawHttp2Peer.serve(vertx, (socket, frame) -> {
      if (frame.type() == HEADERS) {
        RawHttp2Peer.goAway(socket, lastStreamId);
        socket.close();
      }
    });
    RpcException failure = CallEndingsTest.failure(ClientCall.call(TestClients.http2(vertx), server, ApiGrpcClient.sayHello,
        CallOptions.defaults(), 1024, List.of(HelloRequest.getDefaultInstance())));

    assertEquals(GrpcStatus.UNAVAILABLE, failure.status());
    assertEquals(unprocessed, failure.unprocessed(), failure.getMessage());
  }

  /** A regression test: streamed calls, made over vertx-grpc's client before, ended here as UNAVAILABLE. */
  @ParameterizedTest
  @EnumSource(CallEndingsTest.Way.class)
  void aResponseThatIsNotGrpcEndsWithTheStatusItsHttpStatusMapsTo(CallEndingsTest.Way way, Vertx vertx) {
    RpcException notFound = CallEndingsTest.failure(getStream(way, vertx, serveHttp(vertx, 404, "text/plain", "no such page")));
    assertEquals(GrpcStatus.UNIMPLEMENTED, notFound.status());
    assertEquals("Not a gRPC response: HTTP status 404, content-type text/plain", notFound.getMessage());
    assertEquals(GrpcStatus.UNAVAILABLE,
        CallEndingsTest.failure(getStream(way, vertx, serveHttp(vertx, 503, "text/html", "busy"))).status());
    RpcException noStatus = CallEndingsTest.failure(getStream(way, vertx, serveHttp(vertx, 200, "application/grpc", "")));
    assertEquals(GrpcStatus.UNKNOWN, noStatus.status());
    assertEquals("Response ended without a valid grpc-status", noStatus.getMessage());
    // A media type in another case, or with parameters, is the same one.
    for (String grpc : List.of("Application/GRPC", "application/grpc; charset=utf-8", "application/grpc+proto")) {
      assertEquals("Response ended without a valid grpc-status",
          CallEndingsTest.failure(getStream(way, vertx, serveHttp(vertx, 200, grpc, ""))).getMessage(), grpc);
    }
  }

  /**
   * A response body that ends inside a message fails a call the server ended OK with INTERNAL, as in
   * grpc-java; before, the piece was dropped and the call ended OK. A non-OK status is kept.
   */
  @ParameterizedTest
  @EnumSource(CallEndingsTest.Way.class)
  void aResponseBodyThatEndsInsideAMessageIsInternalUnlessTheServerSaidOtherwise(CallEndingsTest.Way way, Vertx vertx) {
    byte[] item = Item.newBuilder().setName("whole").build().toByteArray();
    Buffer body = WireMessages.prefixed(item).appendBuffer(WireMessages.prefixed(item).getBuffer(0, MESSAGE_PREFIX + 2));

    RpcException truncated = CallEndingsTest.failure(getStream(way, vertx, serveTruncated(vertx, body, GrpcStatus.OK)));
    assertEquals(GrpcStatus.INTERNAL, truncated.status());
    assertEquals("Response body ended inside a message", truncated.getMessage());
    assertEquals(GrpcStatus.ABORTED,
        CallEndingsTest.failure(getStream(way, vertx, serveTruncated(vertx, body, GrpcStatus.ABORTED))).status());
  }

  /** A gRPC server that answers every call with {@code body} and then {@code status} in trailers. */
  private static SocketAddress serveTruncated(Vertx vertx, Buffer body, GrpcStatus status) {
    Handler<HttpServerRequest> answer = request -> {
      request.response().putHeader("content-type", "application/grpc").write(body);
      request.response().putTrailer("grpc-status", status.toString()).end();
    };
    return TestServers.serve(vertx, answer);
  }

  /** Regression: the authority of an IPv6 server was sent without brackets, and the server reset every call. */
  @Test
  void aServerAtAnIpv6AddressIsCalled(Vertx vertx) {
    TestServers.assumeIpv6Loopback();
    int port = TestServers.start(vertx, TestServers.config(new JsonObject().put("host", "::1"))).port();

    Outcome<Product> outcome = await(Calls.call(TestClients.http2(vertx), SocketAddress.inetSocketAddress(port, "::1"),
        ProductServiceGrpcClient.GetProduct, GetProductRequest.newBuilder().setProductId("p001").build()));
    assertEquals(GrpcStatus.OK, outcome.status(), outcome.message());
    assertEquals("p001", outcome.single().getId());
  }

  @Test
  void httpStatusesMapAsGrpcSpecifies() {
    assertEquals(GrpcStatus.INTERNAL, ClientCall.statusOfHttp(400));
    assertEquals(GrpcStatus.UNAUTHENTICATED, ClientCall.statusOfHttp(401));
    assertEquals(GrpcStatus.PERMISSION_DENIED, ClientCall.statusOfHttp(403));
    assertEquals(GrpcStatus.UNAVAILABLE, ClientCall.statusOfHttp(429));
    assertEquals(GrpcStatus.UNAVAILABLE, ClientCall.statusOfHttp(504));
    assertEquals(GrpcStatus.UNKNOWN, ClientCall.statusOfHttp(500));
  }

  /**
   * A server that ends a call before the client has half-closed gets the stream reset with CANCEL,
   * so that the rest of the request does not hold the stream open; the call ends with the server's status.
   */
  @Test
  void aCallTheServerEndsBeforeTheHalfCloseIsResetAndEndsWithTheServersStatus(Vertx vertx) {
    Promise<Long> resetCode = Promise.promise();
    Handler<HttpServerRequest> answerAtOnce = request -> {
      request.exceptionHandler(error -> {
        if (error instanceof StreamResetException reset) {
          resetCode.tryComplete(reset.getCode());
        }
      });
      TestServers.answerTrailersOnly(request, GrpcStatus.OK);
    };
    ClientCall<HelloRequest, Hello> call = await(ClientCall.start(TestClients.http2(vertx),
        TestServers.serve(vertx, answerAtOnce), ApiGrpcClient.sayHello, CallOptions.defaults(), 1024, hello -> { }));
    call.write(HelloRequest.getDefaultInstance());
    assertEquals(0, await(call.result()).messages().size());
    assertEquals(GrpcHeaders.CANCEL, await(resetCode.future()).intValue());
  }

  private static Future<CallResult<Item>> getStream(CallEndingsTest.Way way, Vertx vertx, SocketAddress server) {
    return way.call(vertx, server, ApiGrpcClient.getStream, CallOptions.defaults(), 1024,
        List.of(ApiRequest.newBuilder().setLength(1).build()));
  }

  /** A plain HTTP/2 server that answers every request with {@code status}, {@code contentType}, {@code body} and no gRPC status. */
  private static SocketAddress serveHttp(Vertx vertx, int status, String contentType, String body) {
    Handler<HttpServerRequest> answer = request -> request.response().setStatusCode(status)
        .putHeader("content-type", contentType).end(body);
    return TestServers.serve(vertx, answer);
  }

  /** Makes one whole call to a peer that records the frames of its first stream until one ends it, and never answers. */
  private static <Req, Resp> List<Frame> requestFrames(Vertx vertx, ServiceMethod<Resp, Req> method, List<Req> requests) {
    return recordFrames(vertx, server -> CallEndingsTest.Way.WHOLE_CALL.call(vertx, server, method, CallOptions.defaults(), 1024, requests));
  }

  /** Has {@code caller} call a peer that records the frames of its first stream until one ends it, and never answers. */
  private static List<Frame> recordFrames(Vertx vertx, Consumer<SocketAddress> caller) {
    Promise<List<Frame>> recorded = Promise.promise();
    List<Frame> frames = new ArrayList<>();
    caller.accept(RawHttp2Peer.serve(vertx, (socket, frame) -> {
      frames.add(frame);
      if (frame.endStream()) {
        recorded.tryComplete(List.copyOf(frames));
      }
    }));
    return await(recorded.future());
  }
}
