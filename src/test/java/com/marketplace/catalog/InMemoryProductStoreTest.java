package com.marketplace.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryProductStoreTest {

  @Test
  void aProductMovedToAnotherCategoryLeavesTheOldOne() {
    InMemoryProductStore store = new InMemoryProductStore(List.of(
        ProductCatalogServiceTest.product("a", "A", 1, "Books"),
        ProductCatalogServiceTest.product("b", "B", 1, "Books")), 10);
    store.put(ProductCatalogServiceTest.product("a", "A", 1, "Music"));

    assertEquals(List.of("b"), ids(store, "Books"));
    assertEquals(List.of("a"), ids(store, "Music"));
    assertEquals(2, store.size());
    assertTrue(store.find("a").isPresent());
  }

  @Test
  void aFullStoreTakesNoNewIdButStillReplaces() {
    InMemoryProductStore store = new InMemoryProductStore(List.of(ProductCatalogServiceTest.product("a", "A", 1, "Books")), 1);

    assertFalse(store.put(ProductCatalogServiceTest.product("b", "B", 1, "Books")));
    assertTrue(store.put(ProductCatalogServiceTest.product("a", "A2", 2, "Books")));
    assertEquals(1, store.size());
    assertEquals("A2", store.find("a").orElseThrow().getName());
    assertTrue(store.find("b").isEmpty());
  }

  private static List<String> ids(ProductStore store, String category) {
    List<String> ids = new ArrayList<>();
    store.listByCategory(category).forEachRemaining(p -> ids.add(p.getId()));
    return ids;
  }
}
