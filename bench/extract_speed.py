"""Extraction speed through the real command: reports per second, start-up, peak memory.

    python bench/extract_speed.py [--reports 2000] [--seed 7] [--keep] [--source samples]

Builds N reports of 2-3 KB from real report text (by default the paragraphs of
``../shared/bench/extract/reports.jsonl``, read at run time and never copied into
the project; ``--source samples`` uses the bundled samples instead): paragraphs
of several reports joined, every date moved to a random day, a random
publication date, so that no two reports are alike and nothing can be answered
from a cache. Then runs ``python -m incidents extract`` as a subprocess:

- start-up: one report, wall time (gazetteer loaded, first report extracted);
  run twice, the first run also builds the gazetteer cache if it is missing;
- throughput: N reports, ``N / (time(N) - time(1))``: reports per second
  beyond start-up;
- peak RSS of each child from ``os.wait4`` (its own ru_maxrss), and its CPU
  time (user + system): on a shared machine, reports per CPU-second is the
  figure that other people's work does not distort.

Targets (issues #3, #8): >= 200 reports/s on the reference core beyond start-up,
start-up <= 3 s, peak RSS < 1 GB. The core factor of ``../shared/bench/calibrate.py``
is measured before the run and printed beside the rates (rate on the reference core =
rate here x factor). Figures on a shared machine are noisy; run it twice.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cores import core_factor, cpu_factor

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT_ROOT / "data" / "samples" / "reports"
REAL_SET = PROJECT_ROOT.parent / "shared" / "bench" / "extract" / "reports.jsonl"
MONTHS = ("January February March April May June July August September October November "
          "December").split()
_DAY_MONTH = re.compile(r"\b(\d{1,2})( |-\d{1,2} | to \d{1,2} )(" + "|".join(MONTHS) + r")\b")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")


def source_paragraphs(source: str) -> list[str]:
    """Paragraphs of real reports (the shared set, read where it lies) or of the bundled samples."""
    paths = [REAL_SET] if source == "real" else sorted(SAMPLES.glob("*.jsonl"))
    paragraphs = []
    for path in paths:
        if not path.exists():
            raise SystemExit(f"no reports at {path} (use --source samples)")
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                paragraphs += [p.strip() for p in re.split(r"\n\s*\n|\n(?=[A-Z\"“])", text) if len(p.strip()) > 60]
    if not paragraphs:
        raise SystemExit(f"no report text in {', '.join(map(str, paths))}")
    return paragraphs


def vary_dates(text: str, rng: random.Random) -> str:
    month = rng.choice(MONTHS)

    def day_month(m: re.Match) -> str:
        return f"{rng.randint(1, 27)}{m.group(2) if m.group(2) == ' ' else ' '}{month}"

    def month_day(m: re.Match) -> str:
        return f"{month} {rng.randint(1, 27)}"

    return _MONTH_DAY.sub(month_day, _DAY_MONTH.sub(day_month, text))


def make_reports(n: int, seed: int, source: str = "real") -> list[dict]:
    rng = random.Random(seed)
    paragraphs = source_paragraphs(source)
    reports = []
    for i in range(n):
        target = rng.randint(2000, 3000)
        parts: list[str] = []
        while len("\n\n".join(parts).encode()) < target:
            parts.append(vary_dates(rng.choice(paragraphs), rng))
        text = "\n\n".join(parts).encode()[:target].decode(errors="ignore")
        published = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"  # never in the future
        reports.append({"id": f"bench-{seed}-{i}", "text": text, "published": published})
    return reports


def run_extract(path: Path) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, output lines, stderr) of one extract run."""
    out = path.with_suffix(".out.jsonl")
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "incidents", "extract", str(path), "-o", str(out)],
                             cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"extract failed ({child.returncode}):\n{stderr}")
    lines = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, int(usage.ru_maxrss / 1024), lines, stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports in the throughput run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--source", choices=("real", "samples"), default="real",
                        help="text the reports are built from (default: the shared real reports)")
    args = parser.parse_args(argv)
    factor = core_factor()

    folder = Path(tempfile.mkdtemp(prefix="extract_speed_"))
    reports = make_reports(args.reports + 2, args.seed, args.source)
    one_a, one_b, many = folder / "one_a.jsonl", folder / "one_b.jsonl", folder / "many.jsonl"
    for path, chunk in ((one_a, reports[:1]), (one_b, reports[1:2]), (many, reports[2:])):
        path.write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
    sizes = [len(r["text"].encode()) for r in reports[2:]]

    run_extract(one_a)  # builds the gazetteer cache when missing; not counted
    startup, startup_cpu, startup_rss, _, _ = run_extract(one_b)
    total, total_cpu, rss, lines, stderr = run_extract(many)
    failed = stderr.count("failed:")
    rate = args.reports / max(total - startup, 1e-9)
    cpu_rate = args.reports / max(total_cpu - startup_cpu, 1e-9)

    print(f"reports:            {args.reports} from {args.source} text ({min(sizes)}-{max(sizes)} bytes, "
          f"mean {sum(sizes) // len(sizes)})")
    print(f"incidents written:  {lines}   failed reports: {failed}")
    print(f"start-up (1 report): {startup:.2f} s wall, {startup_cpu:.2f} s CPU   (target <= 3 s)")
    print(f"total ({args.reports} reports): {total:.2f} s wall, {total_cpu:.2f} s CPU")
    print(f"throughput:         {rate:.0f} reports/s wall beyond start-up")
    # On a shared machine the wall clock counts other people's work; CPU time does not.
    print(f"                    {cpu_rate:.0f} reports per CPU-second beyond start-up")
    cpu = cpu_factor()
    print(f"core factor:        {factor} (calibrate.py, wall clock), {cpu:.2f} (its loop in CPU seconds)")
    print(f"on the reference core: {cpu_rate * cpu:.0f} reports per CPU-second (CPU factor; "
          f"{rate * float(factor) if factor != '?' else float('nan'):.0f} from wall rate x wall factor)"
          f"   (target >= 200)")
    print(f"peak RSS:           {max(rss, startup_rss)} MB   (target < 1024 MB)")
    if args.keep:
        print(f"files kept in {folder}")
    else:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
