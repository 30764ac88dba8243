"""A/B of two builds of our server under the same settled clients, or of two builds of our load client against
the same server: how bench/results/changes.md measures a change.

    python3 bench/ab.py OLD.jar NEW.jar [--rounds 5] [--client AsyncClient|load] [--payload 0]
                        [--rpc bench-unary] [--concurrency 100] [--seconds 3] [--builds-of server|load]

Build the jar before a change with `git worktree add /tmp/before COMMIT && mvn -f /tmp/before -q package -DskipTests`
(then OLD.jar is /tmp/before/target/marketplace.jar). Needs `mvn package` here first, and grpc-java's classpath:
`mvn -B -q invoker:run@grpc-java-peers`.
Each server gets client JVMs of its own, is settled as in bench/compare.py, and the rounds alternate, each
starting with the other jar. With `--builds-of load`, one server (this checkout's jar) is driven in turn by a
settled `load` JVM of each build. Prints each round (calls/s, CPU per call of the server and of its client JVM,
p99), then per jar the medians and in how many rounds NEW was the cheaper one (the server's CPU per call, or
with `--builds-of load` the client's). A benchmark, not a test.
"""
import argparse
import statistics
import sys

import compare

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("old_jar")
parser.add_argument("new_jar")
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--client", choices=["AsyncClient", "load"], default="AsyncClient")
parser.add_argument("--payload", type=int, default=0, help="request and response bytes")
parser.add_argument("--rpc", default="bench-unary", help="our load client's RPC (AsyncClient always runs unary)")
parser.add_argument("--concurrency", type=int, default=100, help="our load client's calls in flight")
parser.add_argument("--seconds", type=int, default=compare.SECONDS, help="measured seconds per run")
parser.add_argument("--builds-of", choices=["server", "load"], default="server",
                    help="what the two jars are compared as: our server, or (with --client load) our load client")


def server(name, jar):
    command = [jar if part == compare.JAR else part for part in compare.OURS[1]]
    return compare.Server(name, command, *compare.OURS[2:])


def main(args):
    if args.builds_of == "load" and args.client != "load":
        parser.error("--builds-of load needs --client load")
    compare.SECONDS = args.seconds
    if args.client == "AsyncClient":
        flags = [f"--client_payload={args.payload}", f"--server_payload={args.payload}"]
    else:
        flags = ["--rpc", args.rpc, "--payload", str(args.payload), "--concurrency", str(args.concurrency)]
    servers, sides = [], []  # sides: (name, its server, its client JVMs)
    try:
        if args.builds_of == "load":
            servers.append(server("ours", compare.JAR))
        for name, jar in (("old", args.old_jar), ("new", args.new_jar)):
            if args.builds_of == "server":
                servers.append(server(name, jar))
                sides.append((name, servers[-1], compare.clients_for()))
            else:
                sides.append((name, servers[0], {"load": compare.ClientJvm(jar, "com.marketplace.Main", "run")}))
        for _, s, clients in sides:
            compare.settle(clients, s, args.client, flags, compare.FRESH_SETTLE_MOST)
        results = {name: [] for name, _, _ in sides}
        for round_index in range(args.rounds):
            for name, s, clients in compare.rotated(sides, round_index):
                m = compare.measured(s, clients[args.client], lambda: compare.run_client(clients, s, args.client, flags))
                results[name].append(m)
                print(f"round {round_index + 1} {name}: {m['qps']:.0f} calls/s, server CPU {m['cpu_us_per_call']:.2f} µs "
                      f"per call (JIT {m['jit_cpu_share']:.0%} of it), client {m['client_cpu_us_per_call']:.2f} µs, "
                      f"p99 {m['p99']:.2f} ms", flush=True)
    finally:
        for s in servers:
            s.stop()
        for _, _, clients in sides:
            for jvm in clients.values():
                jvm.close()
    for name, rounds in results.items():
        print(f"{name}: medians {statistics.median(m['qps'] for m in rounds):.0f} calls/s, "
              f"{statistics.median(m['cpu_us_per_call'] for m in rounds):.2f} µs per call, "
              f"client {statistics.median(m['client_cpu_us_per_call'] for m in rounds):.2f} µs")
    cost = "cpu_us_per_call" if args.builds_of == "server" else "client_cpu_us_per_call"
    cheaper = sum(n[cost] < o[cost] for o, n in zip(results["old"], results["new"]))
    faster = sum(n["qps"] > o["qps"] for o, n in zip(results["old"], results["new"]))
    print(f"new cheaper per call ({'server' if args.builds_of == 'server' else 'client'}) in {cheaper} of {args.rounds} "
          f"rounds, more calls/s in {faster}")
    if compare.ERRORS:
        print("calls failed:", *compare.ERRORS, sep="\n  ")


if __name__ == "__main__":
    main(parser.parse_args(sys.argv[1:]))
