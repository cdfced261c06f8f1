"""Reading reports: files, folders and pasted text in, :class:`Report` records out.

A batch never stops on a bad input. Each problem (empty, binary, not UTF-8,
too large, malformed JSON, a record without text) is *yielded* as a
:class:`ReportError` naming the file (and line), so the caller can report it
and go on with the rest.

Encoding policy: UTF-8 (with or without a byte-order mark) and UTF-16 with a
byte-order mark are read; anything else is rejected with a message asking to
re-save the file as UTF-8. Guessing a legacy code page (cp1252, cp1251, ...)
would silently turn place names into mojibake, which is worse than a clear
error for a dataset that analysts must trust.

Publication date, in order of preference: the record's own ``published``,
the HTML page's metadata, a wire-style dateline ("KYIV, March 10 (Reuters) -"),
then the ``published=`` option of :func:`read_reports` (``--published``).
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Files above this size are refused before being read (no memory blow-up)."""

MAX_LINE_BYTES = 5 * 1024 * 1024
"""Longest JSON Lines record accepted from standard input."""

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html"}
JSON_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
KINDS: dict[str, str] = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **JSON_SUFFIXES}

SOURCE_TYPES = ("belligerent", "monitor", "media", "other")
STDIN = "-"


@dataclass
class Report:
    """One report as read: its text and what is known about where it comes from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # 'YYYY-MM-DD' or ISO date-time with offset (UTC if none given)
    outlet: str | None = None
    source_type: str | None = None  # belligerent / monitor / media / other
    fictional: bool = False
    origin: str = ""  # file[:line], for messages

    @property
    def published_date(self) -> date | None:
        """The publication day (local to the offset given), for resolving relative dates."""
        if not self.published:
            return None
        try:
            return date.fromisoformat(self.published[:10])
        except ValueError:
            return None


class ReportError(Exception):
    """An input that could not be read as a report; ``str(e)`` is "origin: reason"."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


# ---------------------------------------------------------------------------
# Field normalisation
# ---------------------------------------------------------------------------

_WS = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Normalise line ends, spaces and Unicode form; keep paragraphs (blank lines)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\ufeff", "")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def content_id(text: str) -> str:
    """Stable id from the text alone: the same report read twice gets the same id."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def clean_url(url: Any) -> str | None:
    """Keep only http(s) links: anything else (javascript:, file:, data:) is dropped."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if re.match(r"(?i)^https?://[^\s/]+", url) and not re.search(r"\s", url):
        return url
    return None


