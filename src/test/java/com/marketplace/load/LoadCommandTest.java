package com.marketplace.load;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.Main;
import com.marketplace.grpc.ConnectionChannel;
import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.ServerInterceptor;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.CommandRun;
import com.marketplace.testing.Eventually;
import com.marketplace.testing.Ports;
import com.marketplace.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class LoadCommandTest {

  @TempDir
  Path dir;

  private static String target(MarketplaceServer server) {
    return "127.0.0.1:" + server.port();
  }

  private static MarketplaceServer conformanceServer(Vertx vertx) {
    return TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true).put("accessLogLevel", "OFF")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--target nohost                                      | error: --target: expected HOST:PORT, got 'nohost'",
      "--target h:99999                                     | error: --target: port out of range in 'h:99999'",
      "--target h:1 --rpc warp                              | error: --rpc: unknown 'warp' (known: bench-unary, interop-unary, bench-pingpong, bench-server-stream, get-product, list-products, get-stream, lookup-products)",
      "--target h:1 --duration 5s --requests 10             | error: --duration and --requests exclude each other",
      "--target h:1 --duration soon                         | error: --duration: expected a time like 30s, 500ms, 2m, got 'soon'",
      "--target h:1 --timeout never                         | error: --timeout: expected a time like 30s, 500ms, 2m, got 'never'",
      "--target h:1 --duration 0ms                          | error: --duration must be > 0",
      "--target h:1 --duration 3000000h                     | error: --duration: '3000000h' is too long (at most 2562047h)",
      "--target h:1 --warmup 99999999999999999999s          | error: --warmup: '99999999999999999999s' is too long (at most 2562047h)",
      "--target h:1 --rpc bench-pingpong --rate 100         | error: --rate needs a call that can be sent at any time, not bench-pingpong",
      "--target h:1 --concurrency 0                         | error: --concurrency must be >= 1",
      "--target h:1 --json /no/such/dir/run.json            | error: --json: cannot write in directory /no/such/dir",
      "--target h:1 --json /tmp                             | error: --json: /tmp is a directory, not a file",
      "--target h:1 --concurrency 2 --instances 3           | error: --instances must be from 1 to --concurrency",
      "--target h:1 --concurrency x                         | error: Invalid value for option '--concurrency': 'x' is not an int (see --help)"})
  void badArgumentsAreOneLineAndExitCodeTwo(String args, String error) {
    List<String> command = new ArrayList<>(List.of("load"));
    command.addAll(List.of(args.trim().split("\\s+")));
    CommandRun run = CommandRun.of(command.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertEquals(error, run.err());
  }

  @Test
  void anUnreachableTargetFailsFast() {
    CommandRun run = CommandRun.of("load", "--target", "127.0.0.1:" + Ports.free(), "--requests", "1");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("error: cannot reach 127.0.0.1:"), run.err());
  }

  /** Regression: against a server without the call, every call was counted as an UNIMPLEMENTED error and the run exited 0. */
  @Test
  void aTargetWithoutTheCallFailsFastWithAHint(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("accessLogLevel", "OFF")));
    CommandRun run = CommandRun.of("load", "--target", target(server), "--rpc", "bench-unary", "--duration", "10m");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertEquals("error: " + target(server) + " cannot serve bench-unary: UNIMPLEMENTED Method not found: "
        + "grpc.testing.BenchmarkService/UnaryCall (bench-unary needs a server with the conformance services: serve --conformance)",
        run.err());
    assertEquals("", run.out(), "no run, no summary");
  }

  @Test
  void aTargetThatRefusesTheClientFailsFast(Vertx vertx) {
    AtomicInteger calls = new AtomicInteger();
    ServerInterceptor refuses = (call, proceed) -> {
      calls.incrementAndGet();
      call.fail(new RpcException(GrpcStatus.UNAUTHENTICATED, "Missing bearer token"));
    };
    SocketAddress server = TestServers.serveWith(vertx, TestServers.defaultServices(), List.of(refuses));
    CommandRun run = CommandRun.of("load", "--target", "127.0.0.1:" + server.port(), "--rpc", "get-product", "--duration", "10m");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertEquals("error: 127.0.0.1:" + server.port() + " cannot serve get-product: UNAUTHENTICATED Missing bearer token", run.err());
    assertEquals(1, calls.get(), "only the probe");
  }

  /** Other failures of the probe are the run's to measure: it goes ahead and counts them. */
  @Test
  void aTargetThatFailsTheCallOtherwiseIsStillMeasured(Vertx vertx) throws IOException {
    ServerInterceptor busy = (call, proceed) -> call.fail(new RpcException(GrpcStatus.RESOURCE_EXHAUSTED, "Busy"));
    SocketAddress server = TestServers.serveWith(vertx, TestServers.defaultServices(), List.of(busy));
    JsonObject summary = loadSummary("127.0.0.1:" + server.port(), "--rpc", "get-product", "--requests", "5",
        "--concurrency", "1");
    assertEquals(new JsonObject().put("RESOURCE_EXHAUSTED", 5), summary.getJsonObject("errors"), summary.encode());
  }

  @Test
  void aKnownSmallRunReportsConsistentNumbersAsTableAndJson(Vertx vertx) throws IOException {
    MarketplaceServer server = conformanceServer(vertx);
    Path json = dir.resolve("summary.json");
    CommandRun run = CommandRun.of("load", "--target", target(server), "--rpc", "bench-unary", "--payload", "1024",
        "--requests", "500", "--concurrency", "10", "--warmup", "0s", "--json", json.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("bench-unary") && run.out().contains("       500 "), run.out());

    JsonObject summary = new JsonObject(Files.readString(json));
    assertEquals(500, summary.getLong("calls"));
    assertEquals(500, summary.getLong("ok"));
    assertEquals(new JsonObject(), summary.getJsonObject("errors"));
    assertEquals(0, summary.getLong("unsent"));
    assertEquals(0, summary.getLong("unfinished"));
    assertEquals("closed loop", summary.getString("mode"));
    assertFalse(summary.getBoolean("tls"));
    assertEquals(summary.getLong("calls") / summary.getDouble("seconds"), summary.getDouble("qps"), 1e-6);
    JsonObject latency = summary.getJsonObject("latencyMs");
    assertTrue(latency.getDouble("p50") > 0);
    assertTrue(latency.getDouble("p50") <= latency.getDouble("p90") && latency.getDouble("p90") <= latency.getDouble("p99")
        && latency.getDouble("p99") <= latency.getDouble("p99.9") && latency.getDouble("p99.9") <= latency.getDouble("max"), latency.encode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"interop-unary", "bench-pingpong", "bench-server-stream", "get-product", "list-products", "get-stream",
      "lookup-products"})
  void everyRpcRuns(String rpc, Vertx vertx) throws IOException {
    JsonObject summary = loadSummary(conformanceServer(vertx), "--rpc", rpc, "--requests", "200", "--concurrency", "4",
        "--instances", "2");
    assertEquals(200, summary.getLong("ok"), summary.encode());
  }

  /** The benchmark keeps one client JVM for all its runs ({@code bench/ClientDriver.java}). */
  @Test
  void runsOneAfterAnotherInOneJvm(Vertx vertx) {
    String target = target(conformanceServer(vertx));
    for (int run = 0; run < 2; run++) {
      assertEquals(0, Main.run("load", "--target", target, "--rpc", "bench-unary", "--requests", "50", "--concurrency", "5",
          "--warmup", "0s"));
    }
  }

  @Test
  void anOpenLoopSendsTheRequestedCalls(Vertx vertx) throws IOException {
    JsonObject summary = loadSummary(conformanceServer(vertx), "--rpc", "get-product", "--rate", "2000", "--requests", "300",
        "--concurrency", "20");
    assertEquals(300, summary.getLong("ok"));
    assertEquals("open loop at 2000.0 calls/s", summary.getString("mode"));
  }

  /**
   * Regression: each call was sent one interval after it fell due, and that interval was counted in
   * its latency: at 2 calls/s, half a second on a call that took a millisecond.
   */
  @Test
  void anOpenLoopSendsEachCallWhenItFallsDue(Vertx vertx) throws IOException {
    JsonObject summary = loadSummary(conformanceServer(vertx), "--rpc", "get-product", "--rate", "2", "--requests", "4");
    assertEquals(4, summary.getLong("ok"));
    assertTrue(summary.getJsonObject("latencyMs").getDouble("p50") < 250, summary.encode());
  }

  /**
   * Regression: at a rate the server could not keep up with, every call that fell due was sent after
   * the duration, however long that took, and each waiting call took memory. Now the run ends on time
   * and counts the calls it did not send.
   */
  @Test
  void anOpenLoopEndsOnTimeAndCountsTheCallsItCouldNotSend(Vertx vertx) throws IOException {
    JsonObject summary = loadSummary(conformanceServer(vertx), "--rpc", "get-product", "--rate", "1000000", "--duration", "1s",
        "--concurrency", "1");
    assertTrue(summary.getLong("unsent") > summary.getLong("ok") && summary.getLong("ok") > 0, summary.encode());
    assertTrue(summary.getDouble("seconds") < 10, summary.encode());
  }

  /** Warm-up calls still waiting when measuring begins are dropped, so that they do not take the measured run's place. */
  @Test
  void anOpenLoopBehindAfterItsWarmUpStillMeasures(Vertx vertx) throws IOException {
    Path json = dir.resolve("behind.json");
    CommandRun run = CommandRun.of("load", "--target", target(conformanceServer(vertx)), "--rpc", "get-product", "--rate", "1000000",
        "--warmup", "1s", "--duration", "1s", "--concurrency", "1", "--json", json.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    JsonObject summary = new JsonObject(Files.readString(json));
    assertTrue(summary.getLong("ok") > 0 && summary.getLong("unsent") > 0, summary.encode());
  }

  /** Regression: when the last calls fell due in one timer tick, they were never sent and the run never ended. */
  @Test
  @Timeout(30)
  void anOpenLoopWhoseLastCallsFallDueTogetherStillSendsThem(Vertx vertx) throws IOException {
    JsonObject summary = loadSummary(conformanceServer(vertx), "--rpc", "get-product", "--rate", "1000000", "--requests", "50",
        "--concurrency", "1");
    assertEquals(50, summary.getLong("ok"));
  }

  /**
   * Regression: an operation the server never answered held the run open for ever. The server here
   * takes every call and never answers; each operation fails at the timeout, and a held stream is
   * replaced by a new one for the next.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bench-unary", "bench-pingpong", "bench-server-stream"})
  void operationsAStalledServerNeverAnswersFailAtTheTimeoutAndTheRunEnds(String rpc, Vertx vertx) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    ServerInterceptor neverAnswers = (call, proceed) -> calls.incrementAndGet();
    SocketAddress stalled = TestServers.serveWith(vertx, TestServers.conformanceServices(), List.of(neverAnswers));
    JsonObject summary = loadSummary("127.0.0.1:" + stalled.port(), "--rpc", rpc, "--requests", "3", "--concurrency", "1",
        "--timeout", "300ms");
    assertEquals(new JsonObject().put("DEADLINE_EXCEEDED", 3), summary.getJsonObject("errors"), summary.encode());
    assertEquals(0, summary.getLong("ok"));
    assertEquals(1 + 3, calls.get(), "the probe's, then a call, or a stream, for each operation");
  }

  /**
   * Regression: without deadlines (--timeout 0), operations a server never answered held the run open
   * for ever. The server here answers only the probe's call. The cut-off wait stays out of the
   * measured seconds, so it does not lower the run's QPS.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bench-unary", "bench-pingpong"})
  void operationsStillInFlightAfterTheDrainAreCutOffAndTheRunEnds(String rpc, Vertx vertx) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    ServerInterceptor answersOnlyTheProbe = (call, proceed) -> {
      if (calls.incrementAndGet() == 1) {
        proceed.run();
      }
    };
    SocketAddress stalled = TestServers.serveWith(vertx, TestServers.conformanceServices(), List.of(answersOnlyTheProbe));
    JsonObject summary = loadSummary("127.0.0.1:" + stalled.port(), "--rpc", rpc, "--duration", "300ms", "--concurrency", "3",
        "--timeout", "0", "--drain", "1s");
    assertEquals(3, summary.getLong("unfinished"), summary.encode());
    assertEquals(0, summary.getLong("calls"));
    // Regression: the rate was over the run and the whole wait for what never ended.
    assertTrue(summary.getDouble("seconds") < 1, "the cut-off wait is not part of the measured time: " + summary.encode());
  }

  /**
   * A server that stops under a run fails its calls UNAVAILABLE and the run ends, even without
   * deadlines. (The client hangs this once ran into are reproduced one by one in BackendConnectionTest.)
   */
  @Test
  void aServerThatStopsUnderTheRunFailsItsCallsUnavailableAndTheRunEnds() throws IOException {
    Vertx server = Vertx.vertx();
    AtomicInteger requests = new AtomicInteger();
    // Fails the probe's call UNAVAILABLE (the run goes ahead), holds the next 100, then stops.
    SocketAddress stopping = TestServers.serve(server, request -> {
      int n = requests.incrementAndGet();
      if (n == 1) {
        TestServers.answerTrailersOnly(request, GrpcStatus.UNAVAILABLE);
      } else if (n == 1 + 100) {
        ConnectionChannel.of(request.connection()).pipeline().firstContext().close(); // as if killed: no GOAWAY
        server.close();
      }
    });
    try {
      JsonObject summary = loadSummary("127.0.0.1:" + stopping.port(), "--rpc", "get-product", "--requests", "500",
          "--concurrency", "100", "--timeout", "0");
      assertEquals(new JsonObject().put("UNAVAILABLE", 500), summary.getJsonObject("errors"), summary.encode());
    } finally {
      server.close();
    }
  }

  /** A signal (Ctrl-C, or here SIGTERM) ends a run early: the calls in flight end, then the summary comes as usual. */
  @Test
  void aSignalEndsTheRunEarlyWithItsSummary(Vertx vertx) throws Exception {
    Path log = ChildJvm.logFile(Main.class.getName());
    Path json = dir.resolve("stopped-early.json");
    Process load = ChildJvm.start(System.getProperty("java.class.path"), Main.class.getName(),
        List.of("load", "--target", target(conformanceServer(vertx)), "--rpc", "get-product", "--concurrency", "4",
            "--warmup", "0s", "--duration", "10m", "--json", json.toString()), log);
    try {
      await(Eventually.until(vertx, () -> Future.succeededFuture(ChildJvm.read(log).contains("s  calls ")), "a progress line"));
      load.destroy();
      assertTrue(load.waitFor(30, TimeUnit.SECONDS), ChildJvm.read(log));
      assertEquals(0, load.exitValue(), ChildJvm.read(log));
      JsonObject summary = new JsonObject(Files.readString(json));
      assertTrue(summary.getLong("ok") > 0 && summary.getDouble("seconds") < 600, summary.encode());
      assertEquals(new JsonObject(), summary.getJsonObject("errors"));
      assertTrue(ChildJvm.read(log).contains("load: stopping early"), ChildJvm.read(log));
    } finally {
      load.destroyForcibly();
    }
  }

  @Test
  void severalTargetsShareTheCallsRoundRobin(Vertx vertx) {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    SocketAddress a = TestServers.serveWith(vertx, TestServers.defaultServices(), List.of(counting(first)));
    SocketAddress b = TestServers.serveWith(vertx, TestServers.defaultServices(), List.of(counting(second)));
    CommandRun run = CommandRun.of("load", "--target", "127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port(), "--rpc", "get-product",
        "--requests", "100", "--concurrency", "1", "--warmup", "0s");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(1 + 100 + 1, first.get() + second.get(), "a probe to each, and the run's calls");
    assertEquals(1 + 50, first.get(), "calls went " + first.get() + " / " + second.get());
  }

  /** Runs {@code load} against {@code server} with no warm-up; it must succeed; its JSON summary. */
  private JsonObject loadSummary(MarketplaceServer server, String... args) throws IOException {
    return loadSummary(target(server), args);
  }

  private JsonObject loadSummary(String target, String... args) throws IOException {
    Path json = Files.createTempFile(dir, "summary", ".json");
    List<String> command = new ArrayList<>(List.of("load", "--target", target, "--warmup", "0s", "--json", json.toString()));
    command.addAll(List.of(args));
    CommandRun run = CommandRun.of(command.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return new JsonObject(Files.readString(json));
  }

  private static ServerInterceptor counting(AtomicInteger calls) {
    return (call, proceed) -> {
      calls.incrementAndGet();
      proceed.run();
    };
  }
}
