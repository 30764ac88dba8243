package com.marketplace.server;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.testing.Calls;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MessageSizeLimitTest {

  @Test
  void theDefaultLimitIsFourMebibytes(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    HttpClient client = TestClients.http2(vertx);
    assertEquals(GrpcStatus.OK, hello(client, server, 3 * 1024 * 1024).status());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, hello(client, server, 5 * 1024 * 1024).status());
    assertEquals(GrpcStatus.OK, hello(client, server, 10).status(), "the server keeps serving");
  }

  @Test
  void theLimitIsConfigurable(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx, TestServers.config(new JsonObject().put("maxMessageSize", 2048))));
    HttpClient client = TestClients.http2(vertx);
    assertEquals(GrpcStatus.OK, hello(client, server, 1000).status());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, hello(client, server, 4000).status());
  }

  private static Calls.Outcome<?> hello(HttpClient client, SocketAddress server, int size) {
    return await(Calls.call(client, server, ApiGrpcClient.sayHello, HelloRequest.newBuilder().setName("x".repeat(size)).build()));
  }
}
