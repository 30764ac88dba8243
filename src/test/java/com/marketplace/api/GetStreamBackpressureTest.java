package com.marketplace.api;

import com.marketplace.testing.TestClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.client.ResetFloodLimit;
import com.marketplace.grpc.ServerCall;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that stops reading a 10,000,000-item stream must stop the server too: the server may
 * only run ahead by what HTTP/2 flow control and one write queue hold, never buffer the stream.
 */
@ExtendWith(VertxExtension.class)
class GetStreamBackpressureTest {

  private static final int LENGTH = 10_000_000;
  /** Far above what a 64 KiB window and write queue hold (~10,000 small items), far below the stream. */
  private static final long MAX_AHEAD = 100_000;

  @Test
  void aPausedReaderStopsTheServerAndACancelEndsItsWork(Vertx vertx, VertxTestContext test) {
    AtomicReference<ServerCall<?, ?>> serverCall = new AtomicReference<>();
    SocketAddress server = TestServers.serveWith(vertx, TestServers.defaultServices(),
        List.of((call, proceed) -> {
          serverCall.set(call);
          proceed.run();
        }));
    AtomicInteger read = new AtomicInteger();
    TestClients.grpc(vertx).request(server, ApiGrpcClient.getStream).onComplete(test.succeeding(request -> {
      // Without it, the resets this client sends for the frames in flight after its cancel trip its reset-flood limit.
      ResetFloodLimit.lift(request.connection());
      request.send(DemoApiServiceTest.length(LENGTH)).onComplete(test.succeeding(response -> {
        response.pause();
        response.handler(item -> read.incrementAndGet());
        whenStalled(vertx, serverCall.get()).onComplete(test.succeeding(stalledAt -> test.verify(() -> {
          assertTrue(stalledAt < MAX_AHEAD, "server ran " + stalledAt + " items ahead of a paused reader");
          readThenCancel(vertx, request, response, read, serverCall.get(), test);
        })));
      }));
    }));
  }

  /** Reads some more (the server resumes), then cancels: the server's call must end as CANCELLED. */
  private static void readThenCancel(Vertx vertx, GrpcClientRequest<?, ?> request, GrpcClientResponse<?, ?> response, AtomicInteger read,
                                     ServerCall<?, ?> serverCall, VertxTestContext test) {
    response.resume();
    vertx.setPeriodic(10, id -> {
      if (read.get() > 200_000) {
        vertx.cancelTimer(id);
        request.cancel();
        serverCall.whenClosed().onComplete(test.succeeding(status -> test.verify(() -> {
          assertEquals(GrpcStatus.CANCELLED, status);
          assertTrue(serverCall.messagesSent() < LENGTH);
          test.completeNow();
        })));
      }
    });
  }

  /** Completes with the server's count once it has stopped growing over five 50 ms samples. */
  private static Future<Long> whenStalled(Vertx vertx, ServerCall<?, ?> call) {
    Promise<Long> stalled = Promise.promise();
    long[] last = {-1};
    int[] unchanged = {0};
    vertx.setPeriodic(50, id -> {
      long sent = call.messagesSent();
      unchanged[0] = sent == last[0] ? unchanged[0] + 1 : 0;
      last[0] = sent;
      if (unchanged[0] == 5 || sent >= MAX_AHEAD) {
        vertx.cancelTimer(id);
        stalled.complete(sent);
      }
    });
    return stalled.future();
  }
}
