"""``extract``, ``ingest`` and ``reextract`` through the CLI: output, summaries, exit codes.

The extractor is faked (one incident per report, placed at the first word of
its text) so these tests check the commands, not extraction quality.
"""

from __future__ import annotations

import io
import json

import pytest

from incidents.cli import main
from incidents.cli import reports as commands
from incidents.store.dataset import load_incidents
from incidents.schema import BATTLES, EXTRACT_FIELDS
from incidents.store.database import Store

REAL_LOAD_EXTRACTOR = commands.load_extractor
PLACES = {"Sotk": (40.2, 45.9), "Tegh": (39.55, 46.48), "Kut": (40.21, 45.93)}


def fake_extract(report, geoparser=None):
    if "EXPLODE" in report.text:
        raise RuntimeError("extractor crashed")
    place = report.text.split()[0]
    lat, lon = PLACES.get(place, (None, None))
    return [{"event_id": f"{report.id}-0", "report_id": report.id, "event_type": BATTLES,
             "sub_event_type": "Armed clash", "event_date": report.published or "2024-03-10",
             "location": place, "latitude": lat, "longitude": lon, "weapons": ["small arms"],
             "evidence": report.text, "confidence": 0.8, "fatalities": 0, "disputed": False,
             "place_candidates": [{"name": place, "lat": lat, "lon": lon}]}]


@pytest.fixture(autouse=True)
def fake_pipeline(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(commands, "load_extractor", lambda s: (fake_extract, None))
    monkeypatch.setenv("INCIDENTS_DB_PATH", settings.db_path)
    monkeypatch.setenv("INCIDENTS_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Sotk came under fire.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Tegh was shelled.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\xff\xfe\x00garbage\x00")
    (folder / "crash.txt").write_text("Kut EXPLODE\n", encoding="utf-8")
    (folder / "lines.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Kut saw fire.", "published": "2024-03-09"}) + "\n{not json\n",
        encoding="utf-8")
    return folder


def run(*argv):
    return main.main(list(argv))


