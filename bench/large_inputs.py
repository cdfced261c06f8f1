#!/usr/bin/env python3
"""What one large or crafted input costs: seconds and peak memory of ``extract`` on it.

    python bench/large_inputs.py [--shapes sentences,nopunct,...] [--sizes 100000,1000000] [--files]

Each shape is an invented text repeated to each size (characters) and extracted on
its own, in-process, with the real gazetteer (already built). ``--files`` also runs
``python -m incidents extract`` on a 1 MB one-line text file, a 49 MB text file and a
45 MB HTML page in fresh processes and prints their time and peak RSS: the inputs
that once took 35 s, and over 600 s at 2.5 GB. Texts are invented; none comes from a
real report. Quote the factor of ``python ../shared/bench/calibrate.py`` with them.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHAPES = {
    "sentences": "Units of side A fired mortars at positions near Sotk on 10 March, and two soldiers were wounded. ",
    "nopunct": "units of side a fired mortars at positions near sotk and two soldiers were wounded ",
    "capitals": "Sotk Zod Tegh Kut Goris ",
    "dates": "on 10 March, 11 March and 12-13 March on Monday ",
    "casualties": "two killed three wounded and one injured ",
    "lines": "Sotk.\n",
}


def in_process(shapes: list[str], sizes: list[int]) -> None:
    from incidents.config import load_settings
    from incidents.extract.extractor import extract
    from incidents.geo.geoparse import get_geoparser
    from incidents.reports.model import Report

    geoparser = get_geoparser(load_settings())
    geoparser.parse("Sotk")  # loaded before timing
    print(f"{'shape':<11} {'characters':>10} {'seconds':>8} {'µs/char':>8}")
    for shape in shapes:
        unit = SHAPES[shape]
        for size in sizes:
            text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            extract(Report(id="bench", text=text, published="2024-03-11"), geoparser)
            seconds = time.perf_counter() - started
            print(f"{shape:<11} {size:>10,} {seconds:>8.2f} {seconds / size * 1e6:>8.1f}")


def files() -> None:
    unit = SHAPES["sentences"]
    with tempfile.TemporaryDirectory(prefix="large-inputs-") as folder:
        made = {
            "one-line 1 MB .txt": ("line.txt", unit * (1_000_000 // len(unit))),
            "49 MB .txt": ("big.txt", unit * (49_000_000 // len(unit))),
            "45 MB .html": ("big.html", "<html><body><article>" + f"<p>{unit}</p>" * (45_000_000 // (len(unit) + 7))
                            + "</article></body></html>"),
        }
        for label, (name, content) in made.items():
            path = Path(folder) / name
            path.write_text(content, encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "incidents", "extract", str(path), "-o", str(path) + ".out"],
                                  cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            print(f"{label:<20} {seconds:6.1f} s  peak RSS {max(peak, before) / 1024:,.0f} MB  exit {done.returncode}"
                  f"  {done.stderr.strip().splitlines()[-1][:110] if done.stderr.strip() else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--sizes", default="50000,200000")
    parser.add_argument("--files", action="store_true", help="also time the CLI on the large files")
    args = parser.parse_args()
    in_process(args.shapes.split(","), [int(s) for s in args.sizes.split(",")])
    if args.files:
        files()


if __name__ == "__main__":
    main()
