package com.marketplace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a command stops early on SIGTERM or SIGINT (Ctrl-C): the first asks it to wind down
 * gracefully, a second exits at once. Handled here rather than in a shutdown hook, so that a
 * graceful stop exits with the command's own code (0), not 143.
 */
public final class StopSignals {

  private static final List<String> SIGNALS = List.of("TERM", "INT");

  /** Work that a signal may stop early. */
  @FunctionalInterface
  public interface Work {
    int run() throws InterruptedException;
  }

  private StopSignals() {}

  /**
   * Blocks until the first SIGTERM or SIGINT has been handled by {@code stopGracefully}, which runs
   * on the signal's thread and may wait.
   */
  public static void await(Runnable stopGracefully) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    windDownOnSignal(() -> {
      stopGracefully.run();
      stopped.countDown();
    }, () -> {
      stopped.await();
      return 0;
    });
  }

  /**
   * Runs {@code work}; meanwhile the first SIGTERM or SIGINT runs {@code stopEarly}, which asks the
   * work to wind down, and a second one exits at once, with 128 plus the signal's number. Both
   * signals are handled as before once the work is done.
   */
  public static int windDownOnSignal(Runnable stopEarly, Work work) throws InterruptedException {
    AtomicBoolean stopping = new AtomicBoolean();
    Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      previous.put(signal, Signal.handle(signal, received -> {
        if (stopping.compareAndSet(false, true)) {
          stopEarly.run();
        } else {
          System.exit(128 + received.getNumber());
        }
      }));
    }
    try {
      return work.run();
    } finally {
      previous.forEach(Signal::handle);
    }
  }
}
