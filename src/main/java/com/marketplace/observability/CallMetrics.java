package com.marketplace.observability;

import com.marketplace.grpc.ServerCall;
import com.marketplace.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-level metrics per service, method and status code, which vertx-grpc does not report:
 * {@code grpc_server_started_total}, {@code grpc_server_handled_total}, the
 * {@code grpc_server_handling_seconds} histogram, {@code grpc_server_msg_received_total} and
 * {@code grpc_server_msg_sent_total}.
 */
public final class CallMetrics implements ServerInterceptor {

  private final MeterRegistry registry;

  public CallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void intercept(ServerCall<?, ?> call, Runnable proceed) {
    Tags method = Tags.of("grpc_service", call.serviceName(), "grpc_method", call.simpleMethodName());
    Counter.builder("grpc.server.started").description("Calls started").tags(method).register(registry).increment();
    call.whenClosed().onSuccess(status -> {
      Tags handled = method.and("grpc_code", status.name());
      Counter.builder("grpc.server.handled").description("Calls ended, by status").tags(handled).register(registry).increment();
      Timer.builder("grpc.server.handling").description("Call duration, by status").tags(handled)
          .publishPercentileHistogram().register(registry).record(call.elapsedNanos(), TimeUnit.NANOSECONDS);
      Counter.builder("grpc.server.msg.received").description("Request messages").tags(method).register(registry)
          .increment(call.messagesReceived());
      Counter.builder("grpc.server.msg.sent").description("Response messages").tags(method).register(registry)
          .increment(call.messagesSent());
    });
    proceed.run();
  }
}
