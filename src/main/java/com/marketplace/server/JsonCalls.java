package com.marketplace.server;

import static com.marketplace.grpc.GrpcHeaders.GRPC_MESSAGE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * HTTP/JSON calls to the transcoded methods ({@code /v1/...}): made as vertx-grpc-transcoding 5.0.7
 * needs them, and answered as REST callers expect.
 */
final class JsonCalls {

  private static final String PREFIX = "/v1/";
  private static final String JSON = "application/json";
  /** Percent-encoded, as {@code grpc-message} is. */
  private static final String NO_METHOD = "No%20method%20is%20mapped%20to%20this%20HTTP%20method%20and%20path";

  private JsonCalls() {}

  /**
   * Given a request and its path, gives a call under {@code /v1/}, and any JSON call, exactly
   * {@code Content-Type: application/json}: vertx-grpc-transcoding 5.0.7 refuses anything else with
   * 415, even a GET without a body or a {@code ; charset=utf-8}. A JSON call that no method is mapped
   * to, under {@code /v1/} or at a method's gRPC path, is answered 404 and NOT_FOUND, where vertx-grpc
   * 5.0.7 answers an empty 500.
   */
  static void prepare(HttpServerRequest request, String path) {
    String contentType = request.getHeader("content-type");
    boolean json = contentType != null && (contentType.equals(JSON) || contentType.startsWith(JSON + ";"));
    if (!json && !path.startsWith(PREFIX)) {
      return;
    }
    request.headers().set("content-type", JSON);
    HttpServerResponse response = request.response();
    response.headersEndHandler(v -> {
      // That 500 is the only answer without a gRPC status: every transcoded method's answer has one.
      if (response.getStatusCode() == 500 && !response.headers().contains(GRPC_STATUS)) {
        response.setStatusCode(404);
        response.headers().set(GRPC_STATUS, "5").set(GRPC_MESSAGE, NO_METHOD);
      }
    });
  }
}
