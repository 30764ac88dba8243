"""Runs the side-by-side benchmark that bench/compare.sh describes; standard library only."""
import datetime
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import targets

ROOT = Path(__file__).resolve().parent.parent
QUICK = "--quick" in sys.argv
ROUNDS = 1 if QUICK else 5
# Server streaming (well above its target in every run), start-up and the 10 MiB round trip: keeps the run within 15 min.
SHORT_ROUNDS = 1 if QUICK else 3
SECONDS = 3
WARMUP = 1
# Every server JVM gets the same flags.
JVM = ["java", "-Xms512m", "-Xmx1g", "-XX:+UseG1GC"]
# grpc-java's programs on the Netty grpc-java was released with, not our build's (src/it/grpc-java-peers/pom.xml).
PEER_CP = (ROOT / "target" / "it" / "grpc-java-peers" / "target" / "classpath").read_text().strip()
PEER_NETTY = re.search(r"netty-codec-http2-([^/:]+)\.jar", PEER_CP).group(1)
# Our load client's logging: warnings only.
QUIET = "-Dlogback.configurationFile=" + str(ROOT / "bench" / "logback-warn.xml")
JAR = str(ROOT / "target" / "marketplace.jar")
CLK_TCK = os.sysconf("SC_CLK_TCK")
LARGE = 10 * 1024 * 1024
ERRORS = []  # calls that failed during the run: the figures around them are suspect
BEGAN = time.monotonic()


