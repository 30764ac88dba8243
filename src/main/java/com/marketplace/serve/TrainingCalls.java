package com.marketplace.serve;

import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.client.Http2Clients;
import com.marketplace.grpc.CallPolicy;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * What {@code serve --exit-when-serving} does before it stops: a gRPC health Check, a GetProduct
 * and a readiness request, against itself, over TLS when the server has it. A class-data archive
 * made from that run then also holds the classes that answering the first calls needs, not only those
 * of the start. Their answers do not matter: the catalog may lack the product, authentication may
 * refuse the calls, and a server that asks for client certificates refuses the handshake.
 */
final class TrainingCalls {

  private TrainingCalls() {}

  /** Completes once every call has ended, whatever its outcome; never fails. */
  static Future<Void> run(Vertx vertx, MarketplaceServer server) {
    String host = server.config().host().equals("0.0.0.0") || server.config().host().equals("::")
        ? "127.0.0.1" : server.config().host();
    HttpClient grpc = server.config().tls()
        ? Http2Clients.trustingAnyServer(vertx, CallPolicy.DEFAULT_MAX_MESSAGE_SIZE)
        : Http2Clients.create(vertx, CallPolicy.DEFAULT_MAX_MESSAGE_SIZE);
    HttpClient http = vertx.createHttpClient();
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), host);
    Future<?> check = ClientCall.call(grpc, address, HealthGrpcClient.Check, CallOptions.defaults(),
        CallPolicy.DEFAULT_MAX_MESSAGE_SIZE, List.of(HealthCheckRequest.getDefaultInstance()));
    Future<?> product = ClientCall.call(grpc, address, ProductServiceGrpcClient.GetProduct, CallOptions.defaults(),
        CallPolicy.DEFAULT_MAX_MESSAGE_SIZE, List.of(GetProductRequest.newBuilder().setProductId("p001").build()));
    Future<?> ready = http.request(HttpMethod.GET, server.managementPort(), host, "/health/ready")
        .compose(request -> request.send().compose(HttpClientResponse::body));
    return Future.join(check, product, ready)
        .eventually(() -> Future.join(grpc.close(), http.close()))
        .otherwiseEmpty()
        .mapEmpty();
  }
}
