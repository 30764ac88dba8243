package com.marketplace.client;

import io.vertx.core.MultiMap;
import java.time.Duration;

/**
 * Per-call settings the generated Vert.x clients cannot express: metadata, a deadline, compression,
 * and whether the result keeps the response messages.
 *
 * @param timeout how long the call may take, null for no deadline; sent as {@code grpc-timeout}
 *                and enforced locally too; at most {@link #MAX_TIMEOUT}
 * @param metadata request headers to send
 * @param compress whether request messages are gzip-compressed by default
 * @param keepMessages whether the call's result collects the response messages; off for a long stream
 *                     whose messages the message handler alone consumes, so that memory stays flat
 */
public record CallOptions(Duration timeout, MultiMap metadata, boolean compress, boolean keepMessages) {

  /**
   * The longest timeout kept, as in grpc-java: a longer one would overflow a deadline counted in
   * nanoseconds, and waits no differently.
   */
  static final Duration MAX_TIMEOUT = Duration.ofDays(100 * 365);

  public CallOptions {
    if (timeout != null && timeout.compareTo(MAX_TIMEOUT) > 0) {
      timeout = MAX_TIMEOUT;
    }
  }

  public static CallOptions defaults() {
    return new CallOptions(null, MultiMap.caseInsensitiveMultiMap(), false, true);
  }

  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(timeout, metadata, compress, keepMessages);
  }

  /** These options with what is left of the timeout once a call has waited since {@code startNanos} ({@link System#nanoTime()}). */
  CallOptions withTimeLeftSince(long startNanos) {
    return withTimeout(timeout.minusNanos(System.nanoTime() - startNanos));
  }

  public CallOptions withMetadata(String name, String value) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(metadata).add(name, value);
    return new CallOptions(timeout, copy, compress, keepMessages);
  }

  public CallOptions withCompression() {
    return new CallOptions(timeout, metadata, true, keepMessages);
  }

  /** The result's message list stays empty: only the message handler sees the messages. */
  public CallOptions withoutKeepingMessages() {
    return new CallOptions(timeout, metadata, compress, false);
  }
}
