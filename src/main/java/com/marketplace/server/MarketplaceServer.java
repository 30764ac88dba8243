package com.marketplace.server;

import com.marketplace.catalog.CatalogFile;
import com.marketplace.config.ServerConfig;
import com.marketplace.grpc.CallPolicy;
import com.marketplace.grpc.ServerInterceptor;
import com.marketplace.health.HealthVerticle;
import com.marketplace.http.ReadRoutes;
import com.marketplace.observability.AccessLog;
import com.marketplace.observability.CallMetrics;
import com.marketplace.observability.Metrics;
import com.marketplace.observability.ServerConnections;
import com.marketplace.security.BearerAuth;
import com.marketplace.security.JwtSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.event.Level;

/**
 * A running marketplace server: the catalog loaded, the health verticle, and {@code instances}
 * gRPC server verticles. Built so that {@code serve} and the tests start it the same way.
 */
public final class MarketplaceServer {

  /** Negative ports Vert.x shares as one random port among instances; one per server started with port 0. */
  private static final AtomicInteger RANDOM_PORT_SHARES = new AtomicInteger();

  static final String LOADER_THREAD = "marketplace-loader";

  /** The catalog built into the jar, used when the default catalog file is absent. */
  static final String EMBEDDED_CATALOG = "/marketplace/catalog.json";

  private final Vertx vertx;
  private final ServerConfig config;
  private final MarketplaceServices services;
  private final List<String> deployments;
  private final int port;
  private final int managementPort;

  private MarketplaceServer(Vertx vertx, ServerConfig config, MarketplaceServices services, List<String> deployments,
                            int port, int managementPort) {
    this.vertx = vertx;
    this.config = config;
    this.services = services;
    this.deployments = deployments;
    this.port = port;
    this.managementPort = managementPort;
  }

  /** Starts on the configured catalog, with metrics in a registry of its own. */
  public static Future<MarketplaceServer> start(Vertx vertx, ServerConfig config) {
    return start(vertx, config, Metrics.registry());
  }

  public static Future<MarketplaceServer> start(Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry) {
    return start(vertx, config, loadServices(config), registry);
  }

  /**
   * Starts once {@code services} are loaded; {@code serve} begins loading them (see
   * {@link #loadServices}) before it creates Vert.x, so that the two overlap.
   */
  public static Future<MarketplaceServer> start(Vertx vertx, ServerConfig config,
                                                CompletionStage<MarketplaceServices> services,
                                                PrometheusMeterRegistry registry) {
    return Future.fromCompletionStage(services, vertx.getOrCreateContext())
        .compose(loaded -> start(vertx, config, loaded, registry));
  }

  public static Future<MarketplaceServer> start(Vertx vertx, ServerConfig config, MarketplaceServices services,
                                                PrometheusMeterRegistry registry) {
    return vertx.executeBlocking(() -> Optional.ofNullable(JwtSettings.read(config)))
        .compose(jwt -> deploy(vertx, config, services, registry,
            jwt.map(options -> new BearerAuth(JwtSettings.provider(vertx, options)))));
  }

  /**
   * Reads the catalog and builds the services on a thread of their own, named {@value #LOADER_THREAD}:
   * reading a file blocks, and loading the services' descriptors takes a good part of start-up.
   */
  public static CompletableFuture<MarketplaceServices> loadServices(ServerConfig config) {
    CompletableFuture<MarketplaceServices> loaded = new CompletableFuture<>();
    Thread loader = new Thread(() -> {
      try {
        loaded.complete(MarketplaceServices.of(readCatalog(config.catalog()), config.catalogMaxProducts(),
            config.conformance()));
      } catch (Throwable failure) {
        loaded.completeExceptionally(failure);
      }
    }, LOADER_THREAD);
    loader.setDaemon(true);
    loader.start();
    return loaded;
  }

