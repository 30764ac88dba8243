package com.marketplace.serve;

import com.marketplace.NativeTransport;
import com.marketplace.Main;
import com.marketplace.StopSignals;
import com.marketplace.catalog.CatalogFile;
import com.marketplace.config.ConfigException;
import com.marketplace.config.ConfigLoader;
import com.marketplace.config.ServerConfig;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.server.MarketplaceServices;
import com.marketplace.observability.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: runs the gRPC server until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the marketplace gRPC services. Flags override MARKETPLACE_* environment variables, "
        + "which override the config file, which overrides the built-in defaults.")
public final class ServeCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (default: conf/config.json when present)")
  Path config;

  @Option(names = "--host", description = "Interface to bind (default: 0.0.0.0)")
  String host;

  @Option(names = "--port", description = "gRPC port; 0 picks a free one (default: 50051)")
  Integer port;

  @Option(names = "--management-port", description = "Management HTTP port for /health/*; 0 picks a free one (default: 8081)")
  Integer managementPort;

  @Option(names = "--instances", paramLabel = "N", description = "gRPC server verticle instances (default: number of cores)")
  Integer instances;

  @Option(names = "--catalog", paramLabel = "FILE", description = "Catalog data file (default: conf/catalog.json, else the built-in copy)")
  String catalog;

  @Option(names = "--max-message-size", paramLabel = "BYTES", description = "Largest message accepted (default: 4194304)")
  Integer maxMessageSize;

  @Option(names = "--conformance", description = "Also serve grpc.testing.TestService and BenchmarkService (default: off)")
  Boolean conformance;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain: serve gRPC over TLS (default: plaintext)")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert")
  String tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "Require client certificates signed by this CA (mutual TLS)")
  String tlsClientCa;

  @Option(names = "--cors-allowed-origins", paramLabel = "ORIGINS",
      description = "Web origins whose pages may call the gRPC port (gRPC-Web, HTTP/JSON), comma-separated, or * (default: none)")
  String corsAllowedOrigins;

  @Option(names = "--shutdown-grace", paramLabel = "SECONDS", description = "On SIGTERM, time calls in flight get to finish (default: 10)")
  Integer shutdownGrace;

  @Option(names = "--jwt-public-key", paramLabel = "PEM", description = "Public key (RS256/ES256) of bearer tokens: turns authentication on")
  String jwtPublicKey;

  @Option(names = "--jwt-secret-file", paramLabel = "FILE", description = "HS256 secret of bearer tokens: turns authentication on")
  String jwtSecretFile;

  @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "Issuer tokens must carry")
  String jwtIssuer;

  @Option(names = "--jwt-audience", paramLabel = "AUD", description = "Audience tokens must carry")
  String jwtAudience;

  @Option(names = "--exit-when-serving",
      description = "Stop once serving and answering a few calls to itself: the training run for a class-data archive (see README, Fast start)")
  boolean exitWhenServing;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig serverConfig;
    try {
      serverConfig = ConfigLoader.load(config, System.getenv(), flags());
    } catch (ConfigException e) {
      return badInput(e.getMessage());
    }
    CompletableFuture<MarketplaceServices> services = MarketplaceServer.loadServices(serverConfig);
    PrometheusMeterRegistry registry = Metrics.registry();
    Vertx vertx = Metrics.vertx(NativeTransport.vertxOptions(), registry);
    MarketplaceServer server;
    try {
      server = MarketplaceServer.start(vertx, serverConfig, services, registry).await(60, TimeUnit.SECONDS);
    } catch (CatalogFile.InvalidCatalogException | ConfigException e) {
      vertx.close();
      return badInput(e.getMessage());
    } catch (Exception e) {
      vertx.close();
      String ports = "gRPC port " + serverConfig.port() + ", management port " + serverConfig.managementPort();
      spec.commandLine().getErr().println("error: cannot start: " + NativeTransport.describeStartFailure(e, ports));
      return 1;
    }
    log.info("Marketplace serving gRPC on {}:{} ({}, {}, {} instances, {}), health on http://{}:{}/health/ready; catalog: {} products, {} books",
        serverConfig.host(), server.port(), transport(serverConfig),
        serverConfig.authentication() ? "bearer tokens required" : "no authentication", serverConfig.instances(),
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO", serverConfig.host(),
        server.managementPort(), server.services().products().size(), server.services().books().size());
    Metrics.bindJvmMetrics(registry);
    if (exitWhenServing) {
      trainingCalls(vertx, server);
      stopGracefully(vertx, server);
    } else {
      StopSignals.await(() -> stopGracefully(vertx, server));
    }
    log.info("Stopped");
    return 0;
  }

  /** On the main thread, which may wait. */
  private static void trainingCalls(Vertx vertx, MarketplaceServer server) {
    try {
      TrainingCalls.run(vertx, server).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Training calls did not end: {}", e.toString());
    }
  }

  /** Runs on the signal's thread, never an event loop, so it may wait. */
  private static void stopGracefully(Vertx vertx, MarketplaceServer server) {
    int grace = server.config().shutdownGraceSeconds();
    log.info("Shutting down: health NOT_SERVING, no new calls, up to {} s for calls in flight", grace);
    try {
      server.stop().await(grace + 5L, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Graceful stop did not complete: {}", e.toString());
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Vert.x did not close: {}", e.toString());
    }
  }

  private static String transport(ServerConfig config) {
    if (!config.tls()) {
      return "PLAINTEXT";
    }
    return config.tlsClientCa() == null ? "TLS" : "mutual TLS, client CA " + config.tlsClientCa();
  }

  private JsonObject flags() {
    JsonObject flags = new JsonObject();
    putIfSet(flags, "host", host);
    putIfSet(flags, "port", port);
    putIfSet(flags, "managementPort", managementPort);
    putIfSet(flags, "instances", instances);
    putIfSet(flags, "catalog", catalog);
    putIfSet(flags, "maxMessageSize", maxMessageSize);
    putIfSet(flags, "conformance", conformance);
    putIfSet(flags, "tlsCert", tlsCert);
    putIfSet(flags, "tlsKey", tlsKey);
    putIfSet(flags, "tlsClientCa", tlsClientCa);
    putIfSet(flags, "corsAllowedOrigins", corsAllowedOrigins);
    putIfSet(flags, "jwtPublicKey", jwtPublicKey);
    putIfSet(flags, "jwtSecretFile", jwtSecretFile);
    putIfSet(flags, "jwtIssuer", jwtIssuer);
    putIfSet(flags, "jwtAudience", jwtAudience);
    putIfSet(flags, "shutdownGraceSeconds", shutdownGrace);
    return flags;
  }

  private static void putIfSet(JsonObject flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value);
    }
  }

  private int badInput(String message) {
    spec.commandLine().getErr().println("error: " + message);
    return Main.EXIT_BAD_INPUT;
  }
}
