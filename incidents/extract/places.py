"""Event places of a sentence: targets not firing positions, the finest level named,
gazetteer matches checked against the report's theatre and its other places.

The geoparser finds names and proposes points; these rules decide which names are
event places in a ceasefire report and repair its likely mistakes (a village
matched in another country, a same-named place far from the others).
"""

from __future__ import annotations

import re

from incidents.extract import rules
from incidents.extract import actor_rules
from incidents.extract.context import Place, ReportContext
from incidents.extract.facts import country_word
from incidents.extract.references import locate_by_reference, locates_previous
from incidents.extract.regex import latin_homoglyphs, lower_same_length, words_of
from incidents.extract.theatre import country_around, fit_theatre
from incidents.geo.namesakes import cohere, is_far
from incidents.geo.toponyms import ADMIN1, ADMIN2, COUNTRY, REGION, SETTLEMENT, Toponym

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


def event_places(
    sentence: str, offset: int, toponyms: list[Toponym], ctx: ReportContext
) -> list[Place]:
    """Event places of one sentence: targets, at the finest level the sentence names."""
    toponyms = _prefer_named_province(toponyms)
    places: list[tuple[Place, int]] = []
    bearing = bool(rules.BEARING.search(sentence))
    previous: tuple[Place, int] | None = None
    for toponym in toponyms:
        start, stop = toponym.start - offset, toponym.end - offset
        if ctx.in_dateline(toponym.start):
            continue  # a dateline's city is never an event place
        before = sentence[max(0, start - 80):start]
        after = sentence[stop:stop + 45]
        best = toponym.best
        if rules.STREET_WORDS.search(toponym.text) or (start < 3 and after.startswith(":")):
            continue  # "Lenin Street"; "Gegharkunik: a patrol ..." is a heading
        if places and rules.DESCRIPTIVE_BEFORE.search(before):
            continue
        if best is not None and best.feature == COUNTRY:
            continue  # a country is a side or a context, not an event place
        if (rules.NOT_EVENT_PLACE_BEFORE.search(before) or rules.VENUE_BEFORE.search(before)
                or rules.SIDE_BEFORE.search(before) or rules.HEARD_AS_FAR_BEFORE.search(before)
                or rules.SPEECH_AFTER.match(after)
                or rules.GROUP_AFTER.match(after) or rules.AGREEMENT_AFTER.match(after)
                or rules.ATTRIBUTE_AFTER.match(after)
                or country_word(toponym.text) or _is_claimant_word(toponym.text)):
            continue  # "talks in Moscow", "Baku said", "Minsk agreements", "the Mission"
        if _VILLAGES_IN_PARENTHESES_AFTER.match(after):
            continue  # "the outskirts of Y (the villages of A and B)": the villages are the places
        if places and (rules.REFERENCE_BEFORE.search(before) or locates_previous(sentence, places[-1][0], offset,
                                                                                   start, best)):
            # "near Shyrokyne, east of Mariupol": Mariupol only says where Shyrokyne is; a village
            # the gazetteer lacks is put near it ("the village of X near the town of Y").
            locate_by_reference(places, toponym, offset, sentence)
            continue
        place = Place(best.name if best else toponym.text, toponym, None)
        level = _level(place, after)
        place.precision = (1 if level == 1 else 3) if best is not None else None  # a district is region-level
        if level == 1 and best is not None and (
                rules.NEAR_BEFORE.search(before) or bearing or rules.PLACE_NEAR_AFTER.match(after)):
            place.precision = 2
        elif level in (2, 3) and best is not None and rules.DIRECTION_OF_BEFORE.search(before):
            place.listed = True  # "a drone strike east of Deir al-Balah": a place of its own, near the district
            place.precision = 2
        place.sector = bool(rules.SECTOR_AFTER.match(after))
        if rules.TARGET_UNITS_BEFORE.search(before):
            place.explicit_target = True
        else:
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
            place.explicit_target = place.explicit_target or previous[0].explicit_target
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
            # "... of Kangarli district and Shahbuz district": a place of its own ("X, Y province" is not)
            place.listed = level > 1 and " and " in f" {between} "
            # "near the villages of Norashen and Chinari": the list shares its role and nearness
            place.firing_position = previous[0].firing_position
            place.explicit_target = place.explicit_target or previous[0].explicit_target
            if place.precision == 1 and (previous[0].precision == 2 or previous[0].precision is None and _near(
                    sentence, previous[0].span[0] - offset)):  # the list began with a name the gazetteer lacks
                place.precision = 2
        previous = (place, level)
        places.append((place, level))
    targets = [(p, lv) for p, lv in places if not p.firing_position]
    context_areas = [p for p, lv in targets if lv in (2, 3) and p.toponym and p.toponym.best
                     and not is_far(p.toponym.best, ctx.anchor)]  # a far province holds none of the villages
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
    if any(not p.sector and lv == 1 for p, lv in targets):
        # "on the Horlivka direction, the enemy shelled Zaitseve": the village is the event place
        targets = [(p, lv) for p, lv in targets if not p.sector]
    finest = min(level for _, level in targets)
    fine = [place for place, level in targets if level == finest]
    chosen = [place for place, level in targets
              if level == finest or place.listed or not any(contains(place, other) for other in fine)]
    for index, place in enumerate(chosen):
        if place.toponym is not None and place.toponym.best is None:
            area = _smallest_region(place.toponym.start, context_areas, ctx)
            if area is not None:
                # A settlement the gazetteer lacks keeps its name and takes the point of the smallest
                # region the report names (precision 3, marked as a fallback, listed for an analyst).
                chosen[index] = Place(place.name, area, 3, fallback=True,
                                      mention=(place.toponym.start, place.toponym.end))
            else:  # "in the town of Xyz in southern Lebanon": unplaced, but in the country named around it
                place.country_code = country_around(sentence, offset, toponyms)
    return chosen


