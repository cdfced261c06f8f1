"""Incidents from a report: sentences -> candidates -> one incident per type, place and date.

The rules are the design notes' coding conventions ("The incident record"):
several places in a statement give one incident each; several weapons at one
place and day give one incident typed by the heaviest; fire across a line is
placed at the target; a dateline's city is never an event place; totals,
build-ups, reconnaissance, mine-laying, warning shots, accidents and talks give
nothing; a denial in the same report marks the incidents ``disputed``.

Everything is regexes compiled once (:mod:`incidents.extract_rules`) over a
regex sentence split, with one ``geoparser.parse`` call per report, so that
extraction stays far below a millisecond per sentence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from incidents import schema
from incidents import extract_rules as rules
from incidents.extract_regex import fold
from incidents.dates import DateSpan, default_span, publication_day, resolve_date
from incidents.reports import Report, find_dateline
from incidents.toponyms import ADMIN1, ADMIN2, COUNTRY, REGION, SETTLEMENT, Geoparser, Toponym

EXTRACTOR_VERSION = "rules-1.0"
HISTORY_DAYS = 45  # an event this long before publication is background, not news

# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

_WORD = re.compile(r"[a-z\u00e0-\u024f]+")
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
class Place:
    """Where a candidate happened: a gazetteer toponym, or a name as written."""

    name: str
    toponym: Toponym | None
    precision: int | None  # geo_precision: 1 town, 2 near, 3 region
    firing_position: bool = False
    explicit_target: bool = False  # "at our positions near X"
    between: bool = False  # "between X and Y"
    fallback: bool = False  # an unplaced name put at the district or province named with it

    @property
    def key(self) -> str:
        if self.fallback:
            return "n" + re.sub(r"\W+", " ", self.name.casefold()).strip()
        best = self.toponym.best if self.toponym else None
        if best is not None and best.geonameid is not None:
            return f"g{best.geonameid}"
        if best is not None:
            return f"p{best.lat:.3f},{best.lon:.3f}"
        return "n" + re.sub(r"\W+", " ", self.name.casefold()).strip()


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


@dataclass
class _Context:
    report: Report
    published: date
    published_known: bool
    claimant: str | None
    claimant_type: str | None
    claimant_country: str | None
    dateline_end: int
    geoparser: Geoparser | None = None
    theatre: set[str] = field(default_factory=set)
    known_places: dict[str, Toponym] = field(default_factory=dict)  # folded name -> placed toponym
    anchor: tuple[float, float] | None = None  # where the report's unambiguous places lie
    # (sentence number, folded names of the places it names): a denial disputes the
    # incidents at the places it names, or every earlier one when it names none.
    denials: list[tuple[int, set[str], DateSpan | None]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Sentence analysis
# ---------------------------------------------------------------------------


def _weapons(sentence: str) -> list[tuple[int, float, str, str]]:
    """Weapons of a sentence as (position, rank, name, sub-event type), one scan."""
    hits = [(m.start(), int(m.lastgroup[1:])) for m in rules.ANY_WEAPON.finditer(sentence) if m.lastgroup]
    if not hits:
        return []
    explosion = bool(rules.EXPLOSION.search(sentence))
    drone_strike = None
    found = []
    for position, index in hits:
        weapon = rules.WEAPONS[index]
        if weapon.sub_event_type == schema.REMOTE_EXPLOSIVE and not explosion:
            continue  # a mine that did not explode is no incident (mine-laying)
        if weapon.name == "drone":
            if drone_strike is None:
                drone_strike = bool(rules.DRONE_STRIKE.search(sentence))
            if not (drone_strike or explosion):
                continue  # a drone that only flew is reconnaissance
        found.append((position, weapon.rank, weapon.name, weapon.sub_event_type))
    return found


def _weapon_summary(weapons: list[tuple[int, float, str, str]]) -> tuple[list[str], float, str | None]:
    """(names lightest first, heaviest rank, its sub-event type)."""
    if not weapons:
        return [], 0.0, None
    names: list[str] = []
    for _, _, name, _ in sorted(weapons, key=lambda w: w[1]):
        if name not in names:
            names.append(name)
    heaviest = max(weapons, key=lambda w: w[1])
    return names, heaviest[1], heaviest[3]


def _default_sub(sentence: str) -> str:
    if rules.SHELLING_WORDS.search(sentence):
        return schema.SHELLING
    return schema.ARMED_CLASH


@dataclass
class Casualties:
    """Deaths and injuries one phrase states, and where in the sentence it stands."""

    position: int
    killed: int = 0
    injured: int = 0
    civilian: bool = False


def _casualties(sentence: str) -> list[Casualties]:
    """Every casualty phrase of a sentence, each with its position (to find its place)."""
    if rules.NO_CASUALTIES.search(sentence) and not re.search(rules.KILLED + "|" + rules.HURT, sentence):
        return []
    found: list[Casualties] = []
    seen: list[tuple[int, int]] = []
    for pattern, kind in rules.CASUALTY_PATTERNS:
        if kind == "one" and found:
            continue  # "was wounded" only counts when no number was given
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in seen):
                continue
            seen.append((match.start(), match.end()))
            if kind == "one":
                verb = match.group("verb") or match.group("verb2") or match.group("verb3")
                n: int | None = 1
            else:
                verb = match.group("verb")
                n = rules.number_value(match.group("n")) if match.group("n") not in ("its", "his", "her", "their") else 1
            if n is None or n > 10000:
                continue
            item = Casualties(match.start(), civilian=bool(rules.CIVILIAN.search(match.group(0))))
            if re.match(rules.KILLED + "|killing|martyred|shahadat", verb):
                item.killed = n
            elif verb in ("wound", "injury") and "fatal" in match.group(0):
                item.killed = n
            else:
                item.injured = n
            # "two soldiers were killed and three wounded"
            tail = re.match(rf"\s+and\s+(?P<n>\w+)\s+(?:\w+\s+)?(?P<verb>{rules.HURT}|{rules.KILLED})\b",
                            sentence[match.end():])
            if tail and rules.number_value(tail.group("n")):
                extra = rules.number_value(tail.group("n")) or 0
                if re.match(rules.KILLED, tail.group("verb")):
                    item.killed += extra
                else:
                    item.injured += extra
                seen.append((match.end(), match.end() + tail.end()))
            found.append(item)
    return found


def _nearest_place(position: int, starts: list[int]) -> int:
    """Index of the place a phrase belongs to: the next place named after it, else the last before."""
    after = [i for i, start in enumerate(starts) if start >= position]
    if after:
        return after[0]
    return max(range(len(starts)), key=lambda i: starts[i])


def _count(text: str) -> int | None:
    for pattern in rules.COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            value = rules.number_value(match.group("n"))
            if value is not None and 0 < value < 100000:
                return value
    return None


_SHORT_COUNTRY_NAMES = {"PS": "Palestine", "RU": "Russia", "SY": "Syria", "IR": "Iran", "MD": "Moldova",
                        "KR": "South Korea", "KP": "North Korea", "CD": "DR Congo", "TW": "Taiwan", "VE": "Venezuela"}


@lru_cache(maxsize=256)
def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    if code.upper() in _SHORT_COUNTRY_NAMES:
        return _SHORT_COUNTRY_NAMES[code.upper()]
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, KeyError, LookupError):
        return None
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def _actors(sentence: str, ctx: _Context) -> tuple[str | None, str | None]:
    """(actor1 who fired, actor2 who was targeted) by position and small cue words."""
    mentions: list[tuple[int, str]] = []
    for match in rules.STATE_FORCES.finditer(sentence):
        word = (match.group("adj") or match.group("of") or match.group("poss") or match.group("bare")).lower()
        country = rules.ADJECTIVE_TO_COUNTRY.get(word) or rules.COUNTRY_NAMES.get(word)
        if country:
            mentions.append((match.start(), country))
    if rules.ANY_NON_STATE.search(sentence):
        for pattern, name in rules.NON_STATE_RE:
            for match in pattern.finditer(sentence):
                mentions.append((match.start(), name))
    own = ctx.claimant_country if ctx.claimant_type == "belligerent" else None
    if own:
        for match in rules.OWN_SIDE.finditer(sentence):
            mentions.append((match.start(), own))
        if own in rules.OPPONENTS:
            for match in rules.ENEMY.finditer(sentence):
                mentions.append((match.start(), rules.OPPONENTS[own]))
    if not mentions:
        return None, None
    mentions.sort()
    actor1 = actor2 = None
    for position, name in mentions:
        before = sentence[max(0, position - 30):position]
        rest = sentence[position:]
        head = re.match(r"\S+(?:\s+\S+){0,3}", rest)
        after_name = rest[head.end():] if head else rest
        verb = rules.ATTACK_VERB.search(rest)
        if rules.ACTOR1_BEFORE.search(before):
            role = 1
        elif rules.ACTOR2_BEFORE.search(before) or re.match(r"\S+\s+(?:positions?|posts?)\b", rest):
            role = 2
        elif rules.VICTIM_AFTER.match(rest):
            role = 2
        elif verb is not None and not rules.PASSIVE.match(after_name[:40]):
            role = 1 if verb.start() < 80 else 2
        else:
            role = 2
        if role == 1 and actor1 is None and name != actor2:
            actor1 = name
        elif role == 2 and actor2 is None and name != actor1:
            actor2 = name
    return actor1, actor2


def _country_word(word: str) -> str | None:
    word = word.lower()
    return rules.ADJECTIVE_TO_COUNTRY.get(word) or rules.COUNTRY_NAMES.get(word)


def _country_near(text: str, start: int, end: int) -> str | None:
    """The country a body belongs to: "Ministry of Defence of Armenia", "Azerbaijan's MoD"."""
    after = re.match(r"\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?([A-Z]\w+)", text[end:end + 40])
    if after and _country_word(after.group(1)):
        return _country_word(after.group(1))
    before = re.search(r"([A-Z]\w+)(?:'s|’s)?\s+(?:\w+\s+)?$", text[max(0, start - 30):start])
    if before and _country_word(before.group(1)):
        return _country_word(before.group(1))
    inside = re.search(r"\b([A-Z]\w+)\b", text[start:end])
    return _country_word(inside.group(1)) if inside else None


def _claimant(text: str, report: Report) -> tuple[str | None, str | None, str | None]:
    """(claimed_by, source_type, claimant country) from a sentence or report opening."""
    if not rules.ANY_CLAIMANT.search(text):
        return None, None, None
    for pattern, name, kind in rules.CLAIMANTS:
        match = pattern.search(text)
        if not match:
            continue
        country = None
        if kind == "belligerent":
            country = _country_near(text, match.start(), match.end())
            if name == "Ministry of Defence" and country:
                name = f"Ministry of Defence of {country}"
            elif name in ("General Staff", "Border Guard Service", "Army spokesperson") and country:
                name = f"{name} ({country})"
        return name, kind, country
    return None, None, None


_LEVEL = {None: 1, ADMIN2: 2, ADMIN1: 3, REGION: 4}


def _level(place: Place, after: str) -> int:
    """How coarse a place is: 1 settlement (or unknown name), 2 district, 3 province, 4 line or region."""
    best = place.toponym.best if place.toponym else None
    if best is not None and best.feature in _LEVEL:
        return _LEVEL[best.feature]
    if rules.REGION_WORD_AFTER.match(after) or (place.toponym and rules.REGION_WORD_AFTER.match(
            place.toponym.text.rsplit(" ", 1)[-1])):
        return 3
    return 1


def _places(
    sentence: str, offset: int, toponyms: list[Toponym], ctx: _Context
) -> list[Place]:
    """Event places of one sentence: targets, at the finest level the sentence names."""
    toponyms = _prefer_named_province(toponyms)
    places: list[tuple[Place, int]] = []
    bearing = bool(rules.BEARING.search(sentence))
    previous: tuple[Place, int] | None = None
    for toponym in toponyms:
        start, stop = toponym.start - offset, toponym.end - offset
        if toponym.start < ctx.dateline_end:
            continue  # a dateline's city is never an event place
        before = sentence[max(0, start - 80):start]
        after = sentence[stop:stop + 30]
        best = toponym.best
        if rules.STREET_WORDS.search(toponym.text) or (start < 3 and after.startswith(":")):
            continue  # "Lenin Street"; "Gegharkunik: a patrol ..." is a heading
        if places and rules.DESCRIPTIVE_BEFORE.search(before):
            continue
        if best is not None and best.feature == COUNTRY:
            continue  # a country is a side or a context, not an event place
        if (rules.NOT_EVENT_PLACE_BEFORE.search(before) or rules.SPEECH_AFTER.match(after)
                or rules.GROUP_AFTER.match(after) or rules.AGREEMENT_AFTER.match(after)
                or _country_word(toponym.text) or _is_claimant_word(toponym.text)):
            continue  # "talks in Moscow", "Baku said", "Minsk agreements", "the Mission"
        if places and rules.REFERENCE_BEFORE.search(before):
            continue  # "near Shyrokyne, east of Mariupol": Mariupol only says where Shyrokyne is
        place = Place(best.name if best else toponym.text, toponym, None)
        level = _level(place, after)
        place.precision = {1: 1, 2: 2, 3: 3, 4: 3}[level] if best is not None else None
        if level == 1 and best is not None and (
                rules.NEAR_BEFORE.search(before) or bearing or rules.PLACE_NEAR_AFTER.match(after)):
            place.precision = 2
        place.firing_position = bool(rules.FROM_BEFORE.search(before))
        place.explicit_target = bool(rules.TARGET_BEFORE.search(before))
        if previous is not None and previous[0].between and rules.LIST_JOIN.match(
                sentence[previous[0].toponym.end - offset:start]):
            continue  # "between Avdiivka and Yasynuvata": one incident, near the first
        if rules.BETWEEN_BEFORE.search(before):
            place.between = True
            if place.precision == 1:
                place.precision = 2
        between = sentence[previous[0].toponym.end - offset:start] if previous and previous[0].toponym else None
        if between is not None and level >= previous[1] and level > 1 and rules.PART_OF_JOIN.match(between):
            place.firing_position = previous[0].firing_position  # "Zod settlement of Basarkechar district"
            inner = previous[0].toponym.best if previous[0].toponym else None
            if inner is not None and best is not None and inner.country_code != best.country_code:
                # "Nowshera sector of Rajouri district": a Nowshera in another country is the wrong one
                text_as_written = previous[0].toponym.text
                previous[0].toponym = Toponym(previous[0].toponym.start, previous[0].toponym.end,
                                              text_as_written, None, list(previous[0].toponym.candidates))
                previous[0].name, previous[0].precision = text_as_written, None
                places[-1] = (previous[0], 1)
        if (between is not None and previous[1] > 1 and best is not None and previous[0].toponym.best is not None
                and re.match(r"^\s*(?:district|province|region)?(?:'s|’s)\s+$", between)
                and best.country_code != previous[0].toponym.best.country_code):
            # "Rajauri district's Nowshera sector": a Nowshera in another country is the wrong one
            place.toponym = Toponym(toponym.start, toponym.end, toponym.text, None, list(toponym.candidates))
            place.name, place.precision, level = toponym.text, None, 1
        if between is not None and rules.LIST_JOIN.match(between):
            # "near the villages of Norashen and Chinari": the list shares its role and nearness
            place.firing_position = previous[0].firing_position
            place.explicit_target = place.explicit_target or previous[0].explicit_target
            if place.precision == 1 and previous[0].precision == 2:
                place.precision = 2
        previous = (place, level)
        places.append((place, level))
    targets = [(p, lv) for p, lv in places if not p.firing_position]
    context_areas = [p for p, lv in targets if lv in (2, 3) and p.toponym and p.toponym.best]
    if any(p.explicit_target for p, _ in targets):
        # "fired ... near Voskepar ... at our positions near Gaymagli": the named target wins
        targets = [(p, lv) for p, lv in targets if p.explicit_target]
    if not targets:  # only the firing position is known: keep it, as "near"
        targets = places
        for place, level in targets:
            if place.precision == 1:
                place.precision = 2
    if not targets:
        return []
    finest = min(level for _, level in targets)
    fine = [place for place, level in targets if level == finest]
    chosen = [place for place, level in targets
              if level == finest or not any(_contains(place, other) for other in fine)]
    areas = context_areas
    for index, place in enumerate(chosen):
        if place.toponym is not None and place.toponym.best is None and areas:
            # A village the gazetteer lacks, named with its district: ACLED places it at the
            # district (near, precision 2) and keeps the village's name.
            after = [a for a in areas if a.toponym.start > place.toponym.start] or areas
            area = after[0]
            chosen[index] = Place(f"{place.name}, {area.name}", area.toponym, 2, fallback=True)
    return chosen


def _contains(area: Place, place: Place) -> bool:
    """Whether a district or region is the context of a finer place named with it
    ("Horlivka ... Donetsk region"), rather than a separate event place."""
    outer = area.toponym.best if area.toponym else None
    inner = place.toponym.best if place.toponym else None
    if outer is None or inner is None:
        return True  # unknown: assume context, as before
    if outer.feature == REGION:
        return True  # lines and conflict zones are always context
    if outer.country_code != inner.country_code:
        return False
    if outer.feature == ADMIN1 and outer.admin1 and inner.admin1:
        return outer.admin1 == inner.admin1
    if outer.feature == ADMIN2 and outer.admin2 and inner.admin2:
        return outer.admin2 == inner.admin2
    return abs(outer.lat - inner.lat) < 0.7 and abs(outer.lon - inner.lon) < 0.9  # about 75 km


def _prefer_named_province(toponyms: list[Toponym]) -> list[Toponym]:
    """"Nowshera sector of Rajouri district": take the Nowshera in Rajouri's country."""
    areas = [t.best for t in toponyms if t.best is not None and t.best.feature in (ADMIN1, ADMIN2)]
    if not areas:
        return toponyms
    result = []
    for toponym in toponyms:
        best = toponym.best
        if best is None or best.feature in (ADMIN1, ADMIN2, COUNTRY) or any(
                a.country_code == best.country_code for a in areas):
            result.append(toponym)
            continue
        better = [c for c in toponym.candidates if any(
            a.country_code == c.country_code and (a.admin1 == c.admin1 or a.feature == ADMIN2) for a in areas)]
        better = better or [c for c in toponym.candidates if any(a.country_code == c.country_code for a in areas)]
        result.append(Toponym(toponym.start, toponym.end, toponym.text, better[0], toponym.candidates)
                      if better else toponym)
    return result


