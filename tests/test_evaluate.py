"""The matching rule and the scores of incidents.evaluate, on hand-made incidents."""

from __future__ import annotations

import json
from datetime import date

import pytest

import scoring as ev

# Two real places about 20 km apart (Tovuz and Berd), one far away (Donetsk).
TOVUZ = (40.9922, 45.6289)
BERD = (40.8810, 45.3900)
DONETSK = (48.0230, 37.8022)


def incident(report_id="r1", day="2026-03-10", point=TOVUZ, location="Tovuz", **extra):
    lat, lon = point if point else (None, None)
    row = {"report_id": report_id, "event_date": day, "latitude": lat, "longitude": lon,
           "location": location, "event_type": "Battles"}
    row.update(extra)
    return row


@pytest.mark.parametrize(
    "found_kw,true_kw,matches",
    [
        ({}, {}, True),
        ({"day": "2026-03-11"}, {}, True),  # a day late is within the rule
        ({"day": "2026-03-09"}, {}, True),
        ({"day": "2026-03-12"}, {}, False),  # two days late is not
        ({"day": "2026-03-13"}, {"date_start": "2026-03-10", "date_end": "2026-03-12"}, True),
        ({"day": "2026-03-14"}, {"date_start": "2026-03-10", "date_end": "2026-03-12"}, False),
        ({"point": BERD}, {}, True),  # ~23 km
        ({"point": DONETSK}, {}, False),
        ({"point": (41.45, 45.63)}, {}, False),  # ~51 km: too far for a town...
        ({"point": (41.45, 45.63)}, {"geo_precision": 3}, True),  # ...fine for a region
        ({"point": (41.80, 45.63)}, {"geo_precision": 3}, False),  # ~90 km
        ({"point": None}, {}, False),  # true place has a point, found has none
        ({"point": None, "location": "Alibeyli village"},
         {"point": None, "location": "ALİBƏYLİ"}, True),  # names folded
        ({"point": None, "location": "Tərtər"}, {"point": None, "location": "Terter"}, True),
        ({"point": None, "location": "Kemerli village"},
         {"point": None, "location": "Alibeyli village"}, False),  # generic word only
        ({"location": "Kemerli"}, {"point": None, "location": "Kemerli"}, True),
        ({"day": None}, {}, False),
    ],
)
def test_pair_rule(found_kw, true_kw, matches):
    found, truth = incident(**found_kw), incident(**true_kw)
    assert (ev.pair_cost(found, truth) is not None) is matches


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-03-10", date(2026, 3, 10)),
        ("2026-03-10T23:15:00Z", date(2026, 3, 10)),
        (date(2026, 3, 10), date(2026, 3, 10)),
        (None, None),
        ("", None),
        ("not a date", None),
    ],
)
def test_to_date(value, expected):
    assert ev.to_date(value) == expected


@pytest.mark.parametrize(
    "a,b,shared",
    [
        ("Khankendi", "Khankendi city", True),
        ("Şuşa", "Susa", True),
        ("Rajouri district", "Rajauri", False),  # spelling variants need the gazetteer, not this
        ("Tovuz district", "Gadabay district", False),
        (None, "Tovuz", False),
    ],
)
def test_names_share_word(a, b, shared):
    assert ev.names_share_word(a, b) is shared


def test_match_is_one_to_one_and_prefers_the_nearest():
    found = [incident(point=BERD), incident(point=TOVUZ)]
    truth = [incident(point=TOVUZ)]
    assert ev.match_report(found, truth) == [(1, 0)]


def test_match_finds_the_maximum_number_of_pairs():
    # Greedy alone would give found 0 to true 0 (cost 0) and leave true 1 unmatched.
    near_berd = (40.95, 45.50)
    found = [incident(point=near_berd), incident(point=TOVUZ)]
    truth = [incident(point=TOVUZ), incident(point=BERD)]
    pairs = ev.match_report(found, truth)
    assert len(pairs) == 2


def test_matches_never_cross_reports():
    result = ev.evaluate([incident(report_id="a")], [incident(report_id="b")])
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (0, 1, 1)


def test_evaluate_counts_per_kind_and_type_accuracy():
    truth = [incident("m1"), incident("m1", point=DONETSK, location="Donetsk"),
             incident("w1", event_type="Explosions/Remote violence")]
    found = [incident("m1"), incident("w1"), incident("d1")]  # d1: talks only, a false alarm
    kinds = {"m1": "ministry", "w1": "wire", "d1": "diplomacy", "x1": "monitor"}
    result = ev.evaluate(found, truth, kinds)
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (2, 1, 1)
    assert result.overall.precision == pytest.approx(2 / 3)
    assert result.overall.recall == pytest.approx(2 / 3)
    assert result.by_kind["ministry"].recall == 0.5
    assert result.by_kind["diplomacy"].fp == 1
    assert result.by_kind["monitor"].tp == 0  # listed though empty
    assert result.type_accuracy == 0.5
    assert [m["location"] for m in result.misses] == ["Donetsk"]
    assert [f["report_id"] for f in result.false_alarms] == ["d1"]


