package com.marketplace.catalog;

import com.marketplace.proto.product.Product;
import java.util.Optional;

/**
 * What makes a product acceptable to the catalog, wherever it comes from. The lengths are bounded so
 * that, with the catalog's size ({@code catalogMaxProducts}), uploads bound the memory they take.
 */
public final class ProductRules {

  static final int MAX_ID_LENGTH = 128;
  static final int MAX_NAME_LENGTH = 256;
  static final int MAX_CATEGORY_LENGTH = 128;
  static final int MAX_DESCRIPTION_LENGTH = 4096;

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
    return tooLong("id", product.getId(), MAX_ID_LENGTH)
        .or(() -> tooLong("name", product.getName(), MAX_NAME_LENGTH))
        .or(() -> tooLong("category", product.getCategory(), MAX_CATEGORY_LENGTH))
        .or(() -> tooLong("description", product.getDescription(), MAX_DESCRIPTION_LENGTH));
  }

  private static Optional<String> tooLong(String field, String value, int maxLength) {
    return value.length() > maxLength
        ? Optional.of(field + " must be at most " + maxLength + " characters") : Optional.empty();
  }
}
