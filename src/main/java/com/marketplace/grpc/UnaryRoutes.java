package com.marketplace.grpc;

import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The unary methods of some services, by path: a binary gRPC call to one of them is answered on
 * Vert.x's HTTP request itself ({@link UnaryHttpStream}), without vertx-grpc's per-call objects.
 */
public final class UnaryRoutes {

  private final Map<String, Predicate<HttpServerRequest>> byPath = new HashMap<>();

  /** @param services as mounted, each with its call policy */
  public UnaryRoutes(List<RpcService> services) {
    services.forEach(service -> service.addUnaryRoutes(byPath));
  }

  /**
   * Answers {@code request}, a request for {@code path}, if it is a binary gRPC call to one of these
   * methods; false leaves it to vertx-grpc (gRPC-Web, HTTP/JSON, other methods).
   */
  public boolean answer(HttpServerRequest request, String path) {
    Predicate<HttpServerRequest> route = byPath.get(path);
    return route != null && route.test(request);
  }
}
