package com.marketplace.load;

import com.marketplace.client.BalancedChannel;
import com.marketplace.client.ChannelOptions;
import com.marketplace.grpc.RpcException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a run checks before it starts, target by target, so that a run that could measure nothing
 * fails at once with one line instead of counting every call as an error: each target accepts a
 * connection, the run's HTTP/2 connection too (TLS or cleartext, as the run's), and answers one
 * operation of the run's call with anything but a status that says the call cannot be made there at all.
 */
final class Preflight {

  private static final int CONNECT_TIMEOUT_MS = 3000;
  /** The probe's longest wait; a slower answer is no misconfiguration, and the run's own --timeout deals with it. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  /** Statuses that every call of the run would get too: the method is not there, or the client may not call it. */
  private static final Set<GrpcStatus> CANNOT_SERVE =
      EnumSet.of(GrpcStatus.UNIMPLEMENTED, GrpcStatus.UNAUTHENTICATED, GrpcStatus.PERMISSION_DENIED);

  private Preflight() {}

  /** The first problem found, in one line; null when every target can take the run. */
  static String problem(Vertx vertx, LoadPlan plan) {
    for (HostAndPort target : plan.targets()) {
      String problem = unreachable(vertx, target);
      if (problem == null) {
        problem = cannotServe(vertx, plan, target);
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String unreachable(Vertx vertx, HostAndPort target) {
    var client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
    try {
      client.connect(target.port(), target.host()).compose(socket -> socket.close())
          .await(CONNECT_TIMEOUT_MS + 1000L, TimeUnit.MILLISECONDS);
      return null;
    } catch (Exception e) {
      return "cannot reach " + target + ": " + e.getMessage();
    } finally {
      client.close();
    }
  }

  private static String cannotServe(Vertx vertx, LoadPlan plan, HostAndPort target) {
    Duration timeout = plan.timeout().isZero() || plan.timeout().compareTo(PROBE_TIMEOUT) > 0 ? PROBE_TIMEOUT : plan.timeout();
    // A channel belongs to one context: the probe runs on one of its own, and this thread waits for it.
    Context context = vertx.getOrCreateContext();
    Promise<Void> probed = Promise.promise();
    context.runOnContext(v -> probe(vertx, plan, target, timeout).onComplete(probed));
    try {
      probed.future().await(timeout.toMillis() + CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return null;
    } catch (Exception e) {
      if (e instanceof RpcException failure && CANNOT_SERVE.contains(failure.status())) {
        return target + " cannot serve " + plan.rpc().cliName() + ": " + failure.status().name() + " " + failure.getMessage()
            + hint(plan.rpc(), failure.status());
      }
      if (e instanceof RpcException failure && failure.status() == GrpcStatus.UNAVAILABLE && failure.unprocessed()) {
        // The port is open, but no HTTP/2 connection could be made: a TLS handshake failed, say.
        return failure.getMessage() + (plan.tls() == null ? " (if it serves TLS: --use-tls)" : "");
      }
      return null;
    }
  }

  private static Future<Void> probe(Vertx vertx, LoadPlan plan, HostAndPort target, Duration timeout) {
    ChannelOptions options = ChannelOptions.of(List.of(target))
        .withMaxMessageSize(Rpc.MAX_MESSAGE_SIZE)
        .withTls(plan.tls());
    return BalancedChannel.open(vertx, options).compose(channel -> {
      Session session = plan.rpc().open(vertx, channel, plan.payload(), timeout);
      return session.next().eventually(() -> {
        session.close();
        return channel.close();
      });
    });
  }

  private static String hint(Rpc rpc, GrpcStatus status) {
    return status == GrpcStatus.UNIMPLEMENTED && rpc.needsConformanceServices()
        ? " (" + rpc.cliName() + " needs a server with the conformance services: serve --conformance)" : "";
  }
}
