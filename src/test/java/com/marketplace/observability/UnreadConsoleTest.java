package com.marketplace.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.Main;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.testing.Calls;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.Ports;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: event loops wrote each call's access-log line to the console themselves, so a server
 * whose output nobody read stopped answering once the pipe was full, after a few hundred calls.
 */
@ExtendWith(VertxExtension.class)
class UnreadConsoleTest {

  private static final int CALLERS = 20;
  private static final int CALLS_EACH = 150;

  @Test
  void aServerWhoseConsoleNobodyReadsKeepsAnsweringAndStopsWhenTold(Vertx vertx) throws InterruptedException {
    int port = Ports.free();
    // Its output goes to a pipe this test never reads, which fills after about 300 access-log lines.
    Process serve = ChildJvm.start(ChildJvm.productClassPath(), Main.class.getName(),
        List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port), "--management-port", String.valueOf(Ports.free()),
            "--instances", "1"),
        ProcessBuilder.Redirect.PIPE);
    try {
      Ports.awaitListening(port, serve, () -> "(its output is left unread on purpose)");
      HttpClient client = TestClients.http2(vertx);
      SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
      TestServers.await(Future.all(IntStream.range(0, CALLERS).mapToObj(i -> callInTurn(client, server, CALLS_EACH)).toList()));

      serve.destroy();
      assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "a graceful stop still ends the process");
      assertEquals(0, serve.exitValue());
    } finally {
      serve.destroyForcibly();
    }
  }

  /** {@code calls} GetProduct calls one after another; fails with the first that does not answer OK. */
  private static Future<Void> callInTurn(HttpClient client, SocketAddress server, int calls) {
    if (calls == 0) {
      return Future.succeededFuture();
    }
    return Calls.call(client, server, ProductServiceGrpcClient.GetProduct, GetProductRequest.newBuilder().setProductId("p001").build())
        .compose(outcome -> outcome.status() == GrpcStatus.OK
            ? callInTurn(client, server, calls - 1)
            : Future.failedFuture("GetProduct ended " + outcome.status() + " " + outcome.message()));
  }
}
