package com.marketplace.client;

import io.vertx.core.MultiMap;
import java.time.Duration;

/**
 * Per-call settings the generated Vert.x clients cannot express: metadata, a deadline, compression.
 *
 * @param timeout how long the call may take, null for no deadline; sent as {@code grpc-timeout}
 *                and enforced locally too
 * @param metadata request headers to send
 * @param compress whether request messages are gzip-compressed by default
 */
public record CallOptions(Duration timeout, MultiMap metadata, boolean compress) {

  public static CallOptions defaults() {
    return new CallOptions(null, MultiMap.caseInsensitiveMultiMap(), false);
  }

  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(timeout, metadata, compress);
  }

  public CallOptions withMetadata(String name, String value) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(metadata).add(name, value);
    return new CallOptions(timeout, copy, compress);
  }

  public CallOptions withCompression() {
    return new CallOptions(timeout, metadata, true);
  }
}
