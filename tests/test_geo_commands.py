"""``python -m incidents geoparse`` and ``gazetteer`` commands (fake geoparser, tiny files)."""

from __future__ import annotations

import io
import json

import pytest

from incidents.geo import gazetteer as gz
from incidents.geo import geoparse, sources
from incidents.cli.main import main
from incidents.geo.toponyms import Candidate, Toponym


class FakeGeoparser:
    """Finds every occurrence of "Tovuz" (placed) and "Nowhere" (not placed)."""

    def parse(self, text, aside=None, strict=False):
        out = []
        for word, best in (("Tovuz", Candidate("Tovuz", 40.99, 45.63, "AZ", geonameid=585156)), ("Nowhere", None)):
            start = text.find(word)
            if start >= 0:
                out.append(Toponym(start, start + len(word), word, best, [best] if best else []))
        return sorted(out, key=lambda t: t.start)


@pytest.fixture
def fake(monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(geoparse, "get_geoparser", lambda settings=None: FakeGeoparser())


def write_lines(path, *lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


def test_geoparse_writes_one_line_per_document_in_order(fake, tmp_path, capsys):
    src = write_lines(tmp_path / "in.jsonl",
                      json.dumps({"id": "b", "text": "Fire near Tovuz.", "title": "ignored"}),
                      json.dumps({"id": "a", "text": "Nothing here."}),
                      json.dumps({"id": 3, "text": "Nowhere and Tovuz"}))
    assert main(["geoparse", str(src)]) == 0
    out = read_jsonl(capsys.readouterr().out)
    assert [d["id"] for d in out] == ["b", "a", 3]
    assert out[0]["toponyms"] == [{"start": 10, "end": 15, "name": "Tovuz", "lat": 40.99, "lon": 45.63,
                                   "geonameid": 585156, "country_code": "AZ", "geo_precision": 1}]
    assert out[1]["toponyms"] == []
    nowhere = out[2]["toponyms"][0]
    assert nowhere["name"] == "Nowhere" and nowhere["lat"] is None and nowhere["lon"] is None
    assert nowhere["geo_precision"] is None


def test_geoparse_bad_lines_are_named_and_skipped(fake, tmp_path, capsys):
    src = write_lines(tmp_path / "in.jsonl",
                      json.dumps({"id": 1, "text": "Tovuz"}),
                      "{not json",
                      json.dumps({"id": 2}),
                      "",
                      json.dumps({"id": 4, "text": "Tovuz"}))
    assert main(["geoparse", str(src)]) == 1
    captured = capsys.readouterr()
    assert [d["id"] for d in read_jsonl(captured.out)] == [1, 4]
    assert "in.jsonl:2: skipped: malformed JSON" in captured.err and "in.jsonl:3: skipped" in captured.err


def test_geoparse_names_bad_bytes_and_deep_nesting_by_line_and_goes_on(fake, tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "text": "Tovuz"}\n{"id": 2, "text": "caf\xe9"}\n' + b"[" * 100_000
                    + b"\n" + b'{"id": 4, "text": "Tovuz"}\n')
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x7fELF\x00\x01\x02\xff\xfe\n\x00\x00")
    assert main(["geoparse", str(src)]) == 1
    captured = capsys.readouterr()
    assert [d["id"] for d in read_jsonl(captured.out)] == [1, 4]
    assert "in.jsonl:2: skipped: not valid UTF-8 (byte 0xe9" in captured.err
    assert "in.jsonl:3: skipped: nested too deeply" in captured.err
    assert main(["geoparse", str(binary)]) == 1
    captured = capsys.readouterr()
    assert "binary.jsonl:1: skipped: contains NUL bytes" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_geoparse_to_an_unwritable_output_is_a_usage_error(fake, tmp_path, capsys, monkeypatch):
    import builtins

    src = write_lines(tmp_path / "in.jsonl", json.dumps({"id": 1, "text": "Tovuz"}))
    real_open = builtins.open

    def refusing_open(file, mode="r", *args, **kwargs):
        if str(file).endswith("out.jsonl") and "w" in mode:  # tests run as root: chmod cannot refuse
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    assert main(["geoparse", str(src), "-o", str(tmp_path / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "out.jsonl" in err and "Permission denied" in err
    assert "Traceback" not in err


def test_geoparse_reads_stdin_and_writes_a_file(fake, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": "x", "text": "Tovuz"}) + "\n"))
    out = tmp_path / "out.jsonl"
    assert main(["geoparse", "-", "-o", str(out)]) == 0
    assert read_jsonl(out.read_text(encoding="utf-8"))[0]["id"] == "x"
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv", [["geoparse"], ["geoparse", "/no/such/file.jsonl"], ["gazetteer"]])
def test_usage_errors_exit_2(fake, argv):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    assert code == 2


# -- gazetteer importers ----------------------------------------------------------


@pytest.fixture
def no_rebuild(monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(tmp_path / "data" / "incidents.db"))
    rebuilt = []
    monkeypatch.setattr(sources, "build_gazetteer", lambda settings=None, progress=None: rebuilt.append(settings))
    return rebuilt


def test_add_csv_stores_the_entries_and_rebuilds(no_rebuild, tmp_path):
    src = tmp_path / "sectors.csv"
    src.write_text("name,aliases,latitude,longitude,country,feature\nSector East,,40.1,45.9,AM,user\n",
                   encoding="utf-8")
    assert main(["gazetteer", "add-csv", str(src)]) == 0
    assert (tmp_path / "data" / gz.USER_DIR / "user-sectors.csv").is_file()
    assert len(no_rebuild) == 1


def test_add_csv_refuses_a_bad_file(no_rebuild, tmp_path, capsys):
    src = tmp_path / "bad.csv"
    src.write_text("name,latitude\nX,1\n", encoding="utf-8")
    assert main(["gazetteer", "add-csv", str(src)]) == 1
    assert "missing column" in capsys.readouterr().err
    assert no_rebuild == []


def test_add_dump_stores_populated_places_and_rebuilds(no_rebuild, tmp_path):
    row = ["9000001", "Verin Shorzha", "Verin Shorzha", "Yukhari Shorzha", "40.47", "45.25", "P", "PPL", "AM",
           "", "05", "", "", "", "0", "", "1900", "Asia/Yerevan", "2024-01-01"]
    src = tmp_path / "AM.txt"
    src.write_text("\t".join(row) + "\n", encoding="utf-8")
    assert main(["gazetteer", "add-dump", str(src)]) == 0
    assert (tmp_path / "data" / gz.USER_DIR / "dump-AM.tsv").read_text(encoding="utf-8").startswith("9000001")
    assert len(no_rebuild) == 1


def test_add_dump_takes_the_zip_geonames_serves(no_rebuild, tmp_path):
    import zipfile

    row = ["9000001", "Verin Shorzha", "Verin Shorzha", "Yukhari Shorzha", "40.47", "45.25", "P", "PPL", "AM",
           "", "05", "", "", "", "0", "", "1900", "Asia/Yerevan", "2024-01-01"]
    src = tmp_path / "AM.zip"
    with zipfile.ZipFile(src, "w") as archive:
        archive.writestr("AM.txt", "\t".join(row) + "\n")
        archive.writestr("readme.txt", "GeoNames readme\n")
    assert main(["gazetteer", "add-dump", str(src)]) == 0
    assert (tmp_path / "data" / gz.USER_DIR / "dump-AM.tsv").read_text(encoding="utf-8").startswith("9000001")
    assert len(no_rebuild) == 1


def test_add_dump_refuses_a_broken_zip(no_rebuild, tmp_path, capsys):
    src = tmp_path / "AM.zip"
    src.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["gazetteer", "add-dump", str(src)]) == 1
    assert "AM.zip" in capsys.readouterr().err and no_rebuild == []


def test_add_dump_missing_file_is_a_usage_error(no_rebuild, tmp_path):
    assert main(["gazetteer", "add-dump", str(tmp_path / "XX.txt")]) == 2


def test_plain_text_on_standard_input_is_one_document(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Shelling near Donetsk.\n")))
    assert main(["geoparse", "-", "--quiet"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["id"] == "<stdin>"
    assert [t["name"] for t in record["toponyms"]] == ["Donetsk"]
    assert record["toponyms"][0]["country_code"] == "UA"
