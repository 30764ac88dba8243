package com.marketplace.client;

import com.marketplace.grpc.RpcException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the marketplace calls gRPC backends: round robin per call over every address of its
 * targets, skipping backends whose health Check is not SERVING or that cannot be reached, probing
 * those again with exponential backoff, looking host names up again periodically, and retrying
 * failed calls as its {@link RetryPolicy} allows within the call's deadline.
 *
 * <p>A channel belongs to the Vert.x context that opened it (one verticle): use it only from there.
 */
public final class BalancedChannel {

  private static final Logger LOG = LoggerFactory.getLogger(BalancedChannel.class);
  private static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(1);
  private static final long FIRST_RECONNECT_BACKOFF_MS = 100;
  /** A backend whose address went away keeps its connections this long, for the calls still on them. */
  private static final long REMOVED_BACKEND_GRACE_MS = 30_000;

  private final Vertx vertx;
  private final ChannelOptions options;
  private final AddressLookup lookup;
  private final List<Backend> backends = new ArrayList<>();
  private int next;
  private long resolveTimer = -1;
  private boolean closed;

  private BalancedChannel(Vertx vertx, ChannelOptions options, AddressLookup lookup) {
    this.vertx = vertx;
    this.options = options;
    this.lookup = lookup;
  }

  /**
   * Looks the targets up and starts checking the backends; fails with a one-line message when a
   * name cannot be resolved.
   */
  public static Future<BalancedChannel> open(Vertx vertx, ChannelOptions options) {
    return open(vertx, options, AddressLookup.SYSTEM);
  }

  /** As {@link #open(Vertx, ChannelOptions)}, finding addresses with {@code lookup}. */
  public static Future<BalancedChannel> open(Vertx vertx, ChannelOptions options, AddressLookup lookup) {
    BalancedChannel channel = new BalancedChannel(vertx, options, lookup);
    return channel.resolve().map(addresses -> {
      channel.update(addresses);
      channel.scheduleResolve();
      return channel;
    });
  }

  /**
   * A whole call: sends every request, half-closes, and completes with what came back; a failure
   * the retry policy allows is sent again, to another backend when there is one.
   */
  public <Req, Resp> Future<CallResult<Resp>> call(ServiceMethod<Resp, Req> method, CallOptions callOptions,
                                                   List<Req> requests) {
    return attempt(method, callOptions, 1, deadlineOf(callOptions), false,
        (backend, options) -> backend.connection().call(method, options, requests));
  }

  /**
   * Opens a streaming call on one backend; when no server saw it, it is opened again on another, as
   * the retry policy allows. Once open, a call is never repeated: its messages may have been seen.
   */
  public <Req, Resp> Future<ClientCall<Req, Resp>> start(ServiceMethod<Resp, Req> method, CallOptions callOptions,
                                                         Handler<Resp> onMessage) {
    return attempt(method, callOptions, 1, deadlineOf(callOptions), true,
        (backend, options) -> backend.connection().start(method, options, onMessage)
            .onSuccess(call -> call.result().onFailure(failure -> noteFailure(backend, failure))));
  }

