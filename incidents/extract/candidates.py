"""Incident candidates of one sentence: one per event place, with its weapons, casualties and actors.

:func:`analyse_sentence` applies the design notes' exclusions (totals, build-ups,
accidents, talks, denied claims, background history) before any place is read, so a
sentence either yields candidates or says why it is no incident; :func:`attach_follow_up`
lets a later sentence without a place ("Two soldiers were wounded.") complete them.
Grouping candidates into incidents is :mod:`incidents.extract.record`'s job.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from incidents import schema
from incidents.extract import rules
from incidents.extract import actor_rules
from incidents.extract.date_spans import DateSpan
from incidents.extract.context import Place, ReportContext
from incidents.extract.facts import (
    actors_in,
    casualties_in,
    claimant_in,
    count_in,
    default_sub_event,
    nearest_place,
    weapon_summary,
    weapons_in,
)
from incidents.extract.places import event_places, unknown_places
from incidents.geo.toponyms import REGION, Toponym

_PHRASE_END = re.compile(r"[,;]|\.\s|\s[-\u2013\u2014]\s")
HISTORY_DAYS = 45  # an event this long before publication is background, not news
EXPLOSION_RANK = 4.9  # explosions heard weigh like mortar fire, below artillery named as such


@dataclass
class IncidentCandidate:
    """One place mention in an incident sentence; candidates of one place and day become one incident."""

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
    denied: bool = False  # a claim the sentence itself denies: kept as claimed, disputed
    collective: bool = False  # its weapons were named for a list of places together, none its own


def is_background(span: DateSpan, ctx: ReportContext) -> bool:
    """Whether a date lies long before publication, outside the period a periodic report covers."""
    return (ctx.published - span.end).days > HISTORY_DAYS and not (ctx.covers and span.start >= ctx.covers.start)


def analyse_sentence(
    sentence: str, offset: int, toponyms: list[Toponym], span: DateSpan, ctx: ReportContext, index_in_report: int = 0,
    scene: list[Place] | None = None,
) -> tuple[list[IncidentCandidate], bool, str]:
    """Candidates of one sentence, whether it describes an incident at all, and why (in an analyst's words).

    ``scene``: the places a sentence just before named without telling of fire ("A patrol was
    positioned 2 km south of X. At 10:35 it heard an explosion."): where this sentence happened
    when it names no place of its own."""
    if not (rules.FIRE_TRIGGER.search(sentence) or rules.EXPLOSION.search(sentence)
            or rules.LOOTING.search(sentence)):
        return [], False, "no word of fire, explosion or looting"
    evidence = sentence  # the exact sentence, even when only a clause of it is read
    cumulative = rules.CUMULATIVE.search(sentence)
    if cumulative:
        # "12 violations in Luhansk region, compared with 18 in the previous period": keep the
        # clause before the comparison; a sentence that opens with a total gives nothing.
        cut = sentence.rfind(",", 0, cumulative.start())
        if cut <= 0 or not rules.FIRE_TRIGGER.search(sentence[:cut]):
            return [], False, f"a total, a comparison or history (\"{cumulative.group(0)}\"), not an event"
        sentence = sentence[:cut]
        toponyms = [t for t in toponyms if t.end <= offset + cut]
    for clause in rules.RELATIVE_CLAUSE.finditer(sentence):
        if not (rules.FIRE_TRIGGER.search(clause.group()) or rules.EXPLOSION.search(clause.group())):
            # "The RSF, which has its headquarters in Nyala, said ...": where a side is, not where fire was
            sentence = _blanked(sentence, clause.start(), clause.end())
            toponyms = _still_named(toponyms, sentence, offset)
    earlier = rules.EARLIER_EVENT.search(sentence)
    if earlier:
        # "Drones hit X on Thursday, days after the sides agreed a truce in Y": the clause from
        # "days after" tells of an earlier event in passing; a sentence only about it gives nothing.
        sentence = _blank_clause_from(sentence, earlier.start())
        toponyms = _still_named(toponyms, sentence, offset)
        if not (rules.FIRE_TRIGGER.search(sentence) or rules.EXPLOSION.search(sentence)):
            return [], False, f"an earlier event told in passing (\"{earlier.group(0)}\"), not this one"
    if not span.explicit and index_in_report > 0 and not rules.PAST_EVENT.search(sentence):
        # (a headline tells its event in the present: "Mortars hit X")
        return [], False, "no date and no verb in the past: a state of affairs, not an event"
    if is_background(span, ctx):
        # background ("hit during fighting in September 2022")
        return [], False, f"background: dated {span.end.isoformat()}, over {HISTORY_DAYS} days before publication"
    accident = rules.ACCIDENT.search(sentence)
    if accident:
        return [], False, f"no violation (\"{accident.group(0)}\")"  # warning shots, accidents, suicides
    denial = rules.DENIAL.search(sentence)
    denied = False
    if denial:
        # What follows "adding that ..." is the other side's counter-claim, an incident of its own;
        # without one, the claim the sentence denies stays an incident as claimed, disputed.
        counter = rules.COUNTER_CLAIM.search(sentence, denial.end())
        if counter is None:
            denied = True
        else:
            cut = counter.start()
            sentence, offset = sentence[cut:], offset + cut
            toponyms = [t for t in toponyms if t.start >= offset]
    fire = rules.FIRE_TRIGGER.search(sentence)
    looting = rules.LOOTING.search(sentence)
    explosion = rules.EXPLOSION.search(sentence)
    if not (fire or looting or explosion):
        return [], False, "the other side's version names no fire"
    no_incident = rules.NO_INCIDENT.search(sentence)
    if no_incident and not rules.STRONG_FIRE.search(rules.NO_INCIDENT.sub(" ", sentence)):
        return [], False, f"not a violation in itself (\"{no_incident.group(0)}\")"
    if no_incident:
        # "the truce held toward X - the enemy fired near Y once": X's clause tells of no event
        sentence = _blank_quiet_clause(sentence, no_incident.start())
        toponyms = _still_named(toponyms, sentence, offset)
    talks = rules.TALKS.search(sentence)
    strong = rules.STRONG_FIRE.search(sentence)
    if talks and (not strong or talks.start() < strong.start()
                  and not rules.CLAUSE_BREAK.search(sentence, talks.end(), strong.start())):
        # "Talks resumed after a week of shelling": a sentence about talks tells of no event.
        return [], False, f"talks or diplomacy (\"{talks.group(0)}\")"
    trigger = fire or explosion or looting
    clause_start = max(sentence.rfind(mark, 0, trigger.start()) for mark in (";", ":", ". "))
    forecast = rules.FORECAST.search(sentence[max(0, clause_start, trigger.start() - 60):trigger.start()])
    if forecast:
        return [], False, f"a warning, forecast or condition (\"{forecast.group(0)}\"), not an event"
    vague = bool(talks) or bool(rules.VAGUE.search(sentence))
    weapon_hits = weapons_in(sentence)
    weapons, rank, heaviest_sub = weapon_summary(weapon_hits)
    if heaviest_sub in (schema.SHELLING, schema.AIR_DRONE):
        ctx.heavy_fire = heaviest_sub
    elif rules.SHELLING_WORDS.search(sentence):
        ctx.heavy_fire = schema.SHELLING
    all_toponyms = toponyms + unknown_places(sentence, offset, toponyms, ctx)
    all_toponyms.sort(key=lambda t: t.start)
    places = event_places(sentence, offset, all_toponyms, ctx)
    from_scene = not places and bool(scene)
    if from_scene:
        places = [replace(p) for p in scene or ()]
    if vague:
        places = [p for p in places if p.precision in (1, 2)]
        if not span.explicit:
            places = []
    count_total = count_in(sentence)
    if count_total is None:
        # "across the Line of Control into Kashmir": a line or a conflict zone is no event place
        # unless the report counts violations there, or names a part of it ("in the north-western
        # part of the X region").
        places = [p for p in places if not (p.toponym and p.toponym.best and p.toponym.best.feature == REGION)
                  or rules.PART_OF_BEFORE.search(sentence, 0, max(0, p.span[0] - offset))]
    elif span.explicit and span.precision >= 2:
        # a weekly or monthly total ("between 22 and 28 September, 412 violations")
        return [], False, f"a total over a week or more ({count_total} violations)"
    if not places:  # (the casualties, category and sides below are read only for a place)
        if denied:
            return [], False, f"a denial (\"{denial.group(0)}\") naming no place: no incident"
        return [], True, "an incident, but no event place named in the sentence"
    casualties = casualties_in(sentence)
    civilian_casualty = any(c.civilian and (c.killed or c.injured) for c in casualties)
    civilian = civilian_casualty or bool(
        (fire or explosion) and rules.CIVILIAN.search(sentence) and rules.CIVILIAN_HIT.search(sentence))
    if looting and not weapons and not (fire and rules.STRONG_FIRE.search(sentence)):
        category = "looting"
    elif (civilian and rank <= 2 and not explosion
          and default_sub_event(sentence, ctx.heavy_fire) == schema.ARMED_CLASH
          and (rules.CIVILIAN_TARGET.search(sentence) or civilian_casualty and rules.FIRE_ON_SETTLEMENT.search(sentence))
          and not rules.MILITARY_TARGET.search(sentence) and not rules.TWO_SIDED.search(sentence)):
        # gunfire or a raid that hit civilians or their homes, with no armed opponent: an attack on them
        category = "civilians"
    else:
        category = "fire"
    claimed, kind, claimant_country = claimant_in(sentence, ctx.report)
    actor1, actor2 = actors_in(sentence, ctx)
    if denied:
        claimed, kind, claimant_country, actor1, actor2 = _denied_claim(claimed, kind, claimant_country,
                                                                        actor1, actor2, ctx)
    candidates = []
    starts = [p.span[0] - offset if p.toponym and not from_scene else 0 for p in places]
    # A weapon belongs to a place of its own clause ("near A and B, the enemy fired mortars, and
    # near C, using tanks"); a clause without a place lends it to the nearest place.
    clauses = _clauses(sentence)
    clause_starts = [start for start, _ in clauses]
    clause_of = [bisect.bisect_right(clause_starts, start) - 1 for start in starts]
    place_weapons: list[list[tuple[int, float, str, str]]] = [[] for _ in places]
    place_killed = [0] * len(places)
    place_hurt = [0] * len(places)
    if places:
        for hit in weapon_hits:
            clause = bisect.bisect_right(clause_starts, hit[0]) - 1
            own = [i for i, c in enumerate(clause_of) if c == clause] or list(range(len(places)))
            place_weapons[own[nearest_place(hit[0], [starts[i] for i in own])]].append(hit)
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
        # "mortars, grenade launchers and machine guns near A, B and C": weapons named for a list of
        # places together are no place's own; each is a clash unless the places are said to be shelled
        # or struck ("targeting them with artillery strikes").
        run = [i for i, c in enumerate(clause_of) if c == clause_of[index]]
        clause = sentence[slice(*clauses[clause_of[index]])]
        collective = (len(run) >= 2 and not (rules.SHELLING_WORDS.search(clause) or rules.BARE_STRIKE.search(clause))
                      and all(rules.LIST_GAP.match(sentence, places[a].span[1] - offset, places[b].span[0] - offset)
                              for a, b in zip(run, run[1:])))
        own_weapons = [hit for i in run for hit in place_weapons[i]] if collective else place_weapons[index]
        names, place_rank, place_sub = weapon_summary(own_weapons or weapon_hits)
        collective = collective and place_sub in (schema.SHELLING, schema.ARMED_CLASH)
        if collective:
            # ... and weigh nothing: the place's own weapons, or its shelling told elsewhere, decide its type
            place_sub, place_rank = schema.ARMED_CLASH, 0.0
        if explosion and place_sub in (None, schema.ARMED_CLASH):
            # "heard bursts of small-arms fire and three explosions": the explosions are the heavier fire
            place_sub, place_rank = schema.SHELLING, max(place_rank, EXPLOSION_RANK)
        candidates.append(IncidentCandidate(
            category=category, place=place, span=span, sentence=evidence, weapons=names, rank=place_rank,
            default_sub=place_sub or default_sub_event(sentence, ctx.heavy_fire), actor1=actor1, actor2=actor2,
            claimed_by=claimed, source_type=kind, claimant_country=claimant_country,
            fatalities=place_killed[index], injured=place_hurt[index],
            civilian=civilian, count=count, vague=vague, index=index_in_report, denied=denied,
            collective=collective and place_rank == 0,
        ))
    what = "a claim this sentence denies (kept, disputed), at " if denied else "an incident at "
    where = "; ".join(_place_reason(p) for p in places)
    return candidates, True, what + (f"the place named just before: {where}" if from_scene else where)


def scene_places(sentence: str, offset: int, toponyms: list[Toponym], ctx: ReportContext) -> list[Place]:
    """The places a sentence without fire names as where its subject is ("the patrol was positioned
    near X", "the situation remains tense near X"): where a following sentence's fire happened
    when that sentence names none. A place given only to locate another is no scene."""
    if rules.LOCATED.search(sentence) or rules.TALKS.search(sentence) or sentence.rstrip()[-1:] not in ".!?\"”’":
        return []  # (a line without end punctuation is a heading or a letterhead, no scene)
    found = sorted(toponyms + unknown_places(sentence, offset, toponyms, ctx), key=lambda t: t.start)
    places = [p for p in event_places(sentence, offset, found, ctx) if not p.firing_position
              and sentence.count("(", 0, p.span[0] - offset) <= sentence.count(")", 0, p.span[0] - offset)]
    # The first place, and those listed with it: a later one only says where it lies ("in X, near Y").
    scene = places[:1]
    for place in places[1:]:
        if not rules.LIST_GAP.match(sentence, scene[-1].span[1] - offset, place.span[0] - offset):
            break
        scene.append(place)
    return [p for p in scene if p.toponym is not None and p.toponym.best is not None]


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """The (start, end) of each clause of a sentence, in order ("..., and ...", "...; ...", "... - ...")."""
    spans, start = [], 0
    for mark in rules.CLAUSE_BREAK.finditer(sentence):
        spans.append((start, mark.start()))
        start = mark.end()
    return spans + [(start, len(sentence))]


def _blanked(sentence: str, start: int, end: int) -> str:
    """The sentence with [start, end) blanked: same length, so offsets stay valid."""
    return sentence[:start] + " " * (end - start) + sentence[end:]


def _still_named(toponyms: list[Toponym], sentence: str, offset: int) -> list[Toponym]:
    """The toponyms a blanked sentence still names."""
    return [t for t in toponyms if sentence[t.start - offset:t.end - offset].strip()]


def _blank_clause_from(sentence: str, position: int) -> str:
    """The sentence blanked from ``position`` to the next comma or clause break (same length, offsets stay valid)."""
    mark = _PHRASE_END.search(sentence, position)
    end = mark.start() if mark else len(sentence)
    return _blanked(sentence, position, end)


def _blank_quiet_clause(sentence: str, position: int) -> str:
    """The sentence with the clause around ``position`` blanked (same length, offsets stay
    valid) when that clause names no fire of its own."""
    clauses = _clauses(sentence)
    start, end = clauses[bisect.bisect_right([s for s, _ in clauses], position) - 1]
    clause = sentence[start:end]
    if rules.FIRE_TRIGGER.search(rules.NO_INCIDENT.sub(" ", clause)) or rules.EXPLOSION.search(clause):
        return sentence
    return _blanked(sentence, start, end)


def _denied_claim(claimed: str | None, kind: str | None, country: str | None, actor1: str | None,
                  actor2: str | None, ctx: ReportContext) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(claimed_by, source type, claimant country, actor1, actor2) of a claim a side denies: the
    claim is the other side's (``claimed_by`` is never the denier) and names the denier as the one who fired."""
    denier = ctx.claimant_country if ctx.claimant_type == "belligerent" else None
    denier = denier or (country if kind == "belligerent" else None)
    if denier is None:
        return claimed, kind, country, actor1, actor2
    other = actor_rules.OPPONENTS.get(denier)
    return other or "The other side", "belligerent", other, denier, other or (actor2 if actor2 != denier else None)


def _place_reason(place: Place) -> str:
    """Why a place is an event place, as an analyst reads it."""
    toponym = place.toponym
    best = toponym.best if toponym else None
    how = {1: "the place itself", 2: "near it", 3: "the region only"}.get(place.precision or 0, "not on the map")
    text = f"{place.name} ({how}"
    if place.fallback and best is not None:
        by = "the region named with it" if place.precision == 3 else "the town it is located by"
        text += f", a place the gazetteer lacks, put at {best.name}, {by}"
    elif best is None:
        # a name with candidates had only namesakes far from the report's other places, or abroad
        if toponym and toponym.candidates:
            other = toponym.candidates[0]
            where = ", ".join(part for part in (other.admin1, other.country_code) if part)
            text += f", only same-named places elsewhere in the gazetteer, such as {other.name} ({where})"
        else:
            text += ", not found in the gazetteer and no region named to put it at"
    if place.firing_position:
        text += ", only the firing position is named"
    return text + ")"


def another_event(sentence: str, previous: list[IncidentCandidate], ctx: ReportContext) -> bool:
    """Whether a sentence without a place tells of another event than the last incident's: what
    came next ("Later that day, drones struck ..."), or the last incident's target firing back."""
    if rules.NEXT_EVENT.search(sentence):
        return True
    actor1, _ = actors_in(sentence, ctx)
    return actor1 is not None and actor1 == previous[0].actor2 != previous[0].actor1


def attach_follow_up(
    sentence: str, previous: list[IncidentCandidate], ctx: ReportContext, before: bool = False
) -> None:
    """A follow-up sentence without a place ("Two soldiers were wounded.") adds to the last incident."""
    casualties = casualties_in(sentence)
    killed = sum(c.killed for c in casualties)
    hurt = sum(c.injured for c in casualties)
    civilian = any(c.civilian for c in casualties) or bool((killed or hurt) and rules.CIVILIAN.search(sentence))
    weapons, rank, sub = weapon_summary(weapons_in(sentence))
    first = previous[0]
    if (civilian and (killed or hurt) and not before and not weapons and first.category == "fire"
            and first.rank <= 2 and first.default_sub == schema.ARMED_CLASH
            and rules.FIRE_ON_SETTLEMENT.search(first.sentence)
            and not (rules.MILITARY_TARGET.search(first.sentence) or rules.TWO_SIDED.search(first.sentence))):
        # "... opened fire on the village of X. A woman was wounded.": gunfire that hit civilians
        for candidate in previous:
            candidate.category = "civilians"
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
