package com.marketplace.web;

import static com.marketplace.web.Html.escape;
import static com.marketplace.web.Html.pathSegment;

import com.marketplace.proto.product.Product;
import com.marketplace.proto.recommendations.BookRecommendation;
import java.util.List;

/**
 * The shop's HTML. Every value from the catalog is escaped here; pages carry no inline script or
 * style, so the Content-Security-Policy can forbid both.
 */
final class Pages {

  /** What one part of a page got from the backend: its items, or null when the backend did not answer. */
  record Section<T>(String title, List<T> items) {
    boolean available() {
      return items != null;
    }
  }

  private final List<String> categories;

  Pages(List<String> categories) {
    this.categories = List.copyOf(categories);
  }

  String home(List<Section<Product>> productSections, List<Section<BookRecommendation>> bookSections) {
    StringBuilder main = new StringBuilder("""
        <section class="hero">
          <h1>Everything for your desk and your shelf</h1>
          <p>Electronics, furniture and books, picked by our recommendation service.</p>
        </section>
        """);
    for (Section<Product> section : productSections) {
      main.append("<section class=\"category\"><h2><a href=\"/categories/").append(pathSegment(section.title()))
          .append("\">").append(escape(section.title())).append("</a></h2>")
          .append(productGrid(section)).append("</section>\n");
    }
    main.append("<section class=\"books\"><h2>Books picked for you</h2><div class=\"shelves\">");
    for (Section<BookRecommendation> shelf : bookSections) {
      main.append("<div class=\"shelf\"><h3>").append(escape(shelf.title())).append("</h3>");
      if (!shelf.available()) {
        main.append("<p class=\"notice\">Recommendations unavailable right now.</p>");
      } else if (shelf.items().isEmpty()) {
        main.append("<p class=\"empty\">No books in this category yet.</p>");
      } else {
        main.append("<ol class=\"titles\">");
        shelf.items().forEach(book -> main.append("<li>").append(escape(book.getTitle())).append("</li>"));
        main.append("</ol>");
      }
      main.append("</div>");
    }
    main.append("</div></section>\n");
    return layout("Marketplace", main.toString());
  }

  String category(Section<Product> section) {
    String main = "<nav class=\"crumbs\"><a href=\"/\">Home</a> / " + escape(section.title()) + "</nav>"
        + "<h1>" + escape(section.title()) + "</h1>" + productGrid(section)
        + "<p><a class=\"button\" href=\"/live/" + pathSegment(section.title()) + "\">Watch this category stream in live</a></p>";
    return layout(section.title() + " · Marketplace", main);
  }

  String product(Product product) {
    String main = "<nav class=\"crumbs\"><a href=\"/\">Home</a> / <a href=\"/categories/" + pathSegment(product.getCategory())
        + "\">" + escape(product.getCategory()) + "</a></nav>"
        + "<article class=\"product\"><h1>" + escape(product.getName()) + "</h1>"
        + "<p class=\"price\">" + Html.price(product.getPrice()) + "</p>"
        + "<p class=\"description\">" + escape(product.getDescription()) + "</p>"
        + "<p class=\"sku\">Item " + escape(product.getId()) + "</p></article>";
    return layout(product.getName() + " · Marketplace", main);
  }

  String live(String category) {
    String main = "<nav class=\"crumbs\"><a href=\"/\">Home</a> / Live</nav>"
        + "<h1>Live: " + escape(category) + "</h1>"
        + "<p class=\"lead\">Products appear here as the product service streams them.</p>"
        + "<p id=\"live-status\" class=\"status\" data-category=\"" + escape(category) + "\">Connecting…</p>"
        + "<ul id=\"live-products\" class=\"grid\"></ul>"
        + "<p class=\"other\">Watch another category: " + String.join(" · ", categories.stream()
        .map(other -> "<a href=\"/live/" + pathSegment(other) + "\">" + escape(other) + "</a>").toList()) + "</p>";
    return layout("Live: " + category + " · Marketplace", main, "/static/live.js");
  }

  String notFound(String message) {
    return problem("Not found", message);
  }

  String badRequest(String message) {
    return problem("Bad request", message);
  }

  String methodNotAllowed(String message) {
    return problem("Method not allowed", message);
  }

  private String problem(String heading, String message) {
    return layout(heading + " · Marketplace", "<section class=\"problem\"><h1>" + escape(heading) + "</h1><p>" + escape(message)
        + "</p><p><a class=\"button\" href=\"/\">Back to the shop</a></p></section>");
  }

  String unavailable() {
    return layout("Unavailable · Marketplace", "<section class=\"problem\"><h1>We will be right back</h1>"
        + "<p>The shop cannot reach its product service right now. Please try again in a moment.</p>"
        + "<p><a class=\"button\" href=\"/\">Back to the shop</a></p></section>");
  }

  String failed() {
    return layout("Error · Marketplace", "<section class=\"problem\"><h1>Something went wrong</h1>"
        + "<p>We could not show this page. Please try again.</p></section>");
  }

  private String productGrid(Section<Product> section) {
    if (!section.available()) {
      return "<p class=\"notice\">Products unavailable right now.</p>";
    }
    if (section.items().isEmpty()) {
      return "<p class=\"empty\">No products in this category yet.</p>";
    }
    StringBuilder grid = new StringBuilder("<ul class=\"grid\">");
    for (Product product : section.items()) {
      grid.append("<li class=\"card\"><a href=\"/products/").append(pathSegment(product.getId())).append("\">")
          .append("<h3>").append(escape(product.getName())).append("</h3></a>")
          .append("<p>").append(escape(product.getDescription())).append("</p>")
          .append("<p class=\"price\">").append(Html.price(product.getPrice())).append("</p></li>");
    }
    return grid.append("</ul>").toString();
  }

  private String layout(String title, String main, String... scripts) {
    StringBuilder page = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + escape(title) + "</title><link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
        + "<link rel=\"stylesheet\" href=\"/static/shop.css\">");
    for (String script : scripts) {
      page.append("<script src=\"").append(script).append("\" defer></script>");
    }
    page.append("</head><body><header class=\"top\"><a class=\"brand\" href=\"/\">Marketplace</a><nav>");
    for (String category : categories) {
      page.append("<a href=\"/categories/").append(pathSegment(category)).append("\">").append(escape(category)).append("</a>");
    }
    page.append("<a class=\"live\" href=\"/live\">Live</a></nav></header><main>").append(main)
        .append("</main><footer>Marketplace · served over gRPC by Vert.x</footer></body></html>\n");
    return page.toString();
  }
}
