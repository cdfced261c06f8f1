"""The output record: one incident dict (schema column names) from a group of candidates.

A group is every candidate of one category, place and start day; this module
decides its sub-event type (the heaviest weapon), actors (a side's own statement
names the other side), ``disputed`` (a denial elsewhere in the report), the
confidence score and the stable event id that re-extraction and edits rely on.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from incidents import schema
from incidents.extract import actor_rules, rules
from incidents.extract.date_spans import DateSpan
from incidents.extract.candidates import IncidentCandidate
from incidents.extract.context import Place, ReportContext
from incidents.countries import country_name
from incidents.extract.regex import latin_homoglyphs, lower_same_length
from incidents.geo.gazetteer import REGION_WORDS
from incidents.text.fold import fold

EXTRACTOR_VERSION = "rules-2.14"
# ``geocoder`` of a settlement the gazetteer lacks, put at the region named with it (approximate).
FALLBACK_GEOCODER = "region-fallback"  # stamped on every incident; bump it when extraction changes


def _sub_event(group: list[IncidentCandidate]) -> str:
    """The group's sub-event type: the heaviest weapon decides (design notes, "Weapons decide the type")."""
    category = group[0].category
    if category == "looting":
        return schema.LOOTING
    if category == "civilians":
        return schema.ATTACK
    heaviest = max(group, key=lambda c: c.rank)
    if heaviest.rank > 0:
        return heaviest.default_sub
    subs = {c.default_sub for c in group}
    return next((sub for sub in (schema.SHELLING, schema.AIR_DRONE) if sub in subs), schema.ARMED_CLASH)


_RANK = {weapon.name: weapon.rank for weapon in rules.WEAPONS}


def _type_reason(sub: str, weapons: list[str], group: list[IncidentCandidate]) -> str:
    if weapons and all(c.collective or not c.weapons for c in group):
        told = "said to be shelled; " if sub == schema.SHELLING else ""
        return f"type: {sub} ({told}weapons named only for several places together: {', '.join(weapons)})"
    if weapons:
        return f"type: {sub} (heaviest weapon named: {max(weapons, key=lambda w: _RANK.get(w, 0))})"
    if sub == schema.AIR_DRONE:
        return f"type: {sub} (no weapon named: a strike, of the kind the report tells of)"
    return f"type: {sub} (no weapon named)"


def _event_id(report_id: str, identity: str) -> str:
    """A hash of the report and of the place as its text names it (see :func:`identities`): a
    better extractor or a place an analyst taught may improve the point, the date or the type,
    and the incident keeps its id, so the analyst's edits keep applying."""
    return hashlib.sha256(f"{report_id}|{identity}".encode("utf-8")).hexdigest()[:16]


def identities(groups: list[list[IncidentCandidate]]) -> list[str]:
    """What identifies each incident of a report: the place as written (not where it was put),
    and which incident at that name it is, in the order of the text."""
    seen: dict[str, int] = {}
    found = []
    for group in groups:
        place = group[0].place
        written = place.name if place.fallback or place.toponym is None else place.toponym.text
        key = " ".join(lower_same_length(written).split())
        seen[key] = seen.get(key, 0) + 1
        found.append(f"{key}#{seen[key]}")
    return found


_WORDS = re.compile(r"[a-z0-9]+")
_KIND_WORDS = frozenset(REGION_WORDS | {"the", "city", "town", "village"})


def place_label(place: Place) -> str:
    """The incident's ``location``: the gazetteer's name, and after it the report's own spelling when
    that differs ("Avdiyivka (Avdiivka)"): an analyst checks the match against the text at a glance,
    and a wrong same-named village still says which name the report gave."""
    toponym = place.toponym
    if place.fallback or toponym is None or toponym.best is None:
        return place.name
    written = " ".join(latin_homoglyphs(toponym.text).split())
    return place.name if _name_words(written) <= _name_words(place.name) else f"{place.name} ({written})"


def _name_words(name: str) -> set[str]:
    """The words that tell one name from another: folded, apostrophes and kinds of place left out."""
    return set(_WORDS.findall(fold(name).replace("'", ""))) - _KIND_WORDS


def _confidence(group: list[IncidentCandidate], place: Place, span: DateSpan, disputed: bool) -> float:
    """0.05..0.95 from what the text pinned down (place, date, weapons, actor); orders the review queue."""
    score = 0.45
    if place.toponym is not None and place.toponym.best is not None:
        score += 0.2 if place.precision == 1 else 0.1
    else:
        score -= 0.15
    score += 0.1 if span.explicit else -0.1
    if any(c.weapons for c in group):
        score += 0.1
    if any(c.actor1 for c in group):
        score += 0.05
    if any(c.vague for c in group):
        score -= 0.2
    if disputed:
        score -= 0.05
    return round(min(0.95, max(0.05, score)), 2)


def _candidate_dicts(place: Place) -> list[dict[str, Any]]:
    """The geoparser's candidates for the place, best first, so an analyst can switch with one click."""
    if place.toponym is None:
        return []
    return [
        {"name": c.name, "lat": c.lat, "lon": c.lon, "geonameid": c.geonameid, "country_code": c.country_code,
         "admin1": c.admin1, "feature": c.feature, "score": round(float(c.score), 4)}
        for c in place.toponym.candidates
    ]


