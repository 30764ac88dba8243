package com.marketplace.grpc;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * The request messages of a client- or bidi-streaming call, as handlers see them.
 *
 * <p>An exception thrown by a handler ends the call through {@link ServerCall#fail}, so it gets a
 * precise status instead of vertx-grpc's bare UNKNOWN.
 */
final class CallRequests<Req> implements ReadStream<Req> {

  private final CallStream<Req> stream;
  private final ServerCall<Req, ?> call;

  CallRequests(CallStream<Req> stream, ServerCall<Req, ?> call) {
    this.stream = stream;
    this.call = call;
  }

  @Override
  public ReadStream<Req> handler(Handler<Req> handler) {
    if (handler == null) {
      stream.messageHandler(null);
    } else {
      call.requestHandler(guarded(handler));
    }
    return this;
  }

  @Override
  public ReadStream<Req> endHandler(Handler<Void> handler) {
    stream.endHandler(handler == null ? null : guarded(handler));
    return this;
  }

  @Override
  public ReadStream<Req> exceptionHandler(Handler<Throwable> handler) {
    stream.exceptionHandler(handler == null ? null : guarded(handler));
    return this;
  }

  @Override
  public ReadStream<Req> pause() {
    stream.pause();
    return this;
  }

  @Override
  public ReadStream<Req> resume() {
    stream.resume();
    return this;
  }

  @Override
  public ReadStream<Req> fetch(long amount) {
    stream.fetch(amount);
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
