package com.marketplace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.CommandRun;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.GrpcJavaPeer;
import com.marketplace.testing.Ports;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Our interop client, built on the Vert.x client layer, against our server and against grpc-java's. */
class InteropClientTest {

  /** grpc-java's server does not answer the compression probes with INVALID_ARGUMENT. */
  private static final Set<String> FAIL_AGAINST_GRPC_JAVA = Set.of("client_compressed_unary", "client_compressed_streaming");

  @Test
  void everyCasePassesAgainstOurServer() {
    Vertx vertx = Vertx.vertx();
    try {
      MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
      CommandRun run = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--test-case", "all");
      assertEquals(0, run.exitCode(), run.out());
      assertTrue(run.out().contains("19 passed, 0 failed"), run.out());
    } finally {
      TestServers.await(vertx.close());
    }
  }

  @Test
  void everyCaseButTheCompressionProbesPassesAgainstGrpcJavasServer() throws InterruptedException {
    int port = Ports.free();
    Path log = ChildJvm.logFile(GrpcJavaPeer.INTEROP_SERVER);
    Process grpcJava = GrpcJavaPeer.start(GrpcJavaPeer.INTEROP_SERVER, List.of("--port=" + port, "--use_tls=false"), log);
    try {
      Ports.awaitListening(port, grpcJava, log);
      CommandRun run = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(port));
      Set<String> failed = run.out().lines().filter(line -> line.contains(": FAILED"))
          .map(line -> line.substring(0, line.indexOf(':'))).collect(Collectors.toSet());
      assertEquals(FAIL_AGAINST_GRPC_JAVA, failed, run.out());
      assertTrue(run.out().contains("17 passed, 2 failed"), run.out());
    } finally {
      grpcJava.destroy();
      grpcJava.waitFor();
    }
  }

  @Test
  void aSingleCaseAndAnUnknownOne() {
    CommandRun unknown = CommandRun.of("interop-client", "--port", "1", "--test-case", "warp_speed");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("error: unknown test case 'warp_speed'"), unknown.err());
    CommandRun unreachable = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(Ports.free()), "--test-case", "empty_unary");
    assertEquals(1, unreachable.exitCode());
    assertTrue(unreachable.out().startsWith("empty_unary: FAILED: RpcException"), unreachable.out());
  }
}
