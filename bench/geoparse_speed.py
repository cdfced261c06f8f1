"""Geoparser speed and size through the command, with the gazetteer cache built.

Usage: python bench/geoparse_speed.py GEOWEBNEWS_JSONL [--copies 10] [--runs 3]

Prints, each the median of --runs runs of ``python -m incidents geoparse``
pinned to one core:
  * start-up: wall time for one short document (interpreter, cache load, parse);
  * throughput: GeoWebNews documents per second beyond start-up, over the
    corpus repeated --copies times (every document is parsed; nothing is cached
    between documents);
  * peak resident memory of the command's process;
  * in-process parse cost in ms per KB of text (extraction's budget is 1-2 ms/KB);
  * the rate on the reference core (target: 500 documents/s): documents per CPU-second
    times calibrate.py's loop timed in CPU seconds on the same core (bench/cores.py),
    measured right before each run, so that both halves see the same machine.
The repeated corpus is written to a temporary folder outside the project.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cores import core_factor, cpu_factor

ROOT = Path(__file__).resolve().parent.parent


SUMMARY = re.compile(r"in ([0-9.]+) s \(([0-9,]+) documents/s\) after loading the gazetteer in ([0-9.]+) s "
                     r"\(CPU: parse ([0-9.]+) s, load ([0-9.]+) s\)")


def bench_core() -> int:
    """The core every run is pinned to (the bench's own calibration loop included)."""
    return min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0


def pinned_cpu_factor() -> float:
    """calibrate.py's loop in CPU seconds, on the core the runs are pinned to."""
    if not hasattr(os, "sched_setaffinity"):
        return cpu_factor()
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {bench_core()})
    try:
        return cpu_factor()
    finally:
        os.sched_setaffinity(0, allowed)


def run_command(input_path: Path) -> tuple[float, float, float, float, float, float, float]:
    """One geoparse run on one core: (wall s, peak RSS MB, parse s, load s, process CPU s,
    parse CPU s, load CPU s). CPU times stay meaningful on a machine shared with other work.

    The command reports its own parsing time, so throughput beyond start-up comes
    from one process rather than from the difference of two noisy runs.
    """
    core = bench_core()

    def pin():
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {core})

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "incidents", "geoparse", str(input_path), "--quiet"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pin)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"geoparse failed: {err}")
    match = SUMMARY.search(err)
    if not match:
        raise SystemExit(f"no summary line from geoparse: {err}")
    cpu = usage.ru_utime + usage.ru_stime
    return (seconds, usage.ru_maxrss / 1024, float(match.group(1)), float(match.group(3)), cpu,
            float(match.group(4)), float(match.group(5)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gwn", type=Path, help="geowebnews.jsonl")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    subprocess.run([sys.executable, "-c", "from incidents.geo.geoparse import get_geoparser; get_geoparser()"],
                   cwd=ROOT, check=True)  # builds the cache if it is missing
    docs = [json.loads(line) for line in args.gwn.open(encoding="utf-8")]
    work = Path(tempfile.mkdtemp(prefix="geoparse-speed-"))
    short = work / "short.jsonl"
    short.write_text(json.dumps({"id": "s", "text": "Shelling was reported near Tovuz, Azerbaijan."}) + "\n")
    many = work / "many.jsonl"
    with many.open("w", encoding="utf-8") as fh:
        for copy in range(args.copies):
            for doc in docs:
                fh.write(json.dumps({"id": f"{doc['id']}#{copy}", "text": doc["text"]}) + "\n")
    n = len(docs) * args.copies

    wall_factor = core_factor()
    startup = [run_command(short) for _ in range(args.runs)]
    factors, full = [], []
    for _ in range(args.runs):
        factors.append(pinned_cpu_factor())
        full.append(run_command(many))
    start_s = statistics.median(r[0] for r in startup)
    load_s = statistics.median(r[3] for r in startup)
    parse_s = statistics.median(r[2] for r in full)
    full_s = statistics.median(r[0] for r in full)
    rate = n / max(parse_s, 1e-9)
    peak = max(r[1] for r in startup + full)

    from incidents.geo.geoparse import get_geoparser

    geoparser = get_geoparser()
    kb = sum(len(d["text"].encode()) for d in docs) / 1024
    started = time.perf_counter()
    for doc in docs:
        geoparser.parse(doc["text"])
    per_kb = (time.perf_counter() - started) * 1000 / kb

    start_cpu = statistics.median(r[4] for r in startup)
    parse_cpu = statistics.median(r[5] for r in full)
    on_reference = [n / max(r[5], 1e-9) * f for r, f in zip(full, factors)]
    print(f"CPU time (unaffected by other processes' load): start-up {start_cpu:.2f} s for the whole "
          f"process; {n / max(parse_cpu, 1e-9):,.0f} documents per CPU-second beyond start-up")
    print(f"start-up (one short document, whole process): {start_s:.2f} s "
          f"(runs: {', '.join(f'{r[0]:.2f}' for r in startup)}; gazetteer load {load_s:.2f} s)")
    print(f"throughput: {rate:,.0f} documents/s beyond start-up "
          f"({n} GeoWebNews documents parsed in {parse_s:.2f} s; whole run {full_s:.2f} s)")
    print(f"peak RSS: {peak:.0f} MB")
    print(f"in-process parse: {per_kb:.2f} ms per KB ({kb:.0f} KB of GeoWebNews text)")
    print(f"core factor: {', '.join(f'{f:.2f}' for f in factors)} (calibrate.py's loop in CPU seconds on "
          f"core {bench_core()}, before each run; calibrate.py itself, wall clock: {wall_factor}); load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"on the reference core: {statistics.median(on_reference):,.0f} documents per second beyond start-up "
          f"(runs: {', '.join(f'{r:,.0f}' for r in on_reference)}; documents per CPU-second x factor)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
