package com.marketplace.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;

/** One HTTP/2 connection to a backend, with an HTTP client of its own, closed with it. */
final class BackendConnection {

  private final HttpClient http;
  private final long maxMessageSize;

  BackendConnection(Vertx vertx, long maxMessageSize) {
    this.http = Http2Clients.create(vertx, maxMessageSize);
    this.maxMessageSize = maxMessageSize;
  }

  /** A whole call (see {@link ClientCall#call}). */
  <Req, Resp> Future<CallResult<Resp>> call(SocketAddress server, ServiceMethod<Resp, Req> method, CallOptions options,
                                            List<Req> requests) {
    return ClientCall.call(http, server, method, options, maxMessageSize, requests);
  }

  /** A call to stream on (see {@link ClientCall#start}). */
  <Req, Resp> Future<ClientCall<Req, Resp>> start(SocketAddress server, ServiceMethod<Resp, Req> method,
                                                  CallOptions options, Handler<Resp> onMessage) {
    return ClientCall.start(http, server, method, options, maxMessageSize, onMessage);
  }

  Future<Void> close() {
    return http.close();
  }
}
