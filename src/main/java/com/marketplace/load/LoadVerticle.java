package com.marketplace.load;

import com.marketplace.client.BalancedChannel;
import com.marketplace.client.ChannelOptions;
import com.marketplace.client.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayDeque;
import java.util.Deque;
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
        .withMaxMessageSize(Rpc.MAX_MESSAGE_SIZE);
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

  private void record(boolean measured, long start, Throwable failure) {
    if (measured) {
      stats.record(start, failure);
    }
  }

  /** A call due at {@code intendedNanos}, measured or warm-up. */
  private record Scheduled(long intendedNanos, boolean measured) {}

  /** Sends at {@code rate} calls per second; when {@code workers} calls are in flight, late ones wait their turn. */
  private final class OpenLoop {
    /** Open loops only make independent calls, so one session serves every call in flight. */
    private final Session session;
    private final Deque<Scheduled> late = new ArrayDeque<>();
    private final long intervalNanos;
    private final long begin = System.nanoTime();
    private long scheduled;
    private int inFlight;
    private long timer;

    OpenLoop(Session session) {
      this.session = session;
      this.intervalNanos = (long) (1_000_000_000L / rate);
    }

    void begin() {
      timer = vertx.setPeriodic(1, id -> tick());
    }

    private void tick() {
      long due = (System.nanoTime() - begin) / intervalNanos;
      while (scheduled < due) {
        long intended = begin + scheduled++ * intervalNanos;
        LoadControl.Ticket ticket = control.take();
        if (ticket == LoadControl.Ticket.NONE) {
          // The calls already due are still sent; the run ends once they are answered.
          vertx.cancelTimer(timer);
          break;
        }
        late.add(new Scheduled(intended, ticket == LoadControl.Ticket.MEASURED));
      }
      sendWhatFits();
      finishWhenIdle();
    }

    private void sendWhatFits() {
      while (!late.isEmpty() && inFlight < workers) {
        Scheduled call = late.poll();
        inFlight++;
        session.next().onComplete(outcome -> {
          inFlight--;
          record(call.measured(), call.intendedNanos(), outcome.cause());
          sendWhatFits();
          finishWhenIdle();
        });
      }
    }

    private void finishWhenIdle() {
      if (inFlight == 0 && late.isEmpty() && !control.running()) {
        done.tryComplete();
      }
    }
  }
}
