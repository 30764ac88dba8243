package com.marketplace.load;

import io.vertx.core.Future;

/** One worker's sequence of calls: each {@link #next()} is one measured operation. */
interface Session {

  /** Completes when the next operation is done; fails with its error. */
  Future<Void> next();

  /** Ends any stream the session holds. */
  default void close() {
  }
}
