package com.marketplace.catalog;

import com.marketplace.proto.product.Product;
import java.util.Iterator;
import java.util.Optional;

/**
 * Where products live. Implementations are shared by every server verticle instance, so they must be
 * safe to call from several event loops at once, and must never block.
 */
public interface ProductStore {

  Optional<Product> find(String id);

  /** The products of one category, in catalog order; iteration sees a consistent-enough live view. */
  Iterator<Product> listByCategory(String category);

  /**
   * Adds a product, or replaces the one with the same id in place.
   *
   * @return false, with nothing stored, when the store is full and the id is new
   */
  boolean put(Product product);

  int size();
}
