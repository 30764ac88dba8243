package com.marketplace.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/** Waits for a counter to settle: for a flow that backpressure should stop, the point where it stopped. */
public final class StableValue {

  private static final long POLL_MS = 100;
  /** Unchanged over this many polls in a row counts as settled. */
  private static final int STEADY_POLLS = 5;
  private static final long GIVE_UP_MS = 15_000;

  private StableValue() {}

  /** Completes with the value once it is non-negative and unchanged for half a second; fails after 15 s. */
  public static Future<Long> of(Vertx vertx, LongSupplier counter) {
    Promise<Long> settled = Promise.promise();
    long[] last = {Long.MIN_VALUE};
    int[] steady = {0};
    long giveUp = System.nanoTime() + GIVE_UP_MS * 1_000_000;
    vertx.setPeriodic(POLL_MS, id -> {
      long value = counter.getAsLong();
      steady[0] = value >= 0 && value == last[0] ? steady[0] + 1 : 0;
      last[0] = value;
      if (steady[0] >= STEADY_POLLS) {
        settled.tryComplete(value);
      } else if (System.nanoTime() > giveUp) {
        settled.tryFail("the value never settled; last " + value);
      }
      if (settled.future().isComplete()) {
        vertx.cancelTimer(id);
      }
    });
    return settled.future();
  }
}
