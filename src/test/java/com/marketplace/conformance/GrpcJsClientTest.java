package com.marketplace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.Scripts;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Node's gRPC implementation, grpc-js, as a client of {@code serve --conformance} that learns every
 * contract from the server's reflection, v1 and v1alpha, as reflection-driven tools do
 * ({@code src/test/node/grpc-js-client.mjs}): each kind of call, errors with their messages and
 * details, compression both ways, a deadline, and health.
 */
@ExtendWith(VertxExtension.class)
class GrpcJsClientTest {

  private static final Path SCRIPT = Path.of("src/test/node/grpc-js-client.mjs");

  @Test
  void grpcJsPassesEveryCheckWithContractsLearntByReflection(Vertx vertx) {
    Scripts.assertNodePackage("@grpc/grpc-js");
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));

    ChildJvm.Ended client = Scripts.node(SCRIPT, List.of("127.0.0.1:" + server.port()), 60);

    assertEquals(0, client.exitCode(), client.output());
    assertTrue(client.output().contains("14 passed, 0 failed"), client.output());
  }
}
