package com.marketplace.web;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.marketplace.proto.product.Product;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.Ports;
import com.marketplace.testing.TestClients.HttpReply;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every route of the shop, over real sockets, against a real backend, a dead one and a silent one. */
@ExtendWith(VertxExtension.class)
class WebFrontEndTest {

  private static final List<String> CATEGORIES = List.of("Electronics", "Books", "Furniture");

  static WebConfig config(int backendPort, Duration deadline) {
    return new WebConfig("127.0.0.1", 0, List.of(HostAndPort.create("127.0.0.1", backendPort)), deadline, CATEGORIES, 2, null);
  }

  private static ShopBrowser shopOn(Vertx vertx, int backendPort, Duration deadline) {
    return new ShopBrowser(vertx, await(WebFrontEnd.start(vertx, config(backendPort, deadline))).port());
  }

  private static ShopBrowser shop(Vertx vertx, MarketplaceServer backend) {
    return shopOn(vertx, backend.port(), Duration.ofSeconds(2));
  }

  @Test
  void theHomePageShowsEveryCategoryAndBooksPickedForTheShopper(Vertx vertx) {
    ShopBrowser.Page home = shop(vertx, TestServers.start(vertx)).get("/");

    assertEquals(200, home.status());
    assertTrue(home.header("Content-Type").startsWith("text/html"), home.header("Content-Type"));
    for (String text : List.of("Laptop Pro X", "$1,500.00", "href=\"/products/p001\"", "The Python Guide", "$45.99",
        "Standing Desk", "href=\"/categories/Furniture\"", "Books picked for you", "Mystery", "Science fiction", "Self help")) {
      assertTrue(home.body().contains(text), "missing " + text);
    }
    assertEquals(3, home.count("<ol class=\"titles\">"), home.body());
    assertFalse(home.body().contains("unavailable"), home.body());
    assertTrue(home.header("Set-Cookie").startsWith(UserCookie.NAME + "="), home.header("Set-Cookie"));
  }

  @Test
  void aProductPageShowsTheProductAndAnUnknownIdAFriendly404(Vertx vertx) {
    ShopBrowser shop = shop(vertx, TestServers.start(vertx));

    ShopBrowser.Page laptop = shop.get("/products/p001");
    ShopBrowser.Page unknown = shop.get("/products/p999");
    ShopBrowser.Page nowhere = shop.get("/no/such/page");

    assertEquals(200, laptop.status());
    assertTrue(laptop.body().contains("<h1>Laptop Pro X</h1>") && laptop.body().contains("$1,500.00")
        && laptop.body().contains("14-inch laptop"), laptop.body());
    assertEquals(404, unknown.status());
    assertTrue(unknown.body().contains("We have no product with the id &#39;p999&#39;."), unknown.body());
    assertEquals(404, nowhere.status());
    assertTrue(nowhere.body().contains("Back to the shop"), nowhere.body());
  }

  /**
   * Regression: HEAD, which HTTP requires wherever GET is served, was answered 404 with the not-found
   * page; and a static file's HEAD lacked the content type.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/", "/products/p001", "/categories/Books", "/live/Books/events", "/static/shop.css",
      "/static/favicon.svg", "/health/ready"})
  void pagesAnswerHeadAsGetWithoutABody(String path, Vertx vertx) {
    int port = await(WebFrontEnd.start(vertx, config(TestServers.start(vertx).port(), Duration.ofSeconds(2)))).port();
    HttpClient http = TestClients.http(vertx);
    HttpReply get = await(TestClients.get(http, port, path));
    HttpReply head = await(TestClients.head(http, port, path));

    assertEquals(200, get.status());
    assertEquals(200, head.status());
    assertEquals(get.headers().get("content-type"), head.headers().get("content-type"));
    if (path.startsWith("/static/")) {
      assertEquals(String.valueOf(get.body().length()), head.headers().get("content-length"));
    }
    assertEquals(0, head.body().length());
  }

  /** Regression: a POST to a page got the not-found page; it is 405, naming the methods a page takes. */
  @Test
  void anotherMethodThanGetOrHeadIsNotAllowedAndAnUnknownAddressStillNotFound(Vertx vertx) {
    int port = await(WebFrontEnd.start(vertx, config(TestServers.start(vertx).port(), Duration.ofSeconds(2)))).port();
    HttpClient http = TestClients.http(vertx);
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port);

