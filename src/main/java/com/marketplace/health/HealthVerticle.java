package com.marketplace.health;

import com.marketplace.http.AddressCheck;
import com.marketplace.http.ReadRoutes;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Owns the server's health: the vertx-health-check procedures, the management HTTP endpoints
 * ({@code GET /health/live}, {@code GET /health/ready}), and the serving statuses that every gRPC
 * verticle's {@code grpc.health.v1.Health} answers from.
 *
 * <p>Procedures: {@code event-loop} (a gRPC server verticle answers a ping within a second) for
 * liveness and readiness; {@code catalog} (the catalog data is loaded) and {@code accepting-calls}
 * (not shutting down) for readiness only. The
 * procedures are re-evaluated every interval; a change is published at once on the event bus.
 */
public final class HealthVerticle extends VerticleBase {

  static final String STATUS_ADDRESS = "marketplace.health.status";
  /** Sent once shutdown begins: every status turns NOT_SERVING and stays so. */
  static final String DRAIN_ADDRESS = "marketplace.health.drain";
  static final String SNAPSHOT_ADDRESS = "marketplace.health.snapshot";
  /** Answered by every gRPC server verticle: proof that its event loop is responsive. */
  public static final String PING_ADDRESS = "marketplace.health.ping";
  static final long PING_TIMEOUT_MS = 1000;

  private final String host;
  private final int port;
  private final long intervalMs;
  private final List<String> serviceNames;
  private final BooleanSupplier catalogLoaded;
  private final Handler<Router> moreRoutes;
  private HealthChecks liveness;
  private HealthChecks readiness;
  private JsonObject statuses;
  private boolean draining;
  private HttpServer http;

  /**
   * @param serviceNames fully qualified names of the gRPC services whose status is reported
   * @param catalogLoaded whether the catalog data is loaded
   * @param moreRoutes adds the other management endpoints to the management port's router
   */
  public HealthVerticle(String host, int port, long intervalMs, List<String> serviceNames, BooleanSupplier catalogLoaded,
                        Handler<Router> moreRoutes) {
    this.host = host;
    this.port = port;
    this.intervalMs = intervalMs;
    this.serviceNames = List.copyOf(serviceNames);
    this.catalogLoaded = catalogLoaded;
    this.moreRoutes = moreRoutes;
  }

  @Override
  public Future<?> start() {
    liveness = HealthChecks.create(vertx).register("event-loop", this::pingServerEventLoop);
    readiness = HealthChecks.create(vertx)
        .register("event-loop", this::pingServerEventLoop)
        .register("catalog", promise -> promise.complete(catalogLoaded.getAsBoolean() ? Status.OK() : Status.KO()))
        .register("accepting-calls", promise -> promise.complete(draining ? Status.KO() : Status.OK()));
    statuses = snapshot(ServingStatus.NOT_SERVING);
    vertx.eventBus().<JsonObject>localConsumer(SNAPSHOT_ADDRESS, message -> message.reply(statuses));
    vertx.eventBus().localConsumer(DRAIN_ADDRESS, message -> {
      draining = true;
      publish(snapshot(ServingStatus.NOT_SERVING));
      message.reply(null);
    });
    vertx.setPeriodic(0, intervalMs, id -> evaluate());

    Router router = Router.router(vertx);
    AddressCheck.install(router, (routing, reason) -> routing.response().setStatusCode(400)
        .putHeader("content-type", "text/plain; charset=utf-8").end("Malformed address: " + reason + "\n"));
    ReadRoutes.of(router, "/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    ReadRoutes.of(router, "/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    moreRoutes.handle(router);
    return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(server -> http = server);
  }

  /** The port the management endpoints listen on. */
  public int actualPort() {
    return http.actualPort();
  }

  /** Re-evaluates now instead of at the next tick, e.g. right after the gRPC verticles are up. */
  public void refresh() {
    context.runOnContext(v -> evaluate());
  }

  /** Turns every status NOT_SERVING at once, for good: the server is shutting down. */
  public static Future<Void> drain(io.vertx.core.Vertx vertx) {
    return vertx.eventBus().request(DRAIN_ADDRESS, null).mapEmpty();
  }

  private void evaluate() {
    readiness.checkStatus().onSuccess(result -> publish(snapshot(draining ? ServingStatus.NOT_SERVING : servingStatus(result))));
  }

  private void publish(JsonObject next) {
    if (!next.equals(statuses)) {
      statuses = next;
      vertx.eventBus().publish(STATUS_ADDRESS, next);
    }
  }

  private JsonObject snapshot(ServingStatus status) {
    JsonObject snapshot = new JsonObject().put("", status.name());
    serviceNames.forEach(name -> snapshot.put(name, status.name()));
    return snapshot;
  }

  private static ServingStatus servingStatus(CheckResult result) {
    return result.getUp() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  private void pingServerEventLoop(Promise<Status> promise) {
    vertx.eventBus().request(PING_ADDRESS, null, new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .onComplete(reply -> promise.complete(reply.succeeded() ? Status.OK()
            : Status.KO(new JsonObject().put("reason", reply.cause().getMessage()))));
  }
}
