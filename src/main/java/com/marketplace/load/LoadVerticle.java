package com.marketplace.load;

import com.marketplace.client.BalancedChannel;
import com.marketplace.client.ChannelOptions;
import com.marketplace.client.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.Map;

/**
 * Makes calls on one event loop: {@code workers} sequential sessions in a closed loop, or, with a
 * rate, calls sent at their intended times with latency measured from then, so that a stalled
 * server cannot hide behind a client that waits for it (coordinated omission).
 */
final class LoadVerticle extends VerticleBase {

  /** Calls that complete at once are looped over; yield the event loop after this many. */
  private static final int MAX_SYNCHRONOUS_CALLS = 256;

  private final LoadPlan plan;
  private final int workers;
  private final double rate;
  private final LoadStats stats;
  private final LoadControl control;
  private final Promise<Void> done = Promise.promise();
  private int running;
  private BalancedChannel channel;

  LoadVerticle(LoadPlan plan, int workers, double rate, LoadStats stats, LoadControl control) {
    this.plan = plan;
    this.workers = workers;
    this.rate = rate;
    this.stats = stats;
    this.control = control;
  }

  /** Completes when this verticle's last call has ended. */
  Future<Void> done() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    ChannelOptions options = ChannelOptions.of(plan.targets())
        .withConnectionsPerBackend(plan.connections())
        .withRetry(RetryPolicy.defaults().withMaxAttempts(plan.maxAttempts()))
        .withMaxMessageSize(Rpc.MAX_MESSAGE_SIZE)
        .withTls(plan.tls());
    return BalancedChannel.open(vertx, options).onSuccess(opened -> {
      channel = opened;
      if (rate > 0) {
        new OpenLoop(plan.rpc().open(vertx, channel, plan.payload(), plan.timeout())).begin();
      } else {
        running = workers;
        for (int i = 0; i < workers; i++) {
          closedLoop(plan.rpc().open(vertx, channel, plan.payload(), plan.timeout()));
        }
      }
    });
  }

  /** Calls sent to each backend, warm-up and retries included. */
  Map<String, Long> callsPerBackend() {
    return channel.callsPerBackend();
  }

  @Override
  public Future<?> stop() {
    return channel == null ? Future.succeededFuture() : channel.close();
  }

  private void closedLoop(Session session) {
    for (int i = 0; i < MAX_SYNCHRONOUS_CALLS; i++) {
      LoadControl.Ticket ticket = control.take();
      if (ticket == LoadControl.Ticket.NONE) {
        session.close();
        if (--running == 0) {
          done.tryComplete();
        }
        return;
      }
      boolean measured = ticket == LoadControl.Ticket.MEASURED;
      countBegun(measured);
      long start = System.nanoTime();
      Future<Void> call = session.next();
      if (!call.isComplete()) {
        call.onComplete(outcome -> {
          record(measured, start, outcome.cause());
          closedLoop(session);
        });
        return;
      }
      record(measured, start, call.cause());
    }
    context.runOnContext(v -> closedLoop(session));
  }

  private void countBegun(boolean measured) {
    if (measured) {
      stats.begin();
    }
  }

  private void record(boolean measured, long start, Throwable failure) {
    if (measured) {
      stats.record(start, failure);
    }
  }

  /**
   * Sends at {@code rate} calls per second: call i falls due {@code i} intervals after the start, and
   * is then told whether it is measured. When {@code workers} calls are in flight, calls that fell due
   * wait their turn, and their latency counts from when they fell due; warm-up calls still waiting
   * when measuring begins are dropped. When the run's time is up, or a signal ends it, the calls still
   * waiting are not sent but counted as unsent; when its budget of calls is spent, they are all sent.
   */
  private final class OpenLoop {
    /** Open loops only make independent calls, so one session serves every call in flight. */
    private final Session session;
    private final long intervalNanos;
    private final long begin = System.nanoTime();
    /** Calls fallen due, and sent, so far, in order: the difference is waiting. Warm-up calls come first. */
    private long due;
    private long sent;
    private long firstMeasured = Long.MAX_VALUE;
    private int inFlight;
    private boolean sending;
    private boolean ended;
    private long timer;

    OpenLoop(Session session) {
      this.session = session;
      this.intervalNanos = Math.max(1, (long) (1_000_000_000L / rate));
    }

    void begin() {
      timer = vertx.setPeriodic(1, id -> tick());
      tick();
    }

    private void tick() {
      long dueNow = (System.nanoTime() - begin) / intervalNanos + 1;
      while (!ended && due < dueNow) {
        LoadControl.Ticket ticket = control.take();
        if (ticket == LoadControl.Ticket.NONE) {
          end();
        } else {
          if (ticket == LoadControl.Ticket.MEASURED && firstMeasured == Long.MAX_VALUE) {
            firstMeasured = due;
          }
          due++;
        }
      }
      sendWhatFits();
    }

    private void end() {
      ended = true;
      vertx.cancelTimer(timer);
      if (control.stoppedWhileMeasuring()) {
        stats.unsent(Math.max(0, due - Math.max(sent, firstMeasured)));
        due = sent;
      }
    }

    /** Sends the calls waiting while slots are free, yielding the event loop after {@value #MAX_SYNCHRONOUS_CALLS}. */
    private void sendWhatFits() {
      if (sending) {
        return; // a call that ended at once: the loop below goes on from here
      }
      sending = true;
      // Warm-up calls still waiting once measuring has begun are dropped: they are not part of the run.
      if (sent < firstMeasured && firstMeasured <= due) {
        sent = firstMeasured;
      }
      for (int i = 0; i < MAX_SYNCHRONOUS_CALLS && sent < due && inFlight < workers; i++) {
        boolean measured = sent >= firstMeasured;
        long intended = begin + sent++ * intervalNanos;
        inFlight++;
        countBegun(measured);
        session.next().onComplete(outcome -> {
          inFlight--;
          record(measured, intended, outcome.cause());
          sendWhatFits();
        });
      }
      sending = false;
      if (sent < due && inFlight < workers) {
        context.runOnContext(v -> sendWhatFits());
      } else if (ended && sent >= due && inFlight == 0) {
        done.tryComplete();
      }
    }
  }
}
