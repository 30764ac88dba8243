package com.marketplace.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;

/**
 * CORS on the gRPC port, so that pages from the configured origins may call it from a browser
 * (gRPC-Web, HTTP/JSON). A preflight is answered here; a call from an allowed origin gets the headers
 * that let its page read the answer, the gRPC status among them. Other origins get no CORS headers,
 * which a browser takes as a refusal; clients that are not browsers send no {@code Origin} and see no
 * difference.
 */
final class CrossOriginCalls {

  /** What a gRPC-Web client reads from the headers: the status of a trailers-only answer, and the encoding. */
  private static final String EXPOSED = "grpc-status, grpc-message, grpc-status-details-bin, grpc-encoding";
  /** Seconds a browser may reuse a preflight's answer: Chromium's ceiling. */
  private static final String MAX_AGE = "7200";

  private final Set<String> origins;
  private final boolean anyOrigin;

  /** @param origins as {@code corsAllowedOrigins} gives them: none, some, or {@code *} */
  CrossOriginCalls(List<String> origins) {
    this.origins = Set.copyOf(origins);
    this.anyOrigin = origins.contains("*");
  }

  /**
   * Adds the CORS headers that the answer to {@code request} needs, and answers it when it is a
   * preflight (true); false leaves it to be served.
   */
  boolean answered(HttpServerRequest request) {
    String origin = origins.isEmpty() ? null : request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      return false;
    }
    boolean preflight = request.method() == HttpMethod.OPTIONS
        && request.headers().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    HttpServerResponse response = request.response();
    if (!anyOrigin) {
      response.putHeader(HttpHeaders.VARY, "Origin");
    }
    if (anyOrigin || origins.contains(origin)) {
      response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin);
      if (preflight) {
        String headers = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST")
            .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        if (headers != null) {
          response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers);
        }
      } else {
        response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
      }
    }
    if (preflight) {
      response.setStatusCode(204).end();
    }
    return preflight;
  }
}
