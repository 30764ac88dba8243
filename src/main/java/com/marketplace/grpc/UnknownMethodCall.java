package com.marketplace.grpc;

import io.vertx.grpc.common.GrpcStatus;

/**
 * A call to a method that no service on the server has. vertx-grpc answers it itself (UNIMPLEMENTED)
 * before any {@link ServerCall} exists, so interceptors see it through
 * {@link ServerInterceptor#unknownMethod}, once it has been answered.
 *
 * @param methodName   the full method name the call asked for, e.g. {@code pkg.Service/Method}
 * @param peer         the client's address
 * @param status       the status it was answered with
 * @param elapsedNanos from its arrival until its answer ended
 */
public record UnknownMethodCall(String methodName, String peer, GrpcStatus status, long elapsedNanos) {}
