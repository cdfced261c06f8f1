"""Incidents from a report: sentences -> candidates -> one incident per type, place and date.

The rules are the design notes' coding conventions ("The incident record"):
several places in a statement give one incident each; several weapons at one
place and day give one incident typed by the heaviest; fire across a line is
placed at the target; a dateline's city is never an event place; totals,
build-ups, reconnaissance, mine-laying, warning shots, accidents and talks give
nothing; a denial in the same report marks the incidents ``disputed``.

Everything is regexes compiled once (:mod:`incidents.extract.rules`) over a
regex sentence split, with one ``geoparser.parse`` call per report, so that
extraction stays far below a millisecond per sentence. The parts:

- :mod:`incidents.extract.sentences`: the sentence split;
- :mod:`incidents.extract.facts`: weapons, casualties, counts, actors, claimants of a sentence;
- :mod:`incidents.extract.theatre`: the countries the report is about;
- :mod:`incidents.extract.places`: which names are event places, checked against the theatre;
- :mod:`incidents.extract.references`: a town named only to say where another place lies;
- :mod:`incidents.extract.candidates`: a sentence's incident candidates, and follow-up sentences;
- :mod:`incidents.extract.record`: a group of candidates -> the output record (and EXTRACTOR_VERSION);
- this module: the report's context (claimant, publication day), the walk over its
  sentences (dates carried forward, denials recorded) and the grouping into incidents.

Actor names follow the convention documented in :mod:`incidents.extract.actor_rules`
(state forces by country name, "Russia-backed forces", "Civilians (Country)").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from incidents import schema
from incidents.extract import rules
from incidents.extract.date_spans import DateSpan
from incidents.extract.date_spans import DAY_PRECISION, default_span, publication_day
from incidents.extract.date_parts import (ANCHOR_DAYS, RELATIVE_TO_STATEMENT, clause_dates, covered_period,
                                          heading_day, read_dates, resolve_date)
from incidents.extract.candidates import (IncidentCandidate, analyse_sentence, another_event, attach_follow_up,
                                          is_background, scene_places)
from incidents.extract.context import Place, ReportContext, SentenceNote
from incidents.extract.facts import claimant_in, country_word
from incidents.extract.places import contains, unknown_places
from incidents.extract.theatre import fit_theatre, give_unplaced_a_country, theatre_of
from incidents.extract.record import identities, incident_record
from incidents.extract.regex import latin_homoglyphs, lower_same_length
from incidents.extract.sentences import split_sentences
from incidents.reports.datelines import dateline_published, find_dateline
from incidents.reports.model import Report
from incidents.geo.namesakes import Aside, centre, is_far
from incidents.geo.toponyms import ADMIN1, ADMIN2, COUNTRY, REGION, Geoparser, Toponym

_QUOTE = re.compile("[\"\u201c\u201d\u00ab\u00bb]")
# Relative windows that count back from the statement's own date.
ROLLING_WINDOW = re.compile(r"(?i)\b(?:night|overnight|24\s+hours|past\s+day|previous\s+day|last\s+day)\b")
# Counted from the date the text last gave: "On 10 March ... A day earlier, ...".
# How many sentences after naming a place a sentence of fire without a place of its own is still there.
SCENE_REACH = 2
DAY_BEFORE = re.compile(r"(?i)\b(?:day\s+(?:earlier|before)|(?:previous|preceding)\s+day)\b")



def _country_named_in(name: str) -> str | None:
    """The country a word of an outlet's name points to ("Azerbaijan MoD", "Armenian Defence Ministry")."""
    return next((country_word(w) for w in re.findall(r"[A-Za-z]+", name) if country_word(w)), None)


def _report_context(report: Report, text: str) -> ReportContext:
    """Who speaks in the report (claimant, its kind and country) and its publication day."""
    published = publication_day(report.published)
    known = published is not None
    if published is None:
        published = datetime.now(timezone.utc).date()
    dateline = find_dateline(text)
    if report.outlet and report.source_type in ("belligerent", "monitor"):
        # A statement's issuer claims what it states, even when it first quotes the other side.
        _, _, country = claimant_in(report.outlet, report)
        if country is None:
            country = _country_named_in(report.outlet)
        if country is None and report.source_type == "belligerent":
            country = claimant_in(text[:600], report)[2]  # "Defence PRO Jammu": the text names the army
        return ReportContext(report, published, known, report.outlet, report.source_type, country,
                             dateline.end if dateline else 0, dateline_start=dateline.start if dateline else 0)
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
        country = _country_named_in(report.outlet)
    return ReportContext(report, published, known, claimed, kind, country, dateline.end if dateline else 0,
                         dateline_start=dateline.start if dateline else 0)


