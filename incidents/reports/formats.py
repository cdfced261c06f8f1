"""Per-kind readers behind :func:`incidents.reports.read_reports`: bytes to text with the
encoding policy, and text, Markdown, HTML, JSON and JSON Lines to records.

Each reader raises or yields :class:`~incidents.reports.ReportError` for bad input, so
that one bad file or line never stops a batch.

Encoding policy: UTF-8 (with or without a byte-order mark) and UTF-16 with a
byte-order mark are read; anything else is rejected with a message asking to
re-save the file as UTF-8. Guessing a legacy code page (cp1252, cp1251, ...)
would silently turn place names into mojibake, which is worse than a clear
error for a dataset that analysts must trust.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from incidents.reports.model import (
    KINDS,
    MAX_REPORT_CHARS,
    Report,
    ReportError,
    parse_published,
    report_from_record,
)


# ---------------------------------------------------------------------------
# Bytes -> text, with the checks every kind shares
# ---------------------------------------------------------------------------


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode a file's bytes by the policy in the module docstring; raise ReportError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReportError(origin, "starts with a UTF-16 mark but is not valid UTF-16") from None
    if not data.strip():
        raise ReportError(origin, "file is empty")
    if b"\x00" in data[:65536] or b"\x00" in data:
        raise ReportError(origin, "looks binary (contains NUL bytes); expected a text, HTML or JSON report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(
            origin,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8",
        ) from None


def file_bytes(path: Path, origin: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportError(origin, f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise ReportError(
            origin,
            f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:g} MB limit; "
            "split it into smaller files (e.g. JSON Lines)",
        )
    if size == 0:
        raise ReportError(origin, "file is empty")
    try:
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise ReportError(origin, f"cannot read: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------
# Per-kind readers
# ---------------------------------------------------------------------------

_HEADER_KEYS = {
    "id", "title", "url", "published", "date", "outlet", "source", "source_type", "fictional",
}
_HEADER_LINE = re.compile(r"^([A-Za-z_]+)[ \t]*:[ \t]*(.*)$")


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Optional 'key: value' lines (or '---' front matter) at the top of a text file."""
    lines = text.split("\n")
    fenced = lines and lines[0].strip() == "---"
    index = 1 if fenced else 0
    header: dict[str, str] = {}
    while index < len(lines):
        line = lines[index]
        if fenced and line.strip() == "---":
            index += 1
            break
        match = _HEADER_LINE.match(line)
        if not match or match.group(1).lower() not in _HEADER_KEYS:
            if fenced and line.strip():
                return {}, text  # not front matter we understand: keep everything
            break
        header[match.group(1).lower()] = match.group(2).strip().strip('"')
        index += 1
    if not header:
        return {}, text
    return header, "\n".join(lines[index:])


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_MD_QUOTE_BULLET = re.compile(r"^[ \t]*(?:>[ \t]?|[-*+][ \t]+)", re.MULTILINE)
_MD_RULE_FENCE = re.compile(r"^[ \t]*(?:[-*_]{3,}|```\w*|~~~\w*)[ \t]*$", re.MULTILINE)


def markdown_to_text(text: str) -> tuple[str | None, str]:
    """Plain text from Markdown (markup is removed, never rendered) and its first heading."""
    title = None
    heading = re.search(r"^#[ \t]+(.+)$", text, re.MULTILINE)
    if heading and not text[: heading.start()].strip():
        title = heading.group(1).strip()
        text = text[heading.end():]
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_RULE_FENCE.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE_BULLET.sub("", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return title, text


def _header_date(value: str) -> str | None:
    """A header date as written by people ("Date: 10 March 2024"), as ISO; None if unreadable."""
    try:
        return parse_published(value)
    except ValueError:
        pass
    import dateparser  # only for hand-written header dates, which are rare

    settings = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]}
    found = dateparser.parse(value, languages=["en"], settings=settings)
    return found.date().isoformat() if found is not None else None


def text_report(path: Path, raw: str, origin: str, kind: str, published: str | None) -> Report:
    header, body = _split_header(raw)
    for key in ("published", "date"):
        if key in header:
            value = _header_date(header[key])
            if value is None:  # not a date after all: the line belongs to the text
                body = f"{key.capitalize()}: {header.pop(key)}\n{body}"
            else:
                header[key] = value
    title = header.get("title")
    if kind == "markdown":
        md_title, body = markdown_to_text(body)
        title = title or md_title
    record: dict[str, Any] = {**header, "text": body, "title": title}
    if "source" in header and "outlet" not in header:
        record["outlet"] = header["source"]
    return report_from_record(record, origin, published=published)


# <meta name="fictional" content="true">: the bundled sample marks its invented pages so.
_FICTIONAL_META = re.compile(
    r"<meta\s+(?:name=[\"']fictional[\"']\s+content=[\"'](?:true|yes|1)[\"']|"
    r"content=[\"'](?:true|yes|1)[\"']\s+name=[\"']fictional[\"'])",
    re.IGNORECASE,
)


MAX_HTML_CHARS = 5 * MAX_REPORT_CHARS  # the markup around a text is often several times its size