def incident_record(group: list[IncidentCandidate], ctx: ReportContext, identity: str) -> dict[str, Any]:
    """The output dict (schema column names plus ``place_candidates``) of one candidate group."""
    first = group[0]
    place, span = first.place, first.span
    sub = _sub_event(group)
    event_type = schema.SUB_TO_EVENT[sub]
    best = place.toponym.best if place.toponym else None
    weapons: list[str] = []
    for candidate in sorted(group, key=lambda c: -c.rank):
        weapons.extend(w for w in candidate.weapons if w not in weapons)
    evidence = " ".join(dict.fromkeys(c.sentence for c in group))
    actor1 = next((c.actor1 for c in group if c.actor1), None)
    actor2 = next((c.actor2 for c in group if c.actor2), None)
    civilian = any(c.civilian for c in group)
    code = best.country_code if best else place.country_code
    country = country_name(code) if code else None
    if first.category == "civilians" and not actor2:
        actor2 = f"Civilians ({country})" if country else "Civilians"
    claimed = next((c.claimed_by for c in group if c.claimed_by), None) or ctx.claimant
    kind = next((c.source_type for c in group if c.claimed_by), None) or ctx.claimant_type
    own = next((c.claimant_country for c in group if c.claimed_by), None) or ctx.claimant_country
    if kind == "belligerent" and own:
        # A side's own statement: whoever it says fired, fired at it, and vice versa.
        if actor1 and actor1 != own and not actor2:
            actor2 = own
        elif actor2 and actor2 != own and not actor1 and not actor2.startswith("Civilians"):
            actor1 = own
    elif kind == "belligerent" and first.category == "fire":
        # A side's statement whose issuer is unknown: across a two-sided line the other side was hit.
        if actor1 and not actor2 and actor1 in actor_rules.OPPONENTS:
            actor2 = actor_rules.OPPONENTS[actor1]
        elif actor2 and not actor1 and actor2 in actor_rules.OPPONENTS:
            actor1 = actor_rules.OPPONENTS[actor2]
    names = {lower_same_length(place.name)}
    if place.toponym is not None:
        names.add(lower_same_length(place.toponym.text))
    disputed = any(c.denied for c in group) or any(
        ((names & named) if named else number > c.index)
        and (denied is None or (denied.start <= c.span.end and c.span.start <= denied.end))
        for c in group for number, named, denied in ctx.denials if number != c.index
    )
    counts = [c.count for c in group if c.count]
    time_precision = max(span.precision, 2) if any(c.vague for c in group) else span.precision
    report = ctx.report
    notes = f"{sub} {'near' if place.precision == 2 else 'at'} {place.name}"
    if place.fallback and best is not None:
        notes += f" (not in the gazetteer: placed at {best.name})"
    elif best is None:
        notes += " (not on the map" + (f"; in {country}, as the report places it" if country else "") + ")"
    if actor1:
        notes += f"; fired by {actor1}"
    if claimed:
        notes += f"; reported by {claimed}"
    if not ctx.published_known:
        notes += "; publication date unknown, dates relative to extraction day"
    numbers = sorted({c.index for c in group})
    reasons = [ctx.notes[n].line() for n in numbers if n < len(ctx.notes)]
    reasons.append(_type_reason(sub, weapons, group))
    return {
        "event_id": _event_id(report.id, identity),
        "report_id": report.id,
        "event_date": span.middle.isoformat(),
        "date_start": span.start.isoformat(),
        "date_end": span.end.isoformat(),
        "time_precision": time_precision,
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "actor2": actor2,
        "claimed_by": claimed,
        "source_type": kind or "other",
        "disputed": disputed,
        "n_sources": 1,
        "corroborated": False,
        "country": country,
        "country_code": code,
        "admin1": best.admin1 if best else None,
        "admin2": best.admin2 if best else None,
        "location": place_label(place),
        "latitude": best.lat if best else None,
        "longitude": best.lon if best else None,
        "geo_precision": place.precision,
        "geonameid": best.geonameid if best else None,
        "geocoder": FALLBACK_GEOCODER if place.fallback else (best.source if best else None),
        "fatalities": max(c.fatalities for c in group),
        "injured": max(c.injured for c in group),
        "civilian_targeting": civilian,
        "weapons": weapons,
        "violation_count": max(counts) if counts else None,
        "evidence": evidence,
        "notes": notes,
        "explanation": "\n".join(reasons),
        "confidence": _confidence(group, place, span, disputed),
        "extractor_version": EXTRACTOR_VERSION,
        "review_status": "auto",
        "source": report.outlet,
        "source_url": report.url,
        "report_date": ctx.published.isoformat() if ctx.published_known else None,
        "date_inferred": bool(report.date_inferred),  # report_date came from the text's own dates
        "fictional": bool(report.fictional),
        "place_candidates": _candidate_dicts(place),
    }
