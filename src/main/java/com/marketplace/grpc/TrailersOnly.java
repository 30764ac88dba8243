package com.marketplace.grpc;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * gRPC's Trailers-Only answer (the status in the headers, which end the stream) as gRPC servers
 * send it: without the {@code content-length: 0} Vert.x adds to a response ended before its head,
 * which gRPC clients would hand to the application as trailing metadata.
 */
public final class TrailersOnly {

  private TrailersOnly() {}

  /** Keeps Vert.x's content-length off {@code response}'s head, whenever that head is written. */
  public static void withoutContentLength(HttpServerResponse response) {
    // Vert.x adds the header before it runs this handler, just before the head goes out.
    response.headersEndHandler(v -> response.headers().remove(HttpHeaders.CONTENT_LENGTH));
  }
}