def html_report(raw: str, origin: str, published: str | None) -> Report:
    """Main text without menus and share buttons (trafilatura); title/date/site from metadata."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    cut = ""
    if len(raw) > MAX_HTML_CHARS:  # trafilatura takes seconds per megabyte of markup
        cut, raw = f"page is {len(raw):,} characters of HTML, over the {MAX_HTML_CHARS:,} read", raw[:MAX_HTML_CHARS]

    # deduplicate=False: trafilatura's de-duplication keeps a process-wide cache of the
    # paragraphs it has seen, so the same page read a third time lost text and got
    # another content-hash id (a re-ingest then stored it twice).
    text = trafilatura.extract(raw, include_comments=False, include_tables=True, deduplicate=False)
    if not text or not text.strip():
        raise ReportError(origin, "no article text found in this HTML page")
    meta = trafilatura.extract_metadata(raw)
    title = meta.title if meta is not None else None
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:])  # the headline is kept as the title, not as a sentence
    page_published = None
    if meta is not None and meta.date:
        try:
            page_published = parse_published(meta.date)
        except ValueError:
            page_published = None
    record = {
        "text": text,
        "title": title,
        "url": meta.url if meta is not None else None,
        "outlet": meta.sitename if meta is not None else None,
        "fictional": bool(_FICTIONAL_META.search(raw[:20000])),
    }
    return report_from_record(record, origin, published=published, page_published=page_published, cut=cut)


TOO_DEEP = ("nested too deeply to read (over a thousand levels of brackets); a report is a flat "
            "object such as {\"id\": ..., \"text\": ...}")


def load_json(text: str, origin: str, *, line: bool = False) -> Any:
    """``json.loads`` with every failure a ReportError: malformed, or nested past Python's limit.

    A crafted file of ``[[[[...`` raises RecursionError inside the parser,
    which must not stop the batch. ``line`` says the origin already holds the
    line number (JSON Lines), so the message keeps only the column.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = origin if line else f"{origin}:{exc.lineno}"
        raise ReportError(where, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ReportError(origin, TOO_DEEP) from None


def json_reports(raw: str, origin: str, published: str | None) -> Iterator[Report | ReportError]:
    try:
        data = load_json(raw, origin)
    except ReportError as exc:
        yield exc
        return
    if isinstance(data, dict):
        yield _guarded(lambda: report_from_record(data, origin, published=published), origin)
    elif isinstance(data, list):
        if not data:
            yield ReportError(origin, "JSON list is empty")
        for index, item in enumerate(data):
            item_origin = f"{origin}[{index}]"
            yield _guarded(lambda: report_from_record(item, item_origin, published=published), item_origin)
    else:
        yield ReportError(origin, "expected a JSON object or a list of objects")


def _jsonl_line(line: bytes, origin: str, published: str | None) -> Report | ReportError | None:
    if not line.strip():
        return None
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ReportError(origin, f"not valid UTF-8 (byte 0x{line[exc.start]:02x}); re-save as UTF-8")
    try:
        record = load_json(text, origin, line=True)
    except ReportError as exc:
        return ReportError(origin, f"{exc.reason}; line skipped")
    return _guarded(lambda: report_from_record(record, origin, published=published), origin)


def jsonl_stream(
    stream: BinaryIO, name: str, published: str | None, max_line: int
) -> Iterator[Report | ReportError]:
    """One record per line; a bad line is reported with its number and the rest goes on."""
    number = 0
    any_line = False
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            break
        number += 1
        origin = f"{name}:{number}"
        if len(line) > max_line and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                line = stream.readline(1024 * 1024)
            yield ReportError(origin, f"line is over {max_line / 2**20:g} MB; line skipped")
            any_line = True
            continue
        if b"\x00" in line:
            yield ReportError(origin, "contains NUL bytes (binary data?); line skipped")
            any_line = True
            continue
        item = _jsonl_line(line, origin, published)
        if item is not None:
            any_line = True
            yield item
    if not any_line:
        yield ReportError(name, "file is empty (no JSON Lines records)")


def walk_folder(folder: Path) -> Iterator[Path | ReportError]:
    """Report files under a folder, sorted, hidden files and unknown kinds skipped.

    A folder that cannot be listed (permissions, a vanished mount) is yielded
    as a ReportError in its place: os.walk would skip it without a word.
    """
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        yield from (_unreadable_folder(exc, root) for exc in unreadable)
        unreadable.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in KINDS:
                yield Path(root) / name
    yield from (_unreadable_folder(exc, str(folder)) for exc in unreadable)


def _unreadable_folder(exc: OSError, fallback: str) -> ReportError:
    reason = f"cannot read this folder ({exc.strerror or exc}); its reports were not read: fix its permissions"
    return ReportError(exc.filename or fallback, reason + " and run again")


def noting_cuts(items: Iterable[Report | ReportError]) -> Iterator[Report | ReportError]:
    """Each item; after a report cut to stay within the budget, a ReportError that says what to do."""
    for item in items:
        yield item
        if isinstance(item, Report) and item.cut:
            yield ReportError(item.origin or item.id, f"{item.cut}: only the first part is used; split it into "
                              "several reports (e.g. JSON Lines, one report per line) to keep the rest")


def failure_reason(exc: BaseException) -> str:
    """What went wrong with one report, in words a user can act on (not a class name alone).

    ValueError messages are written for users (dates, ids, values); the two
    resource failures say what to do; anything else is a bug and says so.
    """
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "the text is nested too deeply to process; split or simplify it"
    if isinstance(exc, MemoryError):
        return "ran out of memory; split the report into smaller files"
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "the database stayed busy (another process writing for over 30 s); run the command again"
    return f"internal error ({type(exc).__name__}: {exc}); please report it with this file"


def _guarded(build: Any, origin: str) -> Report | ReportError:
    try:
        return build()
    except ReportError as exc:
        return exc
    except RecursionError:  # a field nested past Python's limit, met when it is turned into text
        return ReportError(origin, TOO_DEEP)
