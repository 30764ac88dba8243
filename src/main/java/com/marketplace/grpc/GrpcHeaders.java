package com.marketplace.grpc;

import io.vertx.core.http.HttpHeaders;

/**
 * The header names and values of gRPC over HTTP/2 that each call sends or reads, made once as
 * Vert.x's pre-encoded header strings, and HTTP/2's error code for a cancelled call.
 */
public final class GrpcHeaders {

  public static final CharSequence GRPC_CONTENT_TYPE = HttpHeaders.createOptimized("application/grpc");
  public static final CharSequence GRPC_ENCODING = HttpHeaders.createOptimized("grpc-encoding");
  public static final CharSequence GRPC_ACCEPT_ENCODING = HttpHeaders.createOptimized("grpc-accept-encoding");
  public static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
  public static final CharSequence GRPC_STATUS = HttpHeaders.createOptimized("grpc-status");
  public static final CharSequence GRPC_MESSAGE = HttpHeaders.createOptimized("grpc-message");
  /** HTTP/2's CANCEL error code, with which a call's stream is reset. */
  public static final int CANCEL = 0x8;

  private GrpcHeaders() {}
}
