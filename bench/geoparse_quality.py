"""Geoparsing quality on the public corpora: prints the scorer's figures.

Usage: python bench/geoparse_quality.py CORPORA_DIR [--corpus NAME ...] [--keep DIR]

CORPORA_DIR holds geowebnews.jsonl, trnews.jsonl, lgl.jsonl, geovirus.jsonl,
score.py and subnational.py (see its README). Predictions and the GeoWebNews
literal sub-national gold go to a temporary folder outside the project, so no
corpus text ever lands in the checkout. The headline figure is
"gwn-subnational", overlap column: F1 and acc@161km over all gold.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from incidents.cli.geo import toponym_record
from incidents.geo.geoparse import get_geoparser

CORPORA = {"lgl": "lgl.jsonl", "trnews": "trnews.jsonl", "geovirus": "geovirus.jsonl", "gwn": "geowebnews.jsonl"}


def predict(gold: Path, out: Path) -> tuple[int, float]:
    geoparser = get_geoparser()
    started = time.perf_counter()
    n = 0
    with gold.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            doc = json.loads(line)
            toponyms = [toponym_record(t) for t in geoparser.parse(doc["text"])]
            dst.write(json.dumps({"id": doc["id"], "toponyms": toponyms}) + "\n")
            n += 1
    return n, time.perf_counter() - started


def score(corpora: Path, gold: Path, pred: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(corpora / "score.py"), str(gold), str(pred), "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)


def _row(name: str, figures: dict) -> str:
    o = figures["results"]["overlap"]
    matched = o["acc_at_km_matched"] or 0.0
    return (f"{name:16s} gold {o['gold_toponyms']:5d}  overlap P {o['precision']:.3f} R {o['recall']:.3f} "
            f"F1 {o['f1']:.3f} | acc@161km all gold {o['acc_at_km_all_gold']:.3f} matched {matched:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--corpus", action="append", choices=[*CORPORA, "gwn-subnational"])
    parser.add_argument("--keep", type=Path, help="keep predictions here (outside the project)")
    parser.add_argument("--raw", action="store_true", help="print the scorer's whole JSON")
    args = parser.parse_args(argv)
    wanted = args.corpus or [*CORPORA, "gwn-subnational"]
    work = args.keep or Path(tempfile.mkdtemp(prefix="geoparse-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    get_geoparser()
    for name in wanted:
        if name == "gwn-subnational":
            gold = work / "gwn_subnational.jsonl"
            with gold.open("w", encoding="utf-8") as fh:
                subprocess.run([sys.executable, str(args.corpora / "subnational.py"),
                                str(args.corpora / CORPORA["gwn"])], stdout=fh, stderr=subprocess.DEVNULL, check=True)
            pred = work / "gwn.pred.jsonl"
            if not pred.exists():
                predict(args.corpora / CORPORA["gwn"], pred)
        else:
            gold = args.corpora / CORPORA[name]
            pred = work / f"{name}.pred.jsonl"
            n, seconds = predict(gold, pred)
            print(f"{name}: {n} documents in {seconds:.2f} s", file=sys.stderr)
        figures = score(args.corpora, gold, pred)
        print(json.dumps(figures, indent=1) if args.raw else _row(name, figures))
    print(f"predictions in {work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
