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
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    againstGrpcJavasServer(List.of("--use_tls=false"), port -> {
      CommandRun run = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(port));
      assertEquals(FAIL_AGAINST_GRPC_JAVA, failedCases(run), run.out());
      assertTrue(run.out().contains("17 passed, 2 failed"), run.out());
    });
  }

  /**
   * Over TLS, grpc-java's server holding its test certificate, which names *.test.google.fr: the
   * client connects to 127.0.0.1 and checks the certificate for the name given in its place.
   */
  @Test
  void overTlsAgainstGrpcJavasServerWithItsTestCertificate(@TempDir Path dir) throws InterruptedException {
    String ca = GrpcJavaPeer.testCertificates(dir).resolve("ca.pem").toString();
    againstGrpcJavasServer(List.of("--use_tls=true"), port -> {
      CommandRun run = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(port), "--use-tls",
          "--ca-file", ca, "--server-host-override", "foo.test.google.fr");
      assertEquals(FAIL_AGAINST_GRPC_JAVA, failedCases(run), run.out());
      assertTrue(run.out().contains("17 passed, 2 failed"), run.out());

      CommandRun byAddress = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(port), "--use-tls",
          "--ca-file", ca, "--test-case", "empty_unary");
      assertEquals(1, byAddress.exitCode(), byAddress.out());
      assertTrue(byAddress.out().contains("No subject alternative names matching IP address 127.0.0.1"), byAddress.out());
    });
  }

  /** Runs {@code test} with the port of grpc-java's interop server, started with {@code flags}. */
  private static void againstGrpcJavasServer(List<String> flags, IntConsumer test) throws InterruptedException {
    int port = Ports.free();
    Path log = ChildJvm.logFile(GrpcJavaPeer.INTEROP_SERVER);
    List<String> args = Stream.concat(Stream.of("--port=" + port), flags.stream()).toList();
    Process grpcJava = GrpcJavaPeer.start(GrpcJavaPeer.INTEROP_SERVER, args, log);
    try {
      Ports.awaitListening(port, grpcJava, log);
      test.accept(port);
    } finally {
      grpcJava.destroy();
      grpcJava.waitFor();
    }
  }

  private static Set<String> failedCases(CommandRun run) {
    return run.out().lines().filter(line -> line.contains(": FAILED"))
        .map(line -> line.substring(0, line.indexOf(':'))).collect(Collectors.toSet());
  }

  @Test
  void aSingleCaseAndAnUnknownOne() {
    CommandRun unknown = CommandRun.of("interop-client", "--port", "1", "--test-case", "warp_speed");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("error: unknown test case 'warp_speed'"), unknown.err());
    CommandRun unreachable = CommandRun.of("interop-client", "--host", "127.0.0.1", "--port", String.valueOf(Ports.free()), "--test-case", "empty_unary");
    assertEquals(1, unreachable.exitCode());
    assertTrue(unreachable.out().startsWith("empty_unary: FAILED: RpcException"), unreachable.out());
    CommandRun unresolvable = CommandRun.of("interop-client", "--host", "no-such-host.invalid", "--port", "1",
        "--server-host-override", "foo.test.google.fr");
    assertEquals(1, unresolvable.exitCode());
    assertEquals("error: cannot resolve --host no-such-host.invalid", unresolvable.err().strip());
  }
}
