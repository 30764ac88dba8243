"""The comparison's targets, judged on one run's results; standard library only.

Shared by compare.py, which reports the run it makes, and tally.py, which judges every committed run
again. Results are per server a list of rounds, each a dict from (scenario, client) to that run's
figures, as compare.py collects them (latest.json joins each pair with " / ").
"""
import operator
import statistics

THEIRS = ("grpc-java", "grpc-java direct")
UNARY = ("unary 0 B", "unary 1 KiB")
COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt}


def scenarios(results):
    """(scenario, clients) in the order they ran; AsyncClient has no server-streaming mode."""
    seen = {}
    for key in results["ours"][0]:
        if isinstance(key, tuple):
            seen.setdefault(key[0], []).append(key[1])
    return list(seen.items())


def round_ratios(results, key, figure):
    """Ours and grpc-java's better mode (by QPS, per round) in each round that measured `key`, and ours/theirs."""
    rounds = [i for i, record in enumerate(results["ours"]) if key in record]
    mine = [results["ours"][i][key][figure] for i in rounds]
    best = [max((results[name][i][key] for name in THEIRS), key=lambda run: run["qps"])[figure] for i in rounds]
    return mine, best, [m / b for m, b in zip(mine, best)]


def load_vs_async(results, name):
    """Against grpc-java's better mode for each client, per round: our load's QPS, AsyncClient's, and their ratio."""
    rounds = [i for i, record in enumerate(results["ours"]) if (name, "AsyncClient") in record]
    best = lambda client, i: max(results[server][i][(name, client)]["qps"] for server in THEIRS)
    load_qps = [best("load", i) for i in rounds]
    async_qps = [best("AsyncClient", i) for i in rounds]
    return load_qps, async_qps, [a / b for a, b in zip(load_qps, async_qps)]


def large_ratios(results):
    """The 10 MiB round trip in ms per round, ours and grpc-java's interop server's, and ours/theirs."""
    ours = [r["10 MiB round trip ms"] for r in results["ours (10 MiB)"]]
    theirs = [r["10 MiB round trip ms"] for r in results["grpc-java interop (10 MiB)"]]
    return ours, theirs, [a / b for a, b in zip(ours, theirs)]


def checks(results):
    """Each target: (what, the run's median, comparison, bound, met). Unrounded, so that 1.148 does not pass for 1.15."""
    found = []
    for name in UNARY:
        for client in ("AsyncClient", "load"):
            key = (name, client)
            found += [(f"{name} QPS ({client})", statistics.median(round_ratios(results, key, "qps")[2]), ">=", 1.15),
                      (f"{name} p99 ({client})", statistics.median(round_ratios(results, key, "p99")[2]), "<=", 1.0),
                      (f"{name} server CPU per call ({client})",
                       statistics.median(round_ratios(results, key, "cpu_us_per_call")[2]), "<=", 0.8)]
    found += [(f"ping-pong messages/s ({client})",
               statistics.median(round_ratios(results, ("ping-pong", client), "qps")[2]), ">=", 1.1)
              for client in ("AsyncClient", "load")]
    found += [(f"{name} messages/s (load)", statistics.median(round_ratios(results, (name, "load"), "qps")[2]), ">=", 1.0)
              for name, clients in scenarios(results) if "AsyncClient" not in clients]
    found.append(("10 MiB unary round trip time", statistics.median(large_ratios(results)[2]), "<=", 1.1))
    found += [(f"our load's QPS / AsyncClient's, {name}", statistics.median(load_vs_async(results, name)[2]), ">=", 1.0)
              for name, clients in scenarios(results) if "AsyncClient" in clients]
    ready = [record["start_to_ready_cds_s"] for record in results["ours"] if "start_to_ready_cds_s" in record]
    found.append(("start to SERVING with the archive, s (not a ratio)", statistics.median(ready), "<", 1.0))
    return [(what, value, op, bound, COMPARE[op](value, bound)) for what, value, op, bound in found]
