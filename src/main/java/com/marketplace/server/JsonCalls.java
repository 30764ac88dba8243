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
   * Gives a call under {@code /v1/} the content type {@code application/json}, whatever it says:
   * vertx-grpc-transcoding 5.0.7 refuses anything else with 415, even a GET without a body. Elsewhere
   * a JSON call says so itself, in any case and with any parameters ({@link RequestProtocols}).
   */
  static void prepare(HttpServerRequest request, String path) {
    if (path.startsWith(PREFIX)) {
      request.headers().set("content-type", JSON);
    }
  }
}
