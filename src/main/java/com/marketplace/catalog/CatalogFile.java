package com.marketplace.catalog;

import com.marketplace.proto.product.Product;
import com.marketplace.proto.recommendations.BookCategory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog data file: {@code {"products": [...], "books": [...]}}.
 *
 * <p>Parsing is strict, and every error names the file and the entry, because a catalog that loads
 * half-way is worse than a server that refuses to start.
 */
public record CatalogFile(List<Product> products, List<Book> books) {

  /** Thrown for a catalog that cannot be used; the message is fit to show to the operator as is. */
  public static final class InvalidCatalogException extends RuntimeException {
    public InvalidCatalogException(String message) {
      super(message, null, false, false);
    }
  }

  public static CatalogFile parse(String source, Buffer content) {
    JsonObject json;
    try {
      json = new JsonObject(content);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidCatalogException(source + ": not a JSON object: " + firstLine(e.getMessage()));
    }
    return new CatalogFile(products(source, array(source, json, "products")), books(source, array(source, json, "books")));
  }

  private static List<Product> products(String source, JsonArray entries) {
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = source + ": products[" + i + "]";
      JsonObject entry = object(where, entries.getValue(i));
      Product product = Product.newBuilder()
          .setId(string(where, entry, "id"))
          .setName(string(where, entry, "name"))
          .setDescription(entry.getValue("description") == null ? "" : string(where, entry, "description"))
          .setPrice(number(where, entry, "price").floatValue())
          .setCategory(string(where, entry, "category"))
          .build();
      ProductRules.violation(product).ifPresent(v -> {
        throw new InvalidCatalogException(where + ": " + v);
      });
      products.add(product);
    }
    return products;
  }

  private static List<Book> books(String source, JsonArray entries) {
    List<Book> books = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = source + ": books[" + i + "]";
      JsonObject entry = object(where, entries.getValue(i));
      String category = string(where, entry, "category");
      BookCategory bookCategory;
      try {
        bookCategory = BookCategory.valueOf(category);
      } catch (IllegalArgumentException e) {
        bookCategory = BookCategory.UNRECOGNIZED;
      }
      if (bookCategory == BookCategory.UNRECOGNIZED) {
        throw new InvalidCatalogException(where + ": unknown category '" + category + "'");
      }
      books.add(new Book(number(where, entry, "id").intValue(), string(where, entry, "title"), bookCategory));
    }
    return books;
  }

  private static JsonArray array(String where, JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonArray array)) {
      throw new InvalidCatalogException(where + ": '" + key + "' must be an array");
    }
    return array;
  }

  private static JsonObject object(String where, Object value) {
    if (!(value instanceof JsonObject object)) {
      throw new InvalidCatalogException(where + ": must be an object");
    }
    return object;
  }

  private static String string(String where, JsonObject entry, String key) {
    if (!(entry.getValue(key) instanceof String value)) {
      throw new InvalidCatalogException(where + ": '" + key + "' must be a string");
    }
    return value;
  }

  private static Number number(String where, JsonObject entry, String key) {
    if (!(entry.getValue(key) instanceof Number value)) {
      throw new InvalidCatalogException(where + ": '" + key + "' must be a number");
    }
    return value;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
