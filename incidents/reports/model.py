"""Reading reports: files, folders and pasted text in, :class:`Report` records out.

A batch never stops on a bad input. Each problem (empty, binary, not UTF-8,
too large, malformed JSON, a record without text) is *yielded* as a
:class:`ReportError` naming the file (and line), so the caller can report it
and go on with the rest.

Publication date, in order of preference: the record's own ``published``,
the HTML page's metadata, a wire-style dateline ("KYIV, March 10 (Reuters) -"),
then the ``published=`` option of :func:`read_reports` (``--published``).
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from incidents.reports.datelines import dateline_published
from incidents.reports.published import infer_published, yearless_dateline
from incidents.schema import SOURCE_TYPES, plausible_date

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Files above this size are refused before being read (no memory blow-up)."""

MAX_LINE_BYTES = 5 * 1024 * 1024
"""Longest JSON Lines record accepted from standard input."""

MAX_REPORT_CHARS = 200_000
"""A report's text is cut here, with a message: extraction takes time per character (bounded cost)."""

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html"}
JSON_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
KINDS: dict[str, str] = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **JSON_SUFFIXES}

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
    date_inferred: bool = False  # published was inferred from the text (reports.published), not given
    published_evidence: str | None = None  # what it was inferred from
    cut: str = ""  # what was left out to stay within MAX_REPORT_CHARS, told to the user


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
_ODD_SPACE = re.compile(r"[\t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Normalise line ends, spaces and Unicode form; keep paragraphs (blank lines)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\ufeff", "")
    if "  " in text or _ODD_SPACE.search(text):  # else every run is one plain space: nothing to do,
        text = _WS.sub(" ", text)                 # and replacing each with itself took ~0.2 ms a report
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip() if "\n\n\n" in text else text.strip()


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
        return plausible_date(value, "published").isoformat()
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"published {text!r} is not a calendar date (ISO 8601: YYYY-MM-DD)") from None
            return plausible_date(day, "published").isoformat()
        try:
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
    plausible_date(parsed.date(), "published")
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
    cut: str = "",
) -> Report:
    """Validate one JSON-like record; raise ReportError saying what is wrong."""
    if not isinstance(record, dict):
        raise ReportError(origin, f"expected a JSON object with a 'text' field, got {type(record).__name__}")
    raw_text = _first(record, _TEXT_KEYS)
    if raw_text is None:
        if any(record.get(key) == "" for key in _TEXT_KEYS):
            raise ReportError(origin, "record's 'text' is empty")
        raise ReportError(origin, "record has no 'text' (add the report's text as a string field 'text')")
    if not isinstance(raw_text, str):
        raise ReportError(origin, f"'text' must be a string, got {type(raw_text).__name__}")
    if len(raw_text) > MAX_REPORT_CHARS:
        cut = f"text is {len(raw_text):,} characters, over the {MAX_REPORT_CHARS:,} one report may hold"
    text = clean_text(raw_text[:MAX_REPORT_CHARS])
    if not text:
        raise ReportError(origin, "record's 'text' is empty")
    if "\x00" in text:
        raise ReportError(origin, "record's 'text' contains NUL characters (binary data?)")
    try:
        given = parse_published(_first(record, _PUBLISHED_KEYS))
    except ValueError as exc:
        raise ReportError(origin, str(exc)) from None
    # Given (the record, the page's metadata) beats the text's dateline, which beats the caller's
    # fallback; with none of them, the text's own dates. Dates read from the text are flagged inferred.
    resolved, evidence = given or page_published, None
    if resolved is None:
        resolved = dateline_published(text, published)
        evidence = "the report's dateline" if resolved else None
    if resolved is None and published is None:
        inferred = infer_published(text) or yearless_dateline(text, datetime.now(timezone.utc).date())
        if inferred is not None:
            resolved, evidence = inferred[0].isoformat(), inferred[1]
    resolved = resolved or published
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
        date_inferred=evidence is not None,
        published_evidence=evidence,
        cut=cut,
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