def _is_claimant_word(text: str) -> bool:
    text = re.sub(r"(?i)^the\s+", "", text)
    return text.lower() in {"mission", "smm", "osce", "ministry", "army", "joint forces", "idf"}


def _theatre(text: str, toponyms: list[Toponym]) -> set[str]:
    """Countries the report is about: named countries, demonyms, theatre words, provinces."""
    codes: set[str] = set()
    lowered = fold(text)
    words = set(_WORD.findall(lowered)) & rules.THEATRE_KEYS.keys()
    words.update(key for key in rules.THEATRE_MULTIWORD if key in lowered)
    for lower in words:
        country = rules.ADJECTIVE_TO_COUNTRY.get(lower) or rules.COUNTRY_NAMES.get(lower)
        if country and country in rules.COUNTRY_CODES:
            codes.add(rules.COUNTRY_CODES[country])
        codes.update(rules.THEATRE_WORDS.get(lower, ()))
    for phrase, phrase_codes in rules.THEATRE_PHRASES.items():
        if phrase in lowered:
            codes.update(phrase_codes)
    for toponym in toponyms:
        best = toponym.best
        if best is not None and best.country_code and best.feature in (COUNTRY, ADMIN1):
            codes.add(best.country_code)
    for code in list(codes):
        codes.update(rules.THEATRE_NEIGHBOURS.get(code, ()))
    return codes


