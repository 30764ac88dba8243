package com.marketplace.server;

import com.marketplace.grpc.RpcException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;

/**
 * A request body that vertx-grpc reads through a check. A body the check refuses, as it arrives or at
 * its end, fails the call with INTERNAL and the reason, through the request's exception handler (how
 * vertx-grpc hands the call a failure to read); nothing more of it, nor its end, is handed on.
 */
abstract class CheckedBody extends HttpServerRequestWrapper {

  private Handler<Throwable> exceptionHandler;
  private boolean refused;

  CheckedBody(HttpServerRequest request) {
    super((HttpServerRequestInternal) request);
  }

  /** Hands {@code reader} what of {@code chunk} it should read, if anything; or {@link #refuse}s the body. */
  abstract void read(Buffer chunk, Handler<Buffer> reader);

  /** Why the body, now ended, cannot be read; null when it can. */
  abstract String faultAtEnd();

  final void refuse(String reason) {
    refused = true;
    if (exceptionHandler != null) {
      exceptionHandler.handle(new RpcException(GrpcStatus.INTERNAL, reason));
    }
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    delegate.handler(handler == null ? null : chunk -> {
      if (!refused) {
        read(chunk, handler);
      }
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
      if (refused) {
        return;
      }
      String fault = faultAtEnd();
      if (fault == null) {
        handler.handle(end);
      } else {
        refuse(fault);
      }
    });
    return this;
  }
}
