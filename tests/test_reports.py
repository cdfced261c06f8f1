"""Reading reports: every file kind, the publication-date order, and bad inputs."""

from __future__ import annotations

import io
import json

import pytest

from incidents.reports.model import (
    MAX_FILE_BYTES,
    Report,
    ReportError,
    clean_url,
    content_id,
    parse_published,
    report_from_text,
)
from incidents.reports.datelines import find_dateline
from incidents.reports.reading import read_reports

TEXT = "Two soldiers were wounded near Opytne on Thursday, the ministry said."


def _one(paths, **kwargs):
    items = list(read_reports(paths, **kwargs))
    assert len(items) == 1, items
    return items[0]


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- each kind --------------------------------------------------------------


def test_plain_text_gets_a_content_hash_id(tmp_path):
    report = _one([_write(tmp_path, "a.txt", TEXT + "\n")])
    assert isinstance(report, Report)
    assert report.text == TEXT
    assert report.id == content_id(TEXT)
    assert report.origin.endswith("a.txt")


def test_same_text_with_other_spacing_keeps_its_id():
    assert content_id("Two  soldiers\nwere wounded") == content_id("Two soldiers were wounded")


def test_text_header_lines_give_fields(tmp_path):
    body = "title: Border update\npublished: 2024-03-10\noutlet: Example Wire\nfictional: true\n\n" + TEXT
    report = _one([_write(tmp_path, "a.txt", body)])
    assert (report.title, report.published, report.outlet, report.fictional) == (
        "Border update", "2024-03-10", "Example Wire", True)
    assert report.text == TEXT


@pytest.mark.parametrize("line, published", [
    ("Date: 10 March 2024", "2024-03-10"),
    ("date: 2024-03-10", "2024-03-10"),
    ("Date: to be confirmed", None),
])
def test_text_header_dates_as_people_write_them(tmp_path, line, published):
    report = _one([_write(tmp_path, "a.txt", f"{line}\n\n{TEXT}")])
    assert isinstance(report, Report) and report.published == published
    assert report.text.endswith(TEXT)


def test_markdown_markup_is_removed_and_heading_is_title(tmp_path):
    body = "# Shelling report\n\n**Two soldiers** were wounded near [Opytne](http://x.org/o).\n\n- item"
    report = _one([_write(tmp_path, "a.md", body)])
    assert report.title == "Shelling report"
    assert report.text == "Two soldiers were wounded near Opytne.\n\nitem"


HTML = """<html><head><title>Shelling near Opytne</title>
<meta property="article:published_time" content="2024-03-10T08:00:00Z">
<meta property="og:site_name" content="Example News"></head>
<body><nav><a href="/">Home</a> <a href="/w">World</a> <a href="/s">Sport</a></nav>
<article><h1>Shelling near Opytne</h1>
<p>Two soldiers were wounded near Opytne on Thursday when artillery shelled their positions,
the ministry said in a statement.</p>
<p>The other side denied the claim and said it had not opened fire at any time that day.</p>
</article><div class="share">Share on Facebook Share on Twitter</div>
<footer>Copyright Example News</footer></body></html>"""


def test_html_main_text_without_menus_and_metadata(tmp_path):
    report = _one([_write(tmp_path, "a.html", HTML)])
    assert report.text.startswith("Two soldiers were wounded")
    assert "Share on" not in report.text and "Sport" not in report.text
    assert report.title == "Shelling near Opytne"
    assert report.published.startswith("2024-03-10")
    assert report.outlet == "Example News"


def test_html_read_again_gives_the_same_report(tmp_path):
    # Re-reading a page in the same process (dashboard, re-ingest) must not change its
    # text or its content-hash id.
    path = _write(tmp_path, "a.html", HTML)
    first = _one([path])
    for _ in range(4):
        again = _one([path])
        assert (again.id, again.text) == (first.id, first.text)


def test_html_fictional_meta_flag(tmp_path):
    page = HTML.replace("<head>", '<head><meta name="fictional" content="true">')
    assert _one([_write(tmp_path, "f.html", page)]).fictional is True
    assert _one([_write(tmp_path, "a.html", HTML)]).fictional is False


def test_json_object_and_list(tmp_path):
    one = {"id": "r1", "text": TEXT, "url": "https://x.org/a", "published": "2024-03-10"}
    many = [one, {"id": "r2", "text": "Other text."}]
    single = _one([_write(tmp_path, "a.json", json.dumps(one))])
    assert (single.id, single.url, single.published) == ("r1", "https://x.org/a", "2024-03-10")
    items = list(read_reports([_write(tmp_path, "b.json", json.dumps(many))]))
    assert [r.id for r in items] == ["r1", "r2"]


