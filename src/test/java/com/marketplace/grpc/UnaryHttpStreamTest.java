package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.rpc.BadRequest;
import com.google.rpc.Status;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.junit5.VertxExtension;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a binary unary call answered on the HTTP request puts on the wire, as the server runs it. */
@ExtendWith(VertxExtension.class)
class UnaryHttpStreamTest {

  private static final String GET_PRODUCT = "/product.ProductService/GetProduct";

  private HttpClient http2;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    port = TestServers.start(vertx).port();
    http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @Test
  void anAnswerIsItsHeadOneMessageAndTheStatusInTrailers() throws InvalidProtocolBufferException {
    HttpReply reply = await(TestClients.exchange(http2, post(), getProduct("p003")));

    assertEquals(200, reply.status());
    assertEquals("application/grpc", reply.headers().get("content-type"));
    assertEquals("gzip", reply.headers().get("grpc-accept-encoding"));
    assertNull(reply.headers().get("grpc-status"));
    // As gRPC servers answer: a length clients would parse and check for nothing.
    assertNull(reply.headers().get("content-length"));
    assertEquals("Mechanical Keyboard", Product.parseFrom(payload(reply.body())).getName());
    assertEquals("0", reply.trailers().get("grpc-status"));
  }

  @Test
  void anErrorBeforeAnyMessageIsTrailersOnlyWithItsDetails() throws InvalidProtocolBufferException {
    HttpReply reply = await(TestClients.exchange(http2, post(), getProduct("")));

    assertEquals("application/grpc", reply.headers().get("content-type"));
    assertEquals("3", reply.headers().get("grpc-status"));
    assertEquals("product_id: must not be empty", reply.headers().get("grpc-message"));
    Status details = Status.parseFrom(
        Base64.getDecoder().decode(reply.headers().get(ServerCall.STATUS_DETAILS)));
    assertEquals("product_id", details.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField());
    assertEquals(0, reply.body().length());
    assertTrue(reply.trailers().isEmpty(), reply.trailers().toString());
  }

  @Test
  void aRequestMessageSentAByteAtATimeArrivesWhole() throws InvalidProtocolBufferException {
    HttpReply reply = await(sendInPieces(getProduct("p003"), 1));

    assertEquals("0", reply.trailers().get("grpc-status"));
    assertEquals("p003", Product.parseFrom(payload(reply.body())).getId());
  }

  @Test
  void aLargeRequestMessageInManyFramesArrivesWhole() throws InvalidProtocolBufferException {
    // 300 KB in a field GetProductRequest does not know: the parser skips it, so the call still finds p003.
    byte[] unknownField = UnknownFieldSet.newBuilder().addField(15, UnknownFieldSet.Field.newBuilder()
        .addLengthDelimited(ByteString.copyFrom(new byte[300_000])).build()).build().toByteArray();
    Buffer body = WireMessages.prefixed(GetProductRequest.newBuilder().setProductId("p003")
        .mergeFrom(unknownField).build().toByteArray());

    HttpReply reply = await(sendInPieces(body, 1000));

    assertEquals("0", reply.trailers().get("grpc-status"));
    assertEquals("p003", Product.parseFrom(payload(reply.body())).getId());
  }

  @Test
  void aGzipRequestMessageIsInflated() throws InvalidProtocolBufferException {
    Buffer gzipped = MessageCodec.gzip(GrpcMessage.message("identity",
        Buffer.buffer(GetProductRequest.newBuilder().setProductId("p003").build().toByteArray()))).payload();
    Buffer frame = Buffer.buffer().appendByte((byte) 1).appendInt(gzipped.length()).appendBuffer(gzipped);
    RequestOptions options = post();
    options.getHeaders().add("grpc-encoding", "gzip");

    HttpReply reply = await(TestClients.exchange(http2, options, frame));

    assertEquals("0", reply.trailers().get("grpc-status"));
    assertEquals("p003", Product.parseFrom(payload(reply.body())).getId());
  }

  @Test
  void grpcOverHttp1IsStillRefusedWith415(Vertx vertx) {
    HttpClient http1 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1));
    HttpReply reply = await(TestClients.exchange(http1, post(), getProduct("p003")));
    assertEquals(415, reply.status());
    assertEquals("13", reply.headers().get("grpc-status"));
  }

  private RequestOptions post() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(GET_PRODUCT)
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc").add("te", "trailers"));
  }

  /** Sends {@code body} in writes of {@code piece} bytes, each a DATA frame of its own. */
  private Future<HttpReply> sendInPieces(Buffer body, int piece) {
    return http2.request(post()).compose(request -> {
      request.setChunked(true);
      int at = 0;
      for (; at + piece < body.length(); at += piece) {
        request.write(body.getBuffer(at, at + piece));
      }
      return request.send(body.getBuffer(at, body.length()))
          .compose(response -> response.body().map(data -> new HttpReply(response.statusCode(), response.headers(), data,
              response.trailers())));
    });
  }

  private static Buffer getProduct(String id) {
    return WireMessages.prefixed(GetProductRequest.newBuilder().setProductId(id).build().toByteArray());
  }

  /** The one message of a body, checked to be whole and uncompressed. */
  private static byte[] payload(Buffer body) {
    assertEquals(0, body.getByte(0));
    assertEquals(body.length() - MessageCodec.PREFIX_BYTES, body.getInt(1));
    return body.getBytes(MessageCodec.PREFIX_BYTES, body.length());
  }
}
