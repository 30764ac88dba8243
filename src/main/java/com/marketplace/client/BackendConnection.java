package com.marketplace.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.impl.GrpcClientImpl;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;

/**
 * One HTTP/2 connection to a backend: streaming calls go through vertx-grpc's client (this), whole
 * calls straight on the HTTP/2 client beneath it ({@link WholeCall}), over the same connection.
 * vertx-grpc's public factories either hide the HTTP client they make or drop the client options
 * (the message size limit), hence the subclass.
 */
final class BackendConnection extends GrpcClientImpl {

  private final HttpClient http;
  private final long maxMessageSize;

  private BackendConnection(Vertx vertx, GrpcClientOptions options, HttpClient http) {
    super(vertx, options, http, true);
    this.http = http;
    this.maxMessageSize = options.getMaxMessageSize();
  }

  /** A connection with its own HTTP/2 client, closed with it. */
  static BackendConnection create(Vertx vertx, GrpcClientOptions options, HttpClientOptions httpOptions) {
    HttpClient http = vertx.httpClientBuilder()
        .with(new HttpClientOptions(httpOptions).setProtocolVersion(HttpVersion.HTTP_2))
        .build();
    return new BackendConnection(vertx, new GrpcClientOptions(options), http);
  }

  /** A whole call: sends every request, half-closes, and completes with what came back (see {@link WholeCall}). */
  <Req, Resp> Future<CallResult<Resp>> call(SocketAddress server, ServiceMethod<Resp, Req> method, CallOptions options,
                                            List<Req> requests) {
    return WholeCall.call(vertx(), http, server, method, options, maxMessageSize, requests);
  }
}
