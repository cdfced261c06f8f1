"""Settings in one place: defaults, then ``data/settings.toml``, then environment.

Settings are data (a table of name, default and help), so the dashboard's
settings page, the CLI and the docs all read the same list. Defaults keep
every request on this machine: no online tiles, no online geocoding, no
usage statistics.

Where things live: reference data the code needs (gazetteer additions, the
base map) ships inside the package; the user's data (database, settings,
overlays, samples, key dates, conflicts) is the checkout's ``data/`` when
running from a checkout, else a user data folder (``INCIDENTS_DATA_DIR``
overrides both); built caches go to a user cache folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
APP_NAME = "ceasefire-incidents"


def _user_folder(variable: str, fallback: str) -> Path:
    """An XDG base folder (``XDG_DATA_HOME``, ``XDG_CACHE_HOME``) for this app."""
    base = os.environ.get(variable) or str(Path.home() / fallback)
    return Path(base) / APP_NAME


def _data_dir() -> Path:
    if os.environ.get("INCIDENTS_DATA_DIR"):
        return Path(os.environ["INCIDENTS_DATA_DIR"])
    checkout = PROJECT_ROOT / "data"
    if (PROJECT_ROOT / "app.py").is_file() and checkout.is_dir():
        return checkout
    return _user_folder("XDG_DATA_HOME", ".local/share")


DATA_DIR = _data_dir()
SAMPLES_DIR = DATA_DIR / "samples"
SETTINGS_FILE = DATA_DIR / "settings.toml"


def settings_file() -> Path:
    """The settings file: ``INCIDENTS_SETTINGS_FILE`` when set (tests, several setups), else the default."""
    return Path(os.environ.get("INCIDENTS_SETTINGS_FILE") or SETTINGS_FILE)


@dataclass
class Settings:
    """What a user may change. Environment variables are ``INCIDENTS_<NAME>``."""

    db_path: str = field(
        default=str(DATA_DIR / "incidents.db"),
        metadata={"help": "SQLite database file holding reports, incidents and edits."},
    )
    cache_dir: str = field(
        default=str(_user_folder("XDG_CACHE_HOME", ".cache")),
        metadata={"help": "Folder for built caches (gazetteer index, geocoder answers)."},
    )
    map_style: str = field(
        default="white-bg",
        metadata={"help": "Plotly map style. 'white-bg' works offline; others need tiles."},
    )
    online_tiles: bool = field(
        default=False,
        metadata={"help": "Use online map tiles (reveals what you look at to the tile host)."},
    )
    online_geocoding: bool = field(
        default=False,
        metadata={"help": "Ask Nominatim for places the offline gazetteer lacks (1 request/s)."},
    )
    nominatim_user_agent: str = field(
        default="",
        metadata={"help": "Identifying User-Agent for Nominatim (its usage policy requires one)."},
    )
    nominatim_url: str = field(
        default="",
        metadata={"help": "Nominatim base URL; empty means the public OpenStreetMap service."},
    )
    read_only: bool = field(
        default=False,
        metadata={"help": "Read-only deployment: hide every page and button that writes data "
                          "(adding reports, review, corrections, saving settings)."},
    )


def _coerce(value: Any, like: Any) -> Any:
    if isinstance(like, bool):
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    return type(like)(value)


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings; unknown keys in the file are ignored, bad values raise ValueError."""
    settings = Settings()
    path = settings_file() if path is None else path
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as fh:
            values.update(tomllib.load(fh))
    for f in fields(Settings):
        env_name = f"INCIDENTS_{f.name.upper()}"
        if env_name in environ:
            values[f.name] = environ[env_name]
    for f in fields(Settings):
        if f.name in values:
            try:
                setattr(settings, f.name, _coerce(values[f.name], getattr(settings, f.name)))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"setting {f.name!r}: bad value {values[f.name]!r}") from exc
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings file (only values that differ from the defaults)."""
    path = settings_file() if path is None else path
    default = Settings()
    lines = []
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if value == getattr(default, f.name):
            continue
        if isinstance(value, bool):
            lines.append(f"{f.name} = {'true' if value else 'false'}")
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{f.name} = "{escaped}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    os.replace(tmp, path)


def cache_dir(settings: Settings | None = None) -> Path:
    """The cache folder, created on demand."""
    settings = settings or load_settings()
    path = Path(settings.cache_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path
