package com.marketplace.catalog;

import com.marketplace.proto.product.Product;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The embedded store: lock-free reads from any event loop; writes are short and serialised.
 *
 * <p>Catalog order is the order in which ids were first stored; a replaced product keeps its place.
 * It holds at most {@code capacity} products.
 */
public final class InMemoryProductStore implements ProductStore {

  private record Entry(long position, Product product) {}

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentSkipListMap<Long, Product>> byCategory = new ConcurrentHashMap<>();
  private final int capacity;
  private long nextPosition;

  /** @throws IllegalArgumentException if {@code products} holds more than {@code capacity} ids */
  public InMemoryProductStore(Iterable<Product> products, int capacity) {
    this.capacity = capacity;
    for (Product product : products) {
      if (!put(product)) {
        throw new IllegalArgumentException("more than " + capacity + " products");
      }
    }
  }

  @Override
  public Optional<Product> find(String id) {
    Entry entry = byId.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.product());
  }

  @Override
  public Iterator<Product> listByCategory(String category) {
    ConcurrentSkipListMap<Long, Product> products = byCategory.get(category);
    return products == null ? Collections.emptyIterator() : products.values().iterator();
  }

  @Override
  public synchronized boolean put(Product product) {
    Entry previous = byId.get(product.getId());
    if (previous == null && byId.size() >= capacity) {
      return false;
    }
    long position = previous == null ? nextPosition++ : previous.position();
    if (previous != null && !previous.product().getCategory().equals(product.getCategory())) {
      byCategory.get(previous.product().getCategory()).remove(position);
    }
    byId.put(product.getId(), new Entry(position, product));
    byCategory.computeIfAbsent(product.getCategory(), c -> new ConcurrentSkipListMap<>()).put(position, product);
    return true;
  }

  @Override
  public int size() {
    return byId.size();
  }
}
