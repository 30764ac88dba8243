package com.marketplace.load;

import java.util.concurrent.atomic.AtomicLong;

/** What every load verticle consults before a call: whether to measure it, and whether to make it at all. */
final class LoadControl {

  private final long requests;
  private final AtomicLong issued = new AtomicLong();
  private volatile boolean measuring;
  private volatile boolean stopped;
  private volatile boolean budgetSpent;

  /** @param requests how many measured calls to make, 0 for no limit */
  LoadControl(long requests) {
    this.requests = requests;
  }

  void startMeasuring() {
    measuring = true;
  }

  void stop() {
    stopped = true;
  }

  /** Whether calls may still be made, without taking one from the budget. */
  boolean running() {
    return !stopped;
  }

  /** Whether the run was stopped while measuring, by time or by a signal, rather than by spending its budget of calls. */
  boolean stoppedWhileMeasuring() {
    return stopped && measuring && !budgetSpent;
  }

  /** What a call about to be made is: nothing (the run is over), warm-up, or measured and counted. */
  enum Ticket { NONE, WARMUP, MEASURED }

  /** Decides, once, whether the next call is made and whether it is measured. */
  Ticket take() {
    if (stopped) {
      return Ticket.NONE;
    }
    if (!measuring) {
      return Ticket.WARMUP;
    }
    if (requests > 0 && issued.incrementAndGet() > requests) {
      budgetSpent = true;
      stopped = true;
      return Ticket.NONE;
    }
    return Ticket.MEASURED;
  }
}