def test_jsonl_and_folder_are_walked_sorted(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    lines = "\n".join(json.dumps({"id": f"j{i}", "text": f"Text {i}."}) for i in range(2))
    _write(folder, "b.jsonl", lines + "\n")
    _write(folder, "a.txt", TEXT)
    _write(folder / "sub", "c.md", "Third report.")
    _write(folder, "notes.csv", "ignored,file")
    ids = [r.id for r in read_reports([folder])]
    assert ids == [content_id(TEXT), "j0", "j1", content_id("Third report.")]


def test_stdin_is_json_lines():
    stream = io.BytesIO(b'{"id": "s1", "text": "From stdin."}\nnot json\n')
    items = list(read_reports(["-"], stdin=stream))
    assert items[0].id == "s1"
    assert isinstance(items[1], ReportError) and items[1].origin == "<stdin>:2"


# --- fields -----------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("2024-03-10", "2024-03-10"),
    ("2024-03-10T08:00:00", "2024-03-10T08:00:00+00:00"),
    ("2024-03-10T08:00:00Z", "2024-03-10T08:00:00+00:00"),
    ("2024-03-10T23:30:00+04:00", "2024-03-10T23:30:00+04:00"),
    ("Sun, 10 Mar 2024 08:00:00 GMT", "2024-03-10T08:00:00+00:00"),
    (None, None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["10/03/2024", "yesterday", "2024-13-01"])
def test_parse_published_rejects_with_a_hint(value):
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_published(value)


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/a", "https://example.org/a"),
    ("HTTP://example.org", "HTTP://example.org"),
    ("javascript:alert(1)", None),
    ("file:///etc/passwd", None),
    ("ftp://x.org/a", None),
    (12, None),
])
def test_only_http_urls_are_kept(url, expected):
    assert clean_url(url) == expected


@pytest.mark.parametrize("text, place, month, day, year", [
    ("KYIV, March 10 (Reuters) - Two soldiers were killed.", "KYIV", 3, 10, None),
    ("BAKU, 10 March 2024 - The ministry said.", "BAKU", 3, 10, 2024),
    ("YEREVAN (AP) \u2014 Armenia said.", "YEREVAN", None, None, None),
    ("Headline\n\nSTEPANAKERT, Sept. 28 (AFP) - Shelling.", "STEPANAKERT", 9, 28, None),
    ("Ministry of Defence\n\nStatement\n\nYerevan, 24 March 2026\n\nOn 23 March units fired.", "Yerevan", 3, 24, 2026),
    # Every shape of dateline: a capitalised city alone, an agency with its date, a date ending in a full stop.
    ("Title line\n\nNORTHVALE \u2014 The ministry said two posts were shelled.", "NORTHVALE", None, None, None),
    ("EASTBROOK (Wire / Agency \u2013 18th February, 2022) \u2013 Shelling hit Ridgeton.", "EASTBROOK", 2, 18, 2022),
    ("PORTMOUTH (Daily Courier, March 3) - Two mortars hit.", "PORTMOUTH", 3, 3, None),
    ("Lakeside, April 7, 2015. The situation remained tense near Hillfield.", "Lakeside", 4, 7, 2015),
    ("Title line\nLakeside, April 7, 2015.\n\nThe situation remained tense near Hillfield.", "Lakeside", 4, 7, 2015),
    ("Title line\n\nA lede of one sentence.\n\nEASTBROOK, September 14. /Wire/. Two posts were shelled.",
     "EASTBROOK", 9, 14, None),
    # a date ending in a colon, an agency in parentheses with no dash, a numeric date and an agency in slashes
    ("NORTHVALE, Feb 22: Troops fired mortars.", "NORTHVALE", 2, 22, None),
    ("EASTBROOK, Feb 22 (Wire) Troops fired mortars.", "EASTBROOK", 2, 22, None),
    ("Title line\nLakeside / 02.24.20 / Wire: Units fired at a post.", "Lakeside", None, None, None),
])
def test_find_dateline(text, place, month, day, year):
    line = find_dateline(text)
    assert (line.place, line.month, line.day, line.year) == (place, month, day, year)
    assert text[line.start:line.start + len(place)] == place


@pytest.mark.parametrize("text", ["Two soldiers - were killed.", "The ministry said - no.", "No dateline here.",
                                  "At 10:30: troops fired.", "The ministry (MoD) Said no."])
def test_no_dateline(text):
    assert find_dateline(text) is None


