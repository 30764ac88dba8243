package com.marketplace.web;

import com.marketplace.http.ReadRoutes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/** The shop's static files, from {@code webroot} on the class path, cached for an hour. */
final class StaticFiles {

  private StaticFiles() {}

  /** Serves the files under {@code path}, which ends in {@code /*}, to GET and HEAD. */
  static void route(Router router, String path) {
    ReadRoutes.of(router, path)
        .handler(StaticFiles::contentTypeOfHead)
        .handler(StaticHandler.create("webroot").setMaxAgeSeconds(3600));
  }

  /**
   * Vert.x Web 5.0.7's static handler answers HEAD without the content type its GET carries: it is
   * added as that GET's is, from the file name, text in UTF-8.
   */
  private static void contentTypeOfHead(RoutingContext context) {
    if (context.request().method() == HttpMethod.HEAD) {
      HttpServerResponse response = context.response();
      String type = MimeMapping.mimeTypeForFilename(context.normalizedPath());
      response.headersEndHandler(ignored -> {
        if (type != null && response.getStatusCode() == 200 && !response.headers().contains(HttpHeaders.CONTENT_TYPE)) {
          response.putHeader(HttpHeaders.CONTENT_TYPE, type.startsWith("text") ? type + ";charset=UTF-8" : type);
        }
      });
    }
    context.next();
  }
}
