"""The conflicts table: parsing, which incidents belong to a conflict, conflicts in view."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from incidents.views import filters
from incidents.views import conflicts
from incidents.views.conflicts import Conflict

TABLE = """name,countries,regions,sides,notes
North–South,NX|SX,,North|South,an invented border
Lakes,LK|NX,NX:Upper Lakes,Lake Guard|Delta Front,only one region of NX
"""


def _table() -> list[Conflict]:
    found, problems = conflicts.parse_conflicts(csv.DictReader(io.StringIO(TABLE)))
    assert problems == []
    return found


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "country_code": ["NX", "SX", "NX", "LK", "ZZ", None],
        "admin1": ["Hills", "Plain", "Upper Lakes", "Shore", "Far", None],
        "event_date": pd.to_datetime(["2024-01-0%d" % d for d in range(1, 7)]),
    })


def test_table_is_parsed_with_codes_regions_and_sides():
    north_south, lakes = _table()
    assert north_south.countries == ("NX", "SX") and north_south.sides == ("North", "South")
    assert lakes.regions == (("NX", "Upper Lakes"),)
    assert lakes.regions_of("NX") == ("Upper Lakes",) and lakes.regions_of("LK") == ()


@pytest.mark.parametrize("row, message", [
    (",NX,,,", "no name"),
    ("Bad,N1,,,", "not a two-letter country code"),
    ("Lonely,,,,", "has no country"),
    ("Odd,NX,QQ:Somewhere,,", "must be CC:Region"),
])
def test_bad_rows_are_reported_not_raised(row, message):
    found, problems = conflicts.parse_conflicts(csv.DictReader(io.StringIO("name,countries,regions,sides,notes\n" + row)))
    assert any(message in p for p in problems)


def test_a_region_limits_only_its_own_country():
    north_south, lakes = _table()
    frame = _frame()
    assert conflicts.conflict_mask(frame, [north_south]).tolist() == [True, True, True, False, False, False]
    # Lakes covers all of LK but only Upper Lakes in NX
    assert conflicts.conflict_mask(frame, [lakes]).tolist() == [False, False, True, True, False, False]
    assert conflicts.conflict_mask(frame, [north_south, lakes]).sum() == 4


def test_categorical_and_plain_columns_agree():
    table = _table()
    plain = _frame()
    categorical = plain.astype({"country_code": "category", "admin1": "category"})
    assert (conflicts.conflict_mask(plain, table) == conflicts.conflict_mask(categorical, table)).all()


def test_conflicts_in_view_are_the_chosen_ones_else_those_with_incidents():
    table = _table()
    frame = _frame()
    assert conflicts.conflicts_in_view(frame, table) == ["North–South", "Lakes"]
    assert conflicts.conflicts_in_view(frame.iloc[[0]], table) == ["North–South"]
    assert conflicts.conflicts_in_view(frame.iloc[[4, 5]], table) == []
    assert conflicts.conflicts_in_view(frame.iloc[[0]], table, chosen=["Lakes"]) == ["Lakes"]
    assert conflicts.conflict_countries(table, ["Lakes"]) == {"LK", "NX"}
    assert conflicts.conflict_countries(table) == {"LK", "NX", "SX"}


def test_the_shipped_table_reads_cleanly_and_names_the_key_dates_theatres():
    table, problems = conflicts.read_conflicts()
    assert problems == [] and table
    theatres = set(pd.read_csv(conflicts.DATA_DIR / "key_dates.csv")["theatre"])
    assert theatres <= {c.name for c in table}


def test_conflict_filter_round_trips_through_the_url_and_filters(tmp_path, monkeypatch):
    path = tmp_path / "conflicts.csv"
    path.write_text(TABLE, encoding="utf-8")
    monkeypatch.setattr(conflicts, "CONFLICTS_FILE", path)
    spec, problems = filters.from_query_params({"conflict": ["Lakes", "Nowhere"]},
                                               known={"conflicts": ["North–South", "Lakes"]})
    assert spec.conflicts == ("Lakes",) and len(problems) == 1
    assert filters.to_query_params(spec) == {"conflict": ["Lakes"]}
    assert filters.apply(_frame(), spec)["admin1"].tolist() == ["Upper Lakes", "Shore"]
