package com.marketplace.conformance;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Runs an asynchronous step for each item, each once the one before has succeeded, and stops at the
 * first that fails. Unlike a chain of futures built up front, one link per item, a failure does not
 * run down the whole chain in one go, which for a long stream overflows the event loop's stack; and
 * steps that complete at once run in a loop, not nested in each other.
 */
final class InTurn {

  private InTurn() {}

  static <T> Future<Void> each(Iterator<T> items, Function<T, Future<?>> step) {
    Promise<Void> done = Promise.promise();
    next(items, step, done);
    return done.future();
  }

  private static <T> void next(Iterator<T> items, Function<T, Future<?>> step, Promise<Void> done) {
    while (items.hasNext()) {
      Future<?> stepped;
      try {
        stepped = step.apply(items.next());
      } catch (RuntimeException e) {
        done.tryFail(e);
        return;
      }
      if (!stepped.isComplete()) {
        stepped.onComplete(result -> {
          if (result.succeeded()) {
            next(items, step, done);
          } else {
            done.tryFail(result.cause());
          }
        });
        return;
      }
      if (stepped.failed()) {
        done.tryFail(stepped.cause());
        return;
      }
    }
    done.tryComplete();
  }
}
