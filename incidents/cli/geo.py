"""``gazetteer`` and ``geoparse`` commands.

``python -m incidents gazetteer build|add-dump XX.txt|add-csv FILE|info``
``python -m incidents geoparse FILE [-o OUT]``: JSON Lines in, one line of
toponyms per document out, in input order. Messages go to stderr; exit 0 when
every line was processed, 1 when some were bad (each named by line number),
2 for a usage error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO, Iterable, Iterator

from incidents.config import load_settings


def add_parsers(sub) -> None:
    """Register the geoparser's commands."""
    gaz = sub.add_parser("gazetteer", help="build or extend the offline gazetteer cache")
    gaz_sub = gaz.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    build = gaz_sub.add_parser("build", help="(re)build the cache from GeoNames data and your additions")
    build.set_defaults(handler=cmd_build)
    dump = gaz_sub.add_parser("add-dump", help="add a GeoNames country dump (XX.txt or XX.zip) for small villages")
    dump.add_argument("file", type=Path, help="GeoNames dump, tab-separated: XX.txt, XX.txt.gz, or XX.zip as "
                                                "downloaded from download.geonames.org/export/dump/")
    dump.set_defaults(handler=cmd_add_dump)
    own = gaz_sub.add_parser("add-csv", help="add your own places: name,aliases,latitude,longitude,country,feature")
    own.add_argument("file", type=Path, help="CSV with a header row; aliases separated by '|'")
    own.set_defaults(handler=cmd_add_csv)
    info = gaz_sub.add_parser("info", help="where the cache is and what it holds")
    info.set_defaults(handler=cmd_info)

    parse = sub.add_parser("geoparse", help="find and place toponyms in JSON Lines documents or plain text")
    parse.add_argument("file", help='JSON Lines, one {"id", "text"} per line, or plain text (one document); '
                                    '"-" reads standard input')
    parse.add_argument("-o", "--output", help="write here instead of standard output")
    parse.add_argument("--quiet", action="store_true", help="no progress messages")
    parse.set_defaults(handler=cmd_geoparse)


def cmd_build(args) -> int:
    from incidents.geo.sources import build_gazetteer

    build_gazetteer(load_settings())
    return 0


def _import(args, importer, what: str) -> int:
    """Keep a user file (through ``importer(source, user_folder)``), then rebuild the gazetteer."""
    import zipfile

    from incidents.geo import sources
    from incidents.geo.gazetteer import user_dir

    settings = load_settings()
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    try:
        stored, count = importer(args.file, user_dir(settings))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    print(f"kept {count:,} {what} in {stored}; rebuilding the gazetteer...", file=sys.stderr)
    sources.build_gazetteer(settings)
    return 0


def cmd_add_dump(args) -> int:
    from incidents.geo.gazetteer import stderr_progress
    from incidents.geo.user_sources import import_dump

    return _import(args, lambda source, folder: import_dump(source, folder, progress=stderr_progress),
                   "populated places")


def cmd_add_csv(args) -> int:
    from incidents.geo.user_sources import import_csv

    return _import(args, import_csv, "entries")


def cmd_info(args) -> int:
    from incidents.geo.gazetteer import cache_path, load_gazetteer, user_dir

    settings = load_settings()
    gazetteer = load_gazetteer(settings)
    print(f"cache: {cache_path(settings)}")
    print(f"places: {len(gazetteer):,}; names: {len(gazetteer.index):,}")
    for path in sorted(user_dir(settings).iterdir()):
        print(f"user addition: {path}")
    return 0


def toponym_record(toponym) -> dict:
    """One toponym as the command (and the benchmark) writes it."""
    best = toponym.best
    return {
        "start": toponym.start,
        "end": toponym.end,
        "name": toponym.text,
        "lat": best.lat if best else None,
        "lon": best.lon if best else None,
        "geonameid": best.geonameid if best else None,
        "country_code": best.country_code if best else None,
        "geo_precision": toponym.geo_precision,
    }


