"""Extraction quality on a gold set: precision, recall, F1, type accuracy, misses.

    python bench/extract_quality.py                  # the real reports (../shared/bench/extract/)
    python bench/extract_quality.py --verbose        # ... with explain.py's per-report lines
    python bench/extract_quality.py --set devset     # the development set (bench/devset)
    python bench/extract_quality.py --set samples    # the bundled sample (data/samples)
    python bench/extract_quality.py --set PATH       # any folder with reports/ + gold files
    python bench/extract_quality.py --quiet          # figures only, no lists
    python bench/extract_quality.py --json           # figures as JSON

Runs incidents.extract.extract with the real offline geoparser over every report
of the set and scores the result with incidents.evaluate (the issue #3 rule: same
report, one to one, date within a day, point within 25 km, 75 km for region-level
truth, names when the truth has no point). For developers: the lists of misses
and false alarms say what to fix next. Nothing is timed here.

The real set (the default) is scored by the shared folder's own ``score.py`` and
``explain.py``, run as they are: once on the whole set, once on the DA-* and DD-*
reports (the ones rules are tuned on) and once on the DO-* reports (held out:
other theatres, looked at only to report). The texts stay in the shared folder;
only the predictions and the gold subsets go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import scoring as ev
from incidents.config import PROJECT_ROOT, SAMPLES_DIR

SETS = {"samples": SAMPLES_DIR, "devset": PROJECT_ROOT / "bench" / "devset"}
REAL_SET = PROJECT_ROOT.parent / "shared" / "bench" / "extract"
# (label, report id prefixes): tuning reports, held-out reports.
REAL_SUBSETS = (("DA+DD (tuning)", ("DA-", "DD-")), ("DO (held out)", ("DO-",)))


def set_root(name: str) -> Path:
    return SETS.get(name, Path(name))


def _short(value: Any, width: int = 110) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _point(row: dict[str, Any]) -> str:
    lat, lon = ev.to_float(row.get("latitude")), ev.to_float(row.get("longitude"))
    return "no point" if lat is None or lon is None else f"{lat:.3f},{lon:.3f}"


def _date(row: dict[str, Any]) -> str:
    start, end = row.get("date_start"), row.get("date_end")
    day = str(row.get("event_date") or start or "?")[:10]
    if start and end and str(start)[:10] != str(end)[:10]:
        return f"{day} ({str(start)[:10]}..{str(end)[:10]})"
    return day


def _line(row: dict[str, Any]) -> str:
    return (f"  {row.get('report_id')}: {_date(row)} | {row.get('sub_event_type') or row.get('event_type')} | "
            f"{row.get('location')} [{_point(row)}, p{row.get('geo_precision')}]")


def print_report(result: ev.Evaluation, run: ev.SetRun, root: Path, quiet: bool) -> None:
    o = result.overall
    print(f"set: {root}")
    print(f"incidents: {o.tp + o.fn} true, {o.tp + o.fp} found, {o.tp} matched")
    print(f"precision {o.precision:.3f}  recall {o.recall:.3f}  F1 {o.f1:.3f}")
    for kind in sorted(result.by_kind):
        c = result.by_kind[kind]
        print(f"  {kind:<10} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  "
              f"(tp {c.tp}, fp {c.fp}, fn {c.fn})")
    type_acc = result.type_accuracy
    print("event_type accuracy over matches: " + ("n/a" if type_acc is None else f"{type_acc:.3f}"))
    agreement = result.agreement()
    print("agreement over matches: " + ", ".join(
        f"{name} {'n/a' if value is None else f'{value:.2f}'}" for name, value in agreement.items()))
    for message in run.errors:
        print(f"unreadable: {message}")
    for report_id in run.unread:
        print(f"not read (reader gave no report for it): {report_id}")
    if quiet:
        return
    print(f"\nmisses ({len(result.misses)}):")
    for row in sorted(result.misses, key=lambda r: (r["report_id"], str(r.get("event_date")))):
        print(_line(row))
    print(f"\nfalse alarms ({len(result.false_alarms)}):")
    for row in sorted(result.false_alarms, key=lambda r: (r["report_id"], str(r.get("event_date")))):
        print(_line(row))
        print(f"      evidence: {_short(row.get('evidence'))}")
    wrong_type = [(f, t) for f, t in result.matches if f.get("event_type") != t.get("event_type")]
    print(f"\nmatched with a wrong event_type ({len(wrong_type)}):")
    for f, t in wrong_type:
        print(f"  {t['report_id']}: {t.get('location')}: found {f.get('sub_event_type')}, "
              f"true {t.get('sub_event_type')}")


def _run(command: list[str]) -> str:
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    return done.stdout


def real_set(root: Path, verbose: bool) -> int:
    """Extract the shared real reports with the real command and print score.py / explain.py on subsets."""
    gold_path = root / "reports.jsonl"
    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="extract_quality_") as tmp:
        folder = Path(tmp)
        # Only what the extractor may read goes in: never the gold.
        inputs = folder / "inputs.jsonl"
        inputs.write_text("".join(json.dumps({k: r.get(k) for k in ("id", "text", "title", "published", "outlet")})
                                  + "\n" for r in records), encoding="utf-8")
        predictions = folder / "pred.jsonl"
        _run([sys.executable, "-m", "incidents", "extract", str(inputs), "-o", str(predictions)])
        score, explain = str(root / "score.py"), str(root / "explain.py")
        print(f"set: {gold_path}\n== all {len(records)} reports")
        print(_run([sys.executable, score, str(gold_path), str(predictions)]).rstrip())
        print(_run([sys.executable, explain, str(gold_path), str(predictions)]).rstrip())
        for label, prefixes in REAL_SUBSETS:
            subset = [r for r in records if r["id"].startswith(prefixes)]
            path = folder / f"gold_{prefixes[0].rstrip('-')}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in subset), encoding="utf-8")
            score_lines = _run([sys.executable, score, "--json", str(path), str(predictions)]).splitlines()
            print(f"\n== {label}: {len(subset)} reports\n{score_lines[-1]}\n{score_lines[0]}")
            print(_run([sys.executable, explain, str(path), str(predictions)] + ["--verbose"] * verbose).rstrip())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="real",
                        help="real (../shared/bench/extract, the default), samples, devset, or a folder")
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    parser.add_argument("--verbose", action="store_true", help="real set: every miss and false alarm")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if args.set == "real" or (Path(args.set) / "score.py").exists():
        root = REAL_SET if args.set == "real" else Path(args.set)
        if not (root / "reports.jsonl").exists():
            print(f"error: no reports.jsonl in {root}", file=sys.stderr)
            return 2
        return real_set(root, args.verbose)
    root = set_root(args.set)
    try:
        gold = ev.load_gold(root)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read the gold of {root}: {exc}", file=sys.stderr)
        return 2
    run = ev.extract_set(gold)
    result = ev.evaluate(run.found, gold.incidents, gold.report_kinds)
    if args.json:
        print(json.dumps(summary(result, run, root), indent=2))
    else:
        print_report(result, run, root, args.quiet)
    return 0


def summary(result: ev.Evaluation, run: ev.SetRun, root: Path) -> dict[str, Any]:
    """The figures as plain data (for comparing runs or feeding other tools)."""

    def counts(c: ev.Counts) -> dict[str, Any]:
        return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": round(c.precision, 4),
                "recall": round(c.recall, 4), "f1": round(c.f1, 4)}

    return {
        "set": str(root),
        "overall": counts(result.overall),
        "by_kind": {kind: counts(c) for kind, c in sorted(result.by_kind.items())},
        "event_type_accuracy": result.type_accuracy,
        "agreement": result.agreement(),
        "errors": run.errors,
        "unread": run.unread,
    }


if __name__ == "__main__":
    raise SystemExit(main())
