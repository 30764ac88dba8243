package com.marketplace.health;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One gRPC verticle's copy of the serving statuses that {@link HealthVerticle} publishes.
 *
 * <p>It lives on that verticle's event loop, so Check answers without a round trip and Watch
 * listeners are told of a change the moment it arrives.
 */
final class HealthStatusMirror {

  private final Map<String, ServingStatus> statuses = new HashMap<>();
  private final Set<Consumer<HealthStatusMirror>> listeners = new LinkedHashSet<>();
  private MessageConsumer<JsonObject> consumer;

  /** Subscribes to changes, then takes the current statuses. */
  Future<Void> start(Vertx vertx) {
    consumer = vertx.eventBus().localConsumer(HealthVerticle.STATUS_ADDRESS, message -> update(message.body()));
    return consumer.completion()
        .compose(v -> vertx.eventBus().<JsonObject>request(HealthVerticle.SNAPSHOT_ADDRESS, null))
        .onSuccess(reply -> update(reply.body()))
        .mapEmpty();
  }

  /** The status of a service; null when the service is not known to this server. */
  ServingStatus status(String service) {
    return statuses.get(service);
  }

  void addListener(Consumer<HealthStatusMirror> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<HealthStatusMirror> listener) {
    listeners.remove(listener);
  }

  List<Consumer<HealthStatusMirror>> listeners() {
    return List.copyOf(listeners);
  }

  int listenerCount() {
    return listeners.size();
  }

  private void update(JsonObject snapshot) {
    statuses.clear();
    snapshot.forEach(entry -> statuses.put(entry.getKey(), ServingStatus.valueOf((String) entry.getValue())));
    // A copy: a listener may remove itself while being told.
    List.copyOf(listeners).forEach(listener -> listener.accept(this));
  }
}