def _document(line: bytes | str, origin: str) -> dict:
    """One JSON Lines document; raises ReportError naming what is wrong with the line."""
    from incidents.reports.model import ReportError
    from incidents.reports.formats import load_json

    if isinstance(line, bytes):
        if b"\x00" in line:
            raise ReportError(origin, "contains NUL bytes (a binary file?); expected JSON Lines text")
        try:
            line = line.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReportError(origin, f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column "
                                      f"{exc.start + 1}); re-save the file as UTF-8") from None
    doc = load_json(line, origin, line=True)
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
        raise ReportError(origin, 'expected an object with a string "text"')
    return doc


def plain_text_as_document(lines: Iterable[bytes | str], name: str) -> Iterator[bytes | str]:
    """JSON Lines pass through; an input whose first non-blank line is not a JSON object
    is plain text (``echo "Shelling near Donetsk." | python -m incidents geoparse -``),
    given as one document whose id is the input's name."""
    iterator = iter(lines)
    head: list[bytes | str] = []
    for line in iterator:
        head.append(line)
        if line.strip():
            break
    first = head[-1] if head else b""
    first = first.decode("utf-8", "replace") if isinstance(first, bytes) else first
    if not head or first.lstrip().lstrip("\ufeff").startswith("{"):
        yield from head
        yield from iterator
        return
    parts = [*head, *iterator]
    raw = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield from parts  # each line then names what is wrong with it
        return
    yield json.dumps({"id": name, "text": text}, ensure_ascii=False)


def geoparse_lines(lines: Iterable[bytes | str], out: IO[str], geoparser, *, name: str = "input",
                   progress: bool = True) -> tuple[int, int]:
    """Parse every document; returns (documents written, bad lines). Bad lines go to stderr
    as ``file:line: skipped: reason`` and the run goes on."""
    from incidents.reports.model import ReportError

    done = bad = 0
    started = time.monotonic()
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = _document(line, f"{name}:{line_no}")
        except ReportError as exc:
            bad += 1
            print(f"{exc.origin}: skipped: {exc.reason}", file=sys.stderr)
            continue
        toponyms = [toponym_record(t) for t in geoparser.parse(doc["text"])]
        out.write(json.dumps({"id": doc.get("id"), "toponyms": toponyms}, ensure_ascii=False) + "\n")
        done += 1
        if progress and done % 1000 == 0:
            rate = done / max(time.monotonic() - started, 1e-9)
            print(f"{done:,} documents ({rate:,.0f}/s)", file=sys.stderr)
    return done, bad


def cmd_geoparse(args) -> int:
    from incidents.geo.geoparse import get_geoparser

    if args.file != "-" and not Path(args.file).is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    try:
        target = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}; choose another -o path",
              file=sys.stderr)
        return 2
    try:
        source = getattr(sys.stdin, "buffer", sys.stdin) if args.file == "-" else open(args.file, "rb")
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        if target is not sys.stdout:
            target.close()
        return 2
    started, started_cpu = time.perf_counter(), time.process_time()
    geoparser = get_geoparser(load_settings())
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    try:
        name = "<stdin>" if args.file == "-" else args.file
        done, bad = geoparse_lines(plain_text_as_document(source, name), target, geoparser, name=name,
                                   progress=not args.quiet)
    finally:
        if args.file != "-":
            source.close()
        if target is not sys.stdout:
            target.close()
        else:
            target.flush()
    parsing, parsing_cpu = time.perf_counter() - loaded, time.process_time() - loaded_cpu
    print(f"geoparse: {done:,} documents, {bad} bad line(s) in {parsing:.2f} s "
          f"({done / max(parsing, 1e-9):,.0f} documents/s) after loading the gazetteer in {loaded - started:.2f} s "
          f"(CPU: parse {parsing_cpu:.2f} s, load {loaded_cpu - started_cpu:.2f} s)",
          file=sys.stderr)
    return 1 if bad else 0