def _statement_anchor(text: str, ctx: ReportContext) -> date | None:
    """The day the whole text was issued, when it shows one shortly before publication: its dateline
    or letterhead ("BAKU, March 10 -"), or a heading ("Statement of the Ministry, 10 March 2022")."""
    line = dateline_published(text, ctx.published.isoformat()) if ctx.dateline_end else None
    if line is not None:
        day = date.fromisoformat(line)
        return day if 0 < (ctx.published - day).days <= ANCHOR_DAYS else None
    heading = [line for line in text[:600].split("\n") if line.strip()][:3]  # a title may come first
    return next((day for line in heading if (day := heading_day(line, ctx.published))), None)


def _undated_span(ctx: ReportContext) -> DateSpan:
    """No date anywhere so far: the statement's own day (its dateline's or heading's), else the
    publication day, or for a monitor's daily report the period it covers (the evening two days
    before publication to the evening before)."""
    if ctx.claimant_type == "monitor" or ctx.report.source_type == "monitor":
        return DateSpan(ctx.published - timedelta(days=2), ctx.published - timedelta(days=1), 1, explicit=False)
    return default_span(ctx.said_on or ctx.published)


def extract(report: Report, geoparser: Geoparser) -> list[dict[str, Any]]:
    """One dict per incident (keys: schema column names plus ``place_candidates``)."""
    return extract_explained(report, geoparser)[0]


def _date_note(span: DateSpan | None, carried: DateSpan | None, effective: DateSpan,
               counted_from: str | None = None) -> str:
    """Where a sentence's date came from, for the explanation."""
    days = effective.start.isoformat() + ("" if effective.start == effective.end else f" to {effective.end.isoformat()}")
    if span is not None and counted_from is not None:
        return f"{days} (\"{span.phrase}\", counted from {counted_from})"
    if span is not None:
        return f"{days} (\"{span.phrase}\")"
    if carried is not None:
        return f"{days} (carried from an earlier sentence)"
    return f"{days} (no date in the text so far: the report's own day)"


def _scene_before(scenes: list[tuple[int, str, int, list[Toponym]]], number: int,
                  ctx: ReportContext) -> list[Place]:
    """The places the latest sentence without fire named (:func:`scene_places`) when it lies at most
    SCENE_REACH sentences back; read only once a sentence needs a scene (most never do)."""
    while scenes and number - scenes[-1][0] <= SCENE_REACH:
        places = scene_places(*scenes[-1][1:], ctx)
        if places:
            return places
        scenes.pop()  # names no scene: the one before may
    return []


def _within(toponyms: list[Toponym], cursor: int, start: int, end: int) -> list[Toponym]:
    """The toponyms inside [start, end), scanning from ``cursor`` and stopping at ``end``
    (they are sorted by start): a scan to the list's end per sentence was quadratic."""
    inside = []
    for index in range(cursor, len(toponyms)):
        toponym = toponyms[index]
        if toponym.start >= end:
            break
        if toponym.start >= start and toponym.end <= end:
            inside.append(toponym)
    return inside


_REFERENCE_BEFORE = re.compile(r"(?i)\b\d{3,}\s*(?:km|kilomet(?:er|re)s?|miles)\b[^.;]{0,40}$")


def _aside(text: str, ctx: ReportContext) -> Aside:
    """Which places say nothing of where the report's events are (the geoparser leaves them out
    when it weighs same-named places): the dateline's city, where the story was filed; a capital
    standing for its government ("Kyiv blamed Moscow"); a venue of talks; a city a distance is
    measured from ("700 km south-east of Kyiv")."""
    answers: dict[tuple[int, int], bool] = {}  # a span is asked about by several passes

    def aside(start: int, end: int) -> bool:
        known = answers.get((start, end))
        if known is not None:
            return known
        before, after = text[max(0, start - 60):start], text[end:end + 30]
        answers[start, end] = answer = ctx.in_dateline(start) or bool(
            _REFERENCE_BEFORE.search(before) or rules.SIDE_BEFORE.search(before)
            or rules.VENUE_BEFORE.search(before) or rules.NOT_EVENT_PLACE_BEFORE.search(before)
            or rules.SPEECH_AFTER.match(after) or rules.GROUP_AFTER.match(after)
            or rules.AGREEMENT_AFTER.match(after))
        return answer
    return aside


