package com.marketplace.observability;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/** The process's Prometheus registry: gRPC calls and connections, Vert.x's pools and event bus, and the JVM. */
public final class Metrics {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Metrics() {}

  /** An empty registry; {@link #bindJvmMetrics} adds the JVM's. */
  public static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Adds the JVM's memory, GC, thread, class-loading, CPU and uptime metrics. {@code serve} adds them
   * once it is serving: they take about a tenth of a second to set up and nothing waits for them.
   */
  @SuppressWarnings("resource")
  public static void bindJvmMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * A Vert.x that reports its pools and event bus to {@code registry}. Not its HTTP servers: on the
   * gRPC port their per-request meters repeat {@link CallMetrics}' for every call, and cost about a
   * sixth of a unary call's CPU. {@link ServerConnections} counts that port's connections instead.
   */
  public static Vertx vertx(VertxOptions options, PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /** {@code GET /metrics}: the registry in Prometheus text format. */
  public static Handler<RoutingContext> endpoint(PrometheusMeterRegistry registry) {
    return context -> context.response().putHeader("content-type", CONTENT_TYPE).end(registry.scrape());
  }
}
