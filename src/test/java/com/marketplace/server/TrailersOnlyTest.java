package com.marketplace.server;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.HexFormat;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A call that fails before its first message is answered Trailers-Only, as gRPC servers answer it:
 * one HEADERS frame with the status, and no content-length (which Vert.x would add, and clients
 * such as grpc-java and gRPC C-core would hand to the application as trailing metadata).
 */
@ExtendWith(VertxExtension.class)
class TrailersOnlyTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      // GetProductRequest without an id: the unary path.
      "/product.ProductService/GetProduct, '', 3",
      // An undecodable request (a string field cut short): the streaming path.
      "/product.ProductService/ListProductsByCategory, 0a05, 13",
      "/product.ProductService/NoSuchMethod, '', 12",
      "/no.such.Service/Method, '', 12"})
  void aCallFailedBeforeItsFirstMessageIsOneHeadersFrameWithoutContentLength(String path, String messageHex,
      String status, Vertx vertx) {
    int port = TestServers.start(vertx).port();
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc").add("te", "trailers"));

    HttpReply reply = await(TestClients.exchange(
        TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)),
        post, WireMessages.prefixed(HexFormat.of().parseHex(messageHex))));

    assertEquals(status, reply.headers().get("grpc-status"), reply.headers().toString());
    assertNull(reply.headers().get("content-length"), reply.headers().toString());
    assertEquals(0, reply.body().length());
    assertTrue(reply.trailers().isEmpty(), reply.trailers().toString());
  }
}