FAR_DEGREES = 2.0  # about 200 km: a place this far from the report's other places is suspect


def _anchor(toponyms: list[Toponym]) -> tuple[float, float] | None:
    """The median point of a report's unambiguous settlements and districts."""
    anchors = [t.best for t in toponyms if t.best is not None and t.best.feature in (SETTLEMENT, ADMIN2)
               and len({(c.lat, c.lon) for c in t.candidates}) <= 1]
    if not anchors:
        return None
    return (sorted(a.lat for a in anchors)[len(anchors) // 2], sorted(a.lon for a in anchors)[len(anchors) // 2])


def _cohere(toponym: Toponym, anchor: tuple[float, float] | None) -> Toponym:
    """Among same-named places, prefer the one near the report's other, unambiguous places
    ("Pivdenne" in a Donbas report is the Donetsk-oblast village, not the one near Odesa)."""
    best = toponym.best
    if anchor is None or best is None or best.feature == COUNTRY or len(toponym.candidates) < 2:
        return toponym

    def distance(c: Any) -> float:
        return max(abs(c.lat - anchor[0]), abs(c.lon - anchor[1]))

    if distance(best) < FAR_DEGREES:
        return toponym
    near = sorted((c for c in toponym.candidates if distance(c) < FAR_DEGREES), key=distance)
    return Toponym(toponym.start, toponym.end, toponym.text, near[0], toponym.candidates) if near else toponym


def _fit_theatre(toponyms: list[Toponym], theatre: set[str]) -> list[Toponym]:
    """A settlement outside the report's countries is a gazetteer false match ("Yellija" ->
    Ilidža, Bosnia): take a runner-up inside the theatre, or keep the name unplaced."""
    if not theatre:
        return toponyms
    fitted = []
    for toponym in toponyms:
        best = toponym.best
        if best is None or best.feature == COUNTRY or not best.country_code or best.country_code in theatre:
            fitted.append(toponym)
            continue
        inside = [c for c in toponym.candidates if c.country_code in theatre]
        fitted.append(Toponym(toponym.start, toponym.end, toponym.text, inside[0] if inside else None,
                              inside or list(toponym.candidates)))
    return fitted


_NAME = r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
_UNKNOWN_PLACE = re.compile(
    r"\b(?:villages?|settlements?|town|area|direction|outskirts)\s+of\s+(?:the\s+)?" + _NAME + r"|"
    r"\b" + _NAME + r"\s+(?:village|settlement|sector|valley)\b|"
    r"\b(?:[Nn]ear|[Tt]owards?)\s+" + _NAME + r"|"
    r"\band\s+" + _NAME + r"(?=\s+(?:villages|settlements|sectors|of\b|in\b))")
_NOT_NAMES = frozenset("the line control contact armenian azerbaijani indian pakistani russian ukrainian israeli "
                       "lebanese our their its a an this that these those".split())


def _unknown_places(sentence: str, offset: int, toponyms: list[Toponym], ctx: _Context) -> list[Toponym]:
    """Names the gazetteer lacks ("the village of Xyz"): kept as written, unplaced."""
    extra = []
    for match in _UNKNOWN_PLACE.finditer(sentence):
        group = next(i for i in (1, 2, 3, 4) if match.group(i))
        name = match.group(group)
        if name.split()[0].lower() in _NOT_NAMES or _country_word(name.split()[0]) or _is_claimant_word(name):
            continue
        start, end = match.start(group) + offset, match.end(group) + offset
        if any(t.start < end and start < t.end for t in toponyms) or start < ctx.dateline_end:
            continue
        extra.append(_resolve_name(name, start, end, ctx))
    return extra


def _resolve_name(name: str, start: int, end: int, ctx: _Context) -> Toponym:
    """Ask the geoparser about a name alone: in running text its caution may have skipped it
    (a capitalised word at a sentence start); the theatre check still applies."""
    known = ctx.known_places.get(fold(name))
    if known is not None:  # "the Sotk gold mine" after "Sotk" was placed earlier in the report
        return Toponym(start, end, name, known.best, list(known.candidates))
    if ctx.geoparser is not None:
        for found in ctx.geoparser.parse(name):
            if found.start == 0 and found.end == len(name) and found.best is not None:
                resolved = Toponym(start, end, name, found.best, list(found.candidates))
                return _cohere(_fit_theatre([resolved], ctx.theatre)[0], ctx.anchor)
    return Toponym(start, end, name)


def _analyse(
    sentence: str, offset: int, toponyms: list[Toponym], span: DateSpan, ctx: _Context, index_in_report: int = 0
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
    weapon_hits = _weapons(sentence)
    weapons, rank, heaviest_sub = _weapon_summary(weapon_hits)
    casualties = _casualties(sentence)
    civilian_casualty = any(c.civilian and (c.killed or c.injured) for c in casualties)
    civilian = civilian_casualty or bool(
        rules.CIVILIAN.search(sentence) and (fire or explosion) and re.search(
            r"\b(?:hit|struck|damaged|destroyed|at|on|targeting|shelled)\s+(?:\w+\s+){0,3}?"
            r"(?:civilians?|residents?|villagers?|homes?|houses?|residential|schools?|farmers?|shepherds?|"
            r"kindergartens?|hospitals?|civilian)", sentence, re.I))
    if looting and not weapons and not (fire and rules.STRONG_FIRE.search(sentence)):
        category = "looting"
    elif (civilian and rank <= 2 and not explosion and not rules.SHELLING_WORDS.search(sentence)
          and rules.CIVILIAN_TARGET.search(sentence) and not rules.MILITARY_TARGET.search(sentence)):
        category = "civilians"
    else:
        category = "fire"
    claimed, kind, claimant_country = _claimant(sentence, ctx.report)
    actor1, actor2 = _actors(sentence, ctx)
    all_toponyms = toponyms + _unknown_places(sentence, offset, toponyms, ctx)
    all_toponyms.sort(key=lambda t: t.start)
    places = _places(sentence, offset, all_toponyms, ctx)
    if vague:
        places = [p for p in places if p.precision in (1, 2)]
        if not span.explicit:
            places = []
    count_total = _count(sentence)
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
            place_weapons[_nearest_place(hit[0], starts)].append(hit)
        for item in casualties:
            at = _nearest_place(item.position, starts)
            place_killed[at] += item.killed
            place_hurt[at] += item.injured
    for index, place in enumerate(places):
        local = sentence[:max(0, starts[index])] if place.toponym else sentence
        count = _count(local[-80:]) if len(places) > 1 else count_total
        if count is None and index == 0:
            count = count_total
        # Weapons go to the place they are named with; a place named with none shares the sentence's.
        names, place_rank, place_sub = _weapon_summary(place_weapons[index] or weapon_hits)
        candidates.append(Candidate(
            category=category, place=place, span=span, sentence=evidence, weapons=names, rank=place_rank,
            default_sub=place_sub or _default_sub(sentence), actor1=actor1, actor2=actor2,
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


def _incident(group: list[Candidate], ctx: _Context) -> dict[str, Any]:
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
    country = _country_name(best.country_code) if best else None
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


def _context(report: Report, text: str) -> _Context:
    published = publication_day(report.published)
    known = published is not None
    if published is None:
        published = datetime.now(timezone.utc).date()
    dateline = find_dateline(text)
    claimed, kind, country = _claimant(text[:600], report)
    if claimed is None and report.outlet:
        claimed, kind, country = _claimant(report.outlet, report)
        if claimed is not None and kind == "belligerent" and country is None:
            claimed = report.outlet
    if claimed is None:
        claimed, kind = report.outlet, report.source_type or ("media" if report.outlet else None)
    elif report.source_type and kind == "other":
        kind = report.source_type
    if country is None and kind == "belligerent" and report.outlet:
        country = next((_country_word(w) for w in re.findall(r"[A-Za-z]+", report.outlet) if _country_word(w)), None)
    return _Context(report, published, known, claimed, kind, country, dateline.end if dateline else 0)


def _undated_span(ctx: _Context) -> DateSpan:
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
    ctx.theatre = _theatre(text, toponyms)
    toponyms = _fit_theatre(toponyms, ctx.theatre)
    ctx.anchor = _anchor(toponyms)
    toponyms = [_cohere(t, ctx.anchor) for t in toponyms]
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
                             and not _country_word(t.text)]
            named = {fold(t.text) for t in denied_places}
            named |= {fold(t.best.name) for t in denied_places if t.best is not None}
            named |= {fold(t.text) for t in _unknown_places(sentence[:limit - start], start, inside, ctx)}
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
    groups: dict[tuple[str, str, date, date], list[Candidate]] = {}
    for candidate in candidates:
        key = (candidate.category, candidate.place.key, candidate.span.start, candidate.span.end)
        groups.setdefault(key, []).append(candidate)
    return [_incident(group, ctx) for group in groups.values()]


def _attach(sentence: str, previous: list[Candidate], ctx: _Context, before: bool = False) -> None:
    """A follow-up sentence without a place ("Two soldiers were wounded.") adds to the last incident."""
    casualties = _casualties(sentence)
    killed = sum(c.killed for c in casualties)
    hurt = sum(c.injured for c in casualties)
    civilian = any(c.civilian for c in casualties)
    weapons, rank, sub = _weapon_summary(_weapons(sentence))
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
            actor1, actor2 = _actors(sentence, ctx)
            candidate.actor1 = candidate.actor1 or actor1
            candidate.actor2 = candidate.actor2 or actor2
        if candidate.count is None:
            candidate.count = _count(sentence)
        if sentence not in candidate.sentence:
            candidate.sentence = f"{sentence} {candidate.sentence}" if before else f"{candidate.sentence} {sentence}"
