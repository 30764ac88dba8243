package com.marketplace.grpc;

import io.vertx.grpc.common.GrpcStatus;

/** Fails the work of a call that already ended: cancelled by the client or past its deadline. */
public final class CallClosedException extends RuntimeException {

  private final GrpcStatus reason;

  CallClosedException(GrpcStatus reason) {
    super("call closed: " + reason, null, false, false);
    this.reason = reason;
  }

  public GrpcStatus reason() {
    return reason;
  }
}
