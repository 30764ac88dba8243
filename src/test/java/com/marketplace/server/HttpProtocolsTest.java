package com.marketplace.server;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.testing.LogCapture;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gRPC port also speaks gRPC-Web (for browsers) and HTTP/JSON for two product methods (for REST callers). */
@ExtendWith(VertxExtension.class)
class HttpProtocolsTest {

  private static Future<HttpReply> send(HttpClient http, int port, HttpMethod method, String path, MultiMap headers, Buffer body) {
    return TestClients.exchange(http,
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path).setHeaders(headers), body);
  }

  private static HttpReply get(Vertx vertx, int port, String path, String contentType) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    return await(send(TestClients.http(vertx), port, HttpMethod.GET, path, headers, null));
  }

  @Test
  void getProductAsJsonWithOrWithoutAContentType(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply bare = get(vertx, port, "/v1/products/p001", null);
    assertEquals(200, bare.status());
    assertEquals("Laptop Pro X", new JsonObject(bare.body()).getString("name"));
    assertEquals(1500.0, new JsonObject(bare.body()).getDouble("price"));
    HttpReply withCharset = get(vertx, port, "/v1/products/p002", "application/json; charset=utf-8");
    assertEquals("Wireless Mouse", new JsonObject(withCharset.body()).getString("name"));
    HttpReply missing = get(vertx, port, "/v1/products/p999", null);
    assertEquals(404, missing.status());
    assertEquals("5", missing.headers().get("grpc-status"));
  }

  /** Regression: vertx-grpc answered these with an empty 500. */
  @Test
  void aCallNoMethodIsMappedToIsNotFound(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply unknownPath = get(vertx, port, "/v1/orders/1", null);
    HttpReply unknownVerb = await(send(TestClients.http(vertx), port, HttpMethod.DELETE, "/v1/products/p001",
        MultiMap.caseInsensitiveMultiMap(), null));
    // A method with an HTTP rule is called as JSON at its rule's path only.
    HttpReply notAtItsRule = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/product.ProductService/GetProduct",
        json(), Buffer.buffer("{\"productId\":\"p001\"}")));
    for (HttpReply reply : new HttpReply[] {unknownPath, unknownVerb, notAtItsRule}) {
      assertEquals(404, reply.status());
      assertEquals("5", reply.headers().get("grpc-status"));
      assertEquals("No%20method%20is%20mapped%20to%20this%20HTTP%20method%20and%20path", reply.headers().get("grpc-message"));
    }
  }

  /**
   * A JSON body that is not the method's message is INVALID_ARGUMENT (HTTP 400) and logs nothing;
   * vertx-grpc answered a bare 400, and the call then logged an IllegalStateException.
   */
  @ParameterizedTest
  @ValueSource(strings = {"{bad", "{\"nope\":1}", "[1]", ""})
  void aJsonBodyThatIsNotTheMethodsMessageIsInvalidArgument(String body, Vertx vertx) {
    int port = TestServers.start(vertx).port();
    try (LogCapture log = LogCapture.all()) {
      HttpReply reply = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/api.Api/sayHello", json(), Buffer.buffer(body)));
      assertEquals(400, reply.status());
      assertEquals("3", reply.headers().get("grpc-status"));
      assertTrue(grpcMessage(reply)
          .matches("Invalid message: cannot parse it as the method's message type: .+"), reply.headers().get("grpc-message"));
      assertEquals(List.of(), log.atLeast(Level.WARN));
    }
    HttpReply hello = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/api.Api/sayHello", json(),
        Buffer.buffer("{\"name\":\"json\"}")));
    assertEquals("Hello json!", new JsonObject(hello.body()).getString("message"));
  }

  /** A query parameter is a field of the request message: one the message lacks is INVALID_ARGUMENT, named. */
  @Test
  void anUnknownQueryParameterIsInvalidArgumentNamingIt(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply reply = get(vertx, port, "/v1/products/p001?colour=red", null);
    assertEquals(400, reply.status());
    assertTrue(grpcMessage(reply)
        .endsWith("Cannot find field: colour in message product.GetProductRequest"), reply.headers().get("grpc-message"));
    assertEquals("Wireless Mouse", new JsonObject(get(vertx, port, "/v1/products/p001?product_id=p002", null).body()).getString("name"));
  }

  /** gRPC with JSON messages: one that does not parse is INTERNAL, as a protobuf one is; vertx-grpc reset the stream. */
  @Test
  void anUndecodableGrpcJsonMessageIsInternal(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    MultiMap grpcJson = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc+json").add("te", "trailers");
    HttpClient h2c = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    HttpReply bad = await(send(h2c, port, HttpMethod.POST, "/api.Api/sayHello", grpcJson, WireMessages.prefixed("{bad".getBytes(StandardCharsets.UTF_8))));
    assertEquals("13", bad.headers().get("grpc-status"), "trailers-only: " + bad.headers());
    HttpReply good = await(send(h2c, port, HttpMethod.POST, "/api.Api/sayHello", grpcJson,
        WireMessages.prefixed("{\"name\":\"json\"}".getBytes(StandardCharsets.UTF_8))));
    assertEquals("0", good.trailers().get("grpc-status"), good.headers() + " " + good.trailers());
    assertTrue(good.body().toString(StandardCharsets.UTF_8).contains("Hello json!"));
  }

  /** An endless stream asked for as JSON ends RESOURCE_EXHAUSTED at the message size limit, instead of growing its array without bound. */
  @Test
  void aJsonAnswerIsHeldToTheMessageSizeLimit(Vertx vertx) {
    int port = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true).put("maxMessageSize", 65536))).port();
    HttpReply endless = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/grpc.testing.BenchmarkService/StreamingFromServer",
        json(), Buffer.buffer("{\"responseSize\":1000}")));
    assertEquals("8", endless.headers().get("grpc-status"));
    assertEquals(429, endless.status());
  }

  /**
   * A gRPC-Web text body that is not base64, or too short for a message, ends INTERNAL at once and
   * logs nothing; vertx-grpc threw at the body's end and the call waited out the idle timeout.
   */
  @ParameterizedTest
  @ValueSource(strings = {"AAAA!!!notbase64", "AAAA", ""})
  void aGrpcWebTextBodyThatIsNotBase64IsInternal(String body, Vertx vertx) {
    int port = TestServers.start(vertx).port();
    try (LogCapture log = LogCapture.all()) {
      HttpReply reply = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/product.ProductService/GetProduct",
          MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc-web-text"), Buffer.buffer(body)));
      assertEquals("13", reply.headers().get("grpc-status"));
      assertEquals("Request%20body%20is%20not%20a%20base64-encoded%20gRPC-Web%20message", reply.headers().get("grpc-message"));
      assertEquals(List.of(), log.atLeast(Level.WARN));
    }
  }

  /** The reply's {@code grpc-message}, percent-decoded (it holds no '+', which URLDecoder would take for a space). */
  private static String grpcMessage(HttpReply reply) {
    return URLDecoder.decode(reply.headers().get("grpc-message"), StandardCharsets.UTF_8);
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
  }

  @Test
  void listProductsByCategoryAsAJsonArrayInCatalogOrder(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    JsonArray electronics = new JsonArray(get(vertx, port, "/v1/categories/Electronics/products", null).body());
    assertEquals(4, electronics.size());
    assertEquals("p001", electronics.getJsonObject(0).getString("id"));
    assertEquals("p005", electronics.getJsonObject(3).getString("id"));
    assertEquals(new JsonArray(), new JsonArray(get(vertx, port, "/v1/categories/Garden/products", "application/json").body()));
  }

  @Test
  void httpJsonCallsGoThroughAuthentication(Vertx vertx, @TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "a-long-enough-test-secret-of-32-bytes!");
    int port = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("jwtSecretFile", secret.toString()).put("jwtIssuer", "i").put("jwtAudience", "a"))).port();
    HttpReply refused = get(vertx, port, "/v1/products/p001", null);
    assertEquals(401, refused.status());
    assertEquals("16", refused.headers().get("grpc-status"));
  }

  @Test
  void grpcWebAndGrpcWebTextOverHttp1(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    byte[] request = GetProductRequest.newBuilder().setProductId("p003").build().toByteArray();
    Buffer frame = WireMessages.prefixed(request);
    HttpClient http1 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1));

    HttpReply web = await(send(http1, port, HttpMethod.POST, "/product.ProductService/GetProduct",
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc-web+proto").add("x-grpc-web", "1"), frame));
    assertEquals(200, web.status());
    assertTrue(web.headers().get("content-type").startsWith("application/grpc-web"), web.headers().toString());
    String body = web.body().toString();
    assertTrue(body.contains("Mechanical Keyboard"), "the product message");
    assertTrue(body.contains("grpc-status:0"), "the trailer frame: " + body);

    HttpReply text = await(send(http1, port, HttpMethod.POST, "/product.ProductService/GetProduct",
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc-web-text"),
        Buffer.buffer(Base64.getEncoder().encodeToString(frame.getBytes()))));
    assertEquals(200, text.status());
    // The body is base64 segments, one per frame, each with its own padding.
    StringBuilder decoded = new StringBuilder();
    Matcher segment = Pattern.compile("[A-Za-z0-9+/]+={0,2}").matcher(text.body().toString());
    while (segment.find()) {
      decoded.append(new String(Base64.getDecoder().decode(segment.group()), StandardCharsets.ISO_8859_1));
    }
    assertTrue(decoded.toString().contains("Mechanical Keyboard") && decoded.toString().contains("grpc-status:0"), decoded.toString());
  }
}
