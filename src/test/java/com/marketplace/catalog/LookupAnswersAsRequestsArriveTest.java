package com.marketplace.catalog;

import com.marketplace.testing.TestClients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bidi lookup answers each request as soon as it arrives, not when the client's stream ends. */
@ExtendWith(VertxExtension.class)
class LookupAnswersAsRequestsArriveTest {

  @Test
  void eachAnswerArrivesBeforeTheNextRequestIsSent(Vertx vertx, VertxTestContext test) {
    MarketplaceServer server = TestServers.start(vertx);
    String[] ids = {"p001", "p404", "p004"};
    AtomicInteger answered = new AtomicInteger();
    TestClients.grpc(vertx).request(TestServers.address(server), ProductServiceGrpcClient.LookupProducts)
        .onComplete(test.succeeding(request -> {
          request.response().onComplete(test.succeeding(response -> {
            response.handler(lookup -> test.verify(() -> {
              int index = answered.getAndIncrement();
              assertEquals(ids[index], lookup.getProductId());
              sendNext(request, ids, index + 1);
            }));
            response.endHandler(v -> test.verify(() -> {
              assertEquals(ids.length, answered.get());
              test.completeNow();
            }));
          }));
          sendNext(request, ids, 0);
        }));
  }

  private static void sendNext(GrpcClientRequest<GetProductRequest, ProductLookup> request, String[] ids, int index) {
    if (index < ids.length) {
      request.write(GetProductRequest.newBuilder().setProductId(ids[index]).build());
    } else {
      request.end();
    }
  }
}