  private static Future<MarketplaceServer> deploy(Vertx vertx, ServerConfig config, MarketplaceServices services,
                                                  PrometheusMeterRegistry registry, Optional<BearerAuth> auth) {
    HealthVerticle health = new HealthVerticle(config.host(), config.managementPort(), config.healthCheckIntervalMs(),
        services.serviceNames(), services::loaded,
        router -> ReadRoutes.of(router, "/metrics").handler(Metrics.endpoint(registry)));
    List<ServerInterceptor> interceptors = interceptors(config, registry);
    auth.ifPresent(interceptors::add);
    CallPolicy policy = new CallPolicy(interceptors, config.effectiveMaxMessageSize());
    int listenPort = sharedListenPort(config.port());
    ServerConnections connections = new ServerConnections(registry);
    List<GrpcServerVerticle> servers = new CopyOnWriteArrayList<>();
    // The gRPC verticles take their first health statuses from the health verticle, so it starts first.
    return vertx.deployVerticle(health).compose(healthId ->
        vertx.deployVerticle(() -> {
              GrpcServerVerticle server = new GrpcServerVerticle(config, listenPort, services, policy, connections);
              servers.add(server);
              return server;
            }, new DeploymentOptions().setInstances(config.instances()))
            .map(serversId -> {
              health.refresh();
              return new MarketplaceServer(vertx, config, services, List.of(serversId, healthId),
                  servers.get(0).actualPort(), health.actualPort());
            })
            // Nothing half-started is left behind, e.g. when the gRPC port is taken.
            .recover(failure -> vertx.undeploy(healthId).transform(v -> Future.failedFuture(failure))));
  }

  /**
   * The port every instance of one server binds: {@code port} itself, or for 0 a negative number of
   * this server's own, which Vert.x turns into one random port shared by those instances.
   */
  public static int sharedListenPort(int port) {
    return port == 0 ? -RANDOM_PORT_SHARES.incrementAndGet() : port;
  }

  /**
   * The call pipeline, in order: the access log and metrics see every call, including those that
   * authentication, added after them, refuses.
   */
  static List<ServerInterceptor> interceptors(ServerConfig config, PrometheusMeterRegistry registry) {
    List<ServerInterceptor> interceptors = new ArrayList<>();
    if (!config.accessLogLevel().equals("OFF")) {
      interceptors.add(new AccessLog(Level.valueOf(config.accessLogLevel())));
    }
    interceptors.add(new CallMetrics(registry));
    return interceptors;
  }

  /** Reads the catalog file; the default one falls back to the copy built into the jar. */
  static CatalogFile readCatalog(String location) throws IOException {
    Path file = Path.of(location);
    if (Files.exists(file) || !location.equals(ServerConfig.DEFAULT_CATALOG)) {
      if (!Files.isRegularFile(file)) {
        throw new CatalogFile.InvalidCatalogException("catalog file " + location + " does not exist");
      }
      return CatalogFile.parse(location, Buffer.buffer(Files.readAllBytes(file)));
    }
    try (InputStream embedded = MarketplaceServer.class.getResourceAsStream(EMBEDDED_CATALOG)) {
      return CatalogFile.parse("embedded catalog", Buffer.buffer(embedded.readAllBytes()));
    }
  }

  public int port() {
    return port;
  }

  public int managementPort() {
    return managementPort;
  }

  public ServerConfig config() {
    return config;
  }

  public MarketplaceServices services() {
    return services;
  }

  /**
   * Shuts down gracefully: health turns NOT_SERVING at once, then each gRPC verticle stops taking
   * calls (GOAWAY) and gives those in flight the grace period, then the health verticle goes.
   */
  public Future<Void> stop() {
    return HealthVerticle.drain(vertx).compose(v -> undeploy());
  }

  private Future<Void> undeploy() {
    Future<Void> stopped = Future.succeededFuture();
    for (String id : deployments) {
      stopped = stopped.compose(v -> vertx.undeploy(id));
    }
    return stopped;
  }
}
