package com.marketplace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.GrpcJavaPeer;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** grpc-java's reference interop client passes every listed case against {@code serve --conformance}, in cleartext and over TLS. */
class GrpcJavaInteropClientTest {

  private static Vertx vertx;
  private static MarketplaceServer server;
  /** The same server over TLS, with grpc-java's test certificate, which names *.test.google.fr. */
  private static MarketplaceServer tlsServer;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    Path certificates = GrpcJavaPeer.testCertificates(dir);
    tlsServer = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)
        .put("tlsCert", certificates.resolve("server1.pem").toString())
        .put("tlsKey", certificates.resolve("server1.key").toString())));
  }

  @AfterAll
  static void stop() {
    TestServers.await(vertx.close());
  }

  /** Every case of grpc-java's interop client (soak cases included, at their defaults). */
  static List<String> cases() {
    return List.of(
        "empty_unary", "large_unary", "client_compressed_unary", "client_compressed_unary_noprobe",
        "server_compressed_unary", "client_streaming", "client_compressed_streaming",
        "client_compressed_streaming_noprobe", "server_streaming", "server_compressed_streaming", "ping_pong",
        "empty_stream", "custom_metadata", "status_code_and_message", "special_status_message",
        "unimplemented_method", "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
        "timeout_on_sleeping_server", "very_large_request", "rpc_soak", "channel_soak");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void referenceClientPasses(String testCase) {
    ChildJvm.Ended result = GrpcJavaPeer.run(GrpcJavaPeer.INTEROP_CLIENT, List.of(
        "--server_host=127.0.0.1", "--server_port=" + server.port(), "--use_tls=false", "--test_case=" + testCase), 60);
    assertEquals(0, result.exitCode(), testCase + " failed:\n" + result.output());
  }

  /**
   * Over TLS too, as the interop suite runs by default: grpc-java's client trusts its test
   * certificate (--use_test_ca) for the name it expects (foo.test.google.fr).
   */
  @ParameterizedTest
  @MethodSource("cases")
  void referenceClientPassesOverTls(String testCase) {
    ChildJvm.Ended result = GrpcJavaPeer.run(GrpcJavaPeer.INTEROP_CLIENT, List.of("--server_host=127.0.0.1",
        "--server_port=" + tlsServer.port(), "--use_tls=true", "--use_test_ca=true",
        "--server_host_override=foo.test.google.fr", "--test_case=" + testCase), 60);
    assertEquals(0, result.exitCode(), testCase + " failed over TLS:\n" + result.output());
  }
}
