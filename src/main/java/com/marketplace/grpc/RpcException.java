package com.marketplace.grpc;

import io.vertx.grpc.common.GrpcStatus;

/**
 * An expected failure of a call: ends it with this status and message, and is not logged as an error.
 * Anything else a handler throws or fails with ends the call with INTERNAL and is logged.
 */
public final class RpcException extends RuntimeException {

  private final GrpcStatus status;

  public RpcException(GrpcStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }

  public static RpcException invalidArgument(String message) {
    return new RpcException(GrpcStatus.INVALID_ARGUMENT, message);
  }

  public static RpcException notFound(String message) {
    return new RpcException(GrpcStatus.NOT_FOUND, message);
  }
}
