package com.marketplace.observability;

import com.marketplace.client.Http2Clients;
import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.marketplace.proto.benchmark.BenchmarkServiceGrpcClient;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.Calls;
import com.marketplace.testing.Eventually;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestServers;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ObservabilityTest {

  @Test
  void metricsCountCallsByMethodAndStatusAndConnectionsAndShowJvmAndVertxMetrics() {
    PrometheusMeterRegistry registry = Metrics.registry();
    Metrics.bindJvmMetrics(registry);
    Vertx vertx = Metrics.vertx(new io.vertx.core.VertxOptions(), registry);
    try {
      MarketplaceServer server = await(MarketplaceServer.start(vertx, TestServers.config(new JsonObject()), registry));
      HttpClient client = TestClients.http2(vertx);
      SocketAddress address = TestServers.address(server);
      await(Calls.call(client, address, ProductServiceGrpcClient.GetProduct, GetProductRequest.newBuilder().setProductId("p001").build()));
      await(Calls.call(client, address, ProductServiceGrpcClient.GetProduct, GetProductRequest.newBuilder().setProductId("nope").build()));

      TestClients.HttpReply metrics = await(TestClients.get(TestClients.http(vertx), server.managementPort(), "/metrics"));
      assertEquals(Metrics.CONTENT_TYPE, metrics.headers().get("content-type"));
      String scrape = metrics.body().toString();
      assertTrue(scrape.contains("grpc_server_started_total{grpc_method=\"GetProduct\",grpc_service=\"product.ProductService\"} 2.0"), scrape);
      assertTrue(scrape.contains("grpc_server_handled_total{grpc_code=\"NOT_FOUND\",grpc_method=\"GetProduct\",grpc_service=\"product.ProductService\"} 1.0"), scrape);
      assertTrue(scrape.contains("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"GetProduct\",grpc_service=\"product.ProductService\"} 1.0"), scrape);
      assertTrue(scrape.contains("grpc_server_handling_seconds_bucket{grpc_code=\"OK\",grpc_method=\"GetProduct\""), scrape);
      assertTrue(scrape.contains("grpc_server_msg_sent_total{grpc_method=\"GetProduct\",grpc_service=\"product.ProductService\"} 1.0"), scrape);
      assertTrue(scrape.contains("grpc_server_msg_received_total{grpc_method=\"GetProduct\",grpc_service=\"product.ProductService\"} 2.0"), scrape);
      assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(scrape.contains("grpc_server_connections 1.0"), scrape);
      assertTrue(scrape.contains("vertx_pool_"), "Vert.x metrics");
      assertFalse(scrape.contains("vertx_http_server_"), "Vert.x HTTP server metrics are off: they repeat the gRPC ones");
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void everyCallHasOneStructuredAccessLogLine(Vertx vertx) {
    try (LogCapture log = LogCapture.of(AccessLog.LOGGER)) {
      List<ILoggingEvent> lines = log.events();
      MarketplaceServer server = TestServers.start(vertx);
      await(Calls.call(TestClients.http2(vertx), TestServers.address(server), ProductServiceGrpcClient.GetProduct,
          GetProductRequest.newBuilder().setProductId("p404").build()));
      await(Calls.call(TestClients.http2(vertx), TestServers.address(server), ProductServiceGrpcClient.GetProduct,
          GetProductRequest.newBuilder().setProductId("p001").build()));
      assertEquals(2, lines.size());
      Map<String, String> notFound = fields(lines.get(0));
      assertEquals("product.ProductService/GetProduct", notFound.get("method"));
      assertEquals("NOT_FOUND", notFound.get("status"));
      assertEquals("1", notFound.get("msgs_in"));
      assertEquals("0", notFound.get("msgs_out"));
      assertEquals("6", notFound.get("bytes_in"));
      assertTrue(notFound.get("peer").startsWith("127.0.0.1:"), notFound.get("peer"));
      assertTrue(Double.parseDouble(notFound.get("duration_ms")) >= 0);
      Map<String, String> found = fields(lines.get(1));
      assertEquals("OK", found.get("status"));
      assertEquals("1", found.get("msgs_out"), "the answer of a unary call is counted");
      assertTrue(Long.parseLong(found.get("bytes_out")) > 0);
    }
  }

  /**
   * Calls to methods no service has are answered before any call exists (gRPC ones by vertx-grpc
   * itself); they are logged, and counted under "other", all the same.
   */
  @Test
  void callsToMethodsNoServiceHasAreLoggedAndCountedAsOther(Vertx vertx) {
    PrometheusMeterRegistry registry = Metrics.registry();
    try (LogCapture log = LogCapture.of(AccessLog.LOGGER)) {
      List<ILoggingEvent> lines = log.events();
      MarketplaceServer server = await(MarketplaceServer.start(vertx, TestServers.config(new JsonObject()), registry));
      SimpleRequest request = SimpleRequest.getDefaultInstance();
      for (var method : List.of(TestServiceGrpcClient.UnaryCall, BenchmarkServiceGrpcClient.UnaryCall)) {
        assertEquals(GrpcStatus.UNIMPLEMENTED, await(Calls.call(TestClients.http2(vertx), TestServers.address(server), method, request)).status());
      }
      await(Eventually.until(vertx, () -> Future.succeededFuture(lines.size() == 2), "two access-log lines"));
      Map<String, String> line = fields(lines.get(0));
      assertEquals("grpc.testing.TestService/UnaryCall", line.get("method"));
      assertEquals("UNIMPLEMENTED", line.get("status"));
      assertTrue(line.get("peer").startsWith("127.0.0.1:"), line.get("peer"));
      assertEquals("grpc.testing.BenchmarkService/UnaryCall", fields(lines.get(1)).get("method"));
      String scrape = registry.scrape();
      assertTrue(scrape.contains("grpc_server_started_total{grpc_method=\"other\",grpc_service=\"other\"} 2.0"), scrape);
      assertTrue(scrape.contains("grpc_server_handled_total{grpc_code=\"UNIMPLEMENTED\",grpc_method=\"other\",grpc_service=\"other\"} 2.0"),
          scrape);

      // An HTTP/JSON call that no method is mapped to, named by its HTTP method and path.
      assertEquals(404, await(TestClients.get(TestClients.http(vertx), server.port(), "/v1/orders/1")).status());
      await(Eventually.until(vertx, () -> Future.succeededFuture(lines.size() == 3), "a third access-log line"));
      assertEquals("GET /v1/orders/1", fields(lines.get(2)).get("method"));
      assertEquals("NOT_FOUND", fields(lines.get(2)).get("status"));
      assertTrue(registry.scrape().contains(
          "grpc_server_handled_total{grpc_code=\"NOT_FOUND\",grpc_method=\"other\",grpc_service=\"other\"} 1.0"));
    }
  }

  /** Message counters count each message as it passes, so a stream still open shows in them. */
  @Test
  void messageCountersIncludeStreamsStillOpen(Vertx vertx) {
    PrometheusMeterRegistry registry = Metrics.registry();
    MarketplaceServer server = await(MarketplaceServer.start(vertx, TestServers.config(new JsonObject()), registry));
    GrpcClientRequest<GetProductRequest, ProductLookup> lookups =
        await(TestClients.grpc(vertx).request(TestServers.address(server), ProductServiceGrpcClient.LookupProducts));
    Promise<Void> twoAnswers = Promise.promise();
    AtomicInteger answers = new AtomicInteger();
    lookups.response().onSuccess(response -> response.handler(answer -> {
      if (answers.incrementAndGet() == 2) {
        twoAnswers.complete();
      }
    }));
    lookups.write(GetProductRequest.newBuilder().setProductId("p001").build());
    lookups.write(GetProductRequest.newBuilder().setProductId("p004").build());
    await(twoAnswers.future());

    String labels = "{grpc_method=\"LookupProducts\",grpc_service=\"product.ProductService\"}";
    String scrape = registry.scrape();
    assertTrue(scrape.contains("grpc_server_msg_received_total" + labels + " 2.0"), scrape);
    assertTrue(scrape.contains("grpc_server_msg_sent_total" + labels + " 2.0"), scrape);
    assertFalse(scrape.contains("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"LookupProducts\""), "the call is still open");
    lookups.end();
    await(lookups.response().compose(GrpcClientResponse::end));
  }

  @Test
  void theConnectionGaugeFallsWhenAClientLeaves(Vertx vertx) {
    PrometheusMeterRegistry registry = Metrics.registry();
    MarketplaceServer server = await(MarketplaceServer.start(vertx, TestServers.config(new JsonObject()), registry));
    HttpClient client = Http2Clients.create(vertx, 1 << 20);
    await(Calls.call(client, TestServers.address(server), ProductServiceGrpcClient.GetProduct,
        GetProductRequest.newBuilder().setProductId("p001").build()));
    Gauge connections = registry.get("grpc.server.connections").gauge();
    assertEquals(1.0, connections.value());
    await(client.close());
    Promise<Void> drained = Promise.promise();
    vertx.setPeriodic(5, id -> {
      if (connections.value() == 0.0) {
        vertx.cancelTimer(id);
        drained.complete();
      }
    });
    await(drained.future().timeout(10, TimeUnit.SECONDS));
  }

  private static Map<String, String> fields(ILoggingEvent line) {
    return line.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }

  @Test
  void theAccessLogCanBeTurnedOff(Vertx vertx) {
    try (LogCapture log = LogCapture.of(AccessLog.LOGGER)) {
      MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("accessLogLevel", "off")));
      await(Calls.call(TestClients.http2(vertx), TestServers.address(server), ProductServiceGrpcClient.GetProduct,
          GetProductRequest.newBuilder().setProductId("p001").build()));
      assertEquals(0, log.events().size());
    }
  }
}
