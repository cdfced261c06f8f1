"""The report's theatre: the countries it is about, and gazetteer matches checked against them.

A name matched to a village in a country the report never mentions is most often a false
match ("Yellija" -> Ilidža, Bosnia); the countries come from what the report names (countries,
demonyms, theatre words such as "the Line of Control", provinces), each with the neighbours
across its line of contact.
"""

from __future__ import annotations

import re

from incidents.extract import actor_rules
from incidents.extract.context import Place
from incidents.extract.regex import lower_same_length
from incidents.geo.toponyms import ADMIN1, COUNTRY, Toponym

_WORD = re.compile(r"[a-z\u00e0-\u024f]+")


def theatre_of(text: str, toponyms: list[Toponym]) -> set[str]:
    """Countries the report is about: named countries, demonyms, theatre words, provinces."""
    codes: set[str] = set()
    lowered = lower_same_length(text)
    words = set(_WORD.findall(lowered)) & actor_rules.THEATRE_KEYS.keys()
    words.update(key for key in actor_rules.THEATRE_MULTIWORD if key in lowered)
    for lower in words:
        country = actor_rules.ADJECTIVE_TO_COUNTRY.get(lower) or actor_rules.COUNTRY_NAMES.get(lower)
        if country and country in actor_rules.COUNTRY_CODES:
            codes.add(actor_rules.COUNTRY_CODES[country])
        codes.update(actor_rules.THEATRE_WORDS.get(lower, ()))
    for phrase, phrase_codes in actor_rules.THEATRE_PHRASES.items():
        if phrase in lowered:
            codes.update(phrase_codes)
    named = bool(codes)
    for toponym in toponyms:
        best = toponym.best
        # A province says which country only when nothing else does: "Pakistani troops ... the Uri
        # sector" must not put a Swiss canton's country into the theatre and so confirm it.
        if best is not None and best.country_code and (
                best.feature == COUNTRY or best.feature == ADMIN1 and not named):
            codes.add(best.country_code)
    for code in list(codes):
        codes.update(actor_rules.THEATRE_NEIGHBOURS.get(code, ()))
    return codes


def fit_theatre(toponyms: list[Toponym], theatre: set[str]) -> list[Toponym]:
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


_IN_COUNTRY_BEFORE = re.compile(r"(?i)\bin\s+(?:the\s+)?(?:(?:north|south|east|west|central)\w*(?:[\s-]+\w+ern)?\s+)?$")


def country_around(sentence: str, offset: int, toponyms: list[Toponym]) -> str | None:
    """The country a sentence says its events lie in ("... in southern Lebanon"), when it names one so."""
    codes = {t.best.country_code for t in toponyms if t.best is not None and t.best.feature == COUNTRY
             and _IN_COUNTRY_BEFORE.search(sentence, 0, max(0, t.start - offset))}
    return codes.pop() if len(codes) == 1 else None


def give_unplaced_a_country(places: list[Place]) -> None:
    """A name the gazetteer lacks lies in the country of the report's placed event places, when
    they all lie in one: its incident then counts under that country, and the places page and
    the place picker look for it there."""
    countries = {p.toponym.best.country_code for p in places if p.toponym and p.toponym.best}
    if len(countries) == 1:
        for place in places:
            if (place.toponym is None or place.toponym.best is None) and place.country_code is None:
                place.country_code = next(iter(countries))
