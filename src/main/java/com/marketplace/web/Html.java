package com.marketplace.web;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.Locale;

/** Escaping and formatting for pages: everything that comes from the catalog passes through here. */
final class Html {

  private Html() {}

  /** Text safe in element content and in quoted attribute values. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** A path segment, percent-encoded, then escaped for an attribute. */
  static String pathSegment(String segment) {
    return escape(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  /** A price in US dollars, e.g. {@code $1,500.00}; from the float's shortest decimal form, so 45.99f stays 45.99. */
  static String price(float amount) {
    return NumberFormat.getCurrencyInstance(Locale.US).format(new BigDecimal(Float.toString(amount)));
  }

  /** {@code SCIENCE_FICTION} as {@code Science fiction}. */
  static String title(String enumName) {
    String words = enumName.toLowerCase(Locale.ROOT).replace('_', ' ');
    return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
