package com.marketplace.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Waits for a condition that other processes or event loops make true, without sleeping the test. */
public final class Eventually {

  private static final long POLL_MS = 50;
  private static final long GIVE_UP_SECONDS = 30;

  private Eventually() {}

  /** Completes once {@code condition} yields true, asking every 50 ms; fails after 30 s, naming {@code what}. */
  public static Future<Void> until(Vertx vertx, Supplier<Future<Boolean>> condition, String what) {
    Promise<Void> met = Promise.promise();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
    vertx.setPeriodic(POLL_MS, id -> condition.get().onComplete(check -> {
      if (check.succeeded() && check.result()) {
        met.tryComplete();
      } else if (System.nanoTime() > giveUp) {
        met.tryFail("waited " + GIVE_UP_SECONDS + " s for " + what);
      }
      if (met.future().isComplete()) {
        vertx.cancelTimer(id);
      }
    }));
    return met.future();
  }
}
