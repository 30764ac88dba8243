package com.marketplace.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.testing.RunningMarketplace;
import com.marketplace.testing.TestClients;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A long stream reaches a client that reads in small batches: every item, in order, then OK. */
@ExtendWith(VertxExtension.class)
class GetStreamSlowReaderTest {

  private static final int LENGTH = 1_000_000;
  private static final int BATCH = 512;

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void aBatchReadingClientGetsEveryItemInOrder(Vertx vertx, VertxTestContext test) {
    RunningMarketplace marketplace = RunningMarketplace.start(vertx);
    long[] expected = {1};
    int[] inBatch = {0};
    // On the event loop, so that the handler is in place before the first items arrive (see TestClients).
    vertx.runOnContext(start -> TestClients.grpc(vertx).request(marketplace.address(), ApiGrpcClient.getStream)
        .compose(request -> request.send(DemoApiServiceTest.length(LENGTH)))
        .onComplete(test.succeeding(response -> {
          response.pause();
          response.handler(item -> {
            if (item.getId() != expected[0]) {
              test.failNow("expected item " + expected[0] + ", got " + item.getId());
            }
            expected[0]++;
            // Takes one batch, then yields the event loop before asking for the next.
            if (++inBatch[0] == BATCH) {
              inBatch[0] = 0;
              vertx.runOnContext(v -> response.fetch(BATCH));
            }
          });
          response.endHandler(v -> test.verify(() -> {
            assertEquals(GrpcStatus.OK, response.status());
            assertEquals(LENGTH + 1, expected[0]);
            test.completeNow();
          }));
          response.fetch(BATCH);
        })));
  }
}