def parse_published(value: Any) -> str | None:
    """Normalise a publication date: ISO 8601 (or RFC 2822, as in feeds) -> ISO string.

    A date stays 'YYYY-MM-DD'; a date-time keeps its offset and gets UTC when
    it has none. Raises ValueError with a helpful message on anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return value.isoformat()
    else:
        text = str(value).strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text).isoformat()
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None:
            try:
                parsed = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                parsed = None
            if parsed is None:
                raise ValueError(
                    f"published {text!r} is not an ISO 8601 date; use YYYY-MM-DD or "
                    "YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
                ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.isoformat()


def _clean_source_type(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    return text if text in SOURCE_TYPES else "other"


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y"}
    return bool(value)


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# ---------------------------------------------------------------------------
# Datelines: "KYIV, March 10 (Reuters) -", "BAKU, 10 March 2024 -"
# ---------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATELINE_RE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Za-z\u00C0-\u024F'.\- ]{1,40}?(?:/[A-Z][A-Za-z'.\- ]{1,30})?)"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.\- ]{1,25}))??"
    r"(?:,[ \t]*(?:(?P<m1>" + _MONTH_RE + r")[ \t]+(?P<d1>\d{1,2})|(?P<d2>\d{1,2})[ \t]+(?P<m2>"
    + _MONTH_RE + r"))(?:,?[ \t]+(?P<year>\d{4}))?)?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z0-9 .&/\-]{1,30})\))?"
    r"[ \t]*(?:-{1,2}|\u2013|\u2014)[ \t]+",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Dateline:
    """A wire-style opening: its place (never an event place) and its date, if any."""

    start: int
    end: int
    place: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    agency: str | None = None


# A letterhead line of its own: "Yerevan, 24 March 2026" (statements, press releases).
LETTERHEAD_RE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Za-z\u00C0-\u024F'.\- ]{1,40}?),[ \t]*(?:(?P<m1>" + _MONTH_RE
    + r")[ \t]+(?P<d1>\d{1,2}),?|(?P<d2>\d{1,2})[ \t]+(?P<m2>" + _MONTH_RE + r"))[ \t]+(?P<year>\d{4})[ \t]*$",
    re.MULTILINE,
)


def _letterhead(text: str) -> Dateline | None:
    head = "\n".join(text.split("\n", 8)[:8])
    match = LETTERHEAD_RE.search(head)
    if match is None:
        return None
    month_name = match.group("m1") or match.group("m2")
    return Dateline(
        start=match.start("place"), end=match.end(), place=match.group("place").strip(),
        month=MONTHS.get(month_name.rstrip(".").lower()[:3]), day=int(match.group("d1") or match.group("d2")),
        year=int(match.group("year")),
    )


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of the text (first non-empty line or paragraph), if any."""
    head = text[:300]
    match = DATELINE_RE.search(head)
    if match is None:
        return _letterhead(text)
    # Only at the start of the article or of its first paragraph after a title line.
    before = head[: match.start()]
    if before.count("\n") > 2 or len(before.strip()) > 200:
        return None
    has_date = match.group("m1") or match.group("m2")
    if not has_date and not match.group("agency"):
        return None  # "Two soldiers - ..." is not a dateline
    place = match.group("place").strip()
    if not (place.isupper() or match.group("agency") or has_date):
        return None
    month_name = match.group("m1") or match.group("m2")
    day = match.group("d1") or match.group("d2")
    month = MONTHS.get(month_name.rstrip(".").lower()[:3]) if month_name else None
    return Dateline(
        start=match.start("place"),
        end=match.end(),
        place=place,
        month=month,
        day=int(day) if day else None,
        year=int(match.group("year")) if match.group("year") else None,
        agency=match.group("agency"),
    )


def _dateline_published(text: str, fallback: str | None) -> str | None:
    """A date from the dateline; the year comes from the fallback or today, never the future."""
    line = find_dateline(text)
    if line is None or line.month is None or line.day is None:
        return None
    reference = date.fromisoformat(fallback[:10]) if fallback else datetime.now(timezone.utc).date()
    year = line.year or reference.year
    try:
        found = date(year, line.month, line.day)
        if line.year is None and (found - reference).days > 1:
            found = date(year - 1, line.month, line.day)
    except ValueError:
        return None
    return found.isoformat()


# ---------------------------------------------------------------------------
# Building a Report from a record
# ---------------------------------------------------------------------------

_TEXT_KEYS = ("text", "body", "content")
_PUBLISHED_KEYS = ("published", "date", "published_at", "report_date")
_OUTLET_KEYS = ("outlet", "source", "publisher")


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if record.get(key) not in (None, ""):
            return record[key]
    return None


def report_from_record(
    record: Any,
    origin: str,
    *,
    published: str | None = None,
    page_published: str | None = None,
) -> Report:
    """Validate one JSON-like record; raise ReportError saying what is wrong."""
    if not isinstance(record, dict):
        raise ReportError(origin, f"expected a JSON object with a 'text' field, got {type(record).__name__}")
    raw_text = _first(record, _TEXT_KEYS)
    if raw_text is None:
        raise ReportError(origin, "record has no 'text' (add the report's text as a string field 'text')")
    if not isinstance(raw_text, str):
        raise ReportError(origin, f"'text' must be a string, got {type(raw_text).__name__}")
    text = clean_text(raw_text)
    if not text:
        raise ReportError(origin, "record's 'text' is empty")
    if "\x00" in text:
        raise ReportError(origin, "record's 'text' contains NUL characters (binary data?)")
    try:
        given = parse_published(_first(record, _PUBLISHED_KEYS))
    except ValueError as exc:
        raise ReportError(origin, str(exc)) from None
    resolved = given or page_published or _dateline_published(text, published) or published
    report_id = record.get("id")
    report_id = str(report_id).strip() if report_id not in (None, "") else content_id(text)
    return Report(
        id=report_id,
        text=text,
        title=_optional_str(record.get("title")),
        url=clean_url(record.get("url")),
        published=resolved,
        outlet=_optional_str(_first(record, _OUTLET_KEYS)),
        source_type=_clean_source_type(record.get("source_type")),
        fictional=_as_bool(record.get("fictional", False)),
        origin=origin,
    )