def extract_explained(report: Report, geoparser: Geoparser) -> tuple[list[dict[str, Any]], list[SentenceNote]]:
    """The incidents, and per sentence what was found and why it became an incident or not."""
    text = report.text
    ctx = _report_context(report, text)
    aside = _aside(text, ctx)
    # strict: a report tells of one area, and a name it cannot place is better at the region it names
    toponyms = sorted(geoparser.parse(latin_homoglyphs(text), aside, strict=True), key=lambda t: t.start)
    ctx.geoparser = geoparser
    ctx.said_on = _statement_anchor(text, ctx)
    ctx.covers = covered_period(text, ctx.published)
    ctx.theatre = theatre_of(text, toponyms)
    toponyms = fit_theatre(toponyms, ctx.theatre)
    ctx.anchor = centre(toponyms, aside)
    for toponym in toponyms:
        if toponym.best is not None and toponym.best.feature != COUNTRY:
            ctx.known_places.setdefault(lower_same_length(toponym.text), toponym)
            if toponym.best.feature in (ADMIN1, ADMIN2) and not ctx.in_dateline(toponym.start) \
                    and not is_far(toponym.best, ctx.anchor):  # a far region cannot hold the report's villages
                ctx.regions.append(toponym)
    candidates: list[IncidentCandidate] = []
    # A side's own statement denies the other side's claims, never its own.
    records_denials = report.source_type != "belligerent"
    carried: DateSpan | None = None
    past: DateSpan | None = None  # a date long before publication, carried only to the past perfect
    quoted_said_on: date | None = None
    last_sentence_candidates: list[IncidentCandidate] = []
    pending: tuple[int, str, int] | None = None  # (number, text, start) of an incident still without a place
    # sentences without fire that may set the scene of a later one (see _scene_before)
    scenes: list[tuple[int, str, int, list[Toponym]]] = []
    cursor = 0
    for number, (start, end) in enumerate(split_sentences(text)):
        sentence = text[start:end]
        # the dateline's date is the publication's, not the event's
        low, high = max(start, ctx.dateline_start), min(end, ctx.dateline_end)
        dated_text = sentence if low >= high else text[start:low] + " " * (high - low) + text[high:end]
        span, said_here = read_dates(dated_text, ctx.published)
        # A statement made before publication: its "yesterday" and "last night" count from its own day
        # (the dateline's or heading's for the whole text; a "said on 10 March" for the quotes after it).
        said_on = ctx.said_on or (quoted_said_on if _QUOTE.search(sentence) else None)
        counted_from = None
        if span is not None and said_on is not None and RELATIVE_TO_STATEMENT.search(span.phrase):
            span, counted_from = resolve_date(dated_text, said_on), f"{said_on.isoformat()}, the day it was said"
        elif span is not None and carried is not None and carried.explicit and DAY_BEFORE.search(span.phrase):
            span = resolve_date(dated_text, carried.start)  # "a day earlier": before the date last given
            counted_from = f"{carried.start.isoformat()}, the date last given"
        elif span is not None and carried is not None and carried.explicit and ROLLING_WINDOW.search(span.phrase) \
                and 0 < (ctx.published - carried.end).days <= 7:
            # "during the night" in a statement about 2-4 July is a night of that period: a rolling
            # window is anchored to the statement's own date, not to the day it was published.
            span = resolve_date(dated_text, carried.end)
        while cursor < len(toponyms) and toponyms[cursor].end <= start:
            cursor += 1
        inside = _within(toponyms, cursor, start, end)
        denial = rules.DENIAL.search(sentence) if records_denials else None
        if denial and not rules.APPEAL.search(sentence):
            counter = rules.COUNTER_CLAIM.search(sentence, denial.end())
            limit = start + counter.start() if counter else end
            denied_places = [t for t in inside if t.start < limit and not (t.best and t.best.feature == COUNTRY)
                             and not country_word(t.text)]
            named = {lower_same_length(t.text) for t in denied_places}
            named |= {lower_same_length(t.best.name) for t in denied_places if t.best is not None}
            named |= {lower_same_length(t.text) for t in unknown_places(sentence[:limit - start], start, inside, ctx)}
            # Its date only narrows a denial that names places (else it is often the statement's day).
            ctx.denials.append((number, named, span if named else None))
        elif records_denials and rules.COUNTER_ACCUSATION.search(sentence):
            ctx.denials.append((number, set(), None))
        quoted_said_on = said_here or quoted_said_on
        before = past if past is not None and rules.PAST_PERFECT.search(sentence) else carried
        effective = span or before or _undated_span(ctx)
        found, is_incident, reason = analyse_sentence(sentence, start, inside, effective, ctx, number)
        joined = None if found else _placing_start(sentence, number, pending)
        if joined is not None:
            found, is_incident, why = analyse_sentence(text[joined:end], joined, [
                t for t in toponyms[:cursor + len(inside)] if t.start >= joined], effective, ctx, number)
            if found:
                reason = f"read with the sentence before, which it completes: {why}"
        if is_incident and not found and (rules.STRONG_FIRE.search(sentence) or rules.EXPLOSION.search(sentence)) \
                and (scene := _scene_before(scenes, number, ctx)):
            found, is_incident, reason = analyse_sentence(sentence, start, inside, effective, ctx, number,
                                                          scene=scene)
        if found:
            scenes.clear()
        elif not is_incident and inside and not rules.FIRE_TRIGGER.search(sentence):
            scenes.append((number, sentence, start, inside))
        date_note = _date_note(span, before, effective, counted_from)
        for clause_start, clause_end, clause_span in clause_dates(dated_text, ctx.published) if found else ():
            for candidate in found:  # each clause's places take the clause's own date
                if clause_start <= candidate.place.span[0] - start < clause_end and candidate.span != clause_span:
                    candidate.span = clause_span
                    date_note += f"; at {candidate.place.name}: {_date_note(clause_span, None, clause_span)}"
        ctx.notes.append(SentenceNote(number, start, end, reason, date_note, bool(found)))
        if span is not None and (is_incident or not (rules.TALKS.search(sentence) or rules.CUMULATIVE.search(sentence))):
            # a comparison's or a meeting's date is not the next sentence's; a date of the past ("the war
            # began on 7 October") only dates what goes on telling of it ("... had opened fire near X")
            if is_background(span, ctx):
                past = span
            else:
                carried, past = span, None
        if found:
            if pending is not None and number - pending[0] <= 2 and not (found[0].fatalities or found[0].injured):
                # "Three civilians were killed when ... fired. Officials said the dead were from Khuiratta."
                attach_follow_up(pending[1], found[:1], ctx, before=True)
            pending = None
            candidates.extend(found)
            last_sentence_candidates = found
        elif is_incident and last_sentence_candidates and not another_event(sentence, last_sentence_candidates, ctx):
            attach_follow_up(sentence, last_sentence_candidates, ctx)
        elif is_incident:
            # an incident without a place yet (not more of the last one): the next sentences may give it
            pending, last_sentence_candidates = (number, sentence, start), []
        elif not is_incident and "\n" in text[max(0, start - 2):start]:
            last_sentence_candidates = []  # a new paragraph without an incident ends the follow-ups
    # One incident per type, place and date: mentions starting the same day are one incident
    # whose span reaches the latest end.
    groups: dict[tuple[str, str, date], list[IncidentCandidate]] = {}
    for candidate in candidates:
        key = (candidate.category, candidate.place.key, candidate.span.start)
        groups.setdefault(key, []).append(candidate)
    for group in groups.values():
        end = max(c.span.end for c in group)
        if end != group[0].span.end:
            group[0].span = DateSpan(group[0].span.start, end, max(c.span.precision for c in group),
                                     any(c.span.explicit for c in group), group[0].span.phrase)
    kept = _merge_within_report(list(groups.values()), ctx.notes, ctx.dateline_start)
    give_unplaced_a_country([group[0].place for group in kept])
    return [incident_record(group, ctx, identity) for group, identity in zip(kept, identities(kept))], ctx.notes


