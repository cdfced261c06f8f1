"""incidents.reports.published: a publication date from the text's own dates (invented texts)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from incidents.reports.model import report_from_record, report_from_text
from incidents.reports.published import infer_published, yearless_dateline


@pytest.mark.parametrize(
    "text,expected,evidence",
    [
        ("NORTHTOWN, 10 March 2024 - Shelling was reported overnight.", "2024-03-10", "dateline"),
        ("Southville, 24 March 2026\n\nThe ministry reports fire near a farm.", "2026-03-24", "dateline"),
        # a dateline without a year takes it from the text's other dates
        ("NORTHTOWN, March 10 (Wire) - Fire on 8 March 2024 near a bridge.", "2024-03-10", "dateline"),
        ("Statement of 12 March 2024. On 10 March units fired at a post.", "2024-03-12", "statement"),
        ("Situation update as of 15 May 2025: two posts were hit on 13 May.", "2025-05-15", "statement"),
        ("Units fired on 3 March 2024 and again on 5 March.", "2024-03-05", "latest"),
        ("A post was shelled on 2024-03-05; a drone struck on 07.03.2024.", "2024-03-07", "latest"),
        # dates announced for the future are never the publication date
        ("Fire on 2 March 2024. Talks will be held on 20 March 2024.", "2024-03-02", "latest"),
        ("The truce holds until 1 April 2024. Shots were fired on 4 March 2024.", "2024-03-04", "latest"),
        ("Shelling on 6 March 2024, while a meeting is scheduled for 9 March 2024.", "2024-03-06", "latest"),
        ("Both sides are expected to meet on 30 June 2024; shots on 25 June 2024.", "2024-06-25", "latest"),
    ],
)
def test_inferred_from_the_texts_own_dates(text, expected, evidence):
    day, why = infer_published(text)
    assert day == dt.date.fromisoformat(expected)
    assert {"dateline": "dateline", "statement": "statement", "latest": "latest date"}[evidence] in why


@pytest.mark.parametrize(
    "text",
    [
        "Shelling was reported near a village yesterday.",
        "On 10 March units fired at a post.",  # no year anywhere: no guess
        "Talks will be held on 20 March 2024.",  # only a future date
        "Troops may 12 times have crossed the line.",  # 'may' is not a month here
    ],
)
def test_nothing_to_infer_gives_none_never_today(text):
    assert infer_published(text) is None


def test_a_report_without_a_date_is_flagged_as_inferred():
    report = report_from_text("Units fired on 3 March 2024 and again on 5 March.")
    assert report.published == "2024-03-05" and report.date_inferred
    assert "5 March" in report.published_evidence
    given = report_from_text("Units fired on 3 March 2024.", published="2024-03-04")
    assert given.published == "2024-03-04" and not given.date_inferred
    unknown = report_from_text("Units fired yesterday.")
    assert unknown.published is None and not unknown.date_inferred


@pytest.mark.parametrize(
    "read_on, expected",
    [
        (dt.date(2026, 12, 3), dt.date(2026, 3, 10)),  # earlier this year
        (dt.date(2026, 3, 10), dt.date(2026, 3, 10)),  # read the day it came out
        (dt.date(2026, 2, 1), dt.date(2025, 3, 10)),  # not yet this year: last year's
    ],
)
def test_a_yearless_dateline_is_the_latest_such_day_up_to_the_reading_day(read_on, expected):
    day, evidence = yearless_dateline("NORTHTOWN, March 10 (Wire) - Shots near a farm.", read_on)
    assert day == expected and "without a year" in evidence


def test_a_yearless_29_february_waits_for_a_leap_year():
    day, _ = yearless_dateline("NORTHTOWN, February 29 (Wire) - Shots near a farm.", dt.date(2026, 12, 3))
    assert day == dt.date(2024, 2, 29)


def test_a_yearless_dateline_dates_the_report_as_inferred_never_silently():
    report = report_from_record({"text": "NORTHTOWN, March 10 (Wire) - Shots near a farm on Tuesday."}, "x")
    assert report.date_inferred and report.published.endswith("-03-10")
    assert "without a year" in report.published_evidence
    assert yearless_dateline("Shots near a farm on March 10.", dt.date(2026, 12, 3)) is None  # no dateline


def test_extract_command_flags_incidents_of_an_inferred_date(tmp_path, capsys):
    from incidents.cli.main import main

    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": "r1", "text": "NORTHTOWN, 10 March 2024 - Units of the northern side "
                                "fired mortars at positions near Vardenis on 9 March."}) + "\n", encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert records and all(r["date_inferred"] is True for r in records)
    assert records[0]["event_date"] == "2024-03-09"
