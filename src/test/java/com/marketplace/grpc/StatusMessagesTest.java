package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.testing.Calls;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: status messages went out encoded as a URL query (vertx-grpc's encoding), so that
 * grpc-js, which decodes with JavaScript's decodeURI, showed {@code , : / ?} and the like escaped.
 * gRPC percent-encodes only bytes that are not printable ASCII, and {@code %}.
 */
@ExtendWith(VertxExtension.class)
class StatusMessagesTest {

  private static final String MESSAGE = "a, b: c/d?e=f&g;h@i#j$k+l 100% ~ ☺\n";
  private static final String ON_THE_WIRE = "a, b: c/d?e=f&g;h@i#j$k+l 100%25 ~ %E2%98%BA%0A";
  private static final EchoStatus STATUS = EchoStatus.newBuilder().setCode(GrpcStatus.ABORTED.code).setMessage(MESSAGE).build();

  private SocketAddress server;
  private HttpClient http2;

  @BeforeEach
  void start(Vertx vertx) {
    server = TestServers.address(TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true))));
    http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @Test
  void aUnaryErrorIsEncodedAsGrpcSpecifies() {
    HttpReply reply = await(TestClients.exchange(http2, grpcPost("/grpc.testing.TestService/UnaryCall", "application/grpc"),
        WireMessages.prefixed(SimpleRequest.newBuilder().setResponseStatus(STATUS).build().toByteArray())));

    assertEquals(ON_THE_WIRE, reply.headers().get("grpc-message"));
  }

  @Test
  void aStreamErrorIsEncodedAsGrpcSpecifiesInTrailersOnlyAndAfterMessages() {
    StreamingOutputCallRequest failing = StreamingOutputCallRequest.newBuilder().setResponseStatus(STATUS).build();
    HttpReply trailersOnly = await(TestClients.exchange(http2, grpcPost("/grpc.testing.TestService/FullDuplexCall",
        "application/grpc"), WireMessages.prefixed(failing.toByteArray())));
    HttpReply afterAMessage = await(TestClients.exchange(http2, grpcPost("/grpc.testing.TestService/FullDuplexCall",
        "application/grpc"), WireMessages.prefixed(failing.toBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(1)).build().toByteArray())));

    assertEquals(ON_THE_WIRE, trailersOnly.headers().get("grpc-message"));
    assertEquals(1, WireMessages.messages(afterAMessage.body()).size());
    assertEquals(ON_THE_WIRE, afterAMessage.trailers().get("grpc-message"));
  }

  @Test
  void aGrpcWebErrorIsEncodedAsGrpcSpecifies() {
    StreamingOutputCallRequest failing = StreamingOutputCallRequest.newBuilder().setResponseStatus(STATUS)
        .addResponseParameters(ResponseParameters.newBuilder().setSize(1)).build();
    HttpReply reply = await(TestClients.exchange(http2, grpcPost("/grpc.testing.TestService/StreamingOutputCall",
        "application/grpc-web+proto"), WireMessages.prefixed(failing.toByteArray())));

    assertEquals(ON_THE_WIRE, WireMessages.webTrailers(reply.body()).get("grpc-message"));
  }

  @Test
  void ourClientDecodesWhatTheServerEncoded(Vertx vertx) {
    Calls.Outcome<?> outcome = await(Calls.call(TestClients.http2(vertx), server, TestServiceGrpcClient.UnaryCall,
        SimpleRequest.newBuilder().setResponseStatus(STATUS).build()));

    assertEquals(GrpcStatus.ABORTED, outcome.status());
    assertEquals(MESSAGE, outcome.message());
  }

  @Test
  void decodingTakesAnyEscapeAndKeepsWhatIsNotOne() {
    assertEquals("a+b c☺", StatusMessages.decode("a+b%20c%E2%98%BA"));
    assertEquals("100%zz", StatusMessages.decode("100%zz"));
    assertEquals("ends with %", StatusMessages.decode("ends with %"));
  }

  private RequestOptions grpcPost(String path, String contentType) {
    return new RequestOptions().setMethod(HttpMethod.POST).setServer(server).setURI(path)
        .putHeader("content-type", contentType).putHeader("te", "trailers");
  }
}
