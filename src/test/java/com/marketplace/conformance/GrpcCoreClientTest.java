package com.marketplace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.Scripts;
import com.marketplace.testing.TestCertificates;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC's C core, the transport of its Python, Ruby, PHP and C++ clients (Debian's python3-grpcio),
 * as a client of {@code serve --conformance} that learns every contract from the server's
 * reflection, as grpcurl does ({@code src/test/python/grpc_core_client.py}): each kind of call,
 * errors with their messages and details, compression both ways, a deadline, a cancelled stream,
 * and health, in cleartext and over TLS.
 */
@ExtendWith(VertxExtension.class)
class GrpcCoreClientTest {

  private static final Path SCRIPT = Path.of("src/test/python/grpc_core_client.py");

  @Test
  void theCCorePassesEveryCheckWithContractsLearntByReflection(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));

    assertEveryCheckPasses(List.of("127.0.0.1:" + server.port()));
  }

  /** Over TLS as well: the C core insists on ALPN's h2 and checks the certificate's name. */
  @Test
  void andOverTls(Vertx vertx, @TempDir Path dir) {
    TestCertificates certificates = TestCertificates.create(dir);
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)
        .put("tlsCert", certificates.serverCert().toString()).put("tlsKey", certificates.serverKey().toString())));

    assertEveryCheckPasses(List.of("localhost:" + server.port(), certificates.caCert().toString()));
  }

  private static void assertEveryCheckPasses(List<String> args) {
    Scripts.assertPythonModule("grpc", "python3-grpcio");
    Scripts.assertPythonModule("google/protobuf", "python3-protobuf");

    ChildJvm.Ended client = Scripts.python(SCRIPT, args, 60);

    assertEquals(0, client.exitCode(), client.output());
    assertTrue(client.output().contains("13 passed, 0 failed"), client.output());
  }
}