_VILLAGES_IN_PARENTHESES_AFTER = re.compile(r"(?i)^\s*\((?:the\s+)?(?:villages?|settlements?|towns?)\s+of\b")
def _near(sentence: str, start: int) -> bool:
    """Whether the sentence says "near" (or the like) just before a place."""
    return bool(rules.NEAR_BEFORE.search(sentence[max(0, start - 80):start]))


def _smallest_region(position: int, areas: list[Place], ctx: ReportContext) -> Toponym | None:
    """The region an unplaced name lies in: one named with it in the sentence (the next one,
    "X and Y of Z district"), else the finest region the report names (the nearest before it)."""
    if areas:
        after = [a for a in areas if a.toponym.start > position] or areas
        return after[0].toponym
    regions = [t for t in ctx.regions if t.best is not None and t.best.feature in (ADMIN1, ADMIN2)]
    if not regions:
        return None
    finest = min(_LEVEL[t.best.feature] for t in regions)
    regions = [t for t in regions if _LEVEL[t.best.feature] == finest]
    before = [t for t in regions if t.start < position]
    return before[-1] if before else regions[0]


def contains(area: Place, place: Place) -> bool:
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


_WORDS = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"  # up to three words: "Datu Saudi Ampatuan"
_NAME = f"({_WORDS})"
# "A, B, the Xyz mine and C": a site named after a place, listed with places, is a place of the list.
_SITE = r"(?:\s+(?i:mine|station|checkpoint|camp|crossing|base|monument|plant|factory|bridge))?"


_UNKNOWN_PLACE = re.compile(
    r"\b(?i:villages?|settlements?|town|area|direction|outskirts)\s+of\s+(?:the\s+)?" + _NAME + r"|"
    r"\b" + _NAME + r"\s+(?i:village|settlement|sector|valley|town)\b|"
    r"\b(?i:near|towards?)\s+" + _NAME + r"|"
    r"^(?:In|At|Near)\s+" + _NAME + r"(?=\s*,)|"
    r"\(" + _NAME + r"\)\s+(?i:direction|sector|section)\b")  # "in the north-eastern (Xyz) direction"
# Every match of _UNKNOWN_PLACE holds one of these words, or opens the sentence with "In", "At" or
# "Near"; every match of _OBJECT_OF_FIRE one of the next: a sentence with none is not scanned.
_UNKNOWN_PLACE_WORDS = frozenset("villages village settlements settlement town area direction outskirts sector "
                                 "valley near toward towards section".split())
# The object of fire is a place ("mortars hit Xyz"), kept only when the gazetteer places it: the
# geoparser, reading the name without a cue such as "in" or "near", may not have dared to.
_OBJECT_OF_FIRE = re.compile(r"\b(?i:shelled|shelling\s+of|hit|struck|attacked|targeted|bombed|bombarded|"
                             r"fired\s+(?:at|on|upon))\s+(?:the\s+)?" + _NAME)
