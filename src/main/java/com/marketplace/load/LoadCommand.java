package com.marketplace.load;

import com.marketplace.NativeTransport;
import com.marketplace.Main;
import com.marketplace.StopSignals;
import com.marketplace.client.Targets;
import com.marketplace.client.TlsFlags;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load}: drives gRPC load at one or more servers and reports throughput and latency. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Generate gRPC load: closed loop by default, open loop with --rate. Prints progress each second and a summary;"
        + " Ctrl-C ends the run early, summary included.")
public final class LoadCommand implements Callable<Integer> {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  /** Under the 16 MiB limits of {@code serve --conformance} and of the client, with room for framing. */
  private static final int MAX_PAYLOAD = 16 * 1024 * 1024 - 1024;
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  @Spec
  CommandSpec spec;

  @Option(names = "--target", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Servers, balanced round robin per call")
  String target;

  @Option(names = "--rpc", defaultValue = "bench-unary", paramLabel = "NAME", description = "One of ${COMPLETION-CANDIDATES}... (default: bench-unary)")
  String rpc;

  @Option(names = "--concurrency", defaultValue = "100", description = "Calls in flight (default: 100)")
  int concurrency;

  @Option(names = "--connections", defaultValue = "1", description = "HTTP/2 connections per target and instance (default: 1)")
  int connections;

  @Option(names = "--duration", paramLabel = "TIME", description = "How long to measure, e.g. 30s, 500ms, 2m (default: 30s)")
  String duration;

  @Option(names = "--requests", paramLabel = "N", description = "How many calls to measure, instead of --duration")
  Long requests;

  @Option(names = "--rate", paramLabel = "QPS", description = "Open loop: calls per second, latency from the intended send time")
  Double rate;

  @Option(names = "--payload", defaultValue = "0", paramLabel = "BYTES", description = "Payload each way for bench-* calls (default: 0)")
  int payload;

  @Option(names = "--warmup", defaultValue = "5s", paramLabel = "TIME", description = "Unmeasured run first (default: 5s)")
  String warmup;

  @Option(names = "--instances", defaultValue = "1", paramLabel = "N", description = "Load verticles, one per event loop (default: 1)")
  int instances;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON")
  Path json;

  @Option(names = "--max-attempts", defaultValue = "3", paramLabel = "N",
      description = "Attempts per call: calls no server saw, and idempotent ones that failed UNAVAILABLE, are retried (default: 3)")
  int maxAttempts;

  @Option(names = "--timeout", defaultValue = "20s", paramLabel = "TIME",
      description = "Deadline of each call; on the streams that bench-pingpong, bench-server-stream and lookup-products hold for"
          + " the whole run, the longest wait for each answer. A call past it fails DEADLINE_EXCEEDED and is cancelled."
          + " 0 for none (default: 20s)")
  String timeout;

  @Option(names = "--drain", defaultValue = "10s", paramLabel = "TIME",
      description = "How long the operations in flight when the run ends are waited for; those still running then are"
          + " cut off and reported as unfinished (default: 10s)")
  String drain;

  @Mixin
  TlsFlags tlsFlags;

  @Override
  public Integer call() throws InterruptedException {
    LoadPlan plan;
    try {
      plan = plan();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    Vertx vertx = Vertx.vertx(NativeTransport.vertxOptions());
    try {
      String problem = Preflight.problem(vertx, plan);
      if (problem != null) {
        spec.commandLine().getErr().println("error: " + problem);
        return 1;
      }
      LoadControl control = new LoadControl(plan.requests());
      return StopSignals.windDownOnSignal(() -> {
        spec.commandLine().getErr().println("load: stopping early; the summary follows once the calls in flight end,"
            + " or after --drain (Ctrl-C again to quit now)");
        spec.commandLine().getErr().flush();
        control.stop();
      }, () -> run(vertx, plan, control));
    } finally {
      close(vertx);
    }
  }

  /**
   * Waits for Vert.x to close, so that a JVM running one load after another (bench/ClientDriver.java)
   * starts each on a quiet machine and ends with its last one; says so if it takes longer.
   */
  private void close(Vertx vertx) throws InterruptedException {
    try {
      vertx.close().await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException stillClosing) {
      spec.commandLine().getErr().println("load: Vert.x had not closed " + CLOSE_TIMEOUT_SECONDS + " s after the run");
    }
  }

  private int run(Vertx vertx, LoadPlan plan, LoadControl control) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    LoadStats stats = new LoadStats();
    if (plan.warmup().isZero()) {
      control.startMeasuring();
    }
    List<LoadVerticle> verticles = new CopyOnWriteArrayList<>();
    int[] workers = split(plan.concurrency(), plan.instances());
    int[] next = {0};
    await(vertx.deployVerticle(() -> {
      LoadVerticle verticle = new LoadVerticle(plan, workers[next[0]++], plan.rate() / plan.instances(), stats, control);
      verticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(plan.instances())));
    out.printf("load: %s against %s%s, %s, concurrency %d, %d instance(s)%n", plan.rpc().cliName(), plan.targets(),
        plan.tls() == null ? "" : " over TLS", plan.openLoop() ? "open loop at " + plan.rate() + " calls/s" : "closed loop",
        plan.concurrency(), plan.instances());
    out.flush();

    Future<Void> finished = Future.all(verticles.stream().map(LoadVerticle::done).toList()).mapEmpty();
    sleepUntil(finished, plan.warmup().toNanos());
    stats.collect();
    control.startMeasuring();
    long measuringSince = System.nanoTime();
    long lastReport = measuringSince;
    boolean ended = false;
    boolean cutOff = false;
    long endedAt = 0;
    while (!finished.isComplete()) {
      long now = System.nanoTime();
      if (plan.duration() != null && now - measuringSince >= plan.duration().toNanos()) {
        control.stop();
      }
      if (!control.running() && !ended) {
        ended = true;
        endedAt = now;
      }
      // Once the run has ended, the operations still in flight are waited for, up to --drain.
      long untilNext = ended ? plan.drain().toNanos() - (now - endedAt)
          : plan.duration() == null ? Long.MAX_VALUE : plan.duration().toNanos() - (now - measuringSince);
      if (ended && untilNext <= 0) {
        cutOff = true;
        break;
      }
      sleepUntil(finished, Math.min(1_000_000_000L, untilNext));
      now = System.nanoTime();
      if (finished.isComplete() && now - lastReport < 100_000_000L) {
        break;
      }
      stats.collect();
      out.println(stats.progressLine((now - measuringSince) / 1e9, Math.max(1e-9, (now - lastReport) / 1e9)));
      out.flush();
      lastReport = now;
    }
    stats.collect();
    // The run's rate: a wait for operations that never ended (a server that stopped answering) is not part of it.
    long measuredUntil = cutOff ? endedAt : System.nanoTime();
    JsonObject summary = stats.summary(plan, (measuredUntil - measuringSince) / 1e9, callsPerBackend(verticles));
    out.print(LoadStats.table(summary));
    out.flush();
    if (plan.json() != null) {
      try {
        Files.writeString(plan.json(), summary.encodePrettily());
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: cannot write " + plan.json() + ": " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private static Map<String, Long> callsPerBackend(List<LoadVerticle> verticles) {
    Map<String, Long> calls = new TreeMap<>();
    verticles.forEach(verticle -> verticle.callsPerBackend().forEach((backend, count) -> calls.merge(backend, count, Long::sum)));
    return calls;
  }

  LoadPlan plan() {
    List<HostAndPort> targets;
    try {
      targets = Targets.parse(target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--target: " + e.getMessage());
    }
    Rpc call = Rpc.named(rpc).orElseThrow(() -> new IllegalArgumentException(
        "--rpc: unknown '" + rpc + "' (known: " + String.join(", ", Rpc.names()) + ")"));
    require(concurrency >= 1, "--concurrency must be >= 1");
    require(connections >= 1, "--connections must be >= 1");
    require(instances >= 1 && instances <= concurrency, "--instances must be from 1 to --concurrency");
    require(payload >= 0 && payload <= MAX_PAYLOAD, "--payload must be from 0 to " + MAX_PAYLOAD + " bytes");
    require(duration == null || requests == null, "--duration and --requests exclude each other");
    require(requests == null || requests >= 1, "--requests must be >= 1");
    require(rate == null || rate > 0, "--rate must be > 0");
    require(maxAttempts >= 1, "--max-attempts must be >= 1");
    require(rate == null || call.independentCalls(), "--rate needs a call that can be sent at any time, not " + rpc);
    Path jsonDirectory = json == null ? null : json.toAbsolutePath().getParent();
    // Checked before the run rather than after it, when a bad path would lose the run's JSON.
    require(json == null || (Files.isDirectory(jsonDirectory) && Files.isWritable(jsonDirectory)),
        "--json: cannot write in directory " + jsonDirectory);
    require(json == null || !Files.isDirectory(json), "--json: " + json + " is a directory, not a file");
    Duration measured = requests != null ? null : duration("--duration", duration == null ? "30s" : duration);
    require(measured == null || !measured.isZero(), "--duration must be > 0");
    return new LoadPlan(List.copyOf(targets), call, concurrency, connections, measured, requests == null ? 0 : requests,
        rate == null ? 0 : rate, payload, duration("--warmup", warmup), instances, json, maxAttempts,
        duration("--timeout", timeout), duration("--drain", drain), tlsFlags.tls());
  }

  static Duration duration(String option, String text) {
    Matcher matcher = DURATION.matcher(text.trim());
    require(matcher.matches(), option + ": expected a time like 30s, 500ms, 2m, got '" + text + "'");
    ChronoUnit unit = switch (matcher.group(2) == null ? "s" : matcher.group(2)) {
      case "ms" -> ChronoUnit.MILLIS;
      case "m" -> ChronoUnit.MINUTES;
      case "h" -> ChronoUnit.HOURS;
      default -> ChronoUnit.SECONDS;
    };
    try {
      Duration time = Duration.of(Long.parseLong(matcher.group(1)), unit);
      time.toNanos(); // the run counts its times in nanoseconds
      return time;
    } catch (NumberFormatException | ArithmeticException tooLong) {
      throw new IllegalArgumentException(option + ": '" + text + "' is too long (at most 2562047h)");
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  private static int[] split(int total, int parts) {
    int[] shares = new int[parts];
    for (int i = 0; i < parts; i++) {
      shares[i] = total / parts + (i < total % parts ? 1 : 0);
    }
    return shares;
  }

  private static void sleepUntil(Future<?> finished, long nanos) throws InterruptedException {
    if (nanos <= 0) {
      return;
    }
    try {
      finished.await(nanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException stillRunning) {
      // the interval is over
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
