package com.marketplace.catalog;

import com.marketplace.proto.product.Product;
import java.util.Optional;

/** What makes a product acceptable to the catalog, wherever it comes from. */
public final class ProductRules {

  private ProductRules() {}

  /** Why {@code product} cannot be stored, or empty if it can. */
  public static Optional<String> violation(Product product) {
    if (product.getId().isBlank()) {
      return Optional.of("id must not be empty");
    }
    if (product.getName().isBlank()) {
      return Optional.of("name must not be empty");
    }
    if (!(product.getPrice() >= 0)) {
      return Optional.of("price must be a number >= 0");
    }
    return Optional.empty();
  }
}
