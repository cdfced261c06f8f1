"""Incidents from a report: sentences -> candidates -> one incident per type, place and date.

The rules are the design notes' coding conventions ("The incident record"):
several places in a statement give one incident each; several weapons at one
place and day give one incident typed by the heaviest; fire across a line is
placed at the target; a dateline's city is never an event place; totals,
build-ups, reconnaissance, mine-laying, warning shots, accidents and talks give
nothing; a denial in the same report marks the incidents ``disputed``.

Everything is regexes compiled once (:mod:`incidents.extract_rules`) over a
regex sentence split, with one ``geoparser.parse`` call per report, so that
extraction stays far below a millisecond per sentence. The parts:

- :mod:`incidents.extract_facts`: weapons, casualties, counts, actors, claimants of a sentence;
- :mod:`incidents.extract_places`: which names are event places, checked against the theatre;
- this module: sentences, candidates, grouping into incidents, the output record.

Actor names follow the convention documented in :mod:`incidents.extract_rules`
(state forces by country name, "Russia-backed forces", "Civilians (Country)").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from incidents import schema
from incidents import extract_rules as rules
from incidents.dates import DateSpan, default_span, publication_day, resolve_date
from incidents.extract_context import Place, ReportContext
from incidents.extract_facts import (
    actors_in,
    casualties_in,
    claimant_in,
    count_in,
    country_name,
    country_word,
    default_sub_event,
    nearest_place,
    weapon_summary,
    weapons_in,
)
from incidents.extract_places import (
    anchor_of,
    cohere,
    event_places,
    fit_theatre,
    theatre_of,
    unknown_places,
)
from incidents.extract_regex import fold
from incidents.reports import Report, find_dateline
from incidents.toponyms import COUNTRY, REGION, Geoparser, Toponym

EXTRACTOR_VERSION = "rules-1.0"
HISTORY_DAYS = 45  # an event this long before publication is background, not news
EXPLOSION_RANK = 4.9  # explosions heard weigh like mortar fire, below artillery named as such

# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

_BOUNDARY = re.compile(r"(?<=[.!?;])[\"'”’)]?[ \t]+(?=[\"'“‘(]?[A-Z0-9])|[ \t]*\n(?:[ \t]*\n)*[ \t]*")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no nos lt col gen maj capt sgt cpl pvt jr sr vs etc approx km a.m p.m u.s u.n e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig art".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\W*$")
SHORT_LINE = 60  # a line this short before a single line break is a heading, a list item or a letterhead


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) by regex: fast, and good enough for report prose.

    Blank lines always end a sentence; a single line break only after end punctuation
    or a short line, so hard-wrapped text (statements pasted from e-mail) stays whole.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    line_start = 0
    for match in _BOUNDARY.finditer(text):
        gap = match.group(0)
        if "\n" in gap:
            if gap.count("\n") == 1:
                before = text[line_start:match.start()].rstrip()
                line_start = match.end()
                if before and before[-1] not in ".!?:;\"”" and len(before) >= SHORT_LINE \
                        and not text[match.end():match.end() + 1] in "-*•":
                    continue  # a hard-wrapped line: the sentence goes on
            line_start = match.end()
        else:
            word = _LAST_WORD.search(text, max(start, match.start() - 20), match.start() + 1)
            if word and word.group(1).rstrip(".").lower() in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) <= 2 and word.group(1)[:1].isupper():
                continue  # an initial: "J. Smith"
        _add_span(spans, text, start, match.start())
        start = match.end()
    _add_span(spans, text, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# ---------------------------------------------------------------------------
# Candidates (one per place mention in an incident sentence)
# ---------------------------------------------------------------------------


@dataclass
class Candidate:
    category: str  # "fire", "civilians", "looting"
    place: Place
    span: DateSpan
    sentence: str
    weapons: list[str] = field(default_factory=list)
    rank: float = 0.0
    default_sub: str = schema.ARMED_CLASH
    actor1: str | None = None
    actor2: str | None = None
    claimed_by: str | None = None
    source_type: str | None = None
    claimant_country: str | None = None
    fatalities: int = 0
    injured: int = 0
    civilian: bool = False
    count: int | None = None
    vague: bool = False
    index: int = 0  # sentence number in the report: a later denial disputes it


# ---------------------------------------------------------------------------
# Sentence analysis
# ---------------------------------------------------------------------------


def _analyse(
    sentence: str, offset: int, toponyms: list[Toponym], span: DateSpan, ctx: ReportContext, index_in_report: int = 0
) -> tuple[list[Candidate], bool]:
    """Candidates of one sentence, and whether it describes an incident at all."""
    if not (rules.FIRE_TRIGGER.search(sentence) or rules.EXPLOSION.search(sentence)
            or rules.LOOTING.search(sentence)):
        return [], False
    evidence = sentence  # the exact sentence, even when only a clause of it is read
    cumulative = rules.CUMULATIVE.search(sentence)
    if cumulative:
        # "12 violations in Luhansk region, compared with 18 in the previous period": keep the
        # clause before the comparison; a sentence that opens with a total gives nothing.
        cut = sentence.rfind(",", 0, cumulative.start())
        if cut <= 0 or not rules.FIRE_TRIGGER.search(sentence[:cut]):
            return [], False
        sentence = sentence[:cut]
        toponyms = [t for t in toponyms if t.end <= offset + cut]
    if (ctx.published - span.end).days > HISTORY_DAYS:
        return [], False  # background ("hit during fighting in September 2022")
    if rules.ACCIDENT.search(sentence):
        return [], False  # warning shots, accidents, suicides: no incident
    denial = rules.DENIAL.search(sentence)
    if denial:
        # The denied claim gives no incident here (the claimant's own report does);
        # what follows "adding that ..." is the other side's counter-claim.
        counter = rules.COUNTER_CLAIM.search(sentence, denial.end())
        if counter is None:
            return [], False
        cut = counter.start()
        sentence, offset = sentence[cut:], offset + cut
        toponyms = [t for t in toponyms if t.start >= offset]
    fire = rules.FIRE_TRIGGER.search(sentence)
    looting = rules.LOOTING.search(sentence)
    explosion = rules.EXPLOSION.search(sentence)
    if not (fire or looting or explosion):
        return [], False
    if rules.NO_INCIDENT.search(sentence) and not rules.STRONG_FIRE.search(
        rules.NO_INCIDENT.sub(" ", sentence)
    ):
        return [], False
    talks = bool(rules.TALKS.search(sentence))
    if talks and not rules.STRONG_FIRE.search(sentence):
        return [], False
    vague = talks or bool(rules.VAGUE.search(sentence))
    weapon_hits = weapons_in(sentence)
    weapons, rank, heaviest_sub = weapon_summary(weapon_hits)
    casualties = casualties_in(sentence)
    civilian_casualty = any(c.civilian and (c.killed or c.injured) for c in casualties)
    civilian = civilian_casualty or bool(
        (fire or explosion) and rules.CIVILIAN.search(sentence) and rules.CIVILIAN_HIT.search(sentence))
    if looting and not weapons and not (fire and rules.STRONG_FIRE.search(sentence)):
        category = "looting"
    elif (civilian and rank <= 2 and not explosion and not rules.SHELLING_WORDS.search(sentence)
          and rules.CIVILIAN_TARGET.search(sentence) and not rules.MILITARY_TARGET.search(sentence)):
        category = "civilians"
    else:
        category = "fire"
    claimed, kind, claimant_country = claimant_in(sentence, ctx.report)
    actor1, actor2 = actors_in(sentence, ctx)
    all_toponyms = toponyms + unknown_places(sentence, offset, toponyms, ctx)
    all_toponyms.sort(key=lambda t: t.start)
    places = event_places(sentence, offset, all_toponyms, ctx)
    if vague:
        places = [p for p in places if p.precision in (1, 2)]
        if not span.explicit:
            places = []
    count_total = count_in(sentence)
    if count_total is None:
        # "across the Line of Control into Kashmir": a line or a conflict zone is no event place
        # unless the report counts violations there.
        places = [p for p in places if not (p.toponym and p.toponym.best and p.toponym.best.feature == REGION)]
    elif span.explicit and span.precision >= 2:
        return [], False  # a weekly or monthly total ("between 22 and 28 September, 412 violations")
    candidates = []
    starts = [(p.toponym.start - offset) if p.toponym else 0 for p in places]
    place_weapons: list[list[tuple[int, float, str, str]]] = [[] for _ in places]
    place_killed = [0] * len(places)
    place_hurt = [0] * len(places)
    if places:
        for hit in weapon_hits:
            place_weapons[nearest_place(hit[0], starts)].append(hit)
        for item in casualties:
            at = nearest_place(item.position, starts)
            place_killed[at] += item.killed
            place_hurt[at] += item.injured
    for index, place in enumerate(places):
        local = sentence[:max(0, starts[index])] if place.toponym else sentence
        count = count_in(local[-80:]) if len(places) > 1 else count_total
        if count is None and index == 0:
            count = count_total
        # Weapons go to the place they are named with; a place named with none shares the sentence's.
        names, place_rank, place_sub = weapon_summary(place_weapons[index] or weapon_hits)
        if explosion and place_sub in (None, schema.ARMED_CLASH):
            # "heard bursts of small-arms fire and three explosions": the explosions are the heavier fire
            place_sub, place_rank = schema.SHELLING, max(place_rank, EXPLOSION_RANK)
        candidates.append(Candidate(
            category=category, place=place, span=span, sentence=evidence, weapons=names, rank=place_rank,
            default_sub=place_sub or default_sub_event(sentence), actor1=actor1, actor2=actor2,
            claimed_by=claimed, source_type=kind, claimant_country=claimant_country,
            fatalities=place_killed[index], injured=place_hurt[index],
            civilian=civilian, count=count, vague=vague, index=index_in_report,
        ))
    return candidates, True


# ---------------------------------------------------------------------------
# Grouping and output
# ---------------------------------------------------------------------------


def _sub_event(group: list[Candidate]) -> str:
    category = group[0].category
    if category == "looting":
        return schema.LOOTING
    if category == "civilians":
        return schema.ATTACK
    heaviest = max(group, key=lambda c: c.rank)
    if heaviest.rank > 0:
        return heaviest.default_sub
    subs = {c.default_sub for c in group}
    return schema.SHELLING if schema.SHELLING in subs else schema.ARMED_CLASH


def _event_id(report_id: str, event_type: str, sub: str, place_key: str, start: date) -> str:
    raw = "|".join((report_id, event_type, sub, place_key, start.isoformat()))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _confidence(group: list[Candidate], place: Place, span: DateSpan, disputed: bool) -> float:
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
    if place.toponym is None:
        return []
    return [
        {"name": c.name, "lat": c.lat, "lon": c.lon, "geonameid": c.geonameid, "country_code": c.country_code,
         "admin1": c.admin1, "feature": c.feature, "score": round(float(c.score), 4)}
        for c in place.toponym.candidates
    ]


def _incident(group: list[Candidate], ctx: ReportContext) -> dict[str, Any]:
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
    country = country_name(best.country_code) if best else None
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
        if actor1 and not actor2 and actor1 in rules.OPPONENTS:
            actor2 = rules.OPPONENTS[actor1]
        elif actor2 and not actor1 and actor2 in rules.OPPONENTS:
            actor1 = rules.OPPONENTS[actor2]
    names = {fold(place.name)}
    if place.toponym is not None:
        names.add(fold(place.toponym.text))
    disputed = any(
        ((names & named) if named else number > c.index)
        and (denied is None or (denied.start <= c.span.end and c.span.start <= denied.end))
        for c in group for number, named, denied in ctx.denials if number != c.index
    )
    counts = [c.count for c in group if c.count]
    time_precision = max(span.precision, 2) if any(c.vague for c in group) else span.precision
    report = ctx.report
    notes = f"{sub} {'near' if place.precision == 2 else 'at'} {place.name}"
    if actor1:
        notes += f"; fired by {actor1}"
    if claimed:
        notes += f"; reported by {claimed}"
    if not ctx.published_known:
        notes += "; publication date unknown, dates relative to extraction day"
    return {
        "event_id": _event_id(report.id, event_type, sub, place.key, span.start),
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
        "country_code": best.country_code if best else None,
        "admin1": best.admin1 if best else None,
        "admin2": best.admin2 if best else None,
        "location": place.name,
        "latitude": best.lat if best else None,
        "longitude": best.lon if best else None,
        "geo_precision": place.precision,
        "geonameid": best.geonameid if best else None,
        "geocoder": best.source if best else None,
        "fatalities": max(c.fatalities for c in group),
        "injured": max(c.injured for c in group),
        "civilian_targeting": civilian,
        "weapons": weapons,
        "violation_count": max(counts) if counts else None,
        "evidence": evidence,
        "notes": notes,
        "confidence": _confidence(group, place, span, disputed),
        "extractor_version": EXTRACTOR_VERSION,
        "review_status": "auto",
        "source": report.outlet,
        "source_url": report.url,
        "report_date": ctx.published.isoformat() if ctx.published_known else None,
        "fictional": bool(report.fictional),
        "place_candidates": _candidate_dicts(place),
    }


def _context(report: Report, text: str) -> ReportContext:
    published = publication_day(report.published)
    known = published is not None
    if published is None:
        published = datetime.now(timezone.utc).date()
    dateline = find_dateline(text)
    if report.outlet and report.source_type in ("belligerent", "monitor"):
        # A statement's issuer claims what it states, even when it first quotes the other side.
        _, _, country = claimant_in(report.outlet, report)
        if country is None:
            country = next((country_word(w) for w in re.findall(r"[A-Za-z]+", report.outlet) if country_word(w)), None)
        if country is None and report.source_type == "belligerent":
            country = claimant_in(text[:600], report)[2]  # "Defence PRO Jammu": the text names the army
        return ReportContext(report, published, known, report.outlet, report.source_type, country,
                             dateline.end if dateline else 0)
    claimed, kind, country = claimant_in(text[:600], report)
    if claimed is None and report.outlet:
        claimed, kind, country = claimant_in(report.outlet, report)
        if claimed is not None and kind == "belligerent" and country is None:
            claimed = report.outlet
    if claimed is None:
        claimed, kind = report.outlet, report.source_type or ("media" if report.outlet else None)
    elif report.source_type and kind == "other":
        kind = report.source_type
    if country is None and kind == "belligerent" and report.outlet:
        country = next((country_word(w) for w in re.findall(r"[A-Za-z]+", report.outlet) if country_word(w)), None)
    return ReportContext(report, published, known, claimed, kind, country, dateline.end if dateline else 0)


def _undated_span(ctx: ReportContext) -> DateSpan:
    """No date anywhere so far: the publication day, or for a monitor's daily report the
    period it covers (the evening two days before publication to the evening before)."""
    if ctx.claimant_type == "monitor" or ctx.report.source_type == "monitor":
        return DateSpan(ctx.published - timedelta(days=2), ctx.published - timedelta(days=1), 1, explicit=False)
    return default_span(ctx.published)


def extract(report: Report, geoparser: Geoparser) -> list[dict[str, Any]]:
    """One dict per incident (keys: schema column names plus ``place_candidates``)."""
    text = report.text
    ctx = _context(report, text)
    toponyms = sorted(geoparser.parse(text), key=lambda t: t.start)
    ctx.geoparser = geoparser
    ctx.theatre = theatre_of(text, toponyms)
    toponyms = fit_theatre(toponyms, ctx.theatre)
    ctx.anchor = anchor_of(toponyms)
    toponyms = [cohere(t, ctx.anchor) for t in toponyms]
    for toponym in toponyms:
        if toponym.best is not None and toponym.best.feature != COUNTRY:
            ctx.known_places.setdefault(fold(toponym.text), toponym)
    candidates: list[Candidate] = []
    # A side's own statement denies the other side's claims, never its own.
    records_denials = report.source_type != "belligerent"
    carried: DateSpan | None = None
    last_sentence_candidates: list[Candidate] = []
    pending: tuple[int, str] | None = None
    cursor = 0
    for number, (start, end) in enumerate(split_sentences(text)):
        sentence = text[start:end]
        if start < ctx.dateline_end:  # the dateline's date is the publication's, not the event's
            dated_text = " " * (ctx.dateline_end - start) + text[ctx.dateline_end:end]
        else:
            dated_text = sentence
        span = resolve_date(dated_text, ctx.published)
        while cursor < len(toponyms) and toponyms[cursor].end <= start:
            cursor += 1
        inside = [t for t in toponyms[cursor:] if t.start >= start and t.end <= end]
        denial = rules.DENIAL.search(sentence) if records_denials else None
        if denial and not rules.APPEAL.search(sentence):
            counter = rules.COUNTER_CLAIM.search(sentence, denial.end())
            limit = start + counter.start() if counter else end
            denied_places = [t for t in inside if t.start < limit and not (t.best and t.best.feature == COUNTRY)
                             and not country_word(t.text)]
            named = {fold(t.text) for t in denied_places}
            named |= {fold(t.best.name) for t in denied_places if t.best is not None}
            named |= {fold(t.text) for t in unknown_places(sentence[:limit - start], start, inside, ctx)}
            # Its date only narrows a denial that names places (else it is often the statement's day).
            ctx.denials.append((number, named, span if named else None))
        elif records_denials and rules.COUNTER_ACCUSATION.search(sentence):
            ctx.denials.append((number, set(), None))
        effective = span or carried or _undated_span(ctx)
        found, is_incident = _analyse(sentence, start, inside, effective, ctx, number)
        if span is not None and (is_incident or not rules.TALKS.search(sentence)):
            carried = span
        if found:
            if pending is not None and number - pending[0] <= 2 and not (found[0].fatalities or found[0].injured):
                # "Three civilians were killed when ... fired. Officials said the dead were from Khuiratta."
                _attach(pending[1], found[:1], ctx, before=True)
            pending = None
            candidates.extend(found)
            last_sentence_candidates = found
        elif is_incident and last_sentence_candidates:
            _attach(sentence, last_sentence_candidates, ctx)
        elif is_incident:
            pending = (number, sentence)  # an incident without a place yet: the next sentences may give it
        elif not is_incident and "\n" in text[max(0, start - 2):start]:
            last_sentence_candidates = []  # a new paragraph without an incident ends the follow-ups
    # One incident per type, place and date: the event id hashes the start day, so mentions
    # starting the same day are one incident whose span reaches the latest end.
    groups: dict[tuple[str, str, date], list[Candidate]] = {}
    for candidate in candidates:
        key = (candidate.category, candidate.place.key, candidate.span.start)
        groups.setdefault(key, []).append(candidate)
    for group in groups.values():
        end = max(c.span.end for c in group)
        if end != group[0].span.end:
            group[0].span = DateSpan(group[0].span.start, end, max(c.span.precision for c in group),
                                     any(c.span.explicit for c in group), group[0].span.phrase)
    return [_incident(group, ctx) for group in groups.values()]


def _attach(sentence: str, previous: list[Candidate], ctx: ReportContext, before: bool = False) -> None:
    """A follow-up sentence without a place ("Two soldiers were wounded.") adds to the last incident."""
    casualties = casualties_in(sentence)
    killed = sum(c.killed for c in casualties)
    hurt = sum(c.injured for c in casualties)
    civilian = any(c.civilian for c in casualties)
    weapons, rank, sub = weapon_summary(weapons_in(sentence))
    first = previous[0]
    first.fatalities = max(first.fatalities, killed)
    first.injured = max(first.injured, hurt)
    first.civilian = first.civilian or civilian
    for candidate in previous:
        for weapon in weapons:
            if weapon not in candidate.weapons:
                candidate.weapons.append(weapon)
        if rank > candidate.rank and sub:
            candidate.rank, candidate.default_sub = rank, sub
        if candidate.actor1 is None or candidate.actor2 is None:
            actor1, actor2 = actors_in(sentence, ctx)
            candidate.actor1 = candidate.actor1 or actor1
            candidate.actor2 = candidate.actor2 or actor2
        if candidate.count is None and not before:  # a report-wide total is no count of this place
            candidate.count = count_in(sentence)
        if sentence not in candidate.sentence:
            candidate.sentence = f"{sentence} {candidate.sentence}" if before else f"{candidate.sentence} {sentence}"
