"""Placing an incident by hand: typed coordinates, the area of a report, a grid to pick from.

An analyst who knows where a village is (from a map, a sketch, a colleague)
types its coordinates or clicks a map. Both go through :func:`check_point`,
which refuses a point far from every country the report is about (a slip of
a digit, or latitude and longitude swapped) with a message saying so.

Map selections in the dashboard return only points that exist in the figure,
so :func:`pick_grid` lays a fine grid of points over the report's area and
:func:`refine_box` a finer one around a first pick. Everything here works on
the offline gazetteer: no request leaves the machine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import Gazetteer

BBox = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
NEAR_KM = 50.0  # a point this close to a report's country is accepted (border areas, no-man's-land)
# A point whose nearest settlement is further than this is at sea or in a desert: its
# nearest town says little about its country, so it must be near the report's countries.
INSIDE_KM = 150.0
EARTH_KM = 6371.0

_NUMBER = r"[-+−]?\d+(?:[.,]\d+)?"
_DMS = re.compile(
    rf"(?P<deg>{_NUMBER})\s*(?:°|º)?\s*(?:(?P<min>\d+(?:[.,]\d+)?)\s*['′’m]?\s*)?"
    rf"(?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:\"|″|''|s)?\s*)?(?P<hemi>[NSEWnsew])?"
)


class CoordinateError(ValueError):
    """Typed coordinates that cannot be read or lie outside the globe; the message says why."""


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "."))


def parse_coordinates(text: str) -> tuple[float, float]:
    """(latitude, longitude) from what an analyst types.

    Accepts "48.137, 37.742", "48.137 37.742", "48.137;37.742", hemisphere
    letters ("48.137N 37.742E", "33.9 S, 18.4 E") and degrees-minutes-seconds
    ("48°08'13\"N 37°44'31\"E"). Latitude comes first unless the letters say
    otherwise.
    """
    cleaned = " ".join(str(text or "").strip().split())
    if not cleaned:
        raise CoordinateError("Type a latitude and a longitude, e.g. 48.137, 37.742.")
    if cleaned.count(";") == 1:  # "48,137; 37,742": decimal commas, a semicolon between
        cleaned = cleaned.replace(",", ".").replace(";", ",")
    simple = re.fullmatch(r"([-+−]?\d+(?:\.\d+)?)\s*[,\s]\s*([-+−]?\d+(?:\.\d+)?)", cleaned)
    if simple:
        return _checked(_number(simple.group(1)), _number(simple.group(2)))
    parts = [m for m in _DMS.finditer(cleaned) if m.group(0).strip()]
    if len(parts) != 2:
        raise CoordinateError(f"Could not read {cleaned!r} as two numbers: type a latitude and a longitude, "
                              "e.g. 48.137, 37.742 (or 48°08'13\"N 37°44'31\"E).")
    values: list[tuple[float, str]] = []
    for match in parts:
        degrees = _number(match.group("deg"))
        minutes = _number(match.group("min")) if match.group("min") else 0.0
        seconds = _number(match.group("sec")) if match.group("sec") else 0.0
        if minutes >= 60 or seconds >= 60:
            raise CoordinateError(f"Minutes and seconds must be below 60 in {match.group(0).strip()!r}.")
        value = abs(degrees) + minutes / 60 + seconds / 3600
        hemi = (match.group("hemi") or "").upper()
        if degrees < 0 or hemi in ("S", "W"):
            value = -value
        values.append((value, hemi))
    (first, first_hemi), (second, second_hemi) = values
    if first_hemi in ("E", "W") or second_hemi in ("N", "S"):
        first, second = second, first
    return _checked(first, second)


def _checked(lat: float, lon: float) -> tuple[float, float]:
    if not -90 <= lat <= 90:
        hint = " Did you type the longitude first?" if -90 <= lon <= 90 else ""
        raise CoordinateError(f"Latitude must be between -90 and 90; {lat:g} is not.{hint}")
    if not -180 <= lon <= 180:
        raise CoordinateError(f"Longitude must be between -180 and 180; {lon:g} is not.")
    return round(lat, 6), round(lon, 6)


# ---------------------------------------------------------------------------
# Where a point lies, against the gazetteer's settlements
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settlements:
    index: np.ndarray  # gazetteer entry ids of settlements and user places
    lat: np.ndarray
    lon: np.ndarray
    country: np.ndarray  # ISO codes ("" when unknown)
    population: np.ndarray


@lru_cache(maxsize=2)
def _settlements(gazetteer: Gazetteer) -> _Settlements:
    """The gazetteer's settlements as arrays (built once per loaded gazetteer)."""
    keep = np.fromiter((f in (kinds.SETTLEMENT, kinds.USER) for f in gazetteer.feature), dtype=bool,
                       count=len(gazetteer))
    index = np.flatnonzero(keep)
    return _Settlements(index=index, lat=np.asarray(gazetteer.lat, dtype=float)[index],
                        lon=np.asarray(gazetteer.lon, dtype=float)[index],
                        country=np.asarray(gazetteer.country, dtype=object)[index].astype(str),
                        population=np.asarray(gazetteer.population, dtype=np.int64)[index])


