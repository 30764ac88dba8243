package com.marketplace.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * Routes to resources that are read: GET, and HEAD, which HTTP requires wherever GET is served (RFC
 * 9110, 9.1) and which uptime checks and some load balancers send. Vert.x Web's {@code router.get}
 * matches GET alone and answers HEAD 405; Vert.x sends a HEAD answer's headers without its body.
 */
public final class ReadRoutes {

  private ReadRoutes() {}

  /** A route for GET and HEAD requests to {@code path}. */
  public static Route of(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }
}
