package com.marketplace.server;

import com.marketplace.testing.TestClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.testing.Calls;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Port 0: the instances of one server share a random port; two servers never share one. */
@ExtendWith(VertxExtension.class)
class RandomPortTest {

  @Test
  void twoServersInOneVertxGetTwoPortsAndEachServesOnItsOwn(Vertx vertx) {
    MarketplaceServer first = TestServers.start(vertx, TestServers.config(new JsonObject().put("instances", 2)));
    MarketplaceServer second = TestServers.start(vertx, TestServers.config(new JsonObject().put("instances", 2)));
    assertNotEquals(first.port(), second.port());
    for (MarketplaceServer server : new MarketplaceServer[] {first, second}) {
      assertEquals(GrpcStatus.OK, TestServers.await(Calls.call(TestClients.http2(vertx), TestServers.address(server),
          ApiGrpcClient.sayHello, HelloRequest.getDefaultInstance())).status());
    }
  }
}
