package com.marketplace.security;

import java.util.Set;

/**
 * The scope each method needs when authentication is on. Health, reflection, the tutorial and the
 * conformance services stay open.
 */
public final class MethodScopes {

  public static final String READ = "catalog:read";
  public static final String WRITE = "catalog:write";

  private static final Set<String> CATALOG_SERVICES = Set.of("product.ProductService", "Recommendations", "api.Api");

  private MethodScopes() {}

  /** The scope a call to {@code service}/{@code method} needs, or null if it needs no token. */
  public static String required(String service, String method) {
    if (!CATALOG_SERVICES.contains(service)) {
      return null;
    }
    return service.equals("product.ProductService") && method.equals("UploadProducts") ? WRITE : READ;
  }
}
