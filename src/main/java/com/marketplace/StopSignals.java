package com.marketplace;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/** How a long-running command waits for SIGTERM or SIGINT and then stops gracefully. */
public final class StopSignals {

  private StopSignals() {}

  /**
   * Blocks until the first SIGTERM or SIGINT has been handled by {@code stopGracefully}, which runs
   * on the signal's thread and may wait. Handled here rather than in a shutdown hook, so that a
   * graceful stop exits with 0, not 143.
   */
  public static void await(Runnable stopGracefully) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), received -> {
        if (stopping.compareAndSet(false, true)) {
          stopGracefully.run();
          stopped.countDown();
        }
      });
    }
    stopped.await();
  }
}
