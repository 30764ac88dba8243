"""A/B of two builds of our server under the same settled clients: how bench/results/changes.md measures a change.

    python3 bench/ab.py OLD.jar NEW.jar [--rounds 5] [--client AsyncClient|load] [--payload 0]
                        [--rpc bench-unary] [--concurrency 100] [--seconds 3]

Build the jar before a change with `git worktree add /tmp/before COMMIT && mvn -f /tmp/before -q package -DskipTests`
(then OLD.jar is /tmp/before/target/marketplace.jar). Needs `mvn package` here first, for grpc-java's classpath.
Each server gets client JVMs of its own, is settled as in bench/compare.py, and the rounds alternate, each
starting with the other jar. Prints each round (calls/s, CPU per call of the server and of its client JVM, p99),
then per jar the medians and in how many rounds NEW was the cheaper one. A benchmark, not a test.
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


def server(name, jar):
    command = [jar if part == compare.JAR else part for part in compare.OURS[1]]
    return compare.Server(name, command, *compare.OURS[2:])


def main(args):
    compare.SECONDS = args.seconds
    if args.client == "AsyncClient":
        flags = [f"--client_payload={args.payload}", f"--server_payload={args.payload}"]
    else:
        flags = ["--rpc", args.rpc, "--payload", str(args.payload), "--concurrency", str(args.concurrency)]
    servers, clients = [], {}
    try:
        for name, jar in (("old", args.old_jar), ("new", args.new_jar)):
            servers.append(server(name, jar))
            clients[name] = compare.clients_for()
        for s in servers:
            compare.settle(clients[s.name], s, args.client, flags, compare.FRESH_SETTLE_MOST)
        results = {s.name: [] for s in servers}
        for round_index in range(args.rounds):
            for s in compare.rotated(servers, round_index):
                pair = clients[s.name]
                m = compare.measured(s, pair[args.client], lambda: compare.run_client(pair, s, args.client, flags))
                results[s.name].append(m)
                print(f"round {round_index + 1} {s.name}: {m['qps']:.0f} calls/s, server CPU {m['cpu_us_per_call']:.2f} µs "
                      f"per call (JIT {m['jit_cpu_share']:.0%} of it), client {m['client_cpu_us_per_call']:.2f} µs, "
                      f"p99 {m['p99']:.2f} ms", flush=True)
    finally:
        for s in servers:
            s.stop()
        for pair in clients.values():
            for jvm in pair.values():
                jvm.close()
    for name, rounds in results.items():
        print(f"{name}: medians {statistics.median(m['qps'] for m in rounds):.0f} calls/s, "
              f"{statistics.median(m['cpu_us_per_call'] for m in rounds):.2f} µs per call, "
              f"client {statistics.median(m['client_cpu_us_per_call'] for m in rounds):.2f} µs")
    cheaper = sum(n["cpu_us_per_call"] < o["cpu_us_per_call"] for o, n in zip(results["old"], results["new"]))
    print(f"new cheaper per call in {cheaper} of {args.rounds} rounds")
    if compare.ERRORS:
        print("calls failed:", *compare.ERRORS, sep="\n  ")


if __name__ == "__main__":
    main(parser.parse_args(sys.argv[1:]))
