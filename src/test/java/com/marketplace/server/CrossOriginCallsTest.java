package com.marketplace.server;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A page from an allowed origin may call the gRPC port from a browser: gRPC-Web and HTTP/JSON, with CORS. */
@ExtendWith(VertxExtension.class)
class CrossOriginCallsTest {

  private static final String SHOP = "https://shop.example.com";
  private static final String GET_PRODUCT = "/product.ProductService/GetProduct";

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredAndItsCallsAreReadable(Vertx vertx) {
    int port = start(vertx, SHOP + ", http://localhost:3000");

    HttpReply preflight = await(send(vertx, port, preflight(GET_PRODUCT, SHOP), null));
    assertEquals(204, preflight.status());
    assertEquals(SHOP, preflight.headers().get("access-control-allow-origin"));
    assertTrue(preflight.headers().get("access-control-allow-methods").contains("POST"), preflight.headers().toString());
    assertEquals("content-type,x-grpc-web,x-user-agent,authorization", preflight.headers().get("access-control-allow-headers"));
    assertEquals("Origin", preflight.headers().get("vary"));

    HttpReply call = await(send(vertx, port, grpcWeb(SHOP), getProduct()));
    assertEquals(200, call.status());
    assertEquals(SHOP, call.headers().get("access-control-allow-origin"));
    assertTrue(call.headers().get("access-control-expose-headers").contains("grpc-status"), call.headers().toString());
    assertTrue(call.body().toString().contains("Laptop Pro X"), "the product");

    HttpReply json = await(send(vertx, port, new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/products/p001")
        .putHeader("origin", "http://localhost:3000"), null));
    assertEquals(200, json.status());
    assertEquals("http://localhost:3000", json.headers().get("access-control-allow-origin"));
  }

  /** Another origin gets no CORS headers, which a browser takes as a refusal; the server still answers. */
  @Test
  void anotherOriginGetsNoCorsHeaders(Vertx vertx) {
    int port = start(vertx, SHOP);

    HttpReply preflight = await(send(vertx, port, preflight(GET_PRODUCT, "https://elsewhere.example"), null));
    assertEquals(204, preflight.status());
    assertNull(preflight.headers().get("access-control-allow-origin"));
    assertNull(preflight.headers().get("access-control-allow-headers"));

    HttpReply call = await(send(vertx, port, grpcWeb("https://elsewhere.example"), getProduct()));
    assertEquals(200, call.status());
    assertNull(call.headers().get("access-control-allow-origin"));
  }

  @Test
  void anyOrigin(Vertx vertx) {
    int port = start(vertx, "*");
    HttpReply call = await(send(vertx, port, grpcWeb("https://elsewhere.example"), getProduct()));
    assertEquals("*", call.headers().get("access-control-allow-origin"));
    assertNull(call.headers().get("vary"));
  }

  /** By default no origin is allowed, and a preflight is not a request the gRPC port serves. */
  @Test
  void noOriginByDefault(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply preflight = await(send(vertx, port, preflight(GET_PRODUCT, SHOP), null));
    assertEquals(415, preflight.status());
    assertNull(preflight.headers().get("access-control-allow-origin"));
  }

  private static int start(Vertx vertx, String origins) {
    return TestServers.start(vertx, TestServers.config(new JsonObject().put("corsAllowedOrigins", origins))).port();
  }

  private static RequestOptions preflight(String path, String origin) {
    return new RequestOptions().setMethod(HttpMethod.OPTIONS).setURI(path).putHeader("origin", origin)
        .putHeader("access-control-request-method", "POST")
        .putHeader("access-control-request-headers", "content-type,x-grpc-web,x-user-agent,authorization");
  }

  private static RequestOptions grpcWeb(String origin) {
    return new RequestOptions().setMethod(HttpMethod.POST).setURI(GET_PRODUCT).putHeader("origin", origin)
        .putHeader("content-type", "application/grpc-web+proto").putHeader("x-grpc-web", "1");
  }

  private static Buffer getProduct() {
    return WireMessages.prefixed(GetProductRequest.newBuilder().setProductId("p001").build().toByteArray());
  }

  private static io.vertx.core.Future<HttpReply> send(Vertx vertx, int port, RequestOptions options, Buffer body) {
    return TestClients.exchange(TestClients.http(vertx), options.setHost("127.0.0.1").setPort(port), body);
  }
}