def records(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_extract_writes_one_json_object_per_incident(capsys, inputs):
    code = run("extract", str(inputs / "a.txt"), str(inputs / "b.txt"), "--published", "2024-03-11")
    out = capsys.readouterr().out
    found = records(out)
    assert code == 0
    assert [r["location"] for r in found] == ["Sotk", "Tegh"]
    for record in found:
        assert list(record)[: len(EXTRACT_FIELDS)] == list(EXTRACT_FIELDS)
        assert record["weapons"] == ["small arms"] and record["event_date"] == "2024-03-11"
        assert "place_candidates" not in record


def test_extract_names_failed_reports_and_still_writes_the_others(capsys, inputs):
    code = run("extract", str(inputs))
    captured = capsys.readouterr()
    assert code == 1
    assert sorted(r["location"] for r in records(captured.out)) == ["Kut", "Sotk", "Tegh"]
    for name in ("empty.txt", "binary.txt", "crash.txt", "lines.jsonl:2"):
        assert name in captured.err
    assert "extractor crashed" in captured.err


def test_extract_to_a_file(capsys, inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run("extract", str(inputs / "a.txt"), "-o", str(out)) == 0
    assert capsys.readouterr().out == ""
    assert [r["location"] for r in records(out.read_text(encoding="utf-8"))] == ["Sotk"]


def test_extract_reads_json_lines_from_stdin(capsys, monkeypatch):
    lines = "".join(json.dumps({"id": f"s{i}", "text": f"{p} fire."}) + "\n" for i, p in enumerate(PLACES))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert run("extract", "-", "--published", "2024-03-11") == 0
    assert [r["report_id"] for r in records(capsys.readouterr().out)] == ["s0", "s1", "s2"]


@pytest.mark.parametrize("argv", [
    ("extract",),
    ("extract", "x.txt", "--published", "yesterday"),
    ("ingest",),
    ("ingest", "x.txt", "--bogus"),
    ("reextract", "extra-arg"),
])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(*argv)
    assert exit_info.value.code == 2


def test_extract_to_an_unwritable_place_is_a_usage_error(capsys, inputs, tmp_path):
    assert run("extract", str(inputs / "a.txt"), "-o", str(tmp_path / "no" / "such" / "o.jsonl")) == 2


def test_ingest_stores_and_summarises(capsys, inputs, settings):
    code = run("ingest", str(inputs / "a.txt"), str(inputs / "b.txt"), "--published", "2024-03-11")
    out = capsys.readouterr().out
    assert code == 0
    assert "reports read:         2" in out and "incidents added:      2" in out
    with Store(settings.db_path) as s:
        assert s.count() == 2


def test_ingest_twice_changes_nothing(capsys, inputs, settings):
    run("ingest", str(inputs / "a.txt"))
    capsys.readouterr()
    assert run("ingest", str(inputs / "a.txt")) == 0
    out = capsys.readouterr().out
    assert "already stored:       1" in out and "incidents added:      0" in out


def test_ingest_names_bad_inputs_and_stores_the_rest(capsys, inputs, settings):
    code = run("ingest", str(inputs), "--published", "2024-03-10")
    captured = capsys.readouterr()
    assert code == 1
    for name in ("empty.txt", "binary.txt", "crash.txt", "lines.jsonl:2"):
        assert f"failed: {inputs / name}" in captured.err or name in captured.err
    assert "failed:               4" in captured.out
    # j1 (Kut, 3 km from Sotk, a day earlier) is the same event as a.txt's
    assert "merged as duplicates: 1" in captured.out
    with Store(settings.db_path) as s:
        assert s.count() == 2 and s.report("j1") is not None


def test_ingest_merges_the_same_event_from_two_reports(capsys, tmp_path, settings):
    (tmp_path / "one.txt").write_text("Sotk fire.\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Kut fire.\n", encoding="utf-8")
    assert run("ingest", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"), "--published", "2024-03-10") == 0
    assert "merged as duplicates: 1" in capsys.readouterr().out


def test_ingest_into_a_database_given_by_option(capsys, inputs, tmp_path):
    db = tmp_path / "other" / "my.db"
    assert run("ingest", str(inputs / "a.txt"), "--db", str(db)) == 0
    with Store(db) as s:
        assert s.count() == 1


def test_ingest_into_an_unopenable_database_is_a_usage_error(capsys, inputs, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run("ingest", str(inputs / "a.txt"), "--db", str(blocker / "x.db")) == 2
    assert "cannot open database" in capsys.readouterr().err


def test_reextract_keeps_edits(capsys, inputs, settings, monkeypatch):
    run("ingest", str(inputs / "a.txt"), str(inputs / "b.txt"))
    with Store(settings.db_path) as s:
        event_id = load_incidents(store=s, columns=["event_id"])["event_id"][0]
        s.edit(event_id, "fatalities", 4, "ana")
    capsys.readouterr()
    assert run("reextract") == 0
    out = capsys.readouterr().out
    assert "reports re-extracted: 2" in out and "0 now match no incident" in out
    with Store(settings.db_path) as s:
        assert s.incident(event_id)["fatalities"] == 4


def test_reextract_reports_failures_and_changes_nothing(capsys, inputs, settings, monkeypatch):
    run("ingest", str(inputs / "a.txt"))

    def broken(report, geoparser=None):
        raise RuntimeError("new extractor broke")

    monkeypatch.setattr(commands, "load_extractor", lambda s: (broken, None))
    capsys.readouterr()
    assert run("reextract") == 1
    err = capsys.readouterr().err
    assert "new extractor broke" in err and "nothing changed" in err


def test_ingest_reads_json_lines_from_stdin(capsys, monkeypatch, settings):
    lines = json.dumps({"id": "s1", "text": "Sotk fire.", "published": "2024-03-10"}) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert run("ingest", "-") == 0
    with Store(settings.db_path) as s:
        assert s.report("s1").text == "Sotk fire."


def test_extract_with_the_real_extractor_over_a_bundled_sample(capsys, monkeypatch):
    from incidents.config import SAMPLES_DIR

    monkeypatch.setattr(commands, "load_extractor", REAL_LOAD_EXTRACTOR)
    monkeypatch.delenv("INCIDENTS_CACHE_DIR")  # the shared gazetteer cache
    sample = SAMPLES_DIR / "reports" / "ministry_statements.jsonl"
    assert run("extract", str(sample)) == 0
    found = records(capsys.readouterr().out)
    assert found and all(isinstance(r["weapons"], list) for r in found)
    assert {r["report_id"] for r in found} <= {json.loads(line)["id"] for line in sample.read_text().splitlines()}
