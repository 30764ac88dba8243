package com.marketplace.grpc;

import static com.marketplace.grpc.MessageCodec.PREFIX_BYTES;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streamed messages written with their prefix in place reach the client as gRPC frames them, and
 * only binary gRPC streams are written so: gRPC-Web's own framing is left to vertx-grpc.
 */
@ExtendWith(VertxExtension.class)
class PrefixedWritesTest {

  private static final String LIST = "/product.ProductService/ListProductsByCategory";
  private static final Buffer ELECTRONICS = WireMessages.prefixed(
      ListProductsByCategoryRequest.newBuilder().setCategory("Electronics").build().toByteArray());

  @Test
  void aMessageIsItsPrefixThenItsBytes() {
    Product product = Product.newBuilder().setId("p001").setName("Laptop").setPrice(999.5f).build();
    assertEquals(WireMessages.prefixed(product.toByteArray()), PrefixedWrites.encode(product));
    assertEquals(WireMessages.prefixed(new byte[0]), PrefixedWrites.encode(Product.getDefaultInstance()));
  }

  @Test
  void aBinaryGrpcStreamArrivesWholeWithItsHeadAndStatus(Vertx vertx) throws InvalidProtocolBufferException {
    int port = TestServers.start(vertx).port();
    HttpReply reply = await(send(TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)), port, "application/grpc", ELECTRONICS));

    assertEquals("application/grpc", reply.headers().get("content-type"));
    assertEquals(List.of("p001", "p002", "p003", "p005"), ids(messages(reply.body())));
    assertEquals("0", reply.trailers().get("grpc-status"));
  }

  @Test
  void aGrpcWebTextStreamKeepsItsBase64Framing(Vertx vertx) throws InvalidProtocolBufferException {
    int port = TestServers.start(vertx).port();
    HttpReply reply = await(send(TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)),
        port, "application/grpc-web-text", Buffer.buffer(Base64.getEncoder().encodeToString(ELECTRONICS.getBytes()))));

    assertEquals(200, reply.status());
    // One base64 segment per frame, each padded: the messages, then the trailer frame (flag 0x80).
    Buffer frames = Buffer.buffer();
    for (String segment : reply.body().toString().split("(?<==)(?=[^=])")) {
      frames.appendBytes(Base64.getDecoder().decode(segment));
    }
    List<Buffer> all = messages(frames);
    Buffer trailer = all.remove(all.size() - 1);
    assertEquals(List.of("p001", "p002", "p003", "p005"), ids(all));
    assertEquals("grpc-status:0", trailer.toString().trim().split("\r\n")[0]);
  }

  private static io.vertx.core.Future<HttpReply> send(HttpClient http, int port, String contentType, Buffer body) {
    return TestClients.exchange(http, new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(LIST).setHeaders(MultiMap.caseInsensitiveMultiMap().add("content-type", contentType).add("te", "trailers")), body);
  }

  /** Each message's payload, read by its prefix; every frame flag but the last must be 0 (uncompressed). */
  private static List<Buffer> messages(Buffer body) {
    List<Buffer> messages = new ArrayList<>();
    for (int at = 0; at < body.length(); ) {
      int length = body.getInt(at + 1);
      if (body.getByte(at) != 0) {
        assertEquals(at + PREFIX_BYTES + length, body.length(), "only the last frame may carry a flag");
      }
      messages.add(body.getBuffer(at + PREFIX_BYTES, at + PREFIX_BYTES + length));
      at += PREFIX_BYTES + length;
    }
    return messages;
  }

  private static List<String> ids(List<Buffer> messages) throws InvalidProtocolBufferException {
    List<String> ids = new ArrayList<>();
    for (Buffer message : messages) {
      ids.add(Product.parseFrom(message.getBytes()).getId());
    }
    return ids;
  }
}
