package com.marketplace.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code grpc_server_connections}: connections open on the gRPC port, over all server instances.
 * It stands in for Vert.x's HTTP server metrics, which {@link Metrics#vertx} turns off.
 */
public final class ServerConnections {

  private final AtomicInteger open = new AtomicInteger();

  public ServerConnections(MeterRegistry registry) {
    Gauge.builder("grpc.server.connections", open, AtomicInteger::get)
        .description("Connections open on the gRPC port").register(registry);
  }

  /** Counts {@code connection} until it closes, then runs {@code onClose}: Vert.x keeps one close handler. */
  public void watch(HttpConnection connection, Runnable onClose) {
    open.incrementAndGet();
    connection.closeHandler(v -> {
      open.decrementAndGet();
      onClose.run();
    });
  }
}
