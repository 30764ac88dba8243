package com.marketplace.health;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import com.marketplace.catalog.InMemoryProductStore;
import com.marketplace.observability.Metrics;
import com.marketplace.proto.product.Product;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.server.MarketplaceServices;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.Calls;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class HealthTest {

  private static final List<String> SERVICES = List.of("", "product.ProductService", "Recommendations", "api.Api",
      "unary.Unary", "bidirectional.Bidirectional");

  @Test
  void checkReportsTheServerAndEachServiceAsServing(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    HttpClient client = TestClients.http2(vertx);
    for (String service : SERVICES) {
      Outcome<HealthCheckResponse> outcome = await(waitForStatus(vertx, client, TestServers.address(server), service, ServingStatus.SERVING));
      assertEquals(ServingStatus.SERVING, outcome.single().getStatus(), service);
    }
  }

  @Test
  void checkOfAnUnknownServiceIsNotFound(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    Outcome<HealthCheckResponse> outcome = await(check(TestClients.http2(vertx), TestServers.address(server), "no.Such"));
    assertEquals(GrpcStatus.NOT_FOUND, outcome.status());
  }

  @Test
  void httpEndpointsReportLivenessAndReadiness(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    await(waitForStatus(vertx, TestClients.http2(vertx), TestServers.address(server), "", ServingStatus.SERVING));
    JsonObject ready = await(http(vertx, server, "/health/ready", 200));
    assertEquals("UP", ready.getString("status"));
    JsonObject live = await(http(vertx, server, "/health/live", 200));
    assertEquals("UP", live.getString("status"));
  }

  /** Regression: HEAD, which HTTP requires wherever GET is served, was answered 405. */
  @ParameterizedTest
  @ValueSource(strings = {"/health/live", "/health/ready", "/metrics"})
  void theManagementEndpointsAnswerHeadAsGetWithoutABody(String path, Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    HttpClient http = TestClients.http(vertx);
    HttpReply get = await(TestClients.get(http, server.managementPort(), path));
    HttpReply head = await(TestClients.head(http, server.managementPort(), path));

    assertEquals(get.status(), head.status());
    assertEquals(get.headers().get("content-type"), head.headers().get("content-type"));
    assertEquals(0, head.body().length());
  }

  /** Regression: Vert.x Web answered a bare 400 and logged the decoding failure as an unhandled error. */
  @Test
  void aMalformedAddressOnTheManagementPortIsABadRequestAndLogsNothing(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    try (LogCapture log = LogCapture.all()) {
      HttpReply reply = await(TestClients.get(TestClients.http(vertx), server.managementPort(), "/health/%ZZ"));

      assertEquals(400, reply.status());
      assertEquals("Malformed address: Invalid escape sequence: %ZZ\n", reply.body().toString());
      assertEquals(List.of(), log.atLeast(Level.WARN));
    }
  }

  @Test
  void anEmptyCatalogIsNotReadyButLive(Vertx vertx) {
    MarketplaceServer server = emptyCatalogServer(vertx);
    JsonObject ready = await(http(vertx, server, "/health/ready", 503));
    assertEquals("DOWN", ready.getString("status"));
    await(http(vertx, server, "/health/live", 200));
    Outcome<HealthCheckResponse> overall = await(check(TestClients.http2(vertx), TestServers.address(server), ""));
    assertEquals(ServingStatus.NOT_SERVING, overall.single().getStatus());
  }

  @Test
  void watchSendsTheCurrentStatusThenPushesAChange(Vertx vertx, VertxTestContext test) {
    MarketplaceServer server = emptyCatalogServer(vertx);
    List<ServingStatus> seen = new ArrayList<>();
    // On the event loop, so that the handler is in place before the first status arrives (see TestClients).
    vertx.runOnContext(start -> TestClients.grpc(vertx).request(TestServers.address(server), HealthGrpcClient.Watch)
        .compose(request -> request.send(HealthCheckRequest.newBuilder().setService("product.ProductService").build()))
        .onComplete(test.succeeding(response -> response.handler(status -> test.verify(() -> {
          seen.add(status.getStatus());
          if (seen.size() == 1) {
            assertEquals(ServingStatus.NOT_SERVING, status.getStatus());
            server.services().products().put(Product.newBuilder().setId("n1").setName("New").setCategory("C").build());
          } else {
            assertEquals(List.of(ServingStatus.NOT_SERVING, ServingStatus.SERVING), seen);
            test.completeNow();
          }
        })))));
  }

  @Test
  void watchOfAnUnknownServiceSaysServiceUnknownAndKeepsTheStreamOpen(Vertx vertx, VertxTestContext test) {
    MarketplaceServer server = TestServers.start(vertx);
    vertx.runOnContext(start -> TestClients.grpc(vertx).request(TestServers.address(server), HealthGrpcClient.Watch)
        .compose(request -> request.send(HealthCheckRequest.newBuilder().setService("no.Such").build()))
        .onComplete(test.succeeding(response -> {
          response.endHandler(v -> test.failNow("the stream ended"));
          response.handler(status -> test.verify(() -> {
            assertEquals(ServingStatus.SERVICE_UNKNOWN, status.getStatus());
            vertx.setTimer(300, id -> test.completeNow());
          }));
        })));
  }

  @Test
  void aCancelledWatchIsForgotten(Vertx vertx, VertxTestContext test) {
    GrpcHealthService health = new GrpcHealthService();
    SocketAddress server = healthOnlyServer(vertx, health);
    GrpcClient client = TestClients.grpc(vertx);
    vertx.runOnContext(start -> client.request(server, HealthGrpcClient.Watch).onComplete(test.succeeding(request ->
        request.send(HealthCheckRequest.getDefaultInstance()).onComplete(test.succeeding(response ->
            response.handler(first -> test.verify(() -> {
              assertEquals(1, health.watcherCount());
              request.cancel();
              vertx.setPeriodic(20, id -> {
                if (health.watcherCount() == 0) {
                  vertx.cancelTimer(id);
                  test.completeNow();
                }
              });
            })))))));
  }

  private static SocketAddress healthOnlyServer(Vertx vertx, GrpcHealthService health) {
    await(vertx.deployVerticle(new HealthVerticle("127.0.0.1", 0, 100, List.of(), () -> true, router -> { })));
    await(health.start(vertx));
    io.vertx.grpc.server.GrpcServer grpc = io.vertx.grpc.server.GrpcServer.server(vertx);
    grpc.addService(health.definition());
    return TestServers.serve(vertx, grpc);
  }

  private static MarketplaceServer emptyCatalogServer(Vertx vertx) {
    MarketplaceServices empty = new MarketplaceServices(new InMemoryProductStore(List.of(), 1), TestServers.defaultServices().books(), false);
    return await(MarketplaceServer.start(vertx, TestServers.config(new JsonObject()), empty, Metrics.registry()));
  }

  private static io.vertx.core.Future<Outcome<HealthCheckResponse>> check(HttpClient client, SocketAddress server, String service) {
    return Calls.call(client, server, HealthGrpcClient.Check, HealthCheckRequest.newBuilder().setService(service).build());
  }

  /** Health is evaluated shortly after start; Check until the expected status shows, for up to 5 s. */
  private static io.vertx.core.Future<Outcome<HealthCheckResponse>> waitForStatus(Vertx vertx, HttpClient client, SocketAddress server,
                                                                                 String service, ServingStatus expected) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    return check(client, server, service).compose(outcome -> {
      boolean reached = outcome.status() == GrpcStatus.OK && outcome.single().getStatus() == expected;
      if (reached || System.nanoTime() > deadline) {
        return io.vertx.core.Future.succeededFuture(outcome);
      }
      return vertx.timer(50).compose(v -> waitForStatus(vertx, client, server, service, expected));
    });
  }

  private static io.vertx.core.Future<JsonObject> http(Vertx vertx, MarketplaceServer server, String path, int expectedStatus) {
    return TestClients.get(TestClients.http(vertx), server.managementPort(), path).map(reply -> {
      assertEquals(expectedStatus, reply.status(), path + " " + reply.body());
      return reply.body().toJsonObject();
    });
  }
}
