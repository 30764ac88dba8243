package com.marketplace.observability;

import com.marketplace.grpc.ServerCall;
import com.marketplace.grpc.ServerInterceptor;
import com.marketplace.grpc.UnknownMethodCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-level metrics per service, method and status code, which vertx-grpc does not report:
 * {@code grpc_server_started_total}, {@code grpc_server_handled_total}, the
 * {@code grpc_server_handling_seconds} histogram, {@code grpc_server_msg_received_total} and
 * {@code grpc_server_msg_sent_total}.
 *
 * <p>Meters are made once per method and status and kept, so a call costs a map lookup, not a registration.
 * Calls to methods no service has share the labels {@value #OTHER} (as in grpc-java's metrics), so
 * that made-up method names cannot add meters without end.
 */
public final class CallMetrics implements ServerInterceptor {

  static final String OTHER = "other";

  private final MeterRegistry registry;
  private final Map<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

  public CallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void intercept(ServerCall<?, ?> call, Runnable proceed) {
    MethodMeters meters = byMethod.computeIfAbsent(call.methodName(),
        name -> new MethodMeters(call.serviceName(), call.simpleMethodName()));
    meters.started.increment();
    call.onMessages(meters);
    call.whenClosed().onSuccess(status -> meters.ended(status, call.elapsedNanos()));
    proceed.run();
  }

  @Override
  public void unknownMethod(UnknownMethodCall call) {
    MethodMeters meters = byMethod.computeIfAbsent(OTHER, name -> new MethodMeters(OTHER, OTHER));
    meters.started.increment();
    meters.ended(call.status(), call.elapsedNanos());
  }

  private record Handled(Counter count, Timer duration) {}

  /** The meters of one method; its message counters count as each message passes, so open streams show. */
  private final class MethodMeters implements ServerCall.MessageListener {
    final Tags tags;
    final Counter started;
    final Counter receivedMessages;
    final Counter sentMessages;
    /**
     * By status (its ordinal), made at a status's first call. Racing first calls may both make it: the
     * registry hands both the same meters, so either write is right.
     */
    final Handled[] byStatus = new Handled[GrpcStatus.values().length];

    MethodMeters(String service, String method) {
      tags = Tags.of("grpc_service", service, "grpc_method", method);
      started = Counter.builder("grpc.server.started").description("Calls started").tags(tags).register(registry);
      receivedMessages = Counter.builder("grpc.server.msg.received").description("Request messages").tags(tags).register(registry);
      sentMessages = Counter.builder("grpc.server.msg.sent").description("Response messages").tags(tags).register(registry);
    }

    @Override
    public void received() {
      receivedMessages.increment();
    }

    @Override
    public void sent() {
      sentMessages.increment();
    }

    void ended(GrpcStatus status, long elapsedNanos) {
      Handled handled = byStatus[status.ordinal()];
      if (handled == null) {
        handled = handled(status);
        byStatus[status.ordinal()] = handled;
      }
      handled.count.increment();
      handled.duration.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    Handled handled(GrpcStatus status) {
      Tags withCode = tags.and("grpc_code", status.name());
      return new Handled(
          Counter.builder("grpc.server.handled").description("Calls ended, by status").tags(withCode).register(registry),
          Timer.builder("grpc.server.handling").description("Call duration, by status").tags(withCode)
              .publishPercentileHistogram().register(registry));
    }
  }
}
