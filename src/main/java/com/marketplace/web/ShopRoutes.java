package com.marketplace.web;

import com.marketplace.grpc.RpcException;
import com.marketplace.http.AddressCheck;
import com.marketplace.http.ReadRoutes;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.recommendations.BookCategory;
import com.marketplace.proto.recommendations.BookRecommendation;
import com.marketplace.web.Pages.Section;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shop's routes: pages rendered from gRPC calls, the live event stream, static files and health. */
final class ShopRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(ShopRoutes.class);
  static final int BOOKS_PER_SHELF = 3;
  private static final String HTML = "text/html; charset=utf-8";
  /** Scripts and styles only from this origin, and none inline: catalog text can never run. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final List<BookCategory> SHELVES = Arrays.stream(BookCategory.values())
      .filter(category -> category != BookCategory.UNRECOGNIZED).toList();

  private final ShopBackend backend;
  private final List<String> categories;
  private final Pages pages;
  private final LiveProducts live;
  private final BooleanSupplier draining;

  /** @param draining whether the front end is shutting down, when readiness turns NOT_SERVING */
  ShopRoutes(ShopBackend backend, List<String> categories, BooleanSupplier draining) {
    this.backend = backend;
    this.categories = List.copyOf(categories);
    this.pages = new Pages(categories);
    this.live = new LiveProducts(backend);
    this.draining = draining;
  }

  Router router(Router router) {
    router.route().handler(ShopRoutes::securityHeaders);
    AddressCheck.install(router, (context, reason) -> html(context, 400, pages.badRequest("This address is malformed: " + reason)));
    ReadRoutes.of(router, "/").handler(this::home);
    ReadRoutes.of(router, "/categories/:category").handler(this::category);
    ReadRoutes.of(router, "/products/:id").handler(this::product);
    ReadRoutes.of(router, "/live").handler(context -> context.redirect("/live/" + Html.pathSegment(categories.get(0))));
    ReadRoutes.of(router, "/live/:category").handler(context -> html(context, 200, pages.live(context.pathParam("category"))));
    ReadRoutes.of(router, "/live/:category/events").handler(live::stream);
    StaticFiles.route(router, "/static/*");
    ReadRoutes.of(router, "/health/live").handler(context -> context.json(new JsonObject().put("status", "UP")));
    ReadRoutes.of(router, "/health/ready").handler(this::ready);
    router.errorHandler(404, context -> html(context, 404, pages.notFound("There is no page at this address.")));
    // Every page is read (ReadRoutes); Vert.x Web names no method in Allow once its 405 is handled here.
    router.errorHandler(405, context -> {
      context.response().putHeader("Allow", "GET, HEAD");
      html(context, 405, pages.methodNotAllowed("This page can only be read."));
    });
    router.route().failureHandler(this::failed);
    return router;
  }

  private static void securityHeaders(RoutingContext context) {
    context.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "same-origin")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    context.next();
  }

  /** Every section is asked for at once; a section whose call fails shows a notice, the rest still render. */
  private void home(RoutingContext context) {
    int userId = UserCookie.userId(context);
    List<Future<Section<Product>>> products = categories.stream()
        .map(category -> section(category, backend.products(category))).toList();
    List<Future<Section<BookRecommendation>>> shelves = SHELVES.stream()
        .map(shelf -> section(Html.title(shelf.name()), backend.recommendations(userId, shelf, BOOKS_PER_SHELF))).toList();
    Future.all(Future.all(products), Future.all(shelves)).onComplete(all -> html(context, 200,
        pages.home(products.stream().map(Future::result).toList(), shelves.stream().map(Future::result).toList())));
  }

  private void category(RoutingContext context) {
    String category = context.pathParam("category");
    section(category, backend.products(category))
        .onSuccess(section -> html(context, section.available() ? 200 : 503, pages.category(section)));
  }

  private void product(RoutingContext context) {
    String id = context.pathParam("id");
    backend.product(id).onComplete(answer -> {
      if (answer.succeeded()) {
        html(context, 200, pages.product(answer.result()));
      } else if (answer.cause() instanceof RpcException rpc
          && (rpc.status() == GrpcStatus.NOT_FOUND || rpc.status() == GrpcStatus.INVALID_ARGUMENT)) {
        html(context, 404, pages.notFound("We have no product with the id '" + id + "'."));
      } else if (answer.cause() instanceof RpcException rpc) {
        LOG.warn("product {} unavailable: {} {}", id, rpc.status(), rpc.getMessage());
        html(context, 503, pages.unavailable());
      } else {
        context.fail(answer.cause());
      }
    });
  }

  /** Ready while the front end takes requests; a backend being down shows on the pages, not here. */
  private void ready(RoutingContext context) {
    boolean serving = !draining.getAsBoolean();
    context.response().setStatusCode(serving ? 200 : 503);
    context.json(new JsonObject()
        .put("status", serving ? "UP" : "DOWN")
        .put("backends", new JsonObject(new LinkedHashMap<>(backend.channel().backendStates()))));
  }

  /** A section with the call's items, or without them when the call failed: the page says so. */
  private static <T> Future<Section<T>> section(String title, Future<List<T>> items) {
    return items.map(list -> new Section<>(title, list)).otherwise(failure -> {
      LOG.warn("{} unavailable: {}", title, failure.getMessage());
      return new Section<>(title, null);
    });
  }

  private void failed(RoutingContext context) {
    if (context.failure() != null) {
      LOG.error("{} {} failed", context.request().method(), context.request().path(), context.failure());
    }
    if (!context.response().headWritten()) {
      html(context, context.statusCode() >= 400 && context.statusCode() < 500 ? context.statusCode() : 500, pages.failed());
    }
  }

  private static void html(RoutingContext context, int status, String page) {
    context.response().setStatusCode(status).putHeader("Content-Type", HTML).putHeader("Cache-Control", "no-store").end(page);
  }
}
