package com.marketplace.recommendations;

import com.marketplace.catalog.Book;
import com.marketplace.proto.recommendations.BookCategory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The books that can be recommended, by category; immutable, so any event loop may read it. */
public final class BookShelf {

  private final Map<BookCategory, List<Book>> byCategory = new EnumMap<>(BookCategory.class);

  public BookShelf(List<Book> books) {
    Map<Integer, Book> unique = new LinkedHashMap<>();
    books.forEach(book -> unique.put(book.id(), book));
    Map<BookCategory, List<Book>> grouped = new EnumMap<>(BookCategory.class);
    unique.values().forEach(book -> grouped.computeIfAbsent(book.category(), c -> new ArrayList<>()).add(book));
    grouped.forEach((category, list) -> byCategory.put(category, List.copyOf(list)));
  }

  public List<Book> books(BookCategory category) {
    return byCategory.getOrDefault(category, List.of());
  }

  public int size() {
    return byCategory.values().stream().mapToInt(List::size).sum();
  }
}