def report_from_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    source_type: str | None = None,
    fictional: bool = False,
    id: str | None = None,  # noqa: A002 - the record's field name
    origin: str = "pasted text",
) -> Report:
    """A report from pasted text (dashboard); raises ReportError when it is unusable."""
    record = {
        "id": id, "text": text, "title": title, "url": url, "published": published,
        "outlet": outlet, "source_type": source_type, "fictional": fictional,
    }
    return report_from_record(record, origin)


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


def _read_file_bytes(path: Path, origin: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportError(origin, f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise ReportError(
            origin,
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit; "
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


def _text_report(path: Path, raw: str, origin: str, kind: str, published: str | None) -> Report:
    header, body = _split_header(raw)
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


def _html_report(raw: str, origin: str, published: str | None) -> Report:
    """Main text without menus and share buttons (trafilatura); title/date/site from metadata."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    text = trafilatura.extract(raw, include_comments=False, include_tables=True, deduplicate=True)
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
    return report_from_record(record, origin, published=published, page_published=page_published)


def _json_reports(raw: str, origin: str, published: str | None) -> Iterator[Report | ReportError]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield ReportError(f"{origin}:{exc.lineno}", f"malformed JSON: {exc.msg} (column {exc.colno})")
        return
    if isinstance(data, dict):
        yield _guarded(lambda: report_from_record(data, origin, published=published))
    elif isinstance(data, list):
        if not data:
            yield ReportError(origin, "JSON list is empty")
        for index, item in enumerate(data):
            item_origin = f"{origin}[{index}]"
            yield _guarded(lambda: report_from_record(item, item_origin, published=published))
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
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return ReportError(origin, f"malformed JSON: {exc.msg} (column {exc.colno}); line skipped")
    return _guarded(lambda: report_from_record(record, origin, published=published))


def _jsonl_stream(
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
            yield ReportError(origin, f"line is over {max_line / 1e6:.0f} MB; line skipped")
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


def _guarded(build: Any) -> Report | ReportError:
    try:
        return build()
    except ReportError as exc:
        return exc


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
        data = _read_file_bytes(path, origin, max_bytes)
        if kind == "jsonl" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            if b"\x00" in data[:65536]:
                raise ReportError(origin, "looks binary (contains NUL bytes); expected JSON Lines")
            yield from _jsonl_stream(io.BytesIO(data), origin, published, max_bytes)
            return
        raw = decode_bytes(data, origin)
        if not raw.strip():
            raise ReportError(origin, "file is empty")
        if kind in ("text", "markdown"):
            yield _text_report(path, raw, origin, kind, published)
        elif kind == "html":
            yield _html_report(raw, origin, published)
        elif kind == "json":
            yield from _json_reports(raw, origin, published)
        else:  # jsonl in UTF-16
            yield from _jsonl_stream(io.BytesIO(raw.encode("utf-8")), origin, published, max_bytes)
    except ReportError as exc:
        yield exc


def _walk(folder: Path) -> Iterator[Path]:
    """Report files under a folder, sorted, hidden files and unknown kinds skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in KINDS:
                yield Path(root) / name


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
    """
    fallback = parse_published(published) if published else None
    for entry in paths:
        if str(entry) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _jsonl_stream(stream, "<stdin>", fallback, MAX_LINE_BYTES)
            continue
        path = Path(entry)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield from read_file(file, published=fallback, max_bytes=max_bytes)
            if not found:
                yield ReportError(str(path), "folder holds no report files (" + ", ".join(sorted(KINDS)) + ")")
        elif path.exists():
            yield from read_file(path, published=fallback, max_bytes=max_bytes)
        else:
            yield ReportError(str(path), "no such file or folder")