def _placing_start(sentence: str, number: int, pending: tuple[int, str, int] | None) -> int | None:
    """Where the text starts that a sentence placing the incident just told of completes ("Fire was
    opened twice. The incident occurred near X." reads as one sentence)."""
    if pending is not None and number - pending[0] <= 2 and rules.LOCATES_EVENT.search(sentence):
        return pending[2]
    return None


def _is_area(place: Place) -> bool:
    best = place.toponym.best if place.toponym else None
    return not place.fallback and best is not None and best.feature in (ADMIN1, ADMIN2, REGION)


def _overlap(a: DateSpan, b: DateSpan) -> bool:
    return a.start - timedelta(days=1) <= b.end and b.start - timedelta(days=1) <= a.end


def _set_aside(group: list[IncidentCandidate], notes: list[SentenceNote], why: str) -> None:
    """Say, in the notes of the sentences that named it, why a place gave no incident of its own."""
    for number in sorted({c.index for c in group}):
        if number < len(notes):
            notes[number].decision += f"; {group[0].place.name}: {why}"


def _merge_within_report(groups: list[list[IncidentCandidate]], notes: list[SentenceNote],
                         lede_end: int = 0) -> list[list[IncidentCandidate]]:
    """Frames of one report that tell of the same thing become one:

    - a headline (or a lede before the dateline) with no date of its own joins the dated mention
      of the same place and type in the body; where the body dates incidents of its type at other places (the village
      in the district the headline names), it sums them up and is none of its own;
    - a mention over a week or a month ("twice over the past few days near X") joins the
      mentions of the same place and type the report dates to a day inside it: it sums them up;
    - a region is an incident only when the report places none of its violations: where it
      names places inside the region on those days (or villages it puts at the region), the
      places are the incidents and the region's mention is context.
    """
    dated = {(g[0].category, g[0].place.key): g for g in groups if any(c.span.explicit for c in g)}

    def heading(c: IncidentCandidate) -> bool:
        return not c.span.explicit and (c.index == 0 or c.place.span[0] < lede_end)

    kept = []
    for group in groups:
        twin = dated.get((group[0].category, group[0].place.key))
        if twin is not None and twin is not group and all(heading(c) for c in group):
            for candidate in group:
                candidate.span = twin[0].span
            twin.extend(group)
            continue
        if twin is None and all(heading(c) for c in group) and any(
                g[0].category == group[0].category and any(c.span.explicit for c in g) for g in groups):
            _set_aside(group, notes, "a headline summing up the incidents the report dates, none of its own")
            continue
        kept.append(group)
    days = [g for g in kept if g[0].span.precision == DAY_PRECISION]
    summed = [g for g in kept if g[0].span.precision > DAY_PRECISION and any(
        (d[0].category, d[0].place.key) == (g[0].category, g[0].place.key)
        and g[0].span.start <= d[0].span.start <= g[0].span.end for d in days)]
    for group in summed:
        _set_aside(group, notes, "sums up the incidents the report dates there to a day, none of its own")
    kept = [g for g in kept if not any(g is s for s in summed)]
    finer = [g for g in kept if not _is_area(g[0].place)]
    fallback_regions = {lower_same_length(g[0].place.toponym.text.split()[0]) for g in finer
                        if g[0].place.fallback and g[0].place.toponym}
    result = []
    for group in kept:
        place = group[0].place
        if place.listed:  # "X district and Y district", "east of Z region": named as a place of its own
            result.append(group)
            continue
        inside = [g for g in finer if g is not group and _overlap(g[0].span, group[0].span)
                  and (_is_area(place) and contains(place, g[0].place)
                       or place.toponym is not None and lower_same_length(place.toponym.text.split()[0]) in fallback_regions
                       and not place.fallback and (g[0].place.fallback or _is_area(place)))]
        if not inside:
            result.append(group)
            continue
        _set_aside(group, notes, "context: the report names the places inside it that were hit")
        if any(c.default_sub == schema.SHELLING and rules.SHELLING_WORDS.search(c.sentence) for c in group):
            # "villages of X shelled": the places named inside X with no weapon of their own were
            # shelled (a region's mortars among other weapons say nothing of each place)
            for candidate in (c for g in inside if not any(c.rank or c.weapons for c in g) for c in g):
                candidate.default_sub = schema.SHELLING
    return result
