package com.marketplace.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.transcoding.TranscodingServiceMethod;
import io.vertx.grpc.transcoding.impl.PathMatcher;
import io.vertx.grpc.transcoding.impl.PathMatcherBuilder;
import io.vertx.grpc.transcoding.impl.PathMatcherUtility;
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
}
