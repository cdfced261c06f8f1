"""Facts of one sentence: weapons, casualties, violation counts, actors and claimants.

Each function reads one sentence with the patterns of :mod:`incidents.extract.rules`
and returns plain values; which place a fact belongs to is decided by the caller
(weapons and casualties carry their position in the sentence for that).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from incidents.extract import rules
from incidents.extract import actor_rules
from incidents import schema
from incidents.extract.context import ReportContext
from incidents.extract.regex import lower_same_length
from incidents.reports.model import Report
from incidents.text.numbers import number_value


def weapons_in(sentence: str) -> list[tuple[int, float, str, str]]:
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


def weapon_summary(weapons: list[tuple[int, float, str, str]]) -> tuple[list[str], float, str | None]:
    """(names lightest first, heaviest rank, its sub-event type)."""
    if not weapons:
        return [], 0.0, None
    names: list[str] = []
    for _, _, name, _ in sorted(weapons, key=lambda w: w[1]):
        if name not in names:
            names.append(name)
    heaviest = max(weapons, key=lambda w: w[1])
    return names, heaviest[1], heaviest[3]


def default_sub_event(sentence: str, report_strikes: str | None = None) -> str:
    """The type of a sentence that names no weapon: shelling words say shelling; a bare "strike"
    is of the kind the report has been telling of (an airstrike in a story about airstrikes, an
    artillery strike in one about shelling), an air or drone strike when it has told of none;
    damage told without the fire that did it ("two houses were damaged in X") is of that kind
    too; any other fire is an armed clash."""
    if rules.SHELLING_WORDS.search(sentence):
        return schema.SHELLING
    if rules.BARE_STRIKE.search(sentence):
        return report_strikes or schema.AIR_DRONE
    if (report_strikes and rules.DAMAGE.search(sentence)
            and not rules.FIRE_TRIGGER.search(rules.DAMAGE.sub(" ", sentence))):
        return report_strikes
    return schema.ARMED_CLASH


@dataclass
class Casualties:
    """Deaths and injuries one phrase states, and where in the sentence it stands."""

    position: int
    killed: int = 0
    injured: int = 0
    civilian: bool = False


def casualties_in(sentence: str) -> list[Casualties]:
    """Every casualty phrase of a sentence, each with its position (to find its place)."""
    # "No one was injured" states no casualty: blank it out (same length, offsets stay valid).
    sentence = rules.NO_CASUALTIES_BLANK.sub(lambda m: " " * len(m.group()), lower_same_length(sentence))
    found: list[Casualties] = []
    seen: list[tuple[int, int]] = []  # disjoint spans, sorted: an overlap test is one bisection
    for pattern, kind in rules.CASUALTY_PATTERNS:
        if kind == "one" and found:
            continue  # "was wounded" only counts when no number was given
        for match in pattern.finditer(sentence):
            before = bisect.bisect_left(seen, (match.end(),))  # spans starting before this one ends
            if before and seen[before - 1][1] > match.start():
                continue
            seen.insert(before, (match.start(), match.end()))
            if kind == "one":
                verb = match.group("verb") or match.group("verb2") or match.group("verb3")
                n: int | None = 1
            else:
                verb = match.group("verb")
                n = number_value(match.group("n")) if match.group("n") not in ("its", "his", "her", "their") else 1
            if n is None or n > 10000:
                continue
            item = Casualties(match.start(), civilian=bool(rules.CIVILIAN.search(match.group(0))))
            if re.match(rules.KILLED + r"|killing|shooting\s+dead|martyred|shahadat", verb):
                item.killed = n
            elif verb in ("wound", "injury") and "fatal" in match.group(0):
                item.killed = n
            else:
                item.injured = n
            # "two soldiers were killed and three wounded", "killed one soldier and wounded three"
            tail = rules.CASUALTY_TAIL.match(sentence, match.end())
            extra = number_value(tail.group("n") or tail.group("n2")) if tail else None
            if tail and extra:
                if re.match(rules.KILLED + "|killing", tail.group("verb") or tail.group("verb2")):
                    item.killed += extra
                else:
                    item.injured += extra
                seen.append((match.end(), tail.end()))
            found.append(item)
    return found


def nearest_place(position: int, starts: list[int]) -> int:
    """Index of the place a phrase belongs to: the next place named after it, else the last before."""
    after = [i for i, start in enumerate(starts) if start >= position]
    if after:
        return after[0]
    return max(range(len(starts)), key=lambda i: starts[i])


def count_in(text: str) -> int | None:
    for pattern in rules.COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            value = number_value(match.group("n"))
            if value is not None and 0 < value < 100000:
                return value
    return None


def actors_in(sentence: str, ctx: ReportContext) -> tuple[str | None, str | None]:
    """(actor1 who fired, actor2 who was targeted) by position and small cue words."""
    mentions: list[tuple[int, str]] = []
    for match in actor_rules.STATE_FORCES.finditer(sentence):
        word = (match.group("adj") or match.group("of") or match.group("poss") or match.group("bare")).lower()
        country = actor_rules.ADJECTIVE_TO_COUNTRY.get(word) or actor_rules.COUNTRY_NAMES.get(word)
        if country:
            mentions.append((match.start(), country))
    if actor_rules.ANY_NON_STATE.search(sentence):
        for pattern, name in actor_rules.NON_STATE_RE:
            for match in pattern.finditer(sentence):
                # a group's own name wins over a state adjective at the same words
                # ("Russian occupation forces" are the Russia-backed forces of Donbas)
                mentions = [(p, n) for p, n in mentions if not match.start() <= p < match.end()]
                mentions.append((match.start(), name))
    for match in actor_rules.FROM_COUNTRY.finditer(sentence):
        # "a missile fired from Lebanon": the side on that territory fired
        mentions.append((match.start("country"), actor_rules.COUNTRY_NAMES[match.group("country").lower()]))
    own = ctx.claimant_country if ctx.claimant_type == "belligerent" else None
    if own:
        for match in actor_rules.OWN_SIDE.finditer(sentence):
            mentions.append((match.start(), own))
        if own in actor_rules.OPPONENTS:
            for match in actor_rules.ENEMY.finditer(sentence):
                mentions.append((match.start(), actor_rules.OPPONENTS[own]))
    if not mentions:
        return None, None
    mentions.sort()
    actor1 = actor2 = None
    for position, name in mentions:
        before = sentence[max(0, position - 30):position]
        rest = sentence[position:]
        if rules.SPEAKER_AFTER.match(rest):
            continue
        head = re.match(r"\S+(?:\s+\S+){0,3}", rest)
        after_name = rest[head.end():] if head else rest
        verb = actor_rules.ATTACK_VERB.search(rest)
        if actor_rules.ACTOR1_BEFORE.search(before):
            role = 1
        elif actor_rules.ACTOR2_BEFORE.search(before) or re.match(r"\S+\s+(?:positions?|posts?)\b", rest):
            role = 2
        elif actor_rules.VICTIM_AFTER.match(rest):
            role = 2
        elif verb is not None and not actor_rules.PASSIVE.match(after_name[:40]):
            role = 1 if verb.start() < 80 else 2
        else:
            role = 2
        if role == 1 and actor1 is None and name != actor2:
            actor1 = name
        elif role == 2 and actor2 is None and name != actor1:
            actor2 = name
    return actor1, actor2


def country_word(word: str) -> str | None:
    word = word.lower()
    return actor_rules.ADJECTIVE_TO_COUNTRY.get(word) or actor_rules.COUNTRY_NAMES.get(word)


def _country_near(text: str, start: int, end: int) -> str | None:
    """The country a body belongs to: "Ministry of Defence of Armenia", "Azerbaijan's MoD"."""
    after = re.match(r"\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?([A-Z]\w+)", text[end:end + 40])
    if after and country_word(after.group(1)):
        return country_word(after.group(1))
    before = re.search(r"([A-Z]\w+)(?:'s|’s)?\s+(?:\w+\s+)?$", text[max(0, start - 30):start])
    if before and country_word(before.group(1)):
        return country_word(before.group(1))
    inside = re.search(r"\b([A-Z]\w+)\b", text[start:end])
    return country_word(inside.group(1)) if inside else None


def claimant_in(text: str, report: Report) -> tuple[str | None, str | None, str | None]:
    """(claimed_by, source_type, claimant country) from a sentence or report opening."""
    match = actor_rules.ANY_CLAIMANT.search(text)
    if match is None or match.lastgroup is None:
        return None, None, None
    _, name, kind = actor_rules.CLAIMANTS[int(match.lastgroup[1:])]
    country = None
    if kind == "belligerent":
        country = _country_near(text, match.start(), match.end()) or actor_rules.CLAIMANT_COUNTRY.get(name)
        if name == "Ministry of Defence" and country:
            name = f"Ministry of Defence of {country}"
        elif name in ("General Staff", "Border Guard Service", "Armed forces") and country:
            name = f"{name} ({country})"
    return name, kind, country
