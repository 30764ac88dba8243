package com.marketplace.server;

import static com.marketplace.grpc.MessageCodec.PREFIX_BYTES;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request stream reaches vertx-grpc cut at message boundaries, and the service whole and in order,
 * however its messages fall into DATA frames: many to a frame, one spread over several, or frames cut
 * inside a message's 5-byte prefix; binary gRPC, gRPC-Web, or gRPC-Web text.
 */
@ExtendWith(VertxExtension.class)
class MessageAlignedBodyTest {

  private static final String LOOKUP = "/product.ProductService/LookupProducts";

  @Test
  void fullFramesPackedWithManyMessages(Vertx vertx) throws InvalidProtocolBufferException {
    // Every 500th id spans more than two 16 KiB frames.
    List<String> ids = ids(3_000, 500, 40_000);
    Buffer body = framed(ids);
    assertTrue(body.length() > 3 * 16384, "several full DATA frames: " + body.length() + " bytes");

    Lookup lookup = await(lookup(vertx, startServer(vertx, new JsonObject()), List.of(body)));
    assertEquals("0", lookup.status());
    assertEquals(ids, lookup.answeredIds());
  }

  @Test
  void framesCutAnywhereInsideMessages(Vertx vertx) throws InvalidProtocolBufferException {
    List<String> ids = ids(200, 50, 300);

    Lookup lookup = await(lookup(vertx, startServer(vertx, new JsonObject()), cutAnywhere(framed(ids))));
    assertEquals("0", lookup.status());
    assertEquals(ids, lookup.answeredIds());
  }

  /**
   * gRPC-Web bodies too, binary or text; a text body's messages each encoded on its own, so that
   * the cuts also fall inside base64 groups and next to padding.
   */
  @ParameterizedTest
  @ValueSource(strings = {"application/grpc-web", "application/grpc-web-text"})
  void grpcWebFramesCutAnywhereInsideMessages(String contentType, Vertx vertx) throws InvalidProtocolBufferException {
    List<String> ids = ids(200, 50, 300);
    Buffer body = Buffer.buffer();
    for (String id : ids) {
      Buffer message = framed(List.of(id));
      body.appendBuffer(contentType.endsWith("-text") ? Buffer.buffer(Base64.getEncoder().encodeToString(message.getBytes())) : message);
    }

    Lookup lookup = await(lookup(vertx, startServer(vertx, new JsonObject()), contentType, cutAnywhere(body)));
    assertEquals("0", lookup.status());
    assertEquals(ids, lookup.answeredIds());
  }

  /** Frames of 1 to 23 bytes in turn: every cut, inside a prefix and inside a payload, comes up. */
  private static List<Buffer> cutAnywhere(Buffer body) {
    List<Buffer> frames = new ArrayList<>();
    for (int at = 0, size = 1; at < body.length(); at += size, size = size % 23 + 1) {
      frames.add(body.getBuffer(at, Math.min(body.length(), at + size)));
    }
    return frames;
  }

  @Test
  void eachPieceHandedOnHoldsAtMostOneMessageEnd(Vertx vertx) {
    Buffer body = framed(ids(3_000, 500, 40_000));
    List<Buffer> pieces = new ArrayList<>();
    Promise<Void> read = Promise.promise();
    HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
      HttpServerRequest aligned = new MessageAlignedBody(request);
      aligned.handler(pieces::add).endHandler(v -> {
        request.response().end();
        read.complete();
      });
    }).listen(0, "127.0.0.1"));
    HttpClient http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    await(http2.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", LOOKUP)
        .compose(request -> request.putHeader("content-type", "application/grpc").send(body)));
    await(read.future());

    Buffer whole = Buffer.buffer();
    Set<Integer> messageEnds = new HashSet<>();
    for (int at = 0; at < body.length(); ) {
      at += PREFIX_BYTES + body.getInt(at + 1);
      messageEnds.add(at);
    }
    for (Buffer piece : pieces) {
      int start = whole.length();
      whole.appendBuffer(piece);
      long endsInside = messageEnds.stream().filter(end -> end > start && end < whole.length()).count();
      assertEquals(0, endsInside, "a piece at " + start + " of " + piece.length() + " bytes ends no message inside it");
    }
    assertEquals(body, whole);
    assertTrue(pieces.size() >= 3_000, "a piece per message at least: " + pieces.size());
  }

  @Test
  void aMessageOverTheLimitAmongPackedOnesIsRefused(Vertx vertx) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      ids.add(i == 10 ? "z".repeat(4000) : "p001");
    }
    int port = startServer(vertx, new JsonObject().put("maxMessageSize", 2048));

    Lookup lookup = await(lookup(vertx, port, List.of(framed(ids))));
    assertEquals("8", lookup.status(), "RESOURCE_EXHAUSTED");
  }

  private static int startServer(Vertx vertx, JsonObject config) {
    return TestServers.address(TestServers.start(vertx, TestServers.config(config))).port();
  }

  /** Product ids, every {@code longEvery}th one {@code longLength} characters long and unknown. */
  private static List<String> ids(int count, int longEvery, int longLength) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(i % longEvery == 0 ? "x".repeat(longLength) + i : "p00" + (1 + i % 8));
    }
    return ids;
  }

  /** The ids as LookupProducts requests, each with its gRPC message prefix. */
  private static Buffer framed(List<String> ids) {
    Buffer body = Buffer.buffer();
    for (String id : ids) {
      body.appendBuffer(WireMessages.prefixed(GetProductRequest.newBuilder().setProductId(id).build().toByteArray()));
    }
    return body;
  }

  /** One binary gRPC LookupProducts call whose request body is written as the given DATA frames. */
  private static Future<Lookup> lookup(Vertx vertx, int port, List<Buffer> frames) {
    return lookup(vertx, port, "application/grpc", frames);
  }

  /** One LookupProducts call of {@code contentType} whose request body is written as the given DATA frames. */
  private static Future<Lookup> lookup(Vertx vertx, int port, String contentType, List<Buffer> frames) {
    HttpClient http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    Buffer received = Buffer.buffer();
    Promise<Lookup> ended = Promise.promise();
    http2.request(HttpMethod.POST, port, "127.0.0.1", LOOKUP).onSuccess(request -> {
      // Chunked: Vert.x asks for it, or a length, before a body is written in parts; HTTP/2 ignores it.
      request.setChunked(true).putHeader("content-type", contentType).putHeader("te", "trailers");
      request.response().onSuccess(response -> response.handler(received::appendBuffer).endHandler(v -> {
        if (contentType.startsWith("application/grpc-web")) {
          // gRPC-Web ends its body with a frame of trailers.
          Buffer body = contentType.endsWith("-text") ? WireMessages.webTextDecoded(received.toString()) : received;
          ended.complete(new Lookup(WireMessages.webTrailers(body).get("grpc-status"), body));
        } else {
          ended.complete(new Lookup(response.getTrailer("grpc-status"), received));
        }
      }));
      writeAll(request, frames);
    }).onFailure(ended::fail);
    return ended.future();
  }

  private static void writeAll(HttpClientRequest request, List<Buffer> frames) {
    for (Buffer frame : frames) {
      request.write(frame);
    }
    request.end();
  }

  private record Lookup(String status, Buffer body) {
    List<String> answeredIds() throws InvalidProtocolBufferException {
      List<String> ids = new ArrayList<>();
      for (byte[] message : WireMessages.messages(body)) {
        ids.add(ProductLookup.parseFrom(message).getProductId());
      }
      return ids;
    }
  }
}
