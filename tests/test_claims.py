"""incidents.views.claims: who blames whom, on invented sides."""

from __future__ import annotations

import json

import plotly.io as pio

from incidents.store.frames import frame_from_records
from incidents.views import claims

DEFAULTS = {"event_type": "Battles", "event_date": "2024-03-01", "fatalities": 0, "injured": 0}


def frame(*rows: dict):
    return frame_from_records(DEFAULTS | {"event_id": f"e{i}"} | row for i, row in enumerate(rows))


def test_pairs_count_incidents_disputes_and_casualties_and_add_up_to_the_view():
    view = frame({"claimed_by": "Ministry of North", "actor1": "South", "disputed": True, "fatalities": 2},
                 {"claimed_by": "Ministry of North", "actor1": "South", "injured": 3},
                 {"claimed_by": "Ministry of South", "actor1": "North"},
                 {"claimed_by": None, "actor1": None})
    table = claims.blame_table(view)
    first = table.iloc[0].to_dict()
    assert first == {"claimed_by": "Ministry of North", "actor1": "South", "incidents": 2, "disputed": 1,
                     "fatalities": 2, "injured": 3}
    assert int(table["incidents"].sum()) == len(view)
    assert (claims.NOT_STATED, claims.UNATTRIBUTED) in set(zip(table["claimed_by"], table["actor1"]))


def test_categorical_columns_give_the_same_table():
    view = frame({"claimed_by": "A", "actor1": "B"}, {"claimed_by": None, "actor1": "B"})
    coded = view.astype({"claimed_by": "category", "actor1": "category"})
    assert claims.blame_table(view).equals(claims.blame_table(coded))


def test_empty_view_gives_an_empty_table_with_its_columns():
    table = claims.blame_table(frame({"claimed_by": "A"}).iloc[0:0])
    assert table.empty and tuple(table.columns) == claims.BLAME_COLUMNS


def test_grid_escapes_side_names_and_keeps_them_out_of_templates():
    view = frame({"claimed_by": "<b>Ministry</b> %{z}", "actor1": "Side <i>B</i>"})
    fig = claims.blame_figure(claims.blame_table(view))
    spec = json.loads(pio.to_json(fig))
    assert spec["data"][0]["y"] == ["&lt;b&gt;Ministry&lt;/b&gt; %{z}"]
    assert "Ministry" not in spec["data"][0]["hovertemplate"]