_OBJECT_OF_FIRE_WORDS = frozenset("shelled shelling hit struck attacked targeted bombed bombarded fired".split())


# "attacked Xyz, north of Y", "shelled Xyz in Y province", "fighting in Xyz, 40 km west of Y": what follows
# says where the name lies, so it is a place even where the gazetteer lacks it (then put by Y, as a fallback).
_IN_NAME = re.compile(r"\b(?i:in|at)\s+(?:the\s+)?" + _NAME)  # "fighting in Xyz, 40 km west of Y"
_LOCATED_AFTER = re.compile(r"\s*,?\s*(?:(?:about\s+)?\d+(?:[.,]\d+)?\s*(?:km|kilomet\w+)\s+)?"
                            r"(?:(?:north|south|east|west)[\w-]*\s+of|near|in|outside)\s+(?:the\s+)?[A-Z]")
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")  # "the ATO zone", "JFO area": a body's initials, not a place
_NATURAL_FEATURE_AFTER = re.compile(r"\s+(?i:river|stream|lake|mountains?|mount|hills?|heights|ridge|forest|canal|dam)\b")
_GENERIC_TAIL = re.compile(r"\s+(?i:village|settlement|sector|valley|district|region|province|area)$")
_NOT_NAMES = frozenset("the line control contact armenian azerbaijani indian pakistani russian ukrainian israeli "
                       "lebanese our their its a an this that these those".split())


def unknown_places(sentence: str, offset: int, toponyms: list[Toponym], ctx: ReportContext) -> list[Toponym]:
    """Names the gazetteer lacks ("the village of Xyz"): kept as written, unplaced; and places
    the geoparser passed over that the sentence says were fired at."""
    extra: list[Toponym] = []
    words = words_of(sentence)
    matches = [(m, next(i for i in range(1, 6) if m.group(i))) for m in _UNKNOWN_PLACE.finditer(sentence)] \
        if not words.isdisjoint(_UNKNOWN_PLACE_WORDS) or sentence.startswith(("In", "At", "Near")) else []
    if not words.isdisjoint(_OBJECT_OF_FIRE_WORDS):
        matches += [(m, 1) for m in _OBJECT_OF_FIRE.finditer(sentence)]
    if "in" in words or "at" in words:
        matches += [(m, 1) for m in _IN_NAME.finditer(sentence)]
    for match, group in matches:
        name = _GENERIC_TAIL.sub("", match.group(group))
        if name.split()[0].lower() in _NOT_NAMES or country_word(name.split()[0]) or _is_claimant_word(name) \
                or _ACRONYM.match(name):
            continue
        if _NATURAL_FEATURE_AFTER.match(sentence, match.end(group)):
            continue  # "the Hasbani river": not a settlement to place an incident at
        start = match.start(group) + offset
        end = start + len(name)
        if any(t.start < end and start < t.end for t in toponyms + extra) or ctx.in_dateline(start):
            continue
        located = bool(_LOCATED_AFTER.match(sentence, match.start(group) + len(name))
                       and not actor_rules.ANY_NON_STATE.search(name))
        if match.re is _IN_NAME and not located:
            continue
        resolved = _resolve_name(name, start, end, ctx)
        if resolved.best is not None or match.re is _UNKNOWN_PLACE or located:
            extra.append(resolved)
    return extra + _list_members(sentence, offset, toponyms + extra, ctx)


_LIST_NEXT = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(" + _WORDS + _SITE + ")"
                        + r"(?=\s*(?:[,.;:)]|$|\b(?:and|or|of|in|on|at|near|with|using|from|by|were|was|came|"
                        + r"(?i:villages|settlements|sectors|areas|districts))\b))")
_LIST_PREVIOUS = re.compile(_NAME + r"\s*,\s*$")


