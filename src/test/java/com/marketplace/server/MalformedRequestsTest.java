package com.marketplace.server;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestClients.HttpReply;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.testing.Calls;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed requests get a status, and the server keeps serving. */
@ExtendWith(VertxExtension.class)
class MalformedRequestsTest {

  private static final String GET_PRODUCT = "/product.ProductService/GetProduct";
  private static final int REQUESTS = 1_100;
  private static final int IN_FLIGHT = 32;

  /** One raw HTTP/2 request: its path, headers and body. */
  private record RawRequest(String kind, String path, MultiMap headers, Buffer body) {}

  /** How it was answered: the HTTP status and the grpc-status, if any. */
  private record Answer(String kind, int httpStatus, String grpcStatus) {}

  private static final List<Function<Random, RawRequest>> KINDS = List.of(
      random -> grpc("invalid protobuf", GET_PRODUCT, frame(0, randomBytes(random, 1 + random.nextInt(64)))),
      random -> grpc("length beyond the body", GET_PRODUCT, prefix(0, 50 + random.nextInt(1000)).appendBytes(randomBytes(random, 10))),
      random -> grpc("truncated prefix", GET_PRODUCT, Buffer.buffer(randomBytes(random, 1 + random.nextInt(4)))),
      random -> grpc("oversized", GET_PRODUCT, prefix(0, 0x7FFF_FFF0 - random.nextInt(1000)).appendBytes(new byte[16])),
      random -> raw("wrong content-type", GET_PRODUCT, "text/plain", frame(0, new byte[0])),
      random -> raw("no content-type", GET_PRODUCT, null, frame(0, new byte[0])),
      random -> withHeader(grpc("malformed grpc-timeout", GET_PRODUCT, frame(0, new byte[0])),
          "grpc-timeout", List.of("abc", "123456789S", "-5m", "10x", "").get(random.nextInt(5))),
      random -> grpc("unknown method", "/product.ProductService/Nope" + random.nextInt(100), frame(0, new byte[0])),
      random -> grpc("compressed without grpc-encoding", GET_PRODUCT, frame(1, randomBytes(random, 8))),
      random -> withHeader(grpc("unknown grpc-encoding", GET_PRODUCT, frame(1, randomBytes(random, 8))), "grpc-encoding", "snappy"),
      random -> withHeader(grpc("corrupt gzip", GET_PRODUCT, frame(1, randomBytes(random, 20))), "grpc-encoding", "gzip"));

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void overAThousandMalformedRequestsEachGetAStatusAndTheServerKeepsServing(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    HttpClient http = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    Random random = new Random(20261121);
    List<RawRequest> requests = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(KINDS.get(i % KINDS.size()).apply(random));
    }
    List<Answer> answers = await(sendAll(http, server, requests));

    Map<String, Map<String, Integer>> byKind = new TreeMap<>();
    for (Answer answer : answers) {
      byKind.computeIfAbsent(answer.kind(), k -> new TreeMap<>())
          .merge(answer.httpStatus() + "/" + answer.grpcStatus(), 1, Integer::sum);
    }
    for (Answer answer : answers) {
      boolean grpcError = answer.grpcStatus() != null && !answer.grpcStatus().equals("0");
      assertTrue(grpcError, "no status for " + answer + "; all: " + byKind);
    }
    assertEquals(Map.of("415/" + GrpcStatus.INTERNAL.code, REQUESTS / KINDS.size()), byKind.get("wrong content-type"), byKind.toString());
    assertEquals(Map.of("415/" + GrpcStatus.INTERNAL.code, REQUESTS / KINDS.size()), byKind.get("no content-type"), byKind.toString());
    assertEquals(Map.of("200/" + GrpcStatus.INTERNAL.code, REQUESTS / KINDS.size()), byKind.get("malformed grpc-timeout"), byKind.toString());
    assertEquals(Map.of("200/" + GrpcStatus.UNIMPLEMENTED.code, REQUESTS / KINDS.size()), byKind.get("unknown method"), byKind.toString());
    assertEquals(Map.of("200/" + GrpcStatus.RESOURCE_EXHAUSTED.code, REQUESTS / KINDS.size()), byKind.get("oversized"), byKind.toString());

