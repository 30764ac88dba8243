package com.marketplace.grpc;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * The request messages of a client- or bidi-streaming call, as handlers see them.
 *
 * <p>An exception thrown by a handler ends the call through {@link ServerCall#fail}, so it gets a
 * precise status instead of vertx-grpc's bare UNKNOWN.
 */
final class CallRequests<Req> implements ReadStream<Req> {

  private final GrpcServerRequest<Req, ?> request;
  private final ServerCall<Req, ?> call;

  CallRequests(GrpcServerRequest<Req, ?> request, ServerCall<Req, ?> call) {
    this.request = request;
    this.call = call;
  }

  @Override
  public ReadStream<Req> handler(Handler<Req> handler) {
    if (handler == null) {
      request.messageHandler(null);
    } else {
      call.requestHandler(guarded(handler));
    }
    return this;
  }

  @Override
  public ReadStream<Req> endHandler(Handler<Void> handler) {
    request.endHandler(handler == null ? null : guarded(handler));
    return this;
  }

  @Override
  public ReadStream<Req> exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler == null ? null : guarded(handler));
    return this;
  }

  @Override
  public ReadStream<Req> pause() {
    request.pause();
    return this;
  }

  @Override
  public ReadStream<Req> resume() {
    request.resume();
    return this;
  }

  @Override
  public ReadStream<Req> fetch(long amount) {
    request.fetch(amount);
    return this;
  }

  private <T> Handler<T> guarded(Handler<T> handler) {
    return event -> {
      if (!call.isOpen()) {
        return;
      }
      try {
        handler.handle(event);
      } catch (RuntimeException e) {
        call.fail(e);
      }
    };
  }
}
