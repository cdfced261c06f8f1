"""Hostile and careless inputs through ``ingest`` and ``extract``: each bad file or line is
named (exit 1), no traceback, and every good input is still processed and stored."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from incidents.reports import reading as reports
from incidents.reports.model import MAX_REPORT_CHARS
from incidents.store.database import Store
from tests.test_app import db  # noqa: F401 - a fixture
from tests.test_report_commands import fake_pipeline, records, run  # noqa: F401 - autouse fixture

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Sotk came under fire.\n", encoding="utf-8")
    (folder / "nested.json").write_text(DEEP, encoding="utf-8")
    (folder / "deep_field.json").write_text('{"text": "Tegh", "title": ' + "[" * 5000 + "]" * 5000 + "}",
                                            encoding="utf-8")
    (folder / "lines.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Kut saw fire."}) + "\n" + DEEP + "\n"
        + json.dumps({"id": "j3", "text": "Tegh saw fire."}) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_deeply_nested_json_is_named_and_the_batch_goes_on(capsys, hostile, command):
    code = run(command, str(hostile))
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err and "RecursionError" not in captured.err
    for name in ("nested.json", "deep_field.json", "lines.jsonl:2"):
        assert f"{name}: nested too deeply" in captured.err
    if command == "extract":
        assert sorted(r["location"] for r in records(captured.out)) == ["Kut", "Sotk", "Tegh"]
    else:
        assert "reports read:         6" in captured.out and "failed:               3" in captured.out


def test_a_reused_id_with_other_content_is_refused_by_name(capsys, tmp_path, settings):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"id": "r1", "text": "Sotk was shelled.", "outlet": "A"}) + "\n", encoding="utf-8")
    second.write_text("\n".join(json.dumps(r) for r in (
        {"id": "r1", "text": "Sotk was shelled.", "outlet": "A"},      # the same report again: skipped
        {"id": "r1", "text": "Tegh was shelled.", "outlet": "B"},      # another report under its id
        {"id": "r1", "text": "Sotk was shelled.", "outlet": "Other"},  # same text, another outlet
        {"id": "r2", "text": "Kut was shelled."},
    )) + "\n", encoding="utf-8")
    assert run("ingest", str(first)) == 0
    capsys.readouterr()
    assert run("ingest", str(second)) == 1
    captured = capsys.readouterr()
    assert "second.jsonl:2: id 'r1' already names a stored report with a different text and outlet" \
        in captured.err
    assert "second.jsonl:3: id 'r1' already names a stored report with a different outlet" in captured.err
    assert "already stored:       1" in captured.out and "failed:               2" in captured.out
    with Store(settings.db_path) as store:
        assert store.report("r1").text == "Sotk was shelled." and store.report("r2") is not None


def refuse_listing(monkeypatch, refused):
    """Make os.scandir fail for one folder (tests run as root, so chmod cannot)."""
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(refused):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_sub_folder_is_named_and_the_rest_read(capsys, tmp_path, monkeypatch):
    top = tmp_path / "in"
    (top / "locked").mkdir(parents=True)
    (top / "locked" / "hidden.txt").write_text("Tegh was shelled.\n", encoding="utf-8")
    (top / "z.txt").write_text("Sotk came under fire.\n", encoding="utf-8")
    refuse_listing(monkeypatch, top / "locked")
    code = run("ingest", str(top))
    captured = capsys.readouterr()
    assert code == 1
    assert f"{top / 'locked'}: cannot read this folder (Permission denied)" in captured.err
    assert "incidents added:      1" in captured.out


def test_an_unreadable_top_folder_is_not_called_empty(capsys, tmp_path, monkeypatch):
    top = tmp_path / "in"
    top.mkdir()
    refuse_listing(monkeypatch, top)
    assert run("extract", str(top)) == 1
    err = capsys.readouterr().err
    assert "cannot read this folder (Permission denied)" in err and "holds no report files" not in err


def test_reader_yields_one_error_per_unreadable_folder(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b.txt").write_text("Sotk", encoding="utf-8")
    refuse_listing(monkeypatch, tmp_path / "a")
    items = list(reports.read_reports([tmp_path]))
    assert sorted(type(i).__name__ for i in items) == ["Report", "ReportError"]


def test_dashboard_upload_names_a_nested_file_and_previews_the_good_one(db, monkeypatch):
    from incidents.ui import pages_ingest
    from tests.test_app import FakeGeoparser, no_exception, page

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    at = page("pages_ingest", {"ingest_published": dt.date(2024, 3, 13)})
    good = ("statement.txt", b"On 12 March units of side B fired mortars at positions near Sotk.", "text/plain")
    nested = ("nested.json", DEEP.encode(), "application/json")
    at.get("file_uploader")[0].set_value([nested, good]).run()
    at.button(key="ingest_extract_files").click().run()
    no_exception(at)
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "nested.json: nested too deeply" in errors and "statement.txt" not in errors
    assert any(s.value.startswith("Extracted") for s in at.subheader)


def test_a_text_over_the_budget_is_cut_with_a_message_and_the_rest_goes_on(capsys, tmp_path, settings):
    folder = tmp_path / "in"
    folder.mkdir()
    long_text = "Sotk came under fire. " * (MAX_REPORT_CHARS // 22 + 500)
    (folder / "a_long.txt").write_text(long_text, encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"id": "long", "text": long_text}) + "\n"
                                    + json.dumps({"id": "short", "text": "Tegh was shelled."}) + "\n",
                                    encoding="utf-8")
    assert run("ingest", str(folder)) == 1
    captured = capsys.readouterr()
    message = (f"text is {len(long_text):,} characters, over the {MAX_REPORT_CHARS:,} one report "
               "may hold: only the first part is used")
    assert f"a_long.txt: {message}" in captured.err and f"b.jsonl:1: {message}" in captured.err
    with Store(settings.db_path) as store:
        assert len(store.report("long").text) <= MAX_REPORT_CHARS
        assert store.report("short") is not None


def test_size_limits_are_stated_in_the_same_units_everywhere(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x")
    [error] = list(reports.read_reports([big], max_bytes=0))
    assert "over the 0 MB limit" in error.reason
    with open(big, "wb") as fh:
        fh.truncate(reports.MAX_FILE_BYTES + 1)
    [error] = list(reports.read_reports([big]))
    assert "file is 50.0 MB, over the 50 MB limit" in error.reason


def test_an_html_page_over_the_budget_is_cut_before_parsing_with_a_message(monkeypatch, tmp_path):
    from incidents.reports import formats

    monkeypatch.setattr(formats, "MAX_HTML_CHARS", 3000)
    page = tmp_path / "page.html"
    paragraph = "<p>Units fired mortars at positions near Sotk on 10 March, two soldiers were wounded.</p>\n"
    page.write_text("<html><body><article>" + paragraph * 100 + "</article></body></html>", encoding="utf-8")
    report, note = list(reports.read_reports([page]))
    assert isinstance(report, reports.Report) and len(report.text) < 3000
    assert note.reason.startswith(f"page is {page.stat().st_size:,} characters of HTML, over the 3,000 read")


@pytest.mark.parametrize("param", ["country", "actor", "since", "preset", "min_casualties", "precision", "bbox"])
def test_a_huge_url_value_is_ignored_with_a_short_notice(param):
    from incidents.views.filter_spec import from_query_params

    spec, problems = from_query_params({param: "x" * 100_000}, known={"countries": ["Armenia"]})
    assert len(problems) == 1 and len(problems[0]) < 300, problems[0][:300]
    assert "(100,000 characters)" in problems[0]
    assert "x" * 100 not in repr(spec)


def test_the_dashboard_shortens_a_huge_url_value_in_its_notice(db):
    from tests.test_app import app, no_exception

    at = app({"actor": "y" * 100_000, "q": "z" * 100_000})
    no_exception(at)
    notices = [w.value.replace("\\", "") for w in at.warning]
    assert any("(100,000 characters)" in n for n in notices), [n[:200] for n in notices]
    assert all(len(n) < 400 for n in notices)


@pytest.mark.parametrize("exc,words", [
    (ValueError("published 9999-12-31 is in the future"), "published 9999-12-31 is in the future"),
    (RecursionError(), "nested too deeply"),
    (MemoryError(), "split the report"),
    (__import__("sqlite3").OperationalError("database is locked"), "run the command again"),
    (KeyError("x"), "internal error (KeyError: 'x'); please report it"),
])
def test_failures_read_as_what_to_do(exc, words):
    from incidents.reports.formats import failure_reason

    assert words in failure_reason(exc)
