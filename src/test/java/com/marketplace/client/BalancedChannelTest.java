package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.google.protobuf.MessageLite;
import com.marketplace.grpc.RpcException;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpcService;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.proto.product.UploadSummary;
import com.marketplace.proto.unary.UnaryGrpcClient;
import com.marketplace.proto.unary.UnaryGrpcService;
import com.marketplace.proto.unary.Message;
import com.marketplace.proto.unary.MessageResponse;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.Eventually;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.Ports;
import com.marketplace.testing.SilentPort;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BalancedChannelTest {

  private static final GetProductRequest P001 = GetProductRequest.newBuilder().setProductId("p001").build();
  private static final RetryPolicy MANY_ATTEMPTS = RetryPolicy.defaults().withMaxAttempts(1_000);
  private final List<Vertx> serverVertx = new ArrayList<>();
  private Context context;

  @AfterEach
  void closeServers() {
    serverVertx.forEach(vertx -> await(vertx.close()));
  }

  /** A marketplace server with a Vert.x of its own, so that its health can be changed alone. */
  private MarketplaceServer server(String host, int port) {
    Vertx vertx = Vertx.vertx();
    serverVertx.add(vertx);
    return TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("host", host).put("port", port).put("accessLogLevel", "OFF")));
  }

  private static HostAndPort target(int port) {
    return HostAndPort.create("127.0.0.1", port);
  }

  private BalancedChannel open(Vertx vertx, ChannelOptions options) {
    return open(vertx, options, AddressLookup.SYSTEM);
  }

  private BalancedChannel open(Vertx vertx, ChannelOptions options, AddressLookup lookup) {
    context = vertx.getOrCreateContext();
    return onContext(() -> BalancedChannel.open(vertx, options.withHealthCheckInterval(Duration.ofMillis(100)), lookup));
  }

  /** Runs on the channel's context, as a channel is only ever used from there. */
  private <T> T onContext(Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return await(done.future());
  }

  /** Checks {@code condition} on the channel's context until it holds. */
  private void awaitCondition(BooleanSupplier condition) {
    await(Eventually.until(context.owner(), () -> {
      Promise<Boolean> checked = Promise.promise();
      context.runOnContext(v -> checked.complete(condition.getAsBoolean()));
      return checked.future();
    }, "the channel's backends to change"));
  }

  private List<Product> getProducts(BalancedChannel channel, int calls) {
    return onContext(() -> {
      List<Future<Product>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        results.add(channel.call(ProductServiceGrpcClient.GetProduct, CallOptions.defaults(), List.of(P001))
            .map(CallResult::single));
      }
      return Future.all(results).map(all -> all.<Product>list());
    });
  }

  private RpcException failure(Supplier<Future<?>> call) {
    AssertionError error = assertThrows(AssertionError.class, () -> onContext(call::get));
    assertTrue(error.getCause() instanceof RpcException, "not a gRPC failure: " + error.getCause());
    return (RpcException) error.getCause();
  }

  @Test
  void spreadsCallsRoundRobinOverEveryBackend(Vertx vertx) {
    List<HostAndPort> targets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      targets.add(target(server("127.0.0.1", 0).port()));
    }
    BalancedChannel channel = open(vertx, ChannelOptions.of(targets).withConnectionsPerBackend(2));

    assertEquals(30, getProducts(channel, 30).size());

    assertEquals(List.of(10L, 10L, 10L), List.copyOf(channel.callsPerBackend().values()));
  }

  /** Regression: calls and health checks to an IPv6 backend were reset by it, for an authority without brackets. */
  @Test
  void spreadsCallsOverIpv6AndIpv4Backends(Vertx vertx) {
    TestServers.assumeIpv6Loopback();
    MarketplaceServer ipv6 = server("::1", 0);
    MarketplaceServer ipv4 = server("127.0.0.1", 0);
    String ipv6Name = "[0:0:0:0:0:0:0:1]:" + ipv6.port();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(HostAndPort.create("::1", ipv6.port()), target(ipv4.port()))));
    awaitCondition(() -> "SERVING".equals(channel.backendStates().get(ipv6Name)));

    assertEquals(20, getProducts(channel, 20).size());

    assertEquals(Map.of(ipv6Name, 10L, "127.0.0.1:" + ipv4.port(), 10L), channel.callsPerBackend());
  }

  /** As in grpc-java, every call names the channel's target as its :authority, whichever address it goes to. */
  @Test
  void callsNameTheTargetAsTheirAuthority(Vertx vertx) {
    List<String> authorities = new CopyOnWriteArrayList<>();
    SocketAddress backend = TestServers.serve(vertx, request -> {
      authorities.add(request.authority().toString());
      MessageLite answer = request.path().startsWith("/grpc.health.v1.Health/")
          ? HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build()
          : Product.newBuilder().setId("p001").build();
      request.response().putHeader("content-type", "application/grpc").write(WireMessages.prefixed(answer.toByteArray()));
      request.response().putTrailer("grpc-status", "0").end();
    });
    AddressLookup catalogInternal = host -> List.of(InetAddress.getByName(backend.host()));
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(HostAndPort.create("catalog.internal", backend.port()))),
        catalogInternal);

    assertEquals(3, getProducts(channel, 3).size());

    assertEquals(Set.of("catalog.internal:" + backend.port()), Set.copyOf(authorities));
  }

  @Test
  void skipsABackendWhoseHealthIsNotServing(Vertx vertx) {
    MarketplaceServer serving = server("127.0.0.1", 0);
    MarketplaceServer draining = server("127.0.0.1", 0);
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(serving.port()), target(draining.port()))));
    String drainingName = "127.0.0.1:" + draining.port();
    awaitCondition(() -> "SERVING".equals(channel.backendStates().get(drainingName)));

    await(com.marketplace.health.HealthVerticle.drain(serverVertx.get(1)));
    awaitCondition(() -> "NOT_SERVING".equals(channel.backendStates().get(drainingName)));
    long before = channel.callsPerBackend().get(drainingName);

    assertEquals(20, getProducts(channel, 20).size());
    assertEquals(before, channel.callsPerBackend().get(drainingName));
  }

  @Test
  void callsNoServerSawAreRetriedElsewhereAndTheDeadBackendIsSkipped(Vertx vertx) {
    MarketplaceServer live = server("127.0.0.1", 0);
    int dead = Ports.free();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(dead), target(live.port()))));

    assertEquals(20, getProducts(channel, 20).size());

    awaitCondition(() -> "UNREACHABLE".equals(channel.backendStates().get("127.0.0.1:" + dead)));
  }

  @Test
  void aBackendThatComesBackIsFoundAgain(Vertx vertx) {
    int port = Ports.free();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(port))));
    awaitCondition(() -> "UNREACHABLE".equals(channel.backendStates().get("127.0.0.1:" + port)));

    server("127.0.0.1", port);

    awaitCondition(() -> "SERVING".equals(channel.backendStates().get("127.0.0.1:" + port)));
    assertEquals(1, getProducts(channel, 1).size());
  }

  @Test
  void aServerRestartedOnItsPortTakesCallsOnNewConnections(Vertx vertx) {
    int port = Ports.free();
    server("127.0.0.1", port);
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(port))));
    assertEquals(1, getProducts(channel, 1).size());

    await(serverVertx.remove(0).close());
    server("127.0.0.1", port);

    awaitCondition(() -> "SERVING".equals(channel.backendStates().get("127.0.0.1:" + port)));
    assertEquals(5, getProducts(channel, 5).size());
  }

  @Test
  void uploadsAreNeverRetried(Vertx vertx) {
    int dead = Ports.free();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(dead))));

    RpcException upload = failure(() -> channel.<Product, UploadSummary>call(ProductServiceGrpcClient.UploadProducts,
        CallOptions.defaults(), List.of(Product.newBuilder().setId("x").setName("x").build())));

    assertEquals(GrpcStatus.UNAVAILABLE, upload.status());
    assertEquals(Map.of("127.0.0.1:" + dead, 1L), channel.callsPerBackend());
  }

  @Test
  void theDeadlineBoundsEveryAttempt(Vertx vertx) {
    int dead = Ports.free();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(dead))).withRetry(MANY_ATTEMPTS));

    RpcException failed = failure(() -> channel.call(ProductServiceGrpcClient.GetProduct,
        CallOptions.defaults().withTimeout(Duration.ofMillis(300)), List.of(P001)));

    assertAFewAttemptsFailedUnavailable(channel, dead, failed);
  }

  /** Regression: a streamed call no server saw was opened again at once, without backoff, for every attempt allowed. */
  @Test
  void theDeadlineBoundsEveryAttemptToOpenAStream(Vertx vertx) {
    int dead = Ports.free();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(dead))).withRetry(MANY_ATTEMPTS));

    RpcException failed = failure(() -> channel.start(ProductServiceGrpcClient.ListProductsByCategory,
        CallOptions.defaults().withTimeout(Duration.ofMillis(300)), product -> { }));

    assertAFewAttemptsFailedUnavailable(channel, dead, failed);
  }

  /**
   * Regression: a call's deadline did not count its wait for a connection, so a call to a backend
   * that drops every packet waited out the connect timeout (Vert.x's 60 s) whatever its deadline.
   */
  @Test
  void theDeadlineCountsTheWaitForAConnection(Vertx vertx) throws IOException {
    try (SilentPort silent = SilentPort.open()) {
      BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(silent.port()))));

      RpcException call = failure(() -> channel.call(ProductServiceGrpcClient.GetProduct,
          CallOptions.defaults().withTimeout(Duration.ofMillis(300)), List.of(P001)));
      RpcException stream = failure(() -> channel.start(ProductServiceGrpcClient.ListProductsByCategory,
          CallOptions.defaults().withTimeout(Duration.ofMillis(300)), product -> { }));

      for (RpcException failed : List.of(call, stream)) {
        assertEquals(GrpcStatus.DEADLINE_EXCEEDED, failed.status(), failed.getMessage());
        assertTrue(failed.getMessage().endsWith(" ms waiting for a connection to 127.0.0.1:" + silent.port()), failed.getMessage());
      }
    }
  }

  /** Backing off from 50 ms, a call of 300 ms has time for a few attempts, not for all it may make. */
  private static void assertAFewAttemptsFailedUnavailable(BalancedChannel channel, int dead, RpcException failed) {
    assertEquals(GrpcStatus.UNAVAILABLE, failed.status());
    long attempts = channel.callsPerBackend().get("127.0.0.1:" + dead);
    assertTrue(attempts > 1 && attempts < 20, "attempts: " + attempts);
  }

  /** Regression: a health check cut short by closing the channel was logged as the backend becoming UNREACHABLE. */
  @Test
  void closingWhileAHealthCheckIsInFlightReportsNothingOfTheBackend(Vertx vertx) {
    Promise<Void> checkArrived = Promise.promise();
    GrpcServer silent = GrpcServer.server(vertx);
    silent.callHandler(HealthGrpcService.Check, request -> checkArrived.tryComplete());
    int port = TestServers.serve(vertx, silent).port();
    try (LogCapture log = LogCapture.of(BalancedChannel.class.getName())) {
      BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(port))));
      await(checkArrived.future());
      onContext(channel::close);
      onContext(Future::succeededFuture); // anything the close set off on the context has run

      assertEquals(List.of(), log.events().stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
  }

  /** Regression: a timeout past about 292 years overflowed the deadline in nanoseconds and the call threw. */
  @Test
  void aTimeoutOfAThousandYearsIsKeptAsAHundred(Vertx vertx) {
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(server("127.0.0.1", 0).port()))));

    CallResult<Product> result = onContext(() -> channel.call(ProductServiceGrpcClient.GetProduct,
        CallOptions.defaults().withTimeout(Duration.ofDays(1000 * 365)), List.of(P001)));

    assertEquals("p001", result.single().getId());
    assertEquals(Duration.ofDays(100 * 365), CallOptions.defaults().withTimeout(Duration.ofDays(1000 * 365)).timeout());
  }

  @Test
  void idempotentMethodsAreRetriedAfterUnavailableAndOthersAreNot(Vertx vertx) {
    AtomicInteger helloCalls = new AtomicInteger();
    AtomicInteger unaryCalls = new AtomicInteger();
    GrpcServer grpc = GrpcServer.server(vertx);
    // Fails each method's first call with UNAVAILABLE after the server has seen it.
    grpc.callHandler(ApiGrpcService.sayHello, request -> request.handler(hello -> {
      if (helloCalls.incrementAndGet() == 1) {
        request.response().status(GrpcStatus.UNAVAILABLE).end();
      } else {
        request.response().end(Hello.newBuilder().setMessage("Hello " + hello.getName() + "!").build());
      }
    }));
    grpc.callHandler(UnaryGrpcService.GetServerResponse, request -> request.handler(message -> {
      unaryCalls.incrementAndGet();
      request.response().status(GrpcStatus.UNAVAILABLE).end();
    }));
    int port = TestServers.serve(vertx, grpc).port();
    BalancedChannel channel = open(vertx, ChannelOptions.of(List.of(target(port))));

    Hello hello = onContext(() -> channel.call(ApiGrpcClient.sayHello, CallOptions.defaults(),
        List.of(HelloRequest.newBuilder().setName("Ada").build()))).single();
    RpcException unary = failure(() -> channel.<Message, MessageResponse>call(UnaryGrpcClient.GetServerResponse,
        CallOptions.defaults(), List.of(Message.newBuilder().setMessage("hi").build())));

    assertEquals("Hello Ada!", hello.getMessage());
    assertEquals(2, helloCalls.get());
    assertEquals(GrpcStatus.UNAVAILABLE, unary.status());
    assertEquals(1, unaryCalls.get());
  }

  @Test
  void aHostNameIsLookedUpAgainAndNewAddressesTakeCalls(Vertx vertx) throws Exception {
    int port = Ports.free();
    server("127.0.0.1", port);
    server("127.0.0.2", port);
    List<InetAddress> addresses = new CopyOnWriteArrayList<>(List.of(InetAddress.getByName("127.0.0.1")));
    BalancedChannel channel = open(vertx,
        ChannelOptions.of(List.of(HostAndPort.create("shop.internal", port))).withResolveInterval(Duration.ofMillis(100)),
        host -> List.copyOf(addresses));
    assertEquals(List.of("127.0.0.1:" + port), List.copyOf(channel.callsPerBackend().keySet()));

    addresses.add(InetAddress.getByName("127.0.0.2"));
    awaitCondition(() -> channel.callsPerBackend().size() == 2);
    getProducts(channel, 10);

    assertEquals(List.of(5L, 5L), List.copyOf(channel.callsPerBackend().values()));
  }

  /**
   * Regression: a lookup that answered no address at all retired every backend while still sending
   * them calls, and stopped checking their health. Now it counts as a failed lookup.
   */
  @Test
  void aLookupThatFindsNoAddressKeepsTheBackendsAndTheirHealthChecks(Vertx vertx) throws Exception {
    MarketplaceServer server = server("127.0.0.1", 0);
    List<InetAddress> addresses = new CopyOnWriteArrayList<>(List.of(InetAddress.getByName("127.0.0.1")));
    AtomicInteger emptyLookups = new AtomicInteger();
    BalancedChannel channel = open(vertx,
        ChannelOptions.of(List.of(HostAndPort.create("shop.internal", server.port()))).withResolveInterval(Duration.ofMillis(50)),
        host -> {
          if (addresses.isEmpty()) {
            emptyLookups.incrementAndGet();
          }
          return List.copyOf(addresses);
        });
    String backend = "127.0.0.1:" + server.port();
    awaitCondition(() -> "SERVING".equals(channel.backendStates().get(backend)));

    addresses.clear();
    awaitCondition(() -> emptyLookups.get() >= 2);
    await(com.marketplace.health.HealthVerticle.drain(serverVertx.get(0)));

    awaitCondition(() -> "NOT_SERVING".equals(channel.backendStates().get(backend)));
    assertEquals(List.of(backend), List.copyOf(channel.callsPerBackend().keySet()));
  }

  @Test
  void aNameWithoutAddressesIsReportedAsOneThatCannotBeResolved(Vertx vertx) {
    context = vertx.getOrCreateContext();
    AssertionError error = assertThrows(AssertionError.class, () -> onContext(() -> BalancedChannel.open(vertx,
        ChannelOptions.of(List.of(HostAndPort.create("shop.internal", 50051))), host -> List.of())));
    assertEquals("cannot resolve backend host 'shop.internal'", error.getCause().getMessage());
  }
}
