package com.marketplace.server;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request body packed as tightly as HTTP/2 allows, full 16 KiB DATA frames of many small messages
 * with a few messages longer than a slice among them, reaches the service whole and in order.
 */
@ExtendWith(VertxExtension.class)
class SlicedRequestBodyTest {

  private static final int MESSAGES = 3_000;

  @Test
  void packedFramesOfManyMessagesArriveWholeAndInOrder(Vertx vertx) throws InvalidProtocolBufferException {
    int port = TestServers.address(TestServers.start(vertx, TestServers.config(new JsonObject()))).port();
    HttpClient http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    List<String> ids = new ArrayList<>();
    Buffer body = Buffer.buffer();
    for (int i = 0; i < MESSAGES; i++) {
      // Every 500th id spans several slices.
      String id = i % 500 == 0 ? "x".repeat(3 * SlicedRequestBody.SLICE_BYTES) + i : "p00" + (1 + i % 8);
      ids.add(id);
      byte[] message = GetProductRequest.newBuilder().setProductId(id).build().toByteArray();
      body.appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    }
    assertTrue(body.length() > 3 * 16384, "several full DATA frames: " + body.length() + " bytes");

    Buffer received = Buffer.buffer();
    Promise<String> ended = Promise.promise();
    HttpClientRequest request = await(http2.request(HttpMethod.POST, port, "127.0.0.1", "/product.ProductService/LookupProducts"));
    request.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    request.response().onSuccess(response -> response.handler(received::appendBuffer)
        .endHandler(v -> ended.complete(response.getTrailer("grpc-status"))));
    request.end(body);
    assertEquals("0", await(ended.future()));

    List<String> answered = new ArrayList<>();
    for (int at = 0; at < received.length(); ) {
      int length = received.getInt(at + 1);
      answered.add(ProductLookup.parseFrom(received.getBytes(at + 5, at + 5 + length)).getProductId());
      at += 5 + length;
    }
    assertEquals(ids, answered);
  }
}