def _km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances (haversine) from one point to many."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dlat = p2 - p1
    dlon = np.radians(lons - lon)
    a = np.sin(dlat / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@dataclass(frozen=True)
class PointCheck:
    """What the gazetteer says about a point: its likely country and nearest place, or a problem."""

    country_code: str | None
    nearest: str | None
    nearest_km: float | None
    problem: str | None = None


def check_point(gazetteer: Gazetteer, lat: float, lon: float, country_codes: list[str] | tuple[str, ...] = (),
                near_km: float = NEAR_KM) -> PointCheck:
    """Accept a point inside or near the report's countries (any point when none is known).

    The country is the nearest settlement's: the gazetteer has no borders, and
    within a country's settled area its nearest town is almost always its own.
    """
    lat, lon = _checked(lat, lon)
    places = _settlements(gazetteer)
    if not len(places.index):
        return PointCheck(None, None, None)
    distances = _km(lat, lon, places.lat, places.lon)
    nearest = int(np.argmin(distances))
    country = str(places.country[nearest]) or None
    name = gazetteer.names[int(places.index[nearest])]
    check = PointCheck(country, name, float(distances[nearest]))
    wanted = [c.upper() for c in country_codes if c]
    if not wanted or (country in wanted and check.nearest_km <= INSIDE_KM):
        return check
    inside = np.isin(places.country, wanted)
    if not inside.any():
        return check  # the gazetteer knows none of the report's countries: nothing to check against
    closest = float(distances[inside].min())
    if closest <= near_km:
        return check
    names = ", ".join(wanted)
    problem = (f"That point is {closest:,.0f} km from the nearest known place in {names}, the report's "
               f"{'country' if len(wanted) == 1 else 'countries'}; it lies near {name} ({country or 'unknown country'}).")
    if -90 <= lon <= 90:
        swapped = _km(lon, lat, places.lat[inside], places.lon[inside]).min()
        if swapped <= near_km:
            problem += " Latitude and longitude look swapped: latitude (north-south) comes first."
    return PointCheck(country, name, float(distances[nearest]), problem + " Check the numbers.")


def area_of(gazetteer: Gazetteer, country_codes: list[str] | tuple[str, ...] = (),
            points: list[tuple[float, float]] | tuple[tuple[float, float], ...] = ()) -> BBox | None:
    """The box an analyst picks in: the report's countries' settled area and the known points, padded.

    A country's few overseas settlements would stretch its box across an
    ocean, so the 1st to 99th percentile of its settlements is used.
    """
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    wanted = [c.upper() for c in country_codes if c]
    if wanted:
        places = _settlements(gazetteer)
        inside = np.isin(places.country, wanted)
        if inside.sum() >= 2:
            lats += list(np.percentile(places.lat[inside], [1, 99]))
            lons += list(np.percentile(places.lon[inside], [1, 99]))
    if not lats:
        return None
    lat_min, lat_max, lon_min, lon_max = min(lats), max(lats), min(lons), max(lons)
    pad = max(lat_max - lat_min, lon_max - lon_min, 0.5) * 0.08
    return (float(max(lon_min - pad, -180.0)), float(max(lat_min - pad, -85.0)), float(min(lon_max + pad, 180.0)),
            float(min(lat_max + pad, 85.0)))


def settlements_in(gazetteer: Gazetteer, box: BBox, limit: int = 300) -> list[tuple[str, float, float, str, int]]:
    """(name, lat, lon, country, population) of the largest places in a box: landmarks to pick by."""
    places = _settlements(gazetteer)
    lon_min, lat_min, lon_max, lat_max = box
    inside = np.flatnonzero((places.lat >= lat_min) & (places.lat <= lat_max)
                            & (places.lon >= lon_min) & (places.lon <= lon_max))
    largest = inside[np.argsort(-places.population[inside], kind="stable")[:limit]]
    return [(gazetteer.names[int(places.index[i])], float(places.lat[i]), float(places.lon[i]),
             str(places.country[i]), int(places.population[i])) for i in largest]


def pick_grid(box: BBox, columns: int = 60) -> tuple[np.ndarray, np.ndarray, float]:
    """(lats, lons, step in degrees of latitude) of a grid with about square cells on the ground."""
    lon_min, lat_min, lon_max, lat_max = box
    coslat = max(math.cos(math.radians((lat_min + lat_max) / 2)), 0.1)
    lon_step = max(lon_max - lon_min, 1e-4) / columns
    lat_step = lon_step * coslat
    rows = max(int(math.ceil((lat_max - lat_min) / lat_step)), 1)
    lons = lon_min + lon_step * (np.arange(columns) + 0.5)
    lats = lat_min + lat_step * (np.arange(rows) + 0.5)
    grid_lat, grid_lon = np.meshgrid(lats, lons, indexing="ij")
    return grid_lat.ravel().round(6), grid_lon.ravel().round(6), float(lat_step)


def refine_box(lat: float, lon: float, step: float) -> BBox:
    """The box around a first pick in which a finer grid lets the analyst click the exact spot."""
    coslat = max(math.cos(math.radians(lat)), 0.1)
    half_lat, half_lon = step * 1.5, step * 1.5 / coslat
    return (lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)
