package com.marketplace.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * A router's first route: an address whose path or query string does not decode (a stray {@code %})
 * is answered as a bad request. Left to the router, it fails while routes are matched, and Vert.x
 * Web logs it as an unhandled error with a stack trace.
 */
public final class AddressCheck {

  private AddressCheck() {}

  /** @param badRequest answers the request, given the reason the address does not decode */
  public static void install(Router router, BiConsumer<RoutingContext, String> badRequest) {
    router.route().handler(context -> {
      try {
        context.normalizedPath();
        context.request().params();
      } catch (IllegalArgumentException malformed) {
        badRequest.accept(context, malformed.getMessage());
        return;
      }
      context.next();
    });
  }
}