    assertEquals(GrpcStatus.OK, await(Calls.call(TestClients.http2(vertx), server, ApiGrpcClient.sayHello,
        HelloRequest.newBuilder().setName("still here").build())).status());
  }

  /** As grpc-java answers them: gRPC is POSTed over HTTP/2, except gRPC-Web, which HTTP/1.1 may carry. */
  @ParameterizedTest
  @CsvSource({
      "GET, /product.ProductService/GetProduct, application/grpc, HTTP_2, 405, Method 'GET' is not supported",
      "PUT, /product.ProductService/GetProduct, application/grpc+proto, HTTP_2, 405, Method 'PUT' is not supported",
      "PUT, /product.ProductService/LookupProducts, application/grpc, HTTP_2, 405, Method 'PUT' is not supported",
      "DELETE, /api.Api/getStream, application/grpc-web-text, HTTP_2, 405, Method 'DELETE' is not supported",
      "POST, /product.ProductService/GetProduct, application/grpc+thrift, HTTP_2, 415, Content-Type 'application/grpc+thrift' is not supported",
      "POST, /product.ProductService/GetProduct, application/grpc, HTTP_1_1, 415, Content-Type 'application/grpc' needs HTTP/2",
      "POST, /product.ProductService/Nope, text/plain, HTTP_1_1, 415, Content-Type 'text/plain' is not supported"})
  void aRequestTheGrpcServerCannotServeIsInternalSayingWhy(HttpMethod method, String path, String contentType,
                                                          HttpVersion version, int httpStatus, String message, Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    HttpClient http = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(version).setHttp2ClearTextUpgrade(false));
    HttpReply reply = await(TestClients.exchange(http, new RequestOptions().setMethod(method).setServer(server).setURI(path)
        .putHeader("content-type", contentType).putHeader("te", "trailers"), frame(0, new byte[0])));

    assertEquals(httpStatus, reply.status(), reply.body().toString());
    assertEquals(String.valueOf(GrpcStatus.INTERNAL.code), reply.headers().get("grpc-status"));
    assertEquals(message, reply.headers().get("grpc-message"));
    assertEquals(message, reply.body().toString());
    assertEquals(GrpcStatus.OK, await(Calls.call(TestClients.http2(vertx), server, ApiGrpcClient.sayHello,
        HelloRequest.getDefaultInstance())).status());
  }

  /**
   * Regression: these were refused 415. A media type is case-insensitive and may carry parameters, and
   * grpc-java serves them as application/grpc.
   */
  @ParameterizedTest
  @ValueSource(strings = {"application/grpc; charset=utf-8", "Application/GRPC", "application/grpc+proto;x=1", " application/grpc "})
  void aContentTypeInAnotherCaseOrWithParametersIsServed(String contentType, Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    HttpClient http = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    HttpReply reply = await(TestClients.exchange(http, new RequestOptions().setMethod(HttpMethod.POST).setServer(server)
            .setURI(GET_PRODUCT).putHeader("content-type", contentType).putHeader("te", "trailers"),
        frame(0, GetProductRequest.newBuilder().setProductId("p001").build().toByteArray())));

    assertEquals(200, reply.status());
    assertEquals("application/grpc", reply.headers().get("content-type"));
    assertEquals("0", reply.trailers().get("grpc-status"), reply.headers() + " " + reply.trailers());
    assertTrue(reply.body().length() > 5, "the product");
  }

  /**
   * A request body that ends inside a message ends INTERNAL, as in grpc-java, whatever the method's
   * kind and the protocol; before, the piece was dropped and the call answered as if it were whole.
   */
  @ParameterizedTest
  @CsvSource({
      "/product.ProductService/GetProduct, application/grpc",
      "/product.ProductService/UploadProducts, application/grpc",
      "/product.ProductService/UploadProducts, application/grpc-web",
      "/product.ProductService/UploadProducts, application/grpc-web-text",
      "/product.ProductService/LookupProducts, application/grpc",
      "/product.ProductService/LookupProducts, application/grpc-web"})
  void aRequestBodyThatEndsInsideAMessageIsInternal(String path, String contentType, Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    HttpClient http = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    // Each method's request message reads these bytes as its first field, a string: "p001".
    byte[] message = GetProductRequest.newBuilder().setProductId("p001").build().toByteArray();
    Buffer body = frame(0, message).appendBuffer(frame(0, message).getBuffer(0, 7));
    if (contentType.endsWith("-text")) {
      body = Buffer.buffer(Base64.getEncoder().encodeToString(body.getBytes()));
    }
    HttpReply reply = await(TestClients.exchange(http, new RequestOptions().setMethod(HttpMethod.POST).setServer(server)
        .setURI(path).putHeader("content-type", contentType).putHeader("te", "trailers"), body));

    MultiMap status = reply.headers().contains("grpc-status") ? reply.headers()
        // gRPC-Web sends a status after messages in a trailer frame at the end of the body.
        : !contentType.startsWith("application/grpc-web") ? reply.trailers()
        : WireMessages.webTrailers(contentType.endsWith("-text") ? WireMessages.webTextDecoded(reply.body().toString()) : reply.body());
    assertEquals(String.valueOf(GrpcStatus.INTERNAL.code), status.get("grpc-status"), reply.toString());
    assertEquals("Request body ended inside a message", status.get("grpc-message"));
  }

  @Test
  void aHeaderFloodIsRefusedAndTheServerKeepsServing(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    HttpClient http = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    RawRequest flood = grpc("header flood", GET_PRODUCT, frame(0, new byte[0]));
    for (int i = 0; i < 200; i++) {
      flood.headers().add("x-flood-" + i, "x".repeat(500));
    }
    Future<Answer> answer = send(http, server, flood);
    await(answer.transform(outcome -> Future.succeededFuture()));
    assertTrue(answer.failed() || answer.result().httpStatus() >= 400, "a 100 KB header block was accepted: " + answer.result());
    assertEquals(GrpcStatus.OK, await(Calls.call(TestClients.http2(vertx), server, ApiGrpcClient.sayHello,
        HelloRequest.getDefaultInstance())).status());
  }

  @Test
  void idleConnectionsAreClosedAndDoNotStopTheServer(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx, TestServers.config(new JsonObject().put("idleTimeoutSeconds", 1))));
    int count = 300;
    AtomicInteger closed = new AtomicInteger();
    Promise<Void> allClosed = Promise.promise();
    List<Future<NetSocket>> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sockets.add(vertx.createNetClient().connect(server).onSuccess(socket -> socket.closeHandler(v -> {
        if (closed.incrementAndGet() == count) {
          allClosed.complete();
        }
      })));
    }
    await(Future.all(sockets));
    assertEquals(GrpcStatus.OK, await(Calls.call(TestClients.http2(vertx), server, ApiGrpcClient.sayHello,
        HelloRequest.getDefaultInstance())).status(), "serving with " + count + " idle connections open");
    await(allClosed.future());
  }

  /** Sends the requests, {@link #IN_FLIGHT} at a time; each answer, in order. */
  private static Future<List<Answer>> sendAll(HttpClient http, SocketAddress server, List<RawRequest> requests) {
    List<Answer> answers = new ArrayList<>(java.util.Collections.nCopies(requests.size(), null));
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT; lane++) {
      lanes.add(lane(http, server, requests, answers, next));
    }
    return Future.all(lanes).map(v -> answers);
  }

  private static Future<Void> lane(HttpClient http, SocketAddress server, List<RawRequest> requests, List<Answer> answers,
                                   AtomicInteger next) {
    int index = next.getAndIncrement();
    if (index >= requests.size()) {
      return Future.succeededFuture();
    }
    RawRequest request = requests.get(index);
    return send(http, server, request)
        .recover(error -> Future.succeededFuture(new Answer(request.kind(), -1, "reset: " + error.getMessage())))
        .compose(answer -> {
          answers.set(index, answer);
          return lane(http, server, requests, answers, next);
        });
  }

  private static Future<Answer> send(HttpClient http, SocketAddress server, RawRequest request) {
    return TestClients.exchange(http, new RequestOptions().setMethod(HttpMethod.POST).setServer(server).setURI(request.path())
            .setHeaders(request.headers()).setTimeout(10_000), request.body())
        .map(reply -> {
          String status = reply.headers().get("grpc-status");
          return new Answer(request.kind(), reply.status(), status != null ? status : reply.trailers().get("grpc-status"));
        });
  }

  private static RawRequest grpc(String kind, String path, Buffer body) {
    return raw(kind, path, "application/grpc", body);
  }

  private static RawRequest raw(String kind, String path, String contentType, Buffer body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("te", "trailers");
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    return new RawRequest(kind, path, headers, body);
  }

  private static RawRequest withHeader(RawRequest request, String name, String value) {
    request.headers().set(name, value);
    return request;
  }

  private static Buffer frame(int flag, byte[] payload) {
    return prefix(flag, payload.length).appendBytes(payload);
  }

  private static Buffer prefix(int flag, int length) {
    return Buffer.buffer().appendByte((byte) flag).appendInt(length);
  }

  private static byte[] randomBytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
