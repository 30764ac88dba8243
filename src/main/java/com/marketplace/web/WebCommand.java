package com.marketplace.web;

import com.marketplace.NativeTransport;
import com.marketplace.Main;
import com.marketplace.StopSignals;
import com.marketplace.client.ClientTls;
import com.marketplace.client.Targets;
import io.vertx.core.Vertx;
import io.vertx.core.net.HostAndPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code web}: the shop's browser front end, calling the marketplace's gRPC services. See {@link WebConfig}. */
@Command(name = "web", mixinStandardHelpOptions = true,
    description = "Serve the marketplace web shop over HTTP, backed by the gRPC services.")
public final class WebCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(WebCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = "--host", defaultValue = "${env:MARKETPLACE_WEB_HOST:-0.0.0.0}", description = "Interface to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "${env:MARKETPLACE_WEB_PORT:-8080}", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--backend", defaultValue = "${env:MARKETPLACE_WEB_BACKENDS:-localhost:50051}", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "gRPC backends, balanced round robin; a host name stands for all its addresses (default: ${DEFAULT-VALUE})")
  String backend;

  @Option(names = "--deadline-ms", defaultValue = "${env:MARKETPLACE_WEB_DEADLINE_MS:-2000}", paramLabel = "MS",
      description = "Deadline of every backend call (default: ${DEFAULT-VALUE})")
  long deadlineMs;

  @Option(names = "--categories", defaultValue = "${env:MARKETPLACE_WEB_CATEGORIES:-Electronics,Books,Furniture}", paramLabel = "A,B,...",
      description = "Product categories shown, in order (default: ${DEFAULT-VALUE})")
  String categories;

  @Option(names = "--instances", defaultValue = "${env:MARKETPLACE_WEB_INSTANCES:-1}", description = "Verticles, one per event loop (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--backend-use-tls", defaultValue = "${env:MARKETPLACE_WEB_BACKEND_USE_TLS:-false}",
      description = "Call the backends over TLS (default: cleartext)")
  boolean backendUseTls;

  @Option(names = "--backend-ca-file", defaultValue = "${env:MARKETPLACE_WEB_BACKEND_CA_FILE}", paramLabel = "PEM",
      description = "CA certificates to trust with --backend-use-tls (default: the JVM's)")
  Path backendCaFile;

  @Option(names = "--backend-cert-file", defaultValue = "${env:MARKETPLACE_WEB_BACKEND_CERT_FILE}", paramLabel = "PEM",
      description = "Client certificate chain, for backends that require one (mutual TLS)")
  Path backendCertFile;

  @Option(names = "--backend-key-file", defaultValue = "${env:MARKETPLACE_WEB_BACKEND_KEY_FILE}", paramLabel = "PEM",
      description = "Private key of --backend-cert-file")
  Path backendKeyFile;

  @Override
  public Integer call() throws InterruptedException {
    WebConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    Vertx vertx = Vertx.vertx(NativeTransport.vertxOptions());
    WebFrontEnd web;
    try {
      web = WebFrontEnd.start(vertx, config).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      spec.commandLine().getErr().println("error: cannot start: " + NativeTransport.describeStartFailure(e, "port " + config.port()));
      return 1;
    }
    log.info("Marketplace shop on http://{}:{}/ (backends {}{}, deadline {} ms)", config.host(), web.port(),
        config.backends(), config.backendTls() == null ? "" : " over TLS", config.deadline().toMillis());
    StopSignals.await(() -> {
      try {
        web.stop().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Graceful stop did not complete: {}", e.toString());
      }
    });
    log.info("Stopped");
    return 0;
  }

  WebConfig config() {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be from 0 to 65535");
    }
    if (deadlineMs < 1) {
      throw new IllegalArgumentException("--deadline-ms must be >= 1");
    }
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be >= 1");
    }
    List<String> shown = Arrays.stream(categories.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
    if (shown.isEmpty()) {
      throw new IllegalArgumentException("--categories needs at least one category");
    }
    List<HostAndPort> backends;
    try {
      backends = Targets.parse(backend);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--backend: " + e.getMessage());
    }
    return new WebConfig(host, port, backends, Duration.ofMillis(deadlineMs), shown, instances,
        ClientTls.fromFlags("--backend-", backendUseTls, backendCaFile, backendCertFile, backendKeyFile));
  }
}
