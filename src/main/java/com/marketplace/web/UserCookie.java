package com.marketplace.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/** The shopper's user id for recommendations: kept in a cookie, made up on the first visit. */
final class UserCookie {

  static final String NAME = "marketplace_user";
  private static final long ONE_YEAR_SECONDS = 365L * 24 * 3600;

  private UserCookie() {}

  static int userId(RoutingContext context) {
    Cookie cookie = context.request().getCookie(NAME);
    if (cookie != null) {
      try {
        int id = Integer.parseInt(cookie.getValue());
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException ignored) {
        // a tampered or foreign cookie: replaced below
      }
    }
    int id = ThreadLocalRandom.current().nextInt(1, 1_000_000);
    context.response().addCookie(Cookie.cookie(NAME, Integer.toString(id))
        .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX).setMaxAge(ONE_YEAR_SECONDS));
    return id;
  }
}
