package com.marketplace.catalog;

import com.marketplace.proto.recommendations.BookCategory;

/** A book that can be recommended. */
public record Book(int id, String title, BookCategory category) {}
