package com.marketplace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** How a long-running command waits for SIGTERM or SIGINT and then stops gracefully. */
public final class StopSignals {

  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private StopSignals() {}

  /**
   * Blocks until the first SIGTERM or SIGINT has been handled by {@code stopGracefully}, which runs
   * on the signal's thread and may wait. Handled here rather than in a shutdown hook, so that a
   * graceful stop exits with 0, not 143.
   */
  public static void await(Runnable stopGracefully) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    for (String signal : SIGNALS) {
      Signal.handle(new Signal(signal), received -> {
        if (stopping.compareAndSet(false, true)) {
          stopGracefully.run();
          stopped.countDown();
        }
      });
    }
    stopped.await();
  }

  /**
   * Runs {@code work}; meanwhile the first SIGTERM or SIGINT (Ctrl-C) runs {@code stopEarly}, which
   * asks the work to wind down, and a second one exits at once, with 128 plus the signal's number.
   * Both signals are handled as before once the work is done.
   */
  public static int windDownOnSignal(Runnable stopEarly, Callable<Integer> work) throws Exception {
    AtomicBoolean stopping = new AtomicBoolean();
    Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    for (String signal : SIGNALS) {
      previous.put(new Signal(signal), Signal.handle(new Signal(signal), received -> {
        if (stopping.compareAndSet(false, true)) {
          stopEarly.run();
        } else {
          System.exit(128 + received.getNumber());
        }
      }));
    }
    try {
      return work.call();
    } finally {
      previous.forEach(Signal::handle);
    }
  }
}
