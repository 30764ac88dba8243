"""Judges every committed run of bench/compare.sh against the targets again, and counts them.

    python3 bench/tally.py [--since REV]

Reads each version of bench/results/latest.json in git history after REV, oldest first, judges it with
targets.py, and prints markdown: per target, how many runs met it, the range of the medians, and the
runs that missed it. By default it counts the runs since grpc-java's programs run on their own Netty
(the run committed as 8091d56, 03:41 on 2026-12-07). Standard library only.
"""
import argparse
import json
import re
import subprocess
from pathlib import Path

import targets

ROOT = Path(__file__).resolve().parent.parent
RESULTS = "bench/results/latest"
FIRST_ON_THEIR_OWN_NETTY = "8091d56"


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def runs_since(rev):
    """(run time, results) of each committed run from `rev` on, oldest first."""
    commits = git("log", "--reverse", "--format=%h", f"{rev}~1..HEAD", "--", RESULTS + ".json").split()
    for commit in commits:
        raw = json.loads(git("show", f"{commit}:{RESULTS}.json"))
        heading = re.search(r"benchmark, (\S+ \S+)", git("show", f"{commit}:{RESULTS}.md"))
        yield heading.group(1), {server: [{tuple(key.split(" / ")) if " / " in key else key: figures
                                           for key, figures in record.items()} for record in rounds]
                                 for server, rounds in raw.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", default=FIRST_ON_THEIR_OWN_NETTY, help="the commit of the first run to count")
    since = parser.parse_args().since
    judged = {}
    times = []
    for run_time, results in runs_since(since):
        times.append(run_time)
        for what, value, op, bound, met in targets.checks(results):
            judged.setdefault((what, op, bound), []).append((run_time, value, met))
    print(f"{len(times)} runs, {times[0]} to {times[-1]} (the commits of bench/results/latest.json from {since} on).")
    print()
    print("| target | bound | met | medians | misses |")
    print("|---|---|---|---|---|")
    for (what, op, bound), runs in judged.items():
        values = [value for _, value, _ in runs]
        misses = ", ".join(f"{value:.3f} at {run_time}" for run_time, value, met in runs if not met)
        print(f"| {what} | {op} {bound:g} | {sum(met for *_, met in runs)} of {len(runs)} | "
              f"{min(values):.2f}–{max(values):.2f} | {misses or 'none'} |")


if __name__ == "__main__":
    main()