def _list_members(sentence: str, offset: int, known: list[Toponym], ctx: ReportContext) -> list[Toponym]:
    """Names listed with a place ("at A, B, C and D"): a list of places is places, even where the
    geoparser, reading each name alone, did not dare to take one."""
    found: list[Toponym] = []
    taken = sorted(known, key=lambda t: t.start)
    queue = list(taken)
    while queue:
        toponym = queue.pop(0)
        spots = []
        after = _LIST_NEXT.match(sentence, toponym.end - offset)
        if after:
            spots.append((after.start(1), after.group(1)))
        before = _LIST_PREVIOUS.search(sentence, max(0, toponym.start - offset - 40), toponym.start - offset)
        if before:
            spots.append((before.start(1), before.group(1)))
        for position, name in spots:
            words = name.split()
            if words[0].lower() in _NOT_NAMES or country_word(words[0]) or _is_claimant_word(name) \
                    or rules.STREET_WORDS.search(name) or not _LIST_STOP.isdisjoint(w.lower() for w in words):
                continue
            start = position + offset
            end = start + len(name)
            if any(t.start < end and start < t.end for t in taken) or ctx.in_dateline(start):
                continue
            member = _resolve_name(name, start, end, ctx)
            if member.best is None and _names_its_region(sentence, toponym, offset, position, name):
                continue
            found.append(member)
            taken.append(member)
            queue.append(member)
    return found


def _names_its_region(sentence: str, toponym: Toponym, offset: int, position: int, name: str) -> bool:
    """"Ashford, Zorvania, on Monday": an unknown name after a town and a bare comma, with no
    list around them, is the town's province, not a second place."""
    if toponym.best is None or toponym.best.feature != SETTLEMENT or position < toponym.end - offset \
            or sentence[toponym.end - offset:position].strip() != ",":
        return False
    return not (_LIST_NEXT.match(sentence, position + len(name))
                or _LIST_PREVIOUS.search(sentence, max(0, toponym.start - offset - 40), toponym.start - offset))


_LIST_STOP = frozenset("said says reported added noted told according respectively also both january february "
                       "march april may june july august september october november december monday tuesday "
                       "wednesday thursday friday saturday sunday".split())


_PROBE = "near "
MAX_KEPT = 5  # candidates kept for the analyst, as the geoparser keeps them


# Russian and Ukrainian forms of one adjectival place name ("Novoluhansky", "Novoluhanskoye" and
# "Novoluhanske"; "Verkhniotoretske" and "Verkhnotoretske"), tried when a name as written is unknown.
_ENDINGS = ((re.compile(r"(sk|tsk|zk)(?:y|iy|yi|ii|oye|oe|aya|a)$"), r"\1e"),
            (re.compile(r"(ov|ev|yn|in)(?:o|oye|oe|a)$"), r"\1e"), (re.compile(r"nio(?=[a-z])"), "no"))


def _other_spellings(name: str) -> list[str]:
    found = []
    for pattern, replacement in _ENDINGS:
        other = pattern.sub(replacement, latin_homoglyphs(name))
        if other != name and other not in found:
            found.append(other)
    return found


def _resolve_name(name: str, start: int, end: int, ctx: ReportContext) -> Toponym:
    """Ask the geoparser about a name alone: in running text its caution may have skipped it
    (a capitalised word at a sentence start); the theatre check still applies."""
    known = ctx.known_places.get(lower_same_length(name))
    if known is not None:  # "the Sotk gold mine" after "Sotk" was placed earlier in the report
        return Toponym(start, end, name, known.best, list(known.candidates))
    key = lower_same_length(name)
    if key in ctx.unplaced_names:
        return Toponym(start, end, name)
    resolved = Toponym(start, end, name)
    if ctx.geoparser is not None:
        # "near X", not "X" alone: a capitalised word opening a text is only trusted when it
        # is a large place, and these names are villages.
        for spelling in (name, *_other_spellings(name)):
            for found in ctx.geoparser.parse(_PROBE + spelling):
                if found.start == len(_PROBE) and found.end == len(_PROBE) + len(spelling) and found.best is not None:
                    resolved = cohere(fit_theatre([Toponym(start, end, name, found.best, list(found.candidates))],
                                                  ctx.theatre)[0], ctx.anchor, strict=True)
                    break
            if resolved.best is not None:
                break
        # The offline geocoders cannot place it here: the chain's online link, when turned on.
        online = getattr(ctx.geoparser, "geocode_unplaced", None)
        if resolved.best is None and online is not None and ctx.theatre:
            region = _smallest_region(start, [], ctx)
            answer = online(name, sorted(ctx.theatre), region.best.name if region is not None else None)
            if answer is not None:
                resolved = Toponym(start, end, name, answer, [answer, *resolved.candidates][:MAX_KEPT])
    if resolved.best is not None:
        ctx.known_places[key] = resolved  # asked once per report
    else:
        ctx.unplaced_names.add(key)
    return resolved
