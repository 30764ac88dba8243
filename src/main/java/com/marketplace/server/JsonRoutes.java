package com.marketplace.server;

import io.vertx.core.http.HttpMethod;
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

  boolean mapped(HttpMethod method, String path) {
    if (grpcPaths.contains(path)) {
      return true;
    }
    for (PathMatcher rule : rules) {
      if (rule.lookup(method.name(), path) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * A query parameter of a call to a mapped method that names a field its path binds, or null.
   * vertx-grpc-transcoding 5.0.7 lets it replace the path's value ({@code GET /v1/products/p001?product_id=p002}
   * is p002), where the HTTP rule makes query parameters of the fields the path does not bind, and
   * a proxy that allows a call by its path would be deceived.
   */
  String queryParameterBoundByPath(HttpMethod method, String path, String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (PathMatcher rule : rules) {
      PathMatcherLookupResult fromPath = rule.lookup(method.name(), path, "");
      if (fromPath == null) {
        continue;
      }
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
    return null;
  }
}