@pytest.mark.parametrize(
    "tp,fp,fn,p,r,f1",
    [
        (0, 0, 0, 1.0, 1.0, 1.0),
        (0, 0, 3, 1.0, 0.0, 0.0),
        (2, 2, 0, 0.5, 1.0, 2 / 3),
        (3, 1, 1, 0.75, 0.75, 0.75),
    ],
)
def test_counts_ratios(tp, fp, fn, p, r, f1):
    counts = ev.Counts(tp, fp, fn)
    assert (counts.precision, counts.recall, counts.f1) == pytest.approx((p, r, f1))


@pytest.mark.parametrize(
    "name,found_value,true_value,agrees",
    [
        ("fatalities", None, 0, True),
        ("fatalities", 2, "2", True),
        ("disputed", None, False, True),
        ("actor1", "Armenia", "armenia", True),
        ("violation_count", None, 14, False),
    ],
)
def test_field_agreement(name, found_value, true_value, agrees):
    pair = ({name: found_value}, {name: true_value})
    assert ev.field_agreement([pair], name) == (1.0 if agrees else 0.0)


def test_load_gold_maps_files_to_ids(tmp_path):
    (tmp_path / "gold_reports.jsonl").write_text(
        json.dumps({"report_id": "r1", "kind": "wire", "file": "wire.jsonl"}) + "\n"
        + json.dumps({"report_id": "r2", "kind": "wire", "file": "wire.jsonl"}) + "\n"
        + json.dumps({"report_id": "page", "kind": "wire", "file": "html/page.html"}) + "\n",
        encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(json.dumps(incident("page")) + "\n", encoding="utf-8")
    gold = ev.load_gold(tmp_path)
    assert gold.report_kinds == {"r1": "wire", "r2": "wire", "page": "wire"}
    assert gold.report_id_for("r1") == "r1"
    assert gold.report_id_for("3fa9c0", origin="/x/reports/html/page.html") == "page"
    assert gold.report_id_for("3fa9c0", origin="/x/wire.jsonl:2") == "3fa9c0"  # many reports: no guess


def test_load_gold_rejects_unknown_report_ids(tmp_path):
    (tmp_path / "gold_reports.jsonl").write_text('{"report_id": "r1"}\n', encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(json.dumps(incident("r2")) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="r2"):
        ev.load_gold(tmp_path)


def write_set(root, files: dict[str, str], listing: list[dict], gold: list[dict]) -> None:
    for name, content in files.items():
        path = root / "reports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (root / "gold_reports.jsonl").write_text("".join(json.dumps(r) + "\n" for r in listing), encoding="utf-8")
    (root / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")


def test_extract_set_relabels_reports_and_names_failures(tmp_path):
    records = [{"id": "w1", "text": "Shooting near Tovuz on 10 March.", "published": "2026-03-11"},
               {"id": "w2", "text": "Talks in Tbilisi.", "published": "2026-03-11"}]
    write_set(
        tmp_path,
        {"wire.jsonl": "".join(json.dumps(r) + "\n" for r in records) + "{not json\n",
         "text/statement.txt": "title: A statement\n\nShooting near Tovuz on 10 March 2026.\n",
         "text/crash.txt": "This one makes the fake extractor fail.\n"},
        [{"report_id": "w1", "kind": "wire", "file": "wire.jsonl"},
         {"report_id": "w2", "kind": "diplomacy", "file": "wire.jsonl"},
         {"report_id": "stmt", "kind": "ministry", "file": "text/statement.txt"},
         {"report_id": "crash", "kind": "ministry", "file": "text/crash.txt"},
         {"report_id": "lost", "kind": "wire", "file": "text/lost.txt"}],
        [incident("w1"), incident("stmt")],
    )

    def fake_extract(report, geoparser):
        if "fail" in report.text:
            raise RuntimeError("boom")
        return [incident(report.id)] if "Tovuz" in report.text else []

    gold = ev.load_gold(tmp_path)
    run = ev.extract_set(gold, extract_fn=fake_extract)
    assert sorted(f["report_id"] for f in run.found) == ["stmt", "w1"]  # the text file got its gold id
    assert run.unread == ["lost"]
    assert any("wire.jsonl:3" in e for e in run.errors)  # the malformed line, named
    assert any("crash.txt" in e and "RuntimeError" in e for e in run.errors)
    result = ev.evaluate(run.found, gold.incidents, gold.report_kinds)
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (2, 0, 0)


def test_distances_come_from_the_store_merge_rule():
    """One haversine for the project: the scorer and the merge rule cannot drift apart."""
    from incidents.store import merge

    assert ev.haversine_km is merge.haversine_km
