"""The package installs as declared: pyproject's dependencies are requirements.txt's, data files ship."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from incidents.geo.gazetteer import CONFLICT_REGIONS
from incidents.views.basemap import BORDERS_FILE, COARSE_BORDERS_FILE

ROOT = Path(__file__).resolve().parent.parent


def _requirements(path: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {re.sub(r"\s+", "", line) for line in lines if line and not line.startswith("-")}


def test_pyproject_declares_exactly_the_users_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["dependencies"]) == _requirements(ROOT / "requirements.txt")


def test_reference_data_lives_inside_the_package():
    package = ROOT / "incidents"
    for path in (CONFLICT_REGIONS, BORDERS_FILE, COARSE_BORDERS_FILE):
        assert path.is_file() and package in path.parents, path


def test_every_pinned_requirement_has_a_constraint():
    pinned = {line.split("==")[0].lower() for line in _requirements(ROOT / "constraints.txt")}
    for requirement in _requirements(ROOT / "requirements.txt"):
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group().lower().replace("_", "-")
        assert name in pinned, name
