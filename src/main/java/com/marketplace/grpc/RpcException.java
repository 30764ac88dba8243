package com.marketplace.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;

/**
 * An expected failure of a call: ends it with this status and message, and is not logged as an error.
 * Anything else a handler throws or fails with ends the call with INTERNAL and is logged.
 *
 * <p>It may carry rich error details, sent as a {@code google.rpc.Status} in {@code grpc-status-details-bin}.
 */
public final class RpcException extends RuntimeException {

  private final GrpcStatus status;
  private final List<Any> details;
  private final boolean unprocessed;

  public RpcException(GrpcStatus status, String message) {
    this(status, message, List.of());
  }

  public RpcException(GrpcStatus status, String message, List<Any> details) {
    this(status, message, details, false);
  }

  private RpcException(GrpcStatus status, String message, List<Any> details, boolean unprocessed) {
    super(message, null, false, false);
    this.status = status;
    this.details = List.copyOf(details);
    this.unprocessed = unprocessed;
  }

  /**
   * UNAVAILABLE for a call that no server application saw: the connection was refused, or the
   * server refused the stream (GOAWAY, REFUSED_STREAM). Sending it again is safe for any method.
   */
  public static RpcException unprocessed(String message) {
    return new RpcException(GrpcStatus.UNAVAILABLE, message, List.of(), true);
  }

  /** Whether the call failed before any server application saw it, see {@link #unprocessed(String)}. */
  public boolean unprocessed() {
    return unprocessed;
  }

  public GrpcStatus status() {
    return status;
  }

  /** The error details, as {@code google.rpc.Status.details} holds them; empty when there are none. */
  public List<Any> details() {
    return details;
  }

  /** The full {@code google.rpc.Status} of this failure. */
  public com.google.rpc.Status toStatusProto() {
    return com.google.rpc.Status.newBuilder().setCode(status.code).setMessage(getMessage() == null ? "" : getMessage())
        .addAllDetails(details).build();
  }

  public static RpcException invalidArgument(String message) {
    return new RpcException(GrpcStatus.INVALID_ARGUMENT, message);
  }

  /** INVALID_ARGUMENT about one request field, with a {@code google.rpc.BadRequest} naming it. */
  public static RpcException badField(String field, String description) {
    BadRequest badRequest = BadRequest.newBuilder()
        .addFieldViolations(FieldViolation.newBuilder().setField(field).setDescription(description)).build();
    return new RpcException(GrpcStatus.INVALID_ARGUMENT, field + ": " + description, List.of(Any.pack(badRequest)));
  }

  public static RpcException notFound(String message) {
    return new RpcException(GrpcStatus.NOT_FOUND, message);
  }
}
