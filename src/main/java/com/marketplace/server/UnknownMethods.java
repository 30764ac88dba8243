package com.marketplace.server;

import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;

import com.marketplace.grpc.CallPolicy;
import com.marketplace.grpc.JsonErrorBody;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.UnknownMethodCall;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcProtocol;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Calls to methods no mounted service has. vertx-grpc answers a gRPC one UNIMPLEMENTED itself,
 * before any {@link com.marketplace.grpc.ServerCall} exists; an HTTP/JSON one is answered here, 404
 * and NOT_FOUND with its status as the JSON body, where vertx-grpc 5.0.7 answers an empty 500. So is
 * an HTTP/JSON call whose query would replace a field its path sets (400, INVALID_ARGUMENT). Either
 * way the interceptors are shown the call, so that it is in the access log and the metrics.
 */
final class UnknownMethods {

  private final Set<String> grpcPaths;
  private final JsonRoutes jsonRoutes;
  private final CallPolicy policy;

  UnknownMethods(List<RpcService> mounted, CallPolicy policy) {
    List<ServiceMethod<?, ?>> methods = mounted.stream().flatMap(service -> service.methods().stream()).toList();
    this.grpcPaths = methods.stream().map(method -> "/" + method.fullMethodName()).collect(Collectors.toUnmodifiableSet());
    this.jsonRoutes = new JsonRoutes(methods);
    this.policy = policy;
  }

  /**
   * Call with the request's path and protocol before the gRPC server sees the request: a call to an
   * unknown method is reported once answered. Returns true if the call was answered here: then the
   * gRPC server must not see it.
   */
  boolean answered(HttpServerRequest request, String path, GrpcProtocol protocol) {
    if (protocol == GrpcProtocol.TRANSCODING) {
      JsonRoutes.Refusal refusal = jsonRoutes.refusal(request.method(), path, request.query());
      if (refusal != null) {
        reportWhenAnswered(request, request.method() + " " + path);
        JsonErrorBody.end(request.response(), refusal.status(), refusal.message(), MultiMap.caseInsensitiveMultiMap());
        return true;
      }
      return false;
    }
    if (!grpcPaths.contains(path)) {
      reportWhenAnswered(request, path.substring(1));
    }
    return false;
  }

  private void reportWhenAnswered(HttpServerRequest request, String methodName) {
    long arrived = System.nanoTime();
    HttpServerResponse response = request.response();
    // Its body-end handler, as the end handler is FlushCoalescing's; both run once the answer is written.
    response.bodyEndHandler(v -> {
      String status = response.headers().get(GRPC_STATUS);
      if (status == null) {
        return; // not a gRPC answer
      }
      UnknownMethodCall call = new UnknownMethodCall(methodName, String.valueOf(request.connection().remoteAddress()),
          GrpcStatus.valueOf(Integer.parseInt(status)), System.nanoTime() - arrived);
      policy.interceptors().forEach(interceptor -> interceptor.unknownMethod(call));
    });
  }
}
