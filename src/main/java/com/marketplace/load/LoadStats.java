package com.marketplace.load;

import com.marketplace.grpc.RpcException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies (HdrHistogram, microseconds) and outcomes of the measured calls. Load verticles record
 * from their event loops; one reporting thread reads intervals and keeps the running total.
 */
final class LoadStats {

  private final Recorder recorder = new Recorder(3);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder unsent = new LongAdder();
  private final LongAdder begun = new LongAdder();
  private final Histogram total = new Histogram(3);
  private Histogram interval;
  private long intervalErrors;
  private long reportedErrors;

  /** A measured operation is under way; {@link #record} ends it. */
  void begin() {
    begun.increment();
  }

  void record(long startNanos, Throwable failure) {
    if (failure == null) {
      recorder.recordValue(Math.max(1, (System.nanoTime() - startNanos) / 1000));
    } else {
      String status = failure instanceof RpcException rpc ? rpc.status().name() : failure.getClass().getSimpleName();
      errors.computeIfAbsent(status, s -> new LongAdder()).increment();
    }
  }

  /** Open loop: calls that fell due while measuring but were still waiting for a free slot when the run ended. */
  void unsent(long calls) {
    unsent.add(calls);
  }

  /** Takes what was recorded since the last call into the total; call from the reporting thread only. */
  void collect() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    long allErrors = errorCount();
    intervalErrors = allErrors - reportedErrors;
    reportedErrors = allErrors;
  }

  /** One progress line about the last interval and the run so far. */
  String progressLine(double elapsedSeconds, double intervalSeconds) {
    return String.format("%6.1fs  calls %9d  qps %9.1f  errors %6d  p50 %8.3f ms  p99 %8.3f ms%s",
        elapsedSeconds, total.getTotalCount() + reportedErrors,
        (interval.getTotalCount() + intervalErrors) / intervalSeconds, reportedErrors,
        millis(interval.getValueAtPercentile(50)), millis(interval.getValueAtPercentile(99)),
        errors.isEmpty() ? "" : "  " + errorsByStatus());
  }

  /** The whole measured run, as JSON; {@link #collect()} first. */
  JsonObject summary(LoadPlan plan, double seconds, Map<String, Long> callsPerBackend) {
    long calls = total.getTotalCount() + errorCount();
    JsonObject latency = new JsonObject()
        .put("p50", millis(total.getValueAtPercentile(50)))
        .put("p90", millis(total.getValueAtPercentile(90)))
        .put("p99", millis(total.getValueAtPercentile(99)))
        .put("p99.9", millis(total.getValueAtPercentile(99.9)))
        .put("max", millis(total.getMaxValue()));
    JsonObject errorJson = new JsonObject();
    errorsByStatus().forEach(errorJson::put);
    return new JsonObject()
        .put("rpc", plan.rpc().cliName())
        .put("targets", plan.targets().stream().map(Object::toString).toList())
        .put("tls", plan.tls() != null)
        .put("mode", plan.openLoop() ? "open loop at " + plan.rate() + " calls/s" : "closed loop")
        .put("concurrency", plan.concurrency())
        .put("seconds", seconds)
        .put("calls", calls)
        .put("ok", total.getTotalCount())
        .put("qps", calls / seconds)
        .put("latencyMs", latency)
        .put("errors", errorJson)
        .put("unsent", unsent.sum())
        .put("unfinished", begun.sum() - calls)
        .put("callsPerBackend", new JsonObject(new LinkedHashMap<>(callsPerBackend)));
  }

  /** The summary as a table. */
  static String table(JsonObject summary) {
    JsonObject latency = summary.getJsonObject("latencyMs");
    return String.format("%-20s %10s %11s %9s %9s %9s %9s %9s  %s%n", "rpc", "calls", "qps", "p50 ms", "p90 ms", "p99 ms",
        "p99.9 ms", "max ms", "errors")
        + String.format("%-20s %10d %11.1f %9.3f %9.3f %9.3f %9.3f %9.3f  %s%n", summary.getString("rpc"), summary.getLong("calls"),
        summary.getDouble("qps"), latency.getDouble("p50"), latency.getDouble("p90"), latency.getDouble("p99"),
        latency.getDouble("p99.9"), latency.getDouble("max"),
        summary.getJsonObject("errors").isEmpty() ? "none" : summary.getJsonObject("errors").encode())
        + (summary.getLong("unsent") == 0 ? "" : summary.getLong("unsent") + " calls fell due but were never sent: all "
        + summary.getInteger("concurrency") + " slots were taken until the end (raise --concurrency, or lower --rate)"
        + System.lineSeparator())
        + (summary.getLong("unfinished") == 0 ? "" : summary.getLong("unfinished") + " operations were still in flight when"
        + " the wait for them ended (--drain), and were cut off" + System.lineSeparator())
        + "calls per backend, warm-up and retries included: " + summary.getJsonObject("callsPerBackend").stream()
        .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")) + System.lineSeparator();
  }

  private long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private Map<String, Long> errorsByStatus() {
    Map<String, Long> byStatus = new TreeMap<>();
    errors.forEach((status, count) -> byStatus.put(status, count.sum()));
    return byStatus;
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }
}
