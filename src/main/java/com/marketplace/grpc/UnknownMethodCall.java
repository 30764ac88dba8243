package com.marketplace.grpc;

import io.vertx.grpc.common.GrpcStatus;

/**
 * A call to a method that no service on the server has, answered (UNIMPLEMENTED, or NOT_FOUND over
 * HTTP/JSON) before any {@link ServerCall} exists, so interceptors see it through
 * {@link ServerInterceptor#unknownMethod}, once it has been answered.
 *
 * @param methodName   the full method name the call asked for, e.g. {@code pkg.Service/Method}, or for an
 *                     HTTP/JSON call its HTTP method and path, e.g. {@code GET /v1/orders/1}
 * @param peer         the client's address
 * @param status       the status it was answered with
 * @param elapsedNanos from its arrival until its answer ended
 */
public record UnknownMethodCall(String methodName, String peer, GrpcStatus status, long elapsedNanos) {}