    HttpReply toAPage = await(TestClients.exchange(http, post.setURI("/products/p001"), Buffer.buffer("x")));
    assertEquals(405, toAPage.status());
    assertEquals(Set.of("GET", "HEAD"), Set.of(toAPage.headers().get("Allow").split("\\s*,\\s*")));
    assertTrue(toAPage.body().toString().contains("Method not allowed"), toAPage.body().toString());

    HttpReply toNowhere = await(TestClients.exchange(http, post.setURI("/no/such/page"), Buffer.buffer("x")));
    assertEquals(404, toNowhere.status());
    assertTrue(toNowhere.body().toString().contains("There is no page at this address."), toNowhere.body().toString());
  }

  /**
   * Regression: Vert.x Web answered a bare 400 and logged the decoding failure as an unhandled error,
   * for a malformed query and for a malformed path alike.
   */
  @ParameterizedTest
  @CsvSource({"/products/p001?x=%ZZ, invalid hex byte", "/products/%ZZ, Invalid escape sequence: %ZZ",
      "/categories/Elec%2, Invalid position for escape character"})
  void aMalformedAddressIsABadRequestPageAndLogsNothing(String address, String reason, Vertx vertx) {
    ShopBrowser shop = shop(vertx, TestServers.start(vertx));
    try (LogCapture log = LogCapture.all()) {
      ShopBrowser.Page page = shop.get(address);

      assertEquals(400, page.status());
      assertTrue(page.body().contains("<h1>Bad request</h1>") && page.body().contains(reason), page.body());
      assertEquals(List.of(), log.atLeast(Level.WARN));
    }
  }

  /**
   * Many pages in a row over one kept-alive connection, each asked for once the last has arrived,
   * from the test thread. Reading a reply's body in a later callback than the one that hands over
   * the response lost a reply within 400 requests in 3 runs of 3 (see {@code TestClients.exchange}).
   */
  @Test
  void pageAfterPageEveryRequestIsAnswered(Vertx vertx) {
    ShopBrowser shop = shop(vertx, TestServers.start(vertx));

    for (int i = 0; i < 400; i++) {
      assertEquals(200, shop.get("/products/p001").status());
      assertEquals(404, shop.get("/no/such/page").status());
      assertEquals(200, shop.get("/health/live").status());
    }
  }

  @Test
  void aCategoryPageListsItsProducts(Vertx vertx) {
    ShopBrowser shop = shop(vertx, TestServers.start(vertx));

    ShopBrowser.Page furniture = shop.get("/categories/Furniture");
    ShopBrowser.Page empty = shop.get("/categories/Garden");

    assertEquals(200, furniture.status());
    assertEquals(2, furniture.count("class=\"card\""));
    assertTrue(furniture.body().contains("Ergonomic Chair") && furniture.body().contains("$329.00"));
    assertEquals(200, empty.status());
    assertTrue(empty.body().contains("No products in this category yet."));
  }

  @Test
  void catalogTextIsEscapedEverywhereAndPagesCarrySecurityHeaders(Vertx vertx) {
    MarketplaceServer backend = TestServers.start(vertx);
    backend.services().products().put(Product.newBuilder().setId("x\"1").setName("<script>alert('name')</script>")
        .setDescription("a & b <img src=x onerror=alert(1)>").setPrice(1).setCategory("Books").build());
    ShopBrowser shop = shop(vertx, backend);

    for (String path : List.of("/", "/categories/Books", "/products/x%221")) {
      ShopBrowser.Page page = shop.get(path);
      assertEquals(200, page.status(), path);
      assertFalse(page.body().contains("<script>alert") || page.body().contains("<img"), path + ": " + page.body());
      assertTrue(page.body().contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"), path);
      assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"), path);
      assertEquals("nosniff", page.header("X-Content-Type-Options"));
      assertEquals("DENY", page.header("X-Frame-Options"));
    }
    assertTrue(shop.get("/").body().contains("href=\"/products/x%221\""));
  }

  @Test
  void withTheBackendDownPagesStillRenderAndSaySo(Vertx vertx) {
    ShopBrowser shop = shopOn(vertx, Ports.free(), Duration.ofSeconds(2));

    assertBackendTroubleShows(shop);
  }

  @Test
  void withASilentBackendTheDeadlineLetsPagesRenderAndSaySo(Vertx vertx) {
    GrpcServer silent = GrpcServer.server(vertx);
    silent.callHandler(call -> { });
    ShopBrowser shop = shopOn(vertx, TestServers.serve(vertx, silent).port(), Duration.ofMillis(300));

    assertBackendTroubleShows(shop);
  }

  private static void assertBackendTroubleShows(ShopBrowser shop) {
    ShopBrowser.Page home = shop.get("/");
    ShopBrowser.Page product = shop.get("/products/p001");
    ShopBrowser.Page ready = shop.get("/health/ready");

    assertEquals(200, home.status());
    assertEquals(3, home.count("Products unavailable right now."), home.body());
    assertEquals(3, home.count("Recommendations unavailable right now."), home.body());
    assertEquals(503, product.status());
    assertTrue(product.body().contains("We will be right back"), product.body());
    assertEquals(200, ready.status(), "the front end itself still serves");
    assertEquals("UP", new JsonObject(ready.body()).getString("status"));
  }

  @Test
  void theFrontEndIsReadyAndReportsWhatItKnowsOfItsBackends(Vertx vertx) {
    MarketplaceServer backend = TestServers.start(vertx);
    ShopBrowser shop = shop(vertx, backend);

    assertEquals(200, shop.get("/health/live").status());
    JsonObject ready = new JsonObject(shop.get("/health/ready").body());
    assertEquals("UP", ready.getString("status"));
    assertTrue(ready.getJsonObject("backends").containsKey("127.0.0.1:" + backend.port()), ready.encode());
  }

  @Test
  void theLivePageLoadsItsScriptAndTheStreamSendsEachProductThenTheEnd(Vertx vertx) {
    ShopBrowser shop = shop(vertx, TestServers.start(vertx));

    ShopBrowser.Page page = shop.get("/live/Electronics");
    ShopBrowser.Page script = shop.get("/static/live.js");
    ShopBrowser.Page events = shop.get("/live/Electronics/events");

    assertTrue(page.body().contains("data-category=\"Electronics\"") && page.body().contains("src=\"/static/live.js\""));
    assertEquals(200, script.status());
    assertTrue(script.header("Content-Type").contains("javascript"), script.header("Content-Type"));
    assertTrue(events.header("Content-Type").startsWith("text/event-stream"));
    assertEquals(4, events.count("event: product\ndata: {"), events.body());
    assertTrue(events.body().contains("\"name\":\"Laptop Pro X\"") && events.body().contains("\"price\":\"$1,500.00\""));
    assertTrue(events.body().endsWith("event: end\ndata: {\"count\":4}\n\n"), events.body());
  }

  @Test
  void theLiveStreamReportsABackendFailureAsAnEvent(Vertx vertx) {
    ShopBrowser.Page events = shopOn(vertx, Ports.free(), Duration.ofSeconds(2)).get("/live/Electronics/events");

    assertEquals(200, events.status());
    assertTrue(events.body().contains("event: failure\ndata: {\"message\":\"Live updates are unavailable right now.\"}"),
        events.body());
  }
}
