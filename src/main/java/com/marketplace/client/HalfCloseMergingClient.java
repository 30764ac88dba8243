package com.marketplace.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.Address;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.impl.GrpcClientImpl;
import io.vertx.grpc.common.ServiceMethod;

/**
 * A vertx-grpc client whose calls are {@link HalfCloseMergingRequest}s. Only the call by address
 * and method is overridden, the one {@link ClientCall} makes; it leaves deadlines to the caller,
 * as {@link ClientCall} sends and enforces them itself.
 */
final class HalfCloseMergingClient extends GrpcClientImpl {

  private final HttpClient http;
  private final GrpcClientOptions options;

  private HalfCloseMergingClient(Vertx vertx, GrpcClientOptions options, HttpClient http) {
    super(vertx, options, http, true);
    this.http = http;
    this.options = options;
  }

  /** A client with its own HTTP/2 client, closed with it. */
  static HalfCloseMergingClient create(Vertx vertx, GrpcClientOptions options, HttpClientOptions httpOptions) {
    HttpClient http = vertx.httpClientBuilder()
        .with(new HttpClientOptions(httpOptions).setProtocolVersion(HttpVersion.HTTP_2))
        .build();
    return new HalfCloseMergingClient(vertx, new GrpcClientOptions(options), http);
  }

  @Override
  public <Req, Resp> Future<GrpcClientRequest<Req, Resp>> request(Address server, ServiceMethod<Resp, Req> method) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setServer(server)).map(httpRequest -> {
      HalfCloseMergingRequest<Req, Resp> call = new HalfCloseMergingRequest<>(httpRequest, options.getMaxMessageSize(),
          options.getScheduleDeadlineAutomatically(), method.encoder(), method.decoder());
      call.init();
      call.serviceName(method.serviceName());
      call.methodName(method.methodName());
      return call;
    });
  }
}