@pytest.mark.parametrize("record, option, expected", [
    ({"text": "KYIV, March 10 (Reuters) - Shelling.", "published": "2024-03-11"}, None, "2024-03-11"),
    ({"text": "KYIV, March 10 (Reuters) - Shelling."}, "2024-04-01", "2024-03-10"),
    ({"text": "KYIV, March 10, 2023 (Reuters) - Shelling."}, "2024-04-01", "2023-03-10"),
    ({"text": "Shelling near Opytne."}, "2024-04-01", "2024-04-01"),
])
def test_published_order_field_dateline_option(tmp_path, record, option, expected):
    report = _one([_write(tmp_path, "a.json", json.dumps(record))], published=option)
    assert report.published == expected


def test_report_from_text_for_pasted_text():
    report = report_from_text("  " + TEXT + "  ", url="javascript:x", source_type="ministry")
    assert report.text == TEXT and report.url is None and report.source_type == "other"
    with pytest.raises(ReportError, match="empty"):
        report_from_text("   ")


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n ", "empty"),
    ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary"),
    ("binary.json", b"\x00\x01\x02", "binary"),
    ("binary.jsonl", b"{}\x00\x00\x00", "binary"),
    ("latin1.txt", "Shelling near Hadrut\xe9".encode("latin-1"), "not valid UTF-8"),
    ("bad.json", b'{"text": "x",', "malformed JSON"),
    ("notext.json", b'{"id": "x", "title": "no text"}', "no 'text'"),
    ("number.json", b'{"text": 5}', "must be a string"),
    ("emptytext.json", b'{"id": "x", "text": ""}', "'text' is empty"),
    ("blanktext.json", b'{"id": "x", "text": "  "}', "'text' is empty"),
    ("baddate.json", b'{"text": "x", "published": "soon"}', "ISO 8601"),
    ("scalar.json", b"42", "JSON object"),
    ("report.pdf", b"%PDF-1.4", "unknown report kind"),
])
def test_bad_files_are_errors_naming_the_file(tmp_path, name, content, reason):
    item = _one([_write(tmp_path, name, content)])
    assert isinstance(item, ReportError)
    assert name in item.origin and reason in item.reason
    assert str(item) == f"{item.origin}: {item.reason}"


def test_utf8_bom_and_utf16_are_read(tmp_path):
    assert _one([_write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + TEXT.encode())]).text == TEXT
    assert _one([_write(tmp_path, "u16.txt", TEXT.encode("utf-16"))]).text == TEXT


def test_malformed_jsonl_lines_are_named_and_others_kept(tmp_path):
    lines = [
        json.dumps({"id": "ok1", "text": "First."}),
        "{not json",
        "",
        json.dumps({"id": "bad", "title": "no text"}),
        json.dumps({"id": "ok2", "text": "Second."}),
    ]
    items = list(read_reports([_write(tmp_path, "r.jsonl", "\n".join(lines))]))
    kinds = [(type(i).__name__, getattr(i, "id", None) or i.origin.rsplit(":", 1)[-1]) for i in items]
    assert kinds == [("Report", "ok1"), ("ReportError", "2"), ("ReportError", "4"), ("Report", "ok2")]


def test_non_utf8_jsonl_line_is_named_and_others_kept(tmp_path):
    data = b'{"id": "ok", "text": "First."}\n{"id": "x", "text": "caf\xe9"}\n'
    items = list(read_reports([_write(tmp_path, "r.jsonl", data)]))
    assert items[0].id == "ok"
    assert isinstance(items[1], ReportError) and items[1].origin.endswith("r.jsonl:2")
    assert "UTF-8" in items[1].reason


def test_folder_without_reports_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    _write(tmp_path / "empty", "notes.csv", "a,b")
    item = _one([tmp_path / "empty"])
    assert isinstance(item, ReportError) and "no report files" in item.reason


def test_oversize_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(MAX_FILE_BYTES + 1)
    item = _one([path])
    assert isinstance(item, ReportError) and "limit" in item.reason


def test_missing_path_and_batch_goes_on(tmp_path):
    good = _write(tmp_path, "good.txt", TEXT)
    items = list(read_reports([tmp_path / "missing.txt", _write(tmp_path, "e.txt", b""), good]))
    assert [type(i).__name__ for i in items] == ["ReportError", "ReportError", "Report"]
    assert "no such file" in items[0].reason


def test_report_has_no_second_publication_day_helper():
    """The publication day is dates.publication_day's job alone (Report.published_date was a duplicate)."""
    assert not hasattr(Report, "published_date")