def progress(text):
    elapsed = int(time.monotonic() - BEGAN)
    print(f"[{elapsed // 60}:{elapsed % 60:02d}] {text}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process: how long it took to serve, and its CPU time and peak memory."""

    def __init__(self, name, command, ready, env=None):
        self.name = name
        self.port = free_port()
        self.mgmt = free_port()
        self.started = started = time.monotonic()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([c.format(port=self.port, mgmt=self.mgmt) for c in command],
                                        stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        while not ready(self):
            if self.process.poll() is not None or time.monotonic() - started > 30:
                self.log.seek(0)
                raise SystemExit(f"{name} did not start:\n{self.log.read().decode()[-2000:]}")
            time.sleep(0.005)
        self.start_to_serving = time.monotonic() - started

    def cpu_seconds(self):
        return process_cpu_seconds(f"/proc/{self.process.pid}/stat")

    def jit_cpu_seconds(self):
        return jit_cpu_seconds(self.process.pid)

    def peak_rss_mib(self):
        match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{self.process.pid}/status").read_text())
        return int(match.group(1)) / 1024

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def process_cpu_seconds(stat_file):
    """User plus system CPU seconds from a /proc stat file (of a process or of one of its threads)."""
    fields = Path(stat_file).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def jit_cpu_seconds(pid):
    """CPU time of a JVM's JIT compiler threads."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if "CompilerThre" in (task / "comm").read_text():
                total += process_cpu_seconds(task / "stat")
        except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
            pass
    return total


def port_open(server):
    try:
        socket.create_connection(("127.0.0.1", server.port), 0.2).close()
        return True
    except OSError:
        return False


def health_ready(server):
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{server.mgmt}/health/ready", timeout=0.2).status == 200
    except OSError:
        return False


OURS = ("ours", JVM + ["-jar", JAR, "serve", "--conformance", "--host", "127.0.0.1", "--port", "{port}",
                       "--management-port", "{mgmt}", "--instances", "2"], port_open, {"MARKETPLACE_ACCESS_LOG_LEVEL": "OFF"})
GRPC_DEFAULT = ("grpc-java", JVM + ["-cp", PEER_CP, "io.grpc.benchmarks.qps.AsyncServer", "--address=127.0.0.1:{port}"],
                port_open, None)
GRPC_DIRECT = ("grpc-java direct", JVM + ["-cp", PEER_CP, "io.grpc.benchmarks.qps.AsyncServer",
                                          "--address=127.0.0.1:{port}", "--directexecutor"], port_open, None)
GRPC_INTEROP = ("grpc-java interop", JVM + ["-cp", PEER_CP, "io.grpc.testing.integration.TestServiceServer",
                                            "--port={port}", "--use_tls=false"], port_open, None)


class ClientJvm:
    """A load client kept in one JVM for the whole benchmark (bench/ClientDriver.java), so that every measured
    run uses settled JIT-compiled code: a fresh client JVM on 2 cores compiles for 6 to 10 s and, until then,
    measures its own compiler rather than the server. Each server gets client JVMs of its own (see clients_for)."""

    def __init__(self, classpath, main_class, method):
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(["java", QUIET, "-cp", classpath, str(ROOT / "bench" / "ClientDriver.java"),
                                         main_class, method], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors, text=True)

    def run(self, args):
        """One run; its standard output. A run that takes over 5 minutes ends the benchmark."""
        watchdog = threading.Timer(300, self.process.kill)
        watchdog.start()
        try:
            self.process.stdin.write("\t".join(args) + "\n")
            self.process.stdin.flush()
            out = []
            for line in self.process.stdout:
                if line.startswith(RUN_ENDED):
                    code = line[len(RUN_ENDED):].strip()
                    if code not in ("", "0"):
                        raise SystemExit(f"client run {' '.join(args)} exited {code}:\n{''.join(out)[-2000:]}")
                    return "".join(out)
                out.append(line)
        finally:
            watchdog.cancel()
        self.errors.seek(0)
        raise SystemExit(f"client JVM ended during {' '.join(args)}:\n{self.errors.read().decode()[-2000:]}")

    def cpu_seconds(self):
        return process_cpu_seconds(f"/proc/{self.process.pid}/stat")

    def jit_cpu_seconds(self):
        return jit_cpu_seconds(self.process.pid)

    def close(self):
        """Ends the JVM; one still running 30 s after its last run is killed, its threads kept for a look."""
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            dump = ROOT / "target" / f"client-jvm-{self.process.pid}-threads.txt"
            with open(dump, "w") as out:
                subprocess.run(["jcmd", str(self.process.pid), "Thread.print"], stdout=out, stderr=out, timeout=30)
            self.process.kill()
            self.process.wait()
            print(f"a client JVM was still running 30 s after its last run: killed; its threads are in {dump}",
                  file=sys.stderr)


RUN_ENDED = "=== client run ended:"


def clients_for():
    """Both load clients, in JVMs that only ever drive this one server. A client JVM shared between servers
    recompiles its receiving code whenever it switches to the other server (seen as its C2 compiler thread
    using 0.6 of a core during a measured run), which charges one server's run with the switch."""
    return {"AsyncClient": ClientJvm(PEER_CP, "io.grpc.benchmarks.qps.AsyncClient", "main"),
            "load": ClientJvm(JAR, "com.marketplace.Main", "run")}


def async_client(clients, server, extra, warmup=None, seconds=None):
    """grpc-java's AsyncClient: {qps, p50, p99, p99.9} (latency in ms)."""
    out = clients["AsyncClient"].run([f"--address=127.0.0.1:{server.port}", "--channels=1", "--outstanding_rpcs=100",
                                      f"--duration={seconds or SECONDS}", f"--warmup_duration={WARMUP if warmup is None else warmup}"]
                                     + extra)
    value = lambda label: float(re.search(re.escape(label) + r":\s+([\d.]+)", out).group(1))
    return {"qps": value("QPS"), "p50": value("50%ile Latency (in micros)") / 1000,
            "p90": value("90%ile Latency (in micros)") / 1000, "p99": value("99%ile Latency (in micros)") / 1000,
            "p99.9": value("99.9%ile Latency (in micros)") / 1000}


def load_client(clients, server, extra, warmup=None, seconds=None, requests=None):
    """Our load client: {qps, p50, p99, p99.9} (latency in ms). Its calls carry no deadline, as AsyncClient's do not."""
    with tempfile.NamedTemporaryFile(suffix=".json") as summary:
        bound = ["--requests", str(requests)] if requests else ["--duration", f"{seconds or SECONDS}s"]
        clients["load"].run(["load", "--target", f"127.0.0.1:{server.port}", "--warmup", f"{WARMUP if warmup is None else warmup}s",
                             "--timeout", "0", "--json", summary.name] + bound + extra)
        result = json.loads(Path(summary.name).read_text())
    if result["errors"]:
        ERRORS.append(f"{server.name}, load {' '.join(extra)}: {result['errors']}")
    return {"qps": result["qps"], **{k: result["latencyMs"][k] for k in ("p50", "p90", "p99", "p99.9")}}


def measured(server, client, run):
    """Runs a client against a server; adds, from /proc over the measured part of the run (after the client's
    warm-up), the server's CPU microseconds per call, the share of its CPU its JIT compiler took, the client
    JVM's CPU microseconds per call (client and server share the cores, so QPS follows the two together), and
    the cores the client JVM's JIT compiler took meanwhile (which the server had to share the machine with)."""
    window = {}
    sample = threading.Timer(WARMUP, lambda: window.update(cpu=server.cpu_seconds(), jit=server.jit_cpu_seconds(),
                                                           client_cpu=client.cpu_seconds(),
                                                           client_jit=client.jit_cpu_seconds(), since=time.monotonic()))
    sample.start()
    result = run()
    sample.join()
    seconds = time.monotonic() - window["since"]
    cpu = server.cpu_seconds() - window["cpu"]
    calls = result["qps"] * seconds
    result["server_cpu_s"] = cpu
    result["cpu_us_per_call"] = cpu / calls * 1e6
    result["client_cpu_us_per_call"] = (client.cpu_seconds() - window["client_cpu"]) / calls * 1e6
    result["jit_cpu_share"] = (server.jit_cpu_seconds() - window["jit"]) / cpu if cpu > 0 else 0.0
    result["client_jit_cores"] = (client.jit_cpu_seconds() - window["client_jit"]) / seconds
    return result


SCENARIOS = [
    # name, AsyncClient flags (None: not supported by it), our load client flags, rounds
    ("unary 0 B", [], ["--rpc", "bench-unary", "--concurrency", "100"], ROUNDS),
    ("unary 1 KiB", ["--client_payload=1024", "--server_payload=1024"],
     ["--rpc", "bench-unary", "--payload", "1024", "--concurrency", "100"], ROUNDS),
    ("ping-pong", ["--streaming_rpcs"], ["--rpc", "bench-pingpong", "--concurrency", "100"], ROUNDS),
    ("server streaming, 1 client", None, ["--rpc", "bench-server-stream", "--concurrency", "1"], SHORT_ROUNDS),
    ("server streaming 1 KiB, 1 client", None, ["--rpc", "bench-server-stream", "--payload", "1024", "--concurrency", "1"],
     SHORT_ROUNDS),
]
# Every JVM is measured settled, not while its JIT compiler works. A fresh JVM on 2 cores compiles for 20 s and
# more under load, and one that switches to another kind of call recompiles for seconds (after server streaming,
# the next unary run saw the C2 compiler take 0.4 of a core in both server and client, and 3-5x the CPU per call).
# So before the rounds of each scenario and client, every server gets unmeasured runs of SETTLE_RUN_SECONDS
# until one in which neither its JIT compiler nor the client's took more than SETTLED of a core, SETTLE_MOST s at most.
# The first scenario meets every JVM fresh: under AsyncClient, each server and its client settled only after
# 24-30 s on a quiet machine, so there a capped settling left the first round measuring the compiler. A server
# takes about half a core, so SETTLED is about a tenth of its CPU: at 0.1 core, servers that had settled still
# gave a fifth to a third of their CPU to the compiler in the first rounds.
SETTLE_RUN_SECONDS = 1 if QUICK else 2
SETTLED = 0.05
SETTLE_MOST = 1 if QUICK else 20
FRESH_SETTLE_MOST = 1 if QUICK else 44  # in the first scenario


def settle(clients, server, client, flags, most):
    """Unmeasured runs until the JIT compilers have settled, `most` seconds at most; the seconds it took."""
    jvms, spent = (server, clients[client]), 0
    while True:
        before, started = [jvm.jit_cpu_seconds() for jvm in jvms], time.monotonic()
        run_client(clients, server, client, flags, seconds=SETTLE_RUN_SECONDS)
        busiest = max(jvm.jit_cpu_seconds() - b for jvm, b in zip(jvms, before)) / (time.monotonic() - started)
        spent += SETTLE_RUN_SECONDS
        if spent >= most or busiest <= SETTLED:
            return spent


def seconds_to_ready(server):
    """Ours only: from process start until its HTTP readiness check answers UP (the first HTTP request it serves)."""
    while not health_ready(server):
        time.sleep(0.005)
    return time.monotonic() - server.started


def with_jvm_flags(spec, flags):
    name, command, ready, env = spec
    return name, command[:1] + flags + command[1:], ready, env


def class_data_archive(spec, directory):
    """A training run, as a deployment would make one: the server starts, serves some calls and stops, and the
    JVM archives the classes it loaded (AppCDS) for later starts to map instead of load and verify."""
    archive = Path(directory) / (spec[0].replace(" ", "-") + ".jsa")
    server = Server(*with_jvm_flags(spec, [f"-XX:ArchiveClassesAtExit={archive}"]))
    try:
        subprocess.run(["java", "-jar", JAR, "load", "--target", f"127.0.0.1:{server.port}", "--rpc", "bench-unary",
                        "--warmup", "0s", "--requests", "1000"], capture_output=True, timeout=120, check=True)
    finally:
        server.stop()
    return archive


def start_times(results):
    """Each server started and stopped twice per round, alternating, nothing else running: as is, and with a
    class-data archive of its own (same flags for every server)."""
    with tempfile.TemporaryDirectory() as directory:
        specs = (OURS, GRPC_DEFAULT, GRPC_DIRECT)
        archives = {spec[0]: class_data_archive(spec, directory) for spec in specs}
        for round_index in range(SHORT_ROUNDS):
            for spec in specs:
                record = results.setdefault(spec[0], [{} for _ in range(ROUNDS)])[round_index]
                for suffix, flags in (("", []), ("_cds", [f"-XX:SharedArchiveFile={archives[spec[0]]}"])):
                    server = Server(*with_jvm_flags(spec, flags))
                    try:
                        record["start_to_serving" + suffix + "_s"] = server.start_to_serving
                        if spec is OURS:
                            record["start_to_ready" + suffix + "_s"] = seconds_to_ready(server)
                    finally:
                        server.stop()


def run_client(clients, server, client, flags, seconds=None):
    """One run of `client` ("AsyncClient" or "load"): a measured one, or given `seconds` an unmeasured one
    that long, without the warm-up."""
    if client == "AsyncClient":
        return async_client(clients, server, flags, warmup=0 if seconds else None, seconds=seconds)
    return load_client(clients, server, flags, warmup=0 if seconds else None, seconds=seconds)


def rotated(servers, round_index):
    """Each round starts with another server: whatever drifts during a round (the clients' JIT, the machine's
    neighbours) favours none of them."""
    shift = round_index % len(servers)
    return servers[shift:] + servers[:shift]


def client_runs(async_flags, load_flags):
    """The clients a scenario is measured with, and their flags: AsyncClient only where it has the scenario."""
    return [("load", load_flags)] if async_flags is None else [("AsyncClient", async_flags), ("load", load_flags)]


def benchmark_scenarios(results, settling, clients, servers):
    """Scenario by scenario, for each client: every server settled on it, then the rounds, servers alternating."""
    for name, async_flags, load_flags, rounds in SCENARIOS:
        most = FRESH_SETTLE_MOST if name == SCENARIOS[0][0] else SETTLE_MOST
        for client, flags in client_runs(async_flags, load_flags):
            for server in servers:
                settling.setdefault(name, []).append(settle(clients[server.name], server, client, flags, most))
            for round_index in range(rounds):
                for server in rotated(servers, round_index):
                    results[server.name][round_index][(name, client)] = measured(
                        server, clients[server.name][client], lambda: run_client(clients[server.name], server, client, flags))
            progress(f"  {name}, {client}: done")


def large_round_trips(results, clients, large):
    """The 10 MiB round trip, ours and grpc-java's interop server alternating."""
    flags = ["--rpc", "interop-unary", "--payload", str(LARGE), "--concurrency", "1"]
    for round_index in range(SHORT_ROUNDS):
        for server in rotated(large, round_index):
            trip = load_client(clients[server.name], server, flags, warmup=1, requests=20)
            rounds = results.setdefault(server.name + " (10 MiB)", [{} for _ in range(SHORT_ROUNDS)])
            rounds[round_index]["10 MiB round trip ms"] = trip["p50"]


def h2load_ceiling(server):
    if not shutil.which("h2load"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".bin") as body:
        body.write(b"\x00\x00\x00\x00\x00")  # one empty SimpleRequest, framed
        body.flush()
        out = subprocess.run(["h2load", "-n", "200000", "-c", "1", "-m", "100", "-d", body.name,
                              "-H", "content-type: application/grpc", "-H", "te: trailers",
                              f"http://127.0.0.1:{server.port}/grpc.testing.BenchmarkService/UnaryCall"],
                             capture_output=True, text=True, timeout=300).stdout
    match = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    return float(match.group(1)) if match else None


def median_and_spread(values):
    return statistics.median(values), min(values), max(values)


def per_run(rounds, figure):
    """A figure of each measured run of a server, over all rounds."""
    return [run[figure] for record in rounds for run in record.values() if isinstance(run, dict)]


def recorded(rounds, figure):
    """A server's figure in the rounds that have it (start-up has fewer rounds than the scenarios)."""
    return [record[figure] for record in rounds if figure in record]


def figures(load_flags):
    """The figures a scenario is reported by. A server stream's messages have no latency of their own."""
    if "bench-server-stream" in load_flags:
        return "qps", "cpu_us_per_call"
    return "qps", "p50", "p99", "p99.9", "cpu_us_per_call"


def report(results, settling, ceiling):
    """Markdown: each figure for both sides, the ratio ours/theirs per round, its median and spread."""
    first = settling[SCENARIOS[0][0]]
    settled = [seconds for name, runs in settling.items() if name != SCENARIOS[0][0] for seconds in runs]
    lines = [f"# Side-by-side benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}", "",
             f"`bench/compare.sh{' --quick' if QUICK else ''}`: same JVM flags (`{' '.join(JVM[1:])}`), {os.cpu_count()} "
             f"cores; grpc-java on Netty {PEER_NETTY}, its own (`src/it/grpc-java-peers/pom.xml`). Each server runs for the "
             "whole benchmark, driven by client JVMs of its own (AsyncClient, our `load`) "
             "that also run for the whole benchmark. Scenario by scenario and client by client, every server first "
             f"gets unmeasured runs of {SETTLE_RUN_SECONDS} s until one in which neither its JIT compiler nor the "
             f"client's took over {SETTLED:.0%} of a core, {SETTLE_MOST} s at most "
             f"({min(settled)}–{max(settled)} s, median {statistics.median(settled):g} s). In the first scenario, whose "
             f"JVMs are fresh, {FRESH_SETTLE_MOST} s at most: {'/'.join(map(str, first[:3]))} s under AsyncClient and "
             f"{'/'.join(map(str, first[3:]))} s under `load`, for ours/grpc-java/grpc-java direct. "
             f"Then {ROUNDS} round(s) ({SHORT_ROUNDS} for server streaming, start-up and the 10 MiB round trip), "
             "each server once per round and each round starting with another one; "
             f"each run is {SECONDS} s measured after {WARMUP} s warm-up. "
             "grpc-java's figure is the better of its default and `--directexecutor` modes, per round. Latency in ms; "
             "CPU per call is the server's CPU time (`/proc`) in the measured seconds over the calls in them.", ""]
    ours, theirs = results["ours"], [results[name] for name in targets.THEIRS]
    lines += ["| scenario | client | figure | ours (median) | grpc-java best (median) | ours/theirs per round | median ratio |",
              "|---|---|---|---|---|---|---|"]
    for name, async_flags, load_flags, _ in SCENARIOS:
        for client, _ in client_runs(async_flags, load_flags):
            for figure in figures(load_flags):
                mine, best, ratios = targets.round_ratios(results, (name, client), figure)
                lines.append(f"| {name} | {client} | {figure} | {statistics.median(mine):.2f} | {statistics.median(best):.2f} | "
                             f"{', '.join(f'{r:.2f}' for r in ratios)} | {median_ratio(ratios)} |")
    names = ("ours",) + targets.THEIRS
    lines += ["", "Share of a server's CPU that its JIT compiler took during the measured seconds, over all runs: "
              + "; ".join(f"{name} median {statistics.median(runs):.1%}, highest {max(runs):.1%}"
                          for name, runs in ((n, per_run(results[n], "jit_cpu_share")) for n in names)) + ". "
              "Cores that the JIT compilers of the client JVMs took meanwhile, by server: "
              + "; ".join(f"{name} median {statistics.median(runs):.2f}, highest {max(runs):.2f}"
                          for name, runs in ((n, per_run(results[n], "client_jit_cores")) for n in names)) + "."]
    lines += ["", "Our `load` client against grpc-java's server, QPS ratio to grpc-java's AsyncClient at equal settings "
              "(each client against the better grpc-java mode for it):", "",
              "| scenario | load (median) | AsyncClient (median) | load/AsyncClient per round | median ratio |", "|---|---|---|---|---|"]
    for name, async_flags, _, _ in SCENARIOS:
        if async_flags is None:
            continue
        load_qps, async_qps, ratios = targets.load_vs_async(results, name)
        lines.append(f"| {name} | {statistics.median(load_qps):.0f} | {statistics.median(async_qps):.0f} | "
                     f"{', '.join(f'{r:.2f}' for r in ratios)} | {median_ratio(ratios)} |")
    large_ours, large_theirs, ratios = targets.large_ratios(results)
    lines += ["", "| figure | ours (median) | grpc-java (median) | median ratio ours/theirs (spread) |", "|---|---|---|---|",
              f"| 10 MiB unary round trip, ms (TestService.UnaryCall) | {statistics.median(large_ours):.1f} | "
              f"{statistics.median(large_theirs):.1f} | {median_ratio(ratios)} |"]
    for figure in ("start_to_serving_s", "start_to_serving_cds_s", "peak_rss_mib"):
        mine = statistics.median(recorded(ours, figure))
        others = statistics.median([value for t in theirs for value in recorded(t, figure)])
        lines.append(f"| {figure} | {mine:.2f} | {others:.2f} | **{mine / others:.2f}** |")
    lines += ["", "Start to serving is the time from process start until the gRPC port accepts connections, the same "
              "probe for every server; ours opens it only once its services are mounted. `_cds`: each server started "
              "with a class-data archive (AppCDS) of its own, made by one training run (start, 1,000 calls, stop). "
              "Ours to its HTTP readiness check answering UP (its first HTTP request): "
              f"{statistics.median(recorded(ours, 'start_to_ready_s')):.2f} s, "
              f"with its archive {statistics.median(recorded(ours, 'start_to_ready_cds_s')):.2f} s (medians)."]
    lines += targets_met(results)
    if ceiling:
        lines += ["", f"Transport ceiling: h2load, 1 connection × 100 streams, empty UnaryCall against our server: {ceiling:,.0f} req/s."]
    lines += ["", "Latency percentiles, unary 0 B, AsyncClient, median round: ![latency](latency.svg)", ""]
    if ERRORS:
        lines += ["Calls failed during the run, so the figures next to them are suspect:", ""] + [f"- {e}" for e in ERRORS] + [""]
    return "\n".join(lines)


def targets_met(results):
    """The comparison's targets (targets.py) against this run's medians."""
    judged = targets.checks(results)
    rows = [f"| {what} | {value:.3f} | {op} {bound:g} | {'yes' if met else '**no**'} |" for what, value, op, bound, met in judged]
    return ["", f"Targets, on the medians of the ratios ours/theirs, unrounded: {sum(met for *_, met in judged)} of "
            f"{len(judged)} met.", "", "| target | median | bound | met |", "|---|---|---|---|"] + rows


def median_ratio(ratios):
    """The median of a figure's ratios in bold, and their spread."""
    med, low, high = median_and_spread(ratios)
    return f"**{med:.2f}** ({low:.2f}–{high:.2f})"


def svg(results):
    """A line per server: latency (ms) at p50, p90, p99 and p99.9 for unary 0 B under AsyncClient."""
    percentiles = ["p50", "p90", "p99", "p99.9"]
    series = {}
    for name in ("ours", "grpc-java", "grpc-java direct"):
        series[name] = [statistics.median(r[("unary 0 B", "AsyncClient")][p] for r in results[name]) for p in percentiles]
    top = max(max(v) for v in series.values()) * 1.1
    width, height, left, bottom, right = 520, 300, 60, 40, 40
    x = lambda i: left + i * (width - left - right) / (len(percentiles) - 1)
    y = lambda v: height - bottom - v / top * (height - bottom - 20)
    colors = {"ours": "#1b7f3b", "grpc-java": "#b03030", "grpc-java direct": "#3050b0"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="14">latency (ms), unary 0 B, 1 channel x 100 outstanding</text>']
    for i, p in enumerate(percentiles):
        parts.append(f'<text x="{x(i)}" y="{height - 15}" text-anchor="middle">{p}</text>')
    for k in range(5):
        v = top * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v)}" y2="{y(v)}" stroke="#ddd"/>'
                     f'<text x="5" y="{y(v) + 4}">{v:.1f}</text>')
    for n, (name, values) in enumerate(series.items()):
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colors[name]}" stroke-width="2" points="{points}"/>')
        parts.append(f'<text x="{left + 10}" y="{40 + 16 * n}" fill="{colors[name]}">{name}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def main():
    results, settling = {}, {}
    progress("start-up times")
    start_times(results)
    clients, servers, large = {}, [], []
    try:
        # Each server and its clients run for the whole benchmark.
        for spec in (OURS, GRPC_DEFAULT, GRPC_DIRECT):
            servers.append(Server(*spec))
            clients[spec[0]] = clients_for()
        benchmark_scenarios(results, settling, clients, servers)
        large = [servers[0], Server(*GRPC_INTEROP)]
        clients[GRPC_INTEROP[0]] = {"load": ClientJvm(JAR, "com.marketplace.Main", "run")}
        progress("10 MiB round trips")
        large_round_trips(results, clients, large)
        for server in servers:
            for record in results[server.name]:
                record["peak_rss_mib"] = server.peak_rss_mib()
        ceiling = h2load_ceiling(servers[0])
    finally:
        for server in servers + large[1:]:
            server.stop()
        for pair in clients.values():
            for client in pair.values():
                client.close()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    markdown = report(results, settling, ceiling)
    (out / "latest.md").write_text(markdown)
    (out / "latency.svg").write_text(svg(results))
    raw = {server: [{" / ".join(k) if isinstance(k, tuple) else k: v for k, v in r.items()} for r in rounds]
           for server, rounds in results.items()}
    (out / "latest.json").write_text(json.dumps(raw, indent=1))
    print(markdown)


if __name__ == "__main__":
    main()
