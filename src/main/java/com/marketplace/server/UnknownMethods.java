package com.marketplace.server;

import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;

import com.marketplace.grpc.CallPolicy;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.UnknownMethodCall;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcProtocol;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Shows the interceptors the gRPC calls to methods no mounted service has. vertx-grpc answers those
 * UNIMPLEMENTED itself, before any {@link com.marketplace.grpc.ServerCall} exists, so without this
 * they would be missing from the access log and the metrics.
 */
final class UnknownMethods {

  private final Set<String> paths;
  private final CallPolicy policy;

  UnknownMethods(List<RpcService> mounted, CallPolicy policy) {
    this.paths = mounted.stream().flatMap(service -> service.methodNames().stream()).map(name -> "/" + name)
        .collect(Collectors.toUnmodifiableSet());
    this.policy = policy;
  }

  /**
   * Call with the request's path and protocol before the gRPC server sees the request: a gRPC call to
   * an unknown method is reported once answered.
   */
  void watch(HttpServerRequest request, String path, GrpcProtocol protocol) {
    if (protocol == GrpcProtocol.TRANSCODING || paths.contains(path)) {
      return;
    }
    long arrived = System.nanoTime();
    HttpServerResponse response = request.response();
    // Its body-end handler, as the end handler is FlushCoalescing's; both run once the answer is written.
    response.bodyEndHandler(v -> {
      String status = response.headers().get(GRPC_STATUS);
      if (status == null) {
        return; // not a gRPC answer
      }
      UnknownMethodCall call = new UnknownMethodCall(path.substring(1), String.valueOf(request.connection().remoteAddress()),
          GrpcStatus.valueOf(Integer.parseInt(status)), System.nanoTime() - arrived);
      policy.interceptors().forEach(interceptor -> interceptor.unknownMethod(call));
    });
  }
}
