package com.marketplace.server;

import com.marketplace.grpc.RpcException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Checks a gRPC-Web text body as it passes. vertx-grpc 5.0.7 decodes it only at its end, and one that
 * is not base64, or too short to hold a message prefix, throws there: logged as unhandled, while the
 * call waited for a message that never came until the connection's idle timeout. Such a body fails
 * the call with INTERNAL instead, through the request's exception handler.
 */
final class WebTextBody extends HttpServerRequestWrapper {

  /** Base64 of the shortest message, a 5-byte prefix and nothing else: two 4-character groups. */
  private static final int SHORTEST = 8;

  private long characters;
  private boolean base64 = true;
  private Handler<Throwable> exceptionHandler;

  private WebTextBody(HttpServerRequest request) {
    super((HttpServerRequestInternal) request);
  }

  /** The request as vertx-grpc should read it: checked when its body is gRPC-Web text. */
  static HttpServerRequest of(HttpServerRequest request) {
    String contentType = request.getHeader("content-type");
    return contentType != null && contentType.startsWith("application/grpc-web-text") ? new WebTextBody(request) : request;
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    delegate.handler(handler == null ? null : chunk -> {
      check(chunk);
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> handler) {
    delegate.endHandler(handler == null ? null : end -> {
      if (base64 && characters >= SHORTEST && characters % 4 == 0) {
        handler.handle(end);
      } else if (exceptionHandler != null) {
        exceptionHandler.handle(new RpcException(GrpcStatus.INTERNAL, "Request body is not a base64-encoded gRPC-Web message"));
      }
    });
    return this;
  }

  private void check(Buffer chunk) {
    for (int i = 0, size = chunk.length(); i < size && base64; i++) {
      byte c = chunk.getByte(i);
      base64 = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
    }
    characters += chunk.length();
  }
}
