package com.marketplace.server;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.StatusMessages;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductLookup;
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
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
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

  /**
   * Regression: a failed HTTP/JSON call had an empty body. It is the call's google.rpc.Status in JSON,
   * rich error details included, as grpc-gateway answers.
   */
  @Test
  void aFailedJsonCallAnswersItsStatusAsJson(Vertx vertx) {
    int port = TestServers.start(vertx).port();

    HttpReply missing = get(vertx, port, "/v1/products/p999", null);
    assertEquals(404, missing.status());
    assertEquals("application/json", missing.headers().get("content-type"));
    assertEquals(new JsonObject().put("code", 5).put("message", "Product with ID 'p999' not found.").put("details", new JsonArray()),
        new JsonObject(missing.body()));

    HttpReply badField = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/api.Api/getAll", json(),
        Buffer.buffer("{\"length\":-1}")));
    assertEquals(400, badField.status());
    JsonObject status = new JsonObject(badField.body());
    assertEquals(3, status.getInteger("code"));
    assertEquals("length: must be >= 0, got -1", status.getString("message"));
    assertEquals(new JsonObject().put("@type", "type.googleapis.com/google.rpc.BadRequest")
            .put("fieldViolations", new JsonArray().add(new JsonObject().put("field", "length")
                .put("description", "must be >= 0, got -1").put("reason", ""))),
        status.getJsonArray("details").getJsonObject(0));
    assertEquals("3", badField.headers().get("grpc-status"));
    assertEquals("length: must be >= 0, got -1", grpcMessage(badField));
  }

  /**
   * Regression: a query parameter replaced the field the path sets, so that a proxy that allows
   * {@code /v1/products/p001} let p002 be read. Fields the path does not set stay query parameters.
   */
  @Test
  void aQueryParameterForAFieldThePathSetsIsInvalid(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply overriding = get(vertx, port, "/v1/products/p001?product_id=p002", null);
    HttpReply unrelated = get(vertx, port, "/v1/categories/Books/products?category=Electronics", null);

    for (HttpReply reply : new HttpReply[] {overriding, unrelated}) {
      assertEquals(400, reply.status());
      assertEquals("3", reply.headers().get("grpc-status"));
      assertEquals("application/json", reply.headers().get("content-type"));
    }
    assertEquals("Query parameter 'product_id' names a field the path already sets", grpcMessage(overriding));
    assertEquals("Query parameter 'category' names a field the path already sets",
        new JsonObject(unrelated.body()).getString("message"));
    assertEquals("p001", new JsonObject(get(vertx, port, "/v1/products/p001", null).body()).getString("id"));
  }

  /**
   * Regression: vertx-grpc answered these with an empty 500, and then, rewritten to 404, they still
   * had no body. They answer their status as JSON, as any failed JSON call does.
   */
  @Test
  void aCallNoMethodIsMappedToIsNotFound(Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply unknownPath = get(vertx, port, "/v1/orders/1", null);
    HttpReply unknownVerb = await(send(TestClients.http(vertx), port, HttpMethod.DELETE, "/v1/products/p001",
        MultiMap.caseInsensitiveMultiMap(), null));
    // A method with an HTTP rule is called as JSON at its rule's path only.
    HttpReply notAtItsRule = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/product.ProductService/GetProduct",
        json(), Buffer.buffer("{\"productId\":\"p001\"}")));
    HttpReply unknownService = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/shop.Orders/Place", json(),
        Buffer.buffer("{}")));
    for (HttpReply reply : new HttpReply[] {unknownPath, unknownVerb, notAtItsRule, unknownService}) {
      assertEquals(404, reply.status());
      assertEquals("5", reply.headers().get("grpc-status"));
      assertEquals("No method is mapped to this HTTP method and path", reply.headers().get("grpc-message"));
      assertEquals("application/json", reply.headers().get("content-type"));
      assertEquals(new JsonObject().put("code", 5).put("message", "No method is mapped to this HTTP method and path")
          .put("details", new JsonArray()), new JsonObject(reply.body()));
    }
    // A method without an HTTP rule answers JSON at its gRPC path, whatever the HTTP method.
    HttpReply putAtGrpcPath = await(send(TestClients.http(vertx), port, HttpMethod.PUT, "/api.Api/sayHello", json(),
        Buffer.buffer("{\"name\":\"json\"}")));
    assertEquals(200, putAtGrpcPath.status());
    assertEquals("Hello json!", new JsonObject(putAtGrpcPath.body()).getString("message"));
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

  /**
   * JSON with a media type parameter, as many HTTP clients send it, is JSON; vertx-grpc-transcoding
   * 5.0.7 refused it with 415.
   */
  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=utf-8", "application/json;charset=UTF-8"})
  void jsonWithACharsetIsJson(String contentType, Vertx vertx) {
    int port = TestServers.start(vertx).port();
    HttpReply hello = await(send(TestClients.http(vertx), port, HttpMethod.POST, "/api.Api/sayHello",
        MultiMap.caseInsensitiveMultiMap().add("content-type", contentType), Buffer.buffer("{\"name\":\"json\"}")));
    assertEquals(200, hello.status(), hello.headers().toString());
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
   * A gRPC-Web text body that is not base64, or that ends inside a message, ends INTERNAL at once and
   * logs nothing, over either HTTP version; vertx-grpc 5.0.7 threw at the body's end and the call
   * waited out the idle timeout, or, over HTTP/2, read the text as binary.
   */
  @ParameterizedTest
  @CsvSource({
      "HTTP_1_1, AAAA!!!notbase64, Request body is not a base64-encoded gRPC-Web message",
      "HTTP_2, AAAA!!!notbase64, Request body is not a base64-encoded gRPC-Web message",
      "HTTP_1_1, AAAAAAYKBHA, Request body is not a base64-encoded gRPC-Web message",
      "HTTP_2, AAAA=AAAAAAA, Request body is not a base64-encoded gRPC-Web message",
      "HTTP_1_1, AAAA, Request body ended inside a message",
      "HTTP_2, AAAAAAYKBHA=, Request body ended inside a message"})
  void aGrpcWebTextBodyThatIsNotBase64OrEndsInsideAMessageIsInternal(HttpVersion version, String body, String message,
                                                                     Vertx vertx) {
    int port = TestServers.start(vertx).port();
    try (LogCapture log = LogCapture.all()) {
      HttpReply reply = await(send(http(vertx, version), port, HttpMethod.POST, "/product.ProductService/GetProduct",
          MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc-web-text"), Buffer.buffer(body)));
      assertEquals("13", reply.headers().get("grpc-status"));
      assertEquals(message, grpcMessage(reply));
      assertEquals(List.of(), log.atLeast(Level.WARN));
    }
  }

  /**
   * gRPC-Web text over either HTTP version: messages each encoded on its own (padding inside the
   * body), one of them compressed, all answered in order. vertx-grpc 5.0.7 read such a body over
   * HTTP/1.1 as one message, and the text as binary over HTTP/2.
   */
  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void grpcWebTextMessagesEncodedEachOnItsOwn(HttpVersion version, Vertx vertx) throws Exception {
    int port = TestServers.start(vertx).port();
    List<String> ids = List.of("p001", "p002", "p003");
    StringBuilder body = new StringBuilder();
    for (String id : ids) {
      Buffer message = Buffer.buffer(GetProductRequest.newBuilder().setProductId(id).build().toByteArray());
      Buffer frame = id.equals("p002")
          ? Buffer.buffer().appendByte((byte) 1).appendBuffer(lengthAndPayload(MessageCodec.gzip(GrpcMessage.message("identity", message)).payload()))
          : WireMessages.prefixed(message.getBytes());
      body.append(Base64.getEncoder().encodeToString(frame.getBytes()));
    }
    assertTrue(body.indexOf("=") < body.length() - 2, "padding inside the body: " + body);

    HttpReply reply = await(send(http(vertx, version), port, HttpMethod.POST, "/product.ProductService/LookupProducts",
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc-web-text").add("grpc-encoding", "gzip"),
        Buffer.buffer(body.toString())));

    Buffer decoded = WireMessages.webTextDecoded(reply.body().toString());
    assertEquals("0", WireMessages.webTrailers(decoded).get("grpc-status"), decoded.toString(StandardCharsets.ISO_8859_1));
    List<String> answered = new ArrayList<>();
    for (byte[] message : WireMessages.messages(decoded)) {
      answered.add(ProductLookup.parseFrom(message).getProductId());
    }
    assertEquals(ids, answered);
  }

  private static Buffer lengthAndPayload(Buffer payload) {
    return Buffer.buffer().appendInt(payload.length()).appendBuffer(payload);
  }

  private static HttpClient http(Vertx vertx, HttpVersion version) {
    return TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(version).setHttp2ClearTextUpgrade(false));
  }

  /** The reply's {@code grpc-message}, percent-decoded. */
  private static String grpcMessage(HttpReply reply) {
    return StatusMessages.decode(reply.headers().get("grpc-message"));
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

  /** Regression: the 401 named no scheme, which HTTP requires of it (RFC 9110, 11.6.1). */
  @Test
  void httpJsonCallsGoThroughAuthentication(Vertx vertx, @TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "a-long-enough-test-secret-of-32-bytes!");
    int port = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("jwtSecretFile", secret.toString()).put("jwtIssuer", "i").put("jwtAudience", "a"))).port();
    HttpReply refused = get(vertx, port, "/v1/products/p001", null);
    assertEquals(401, refused.status());
    assertEquals("16", refused.headers().get("grpc-status"));
    assertEquals("Bearer", refused.headers().get("www-authenticate"));
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
    String decoded = WireMessages.webTextDecoded(text.body().toString()).toString(StandardCharsets.ISO_8859_1);
    assertTrue(decoded.toString().contains("Mechanical Keyboard") && decoded.toString().contains("grpc-status:0"), decoded.toString());
  }
}
