package com.marketplace.client;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * A call that ended with OK: what it answered, and its metadata.
 *
 * @param compressed for each message, whether it arrived compressed
 */
public record CallResult<Resp>(List<Resp> messages, List<Boolean> compressed, MultiMap headers, MultiMap trailers) {

  /** The one message of a unary or client-streaming call. */
  public Resp single() {
    if (messages.size() != 1) {
      throw new IllegalStateException("expected one response message, got " + messages.size());
    }
    return messages.get(0);
  }
}
