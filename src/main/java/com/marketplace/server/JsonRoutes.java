package com.marketplace.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.transcoding.TranscodingServiceMethod;
import io.vertx.grpc.transcoding.impl.PathMatcher;
import io.vertx.grpc.transcoding.impl.PathMatcherBuilder;
import io.vertx.grpc.transcoding.impl.PathMatcherLookupResult;
import io.vertx.grpc.transcoding.impl.PathMatcherUtility;
import io.vertx.grpc.transcoding.impl.config.HttpVariableBinding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which HTTP/JSON calls a mounted method answers, decided as vertx-grpc-transcoding 5.0.7 decides it:
 * a method with an HTTP rule at its rule's HTTP method and path (matched by vertx-grpc-transcoding's
 * own path matcher, one per method as it keeps them), and one without at its gRPC path, whatever the
 * HTTP method. Known before the call is handed over, so that a call no method answers gets a JSON
 * body, which vertx-grpc, answering it itself, would not send.
 */
final class JsonRoutes {

  /** Why a JSON call is answered without reaching a method: its status and message. */
  record Refusal(GrpcStatus status, String message) {}

  private static final Refusal UNMAPPED = new Refusal(GrpcStatus.NOT_FOUND, "No method is mapped to this HTTP method and path");

  private final List<PathMatcher> rules = new ArrayList<>();
  private final Set<String> grpcPaths = new HashSet<>();

  JsonRoutes(List<ServiceMethod<?, ?>> methods) {
    for (ServiceMethod<?, ?> method : methods) {
      if (method instanceof TranscodingServiceMethod<?, ?> transcoded && transcoded.options() != null) {
        PathMatcherBuilder rule = new PathMatcherBuilder();
        PathMatcherUtility.registerByHttpRule(rule, transcoded.options(), method.fullMethodName());
        rules.add(rule.build());
      } else {
        grpcPaths.add("/" + method.fullMethodName());
      }
    }
  }

  /**
   * Why no method takes this call, or null if one does: no method is mapped to its HTTP method and
   * path, or a query parameter names a field the path binds. vertx-grpc-transcoding 5.0.7 lets such a
   * parameter replace the path's value ({@code GET /v1/products/p001?product_id=p002} is p002), where
   * the HTTP rule makes query parameters of the fields the path does not bind, and a proxy that
   * allows a call by its path would be deceived.
   */
  Refusal refusal(HttpMethod method, String path, String query) {
    if (grpcPaths.contains(path)) {
      return null;
    }
    for (PathMatcher rule : rules) {
      PathMatcherLookupResult fromPath = rule.lookup(method.name(), path, "");
      if (fromPath != null) {
        String overriding = query == null || query.isEmpty() ? null : queryParameterBoundByPath(rule, fromPath, method, path, query);
        return overriding == null ? null
            : new Refusal(GrpcStatus.INVALID_ARGUMENT, "Query parameter '" + overriding + "' names a field the path already sets");
      }
    }
    return UNMAPPED;
  }

  private static String queryParameterBoundByPath(PathMatcher rule, PathMatcherLookupResult fromPath, HttpMethod method,
                                                  String path, String query) {
    List<HttpVariableBinding> bindings = rule.lookup(method.name(), path, query).getVariableBindings();
    int pathBindings = fromPath.getVariableBindings().size();
    Set<List<String>> bound = new HashSet<>();
    fromPath.getVariableBindings().forEach(binding -> bound.add(binding.getFieldPath()));
    for (HttpVariableBinding fromQuery : bindings.subList(pathBindings, bindings.size())) {
      if (bound.contains(fromQuery.getFieldPath())) {
        return String.join(".", fromQuery.getFieldPath());
      }
    }
    return null;
  }
}
