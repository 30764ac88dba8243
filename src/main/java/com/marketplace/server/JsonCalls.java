package com.marketplace.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * HTTP/JSON calls to the transcoded methods ({@code /v1/...}): made as vertx-grpc-transcoding 5.0.7
 * needs them. One that no method is mapped to is answered by {@link UnknownMethods}.
 */
final class JsonCalls {

  private static final String PREFIX = "/v1/";
  private static final String JSON = "application/json";

  private JsonCalls() {}

  /**
   * Given a request and its path, gives a call under {@code /v1/}, and any JSON call, exactly
   * {@code Content-Type: application/json}: vertx-grpc-transcoding 5.0.7 refuses anything else with
   * 415, even a GET without a body or a {@code ; charset=utf-8}.
   */
  static void prepare(HttpServerRequest request, String path) {
    String contentType = request.getHeader("content-type");
    boolean json = contentType != null && (contentType.equals(JSON) || contentType.startsWith(JSON + ";"));
    if (!json && !path.startsWith(PREFIX)) {
      return;
    }
    request.headers().set("content-type", JSON);
  }
}
