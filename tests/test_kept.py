"""incidents.store.kept: frames kept per data version beside the snapshot."""

from __future__ import annotations

import pandas as pd

from incidents.store import kept


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "when": pd.to_datetime(["2024-01-01", None]).astype("datetime64[s]"),
        "kind": pd.Categorical(["a", None]), "n": pd.array([1, None], dtype="Int64"), "x": [0.5, float("nan")],
    })


def test_a_kept_frame_reads_back_with_its_dtypes_only_for_its_version(tmp_path):
    db = tmp_path / "store.db"
    assert kept.keep(db, "view", "s1-2-0", _frame())
    pd.testing.assert_frame_equal(kept.read_kept(db, "view", "s1-2-0"), _frame())
    assert kept.read_kept(db, "view", "s1-3-0") is None


def test_keeping_a_new_version_removes_the_old_one(tmp_path):
    db = tmp_path / "store.db"
    kept.keep(db, "view", "s1-2-0", _frame())
    kept.keep(db, "view", "s1-3-0", _frame())
    assert [p.name for p in kept.kept_folder(db).iterdir()] == [kept.kept_path(db, "view", "s1-3-0").name]


def test_a_version_never_leaves_the_folder(tmp_path):
    assert kept.kept_path(tmp_path / "x.db", "view", "../../etc/a b").parent == kept.kept_folder(tmp_path / "x.db")


def test_a_broken_or_unwritable_file_means_deriving_again_not_an_error(tmp_path):
    db = tmp_path / "store.db"
    kept.kept_folder(db).mkdir()
    kept.kept_path(db, "view", "v1").write_bytes(b"not arrow")
    assert kept.read_kept(db, "view", "v1") is None
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert not kept.keep(blocked / "store.db", "view", "v1", _frame())  # its folder cannot be made
