package com.marketplace.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

  public void opened() {
    open.incrementAndGet();
  }

  public void closed() {
    open.decrementAndGet();
  }
}
