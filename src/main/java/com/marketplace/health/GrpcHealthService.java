package com.marketplace.health;

import static io.grpc.health.v1.HealthGrpcService.Check;
import static io.grpc.health.v1.HealthGrpcService.SERVICE_DESCRIPTOR;
import static io.grpc.health.v1.HealthGrpcService.SERVICE_NAME;
import static io.grpc.health.v1.HealthGrpcService.Watch;

import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.Consumer;

/**
 * {@code grpc.health.v1.Health}, answered from the statuses {@link HealthVerticle} publishes.
 *
 * <p>Unlike the stock 5.0.7 service, Watch pushes a change as soon as it is published, sends only
 * changes, and forgets a watcher the moment its call ends.
 */
public final class GrpcHealthService {

  private final HealthStatusMirror mirror = new HealthStatusMirror();

  /** Must complete before the service is used. */
  public Future<Void> start(io.vertx.core.Vertx vertx) {
    return mirror.start(vertx);
  }

  public RpcService definition() {
    return RpcService.builder(SERVICE_NAME, SERVICE_DESCRIPTOR)
        .unary(Check, this::check)
        .serverStreaming(Watch, this::watch)
        .build();
  }

  /** Ends every open Watch with UNAVAILABLE: the server is going away, and watchers must not hold it up. */
  public void endWatches() {
    mirror.listeners().forEach(listener -> ((Watcher) listener).call.fail(
        new RpcException(GrpcStatus.UNAVAILABLE, "Server is shutting down")));
  }

  /** Number of open Watch calls, for tests and metrics. */
  public int watcherCount() {
    return mirror.listenerCount();
  }

  /** Unary: the current status of a service, or of the whole server for {@code ""}; NOT_FOUND if unknown. */
  Future<HealthCheckResponse> check(HealthCheckRequest request, ServerCall<HealthCheckRequest, HealthCheckResponse> call) {
    ServingStatus status = mirror.status(request.getService());
    if (status == null) {
      return Future.failedFuture(RpcException.notFound("unknown service '" + request.getService() + "'"));
    }
    return Future.succeededFuture(response(status));
  }

  /**
   * Server streaming: the current status at once, then every change, until the client cancels.
   * A service this server does not know is reported as SERVICE_UNKNOWN, and watched in case it appears.
   */
  Future<Void> watch(HealthCheckRequest request, ServerCall<HealthCheckRequest, HealthCheckResponse> call) {
    String service = request.getService();
    Watcher watcher = new Watcher(service, call);
    mirror.addListener(watcher);
    watcher.accept(mirror);
    Promise<Void> ended = Promise.promise();
    call.whenClosed().onComplete(closed -> {
      mirror.removeListener(watcher);
      ended.tryComplete();
    });
    return ended.future();
  }

  private static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }

  /** Sends a watched service's status when it changes; a slow client gets only the latest one. */
  private static final class Watcher implements Consumer<HealthStatusMirror> {
    private final String service;
    private final ServerCall<HealthCheckRequest, HealthCheckResponse> call;
    private ServingStatus sent;
    private ServingStatus pending;

    Watcher(String service, ServerCall<HealthCheckRequest, HealthCheckResponse> call) {
      this.service = service;
      this.call = call;
    }

    @Override
    public void accept(HealthStatusMirror mirror) {
      ServingStatus status = mirror.status(service);
      pending = status == null ? ServingStatus.SERVICE_UNKNOWN : status;
      flush();
    }

    private void flush() {
      if (pending == null || pending == sent) {
        return;
      }
      if (call.writeQueueFull()) {
        call.drainHandler(v -> flush());
        return;
      }
      sent = pending;
      call.write(response(sent));
    }
  }
}