  /**
   * Attempt number {@code attempt} of a call, on the next backend, with the time the call has left
   * (DEADLINE_EXCEEDED if none is). After a failure the retry policy allows ({@code onlyUnprocessed}:
   * and no server saw), the next attempt follows the policy's backoff, if that ends before the deadline.
   */
  private <T> Future<T> attempt(ServiceMethod<?, ?> method, CallOptions callOptions, int attempt, long deadline,
                                boolean onlyUnprocessed, BiFunction<Backend, CallOptions, Future<T>> send) {
    long left = deadline == 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
    if (left <= 0) {
      return Future.failedFuture(new RpcException(GrpcStatus.DEADLINE_EXCEEDED,
          "Deadline exceeded after " + callOptions.timeout().toMillis() + " ms and " + (attempt - 1) + " attempt(s)"));
    }
    Backend backend = pick();
    CallOptions attemptOptions = deadline == 0 ? callOptions : callOptions.withTimeout(Duration.ofNanos(left));
    return send.apply(backend, attemptOptions).recover(failure -> {
      noteFailure(backend, failure);
      long wait = options.retry().backoffMillis(attempt);
      boolean retried = (!onlyUnprocessed || failure instanceof RpcException rpc && rpc.unprocessed())
          && options.retry().retries(method.fullMethodName(), attempt, failure)
          && (deadline == 0 || System.nanoTime() + wait * 1_000_000 < deadline);
      if (!retried) {
        return Future.failedFuture(failure);
      }
      Promise<T> next = Promise.promise();
      vertx.setTimer(wait, id -> attempt(method, callOptions, attempt + 1, deadline, onlyUnprocessed, send).onComplete(next));
      return next.future();
    });
  }

  /** When a call with {@code options} must end, in {@link System#nanoTime()}; 0 for never. */
  private static long deadlineOf(CallOptions options) {
    return options.timeout() == null ? 0 : System.nanoTime() + options.timeout().toNanos();
  }

  /**
   * The next backend that takes calls, round robin. When none does, the next one anyway: the call
   * then fails with the real reason, and a backend that has just come back is found sooner.
   */
  private Backend pick() {
    Backend chosen = null;
    for (int i = 0; i < backends.size() && chosen == null; i++) {
      Backend candidate = backends.get(next);
      next = (next + 1) % backends.size();
      if (candidate.takesCalls()) {
        chosen = candidate;
      }
    }
    if (chosen == null) {
      chosen = backends.get(next);
      next = (next + 1) % backends.size();
    }
    chosen.calls++;
    return chosen;
  }

  /** A backend that failed a call with UNAVAILABLE is taken out of rotation until a probe finds it again. */
  private void noteFailure(Backend backend, Throwable failure) {
    if (failure instanceof RpcException rpc && rpc.status() == GrpcStatus.UNAVAILABLE
        && backend.state != Backend.State.UNREACHABLE) {
      backend.state = Backend.State.UNREACHABLE;
      backend.failures = 1;
      scheduleProbe(backend, FIRST_RECONNECT_BACKOFF_MS);
    }
  }

  private void probe(Backend backend) {
    backend.probeTimer = -1;
    if (closed || backend.removed) {
      return;
    }
    if (options.healthCheckInterval().isZero()) {
      // Without health checks, the next call is the probe.
      backend.state = Backend.State.UNKNOWN;
      return;
    }
    backend.probes.call(HealthGrpcClient.Check, CallOptions.defaults().withTimeout(HEALTH_CHECK_TIMEOUT),
            List.of(HealthCheckRequest.getDefaultInstance()))
        .onComplete(checked -> {
          if (closed || backend.removed) {
            return; // a probe cut short by the close says nothing of the backend
          }
          Backend.State state = checked.succeeded() ? (checked.result().single().getStatus() == ServingStatus.SERVING
              ? Backend.State.SERVING : Backend.State.NOT_SERVING) : stateAfter(checked.cause());
          if (state != backend.state && !(state == Backend.State.SERVING && backend.state == Backend.State.UNKNOWN)) {
            // Why a backend cannot be reached (refused, a TLS handshake that failed) is what an operator needs.
            LOG.info("backend {} is {}{}", backend.name(), state,
                state == Backend.State.UNREACHABLE ? " (" + checked.cause().getMessage() + ")" : "");
          }
          backend.state = state;
          backend.failures = state == Backend.State.SERVING ? 0 : backend.failures + 1;
          long backoff = Math.min(options.maxReconnectBackoff().toMillis(),
              FIRST_RECONNECT_BACKOFF_MS << Math.min(20, backend.failures - 1));
          scheduleProbe(backend, state == Backend.State.SERVING ? options.healthCheckInterval().toMillis() : backoff);
        });
  }

