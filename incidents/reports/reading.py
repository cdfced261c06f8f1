"""Reading report files, folders and standard input into :class:`Report` items.

Every input ends as a Report or a named :class:`ReportError`, so one bad file
never stops a batch. The per-kind readers live in :mod:`incidents.reports.formats`.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from incidents.reports.formats import (
    decode_bytes,
    file_bytes,
    html_report,
    json_reports,
    jsonl_stream,
    noting_cuts,
    text_report,
    walk_folder,
)
from incidents.reports.model import (
    KINDS,
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    STDIN,
    Report,
    ReportError,
    parse_published,
)


def read_file(
    path: Path, *, published: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[Report | ReportError]:
    """Reports in one file, the kind chosen by its extension."""
    origin = str(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        yield ReportError(
            origin, f"unknown report kind {path.suffix or '(no extension)'!r}; use one of "
            + ", ".join(sorted(KINDS))
        )
        return
    try:
        data = file_bytes(path, origin, max_bytes)
        if kind == "jsonl" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            if b"\x00" in data[:65536]:
                raise ReportError(origin, "looks binary (contains NUL bytes); expected JSON Lines")
            yield from jsonl_stream(io.BytesIO(data), origin, published, max_bytes)
            return
        raw = decode_bytes(data, origin)
        if not raw.strip():
            raise ReportError(origin, "file is empty")
        if kind in ("text", "markdown"):
            yield text_report(path, raw, origin, kind, published)
        elif kind == "html":
            yield html_report(raw, origin, published)
        elif kind == "json":
            yield from json_reports(raw, origin, published)
        else:  # jsonl in UTF-16
            yield from jsonl_stream(io.BytesIO(raw.encode("utf-8")), origin, published, max_bytes)
    except ReportError as exc:
        yield exc


def read_reports(
    paths: Iterable[str | Path],
    *,
    published: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Report | ReportError]:
    """Yield a Report or a ReportError for every input; never raise for bad input.

    ``'-'`` reads JSON Lines from standard input; folders are walked in sorted
    order. ``published`` (ISO date) is the last resort for the publication date.
    A report cut to MAX_REPORT_CHARS is followed by a ReportError saying so.
    """
    yield from noting_cuts(_read_all(paths, published, max_bytes, stdin))


def _read_all(paths: Iterable[str | Path], published: str | None, max_bytes: int,
              stdin: BinaryIO | None) -> Iterator[Report | ReportError]:
    fallback = parse_published(published) if published else None
    for entry in paths:
        if str(entry) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from jsonl_stream(stream, "<stdin>", fallback, MAX_LINE_BYTES)
            continue
        path = Path(entry)
        if path.is_dir():
            found = False
            for file in walk_folder(path):
                found = True
                if isinstance(file, ReportError):
                    yield file
                else:
                    yield from read_file(file, published=fallback, max_bytes=max_bytes)
            if not found:
                yield ReportError(str(path), "folder holds no report files (" + ", ".join(sorted(KINDS)) + ")")
        elif path.exists():
            yield from read_file(path, published=fallback, max_bytes=max_bytes)
        else:
            yield ReportError(str(path), "no such file or folder")