  /** A server without the health service is taken to be serving, as grpc-java's clients do. */
  private static Backend.State stateAfter(Throwable failure) {
    if (failure instanceof RpcException rpc && rpc.status() == GrpcStatus.UNIMPLEMENTED) {
      return Backend.State.SERVING;
    }
    return Backend.State.UNREACHABLE;
  }

  private void scheduleProbe(Backend backend, long delayMs) {
    if (backend.probeTimer >= 0) {
      vertx.cancelTimer(backend.probeTimer);
    }
    backend.probeTimer = vertx.setTimer(Math.max(1, delayMs), id -> probe(backend));
  }

  /** Every address of every target, with its target; host names are looked up on a worker, as lookups block. */
  private Future<Map<SocketAddress, HostAndPort>> resolve() {
    return vertx.executeBlocking(() -> {
      Map<SocketAddress, HostAndPort> addresses = new LinkedHashMap<>();
      for (HostAndPort target : options.targets()) {
        List<InetAddress> found;
        try {
          found = lookup.addresses(target.host());
        } catch (UnknownHostException e) {
          found = List.of();
        }
        // A name without addresses fails the lookup as one not found does, so that the channel keeps the backends it has.
        if (found.isEmpty()) {
          throw new IllegalArgumentException("cannot resolve backend host '" + target.host() + "'");
        }
        for (InetAddress address : found) {
          addresses.putIfAbsent(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()), target);
        }
      }
      return addresses;
    }, false);
  }

  private void scheduleResolve() {
    resolveTimer = vertx.setTimer(options.resolveInterval().toMillis(), id -> resolve()
        .onSuccess(this::update)
        .onFailure(failure -> LOG.warn("keeping the current backends: {}", failure.getMessage()))
        .onComplete(done -> {
          if (!closed) {
            scheduleResolve();
          }
        }));
  }

  /** Adds backends for new addresses, and retires those of addresses that went away. */
  private void update(Map<SocketAddress, HostAndPort> addresses) {
    Map<SocketAddress, Backend> current = new LinkedHashMap<>();
    backends.forEach(backend -> current.put(backend.address, backend));
    List<Backend> updated = new ArrayList<>();
    for (Map.Entry<SocketAddress, HostAndPort> found : addresses.entrySet()) {
      SocketAddress address = found.getKey();
      Backend backend = current.remove(address);
      if (backend == null) {
        backend = new Backend(vertx, address, found.getValue(), options);
        scheduleProbe(backend, 0);
      }
      updated.add(backend);
    }
    current.values().forEach(gone -> {
      LOG.info("backend {} is no longer listed", gone.name());
      gone.removed = true;
      vertx.setTimer(REMOVED_BACKEND_GRACE_MS, id -> gone.close());
    });
    if (!updated.isEmpty()) {
      backends.clear();
      backends.addAll(updated);
      next = next % backends.size();
    }
  }

  /** Calls sent to each backend so far, retries included, by {@code host:port}. */
  public Map<String, Long> callsPerBackend() {
    Map<String, Long> calls = new LinkedHashMap<>();
    backends.forEach(backend -> calls.put(backend.name(), backend.calls));
    return calls;
  }

  /** What the channel knows of each backend: UNKNOWN, SERVING, NOT_SERVING or UNREACHABLE. */
  public Map<String, String> backendStates() {
    Map<String, String> states = new LinkedHashMap<>();
    backends.forEach(backend -> states.put(backend.name(), backend.state.name()));
    return states;
  }

  public Future<Void> close() {
    closed = true;
    if (resolveTimer >= 0) {
      vertx.cancelTimer(resolveTimer);
    }
    backends.forEach(backend -> {
      if (backend.probeTimer >= 0) {
        vertx.cancelTimer(backend.probeTimer);
      }
    });
    return Future.all(backends.stream().map(Backend::close).toList()).mapEmpty();
  }
}
