"""Folded regexes: the speed-ups (a group-free scan, the last search kept) find what plain ``re`` finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.extract.regex import FoldedRegex, any_of
from incidents.reports.model import clean_text

ALTERNATIVES = [r"\bmortars?\b", r"\bmortar\s+fire\b", r"\b(?:heavy\s+)?machine[- ]guns?\b", r"\bfire\b", r"\bgun\b"]
PLAIN = re.compile("|".join(f"(?P<t{i}>{a})" for i, a in enumerate(ALTERNATIVES)), re.IGNORECASE)
ANY = any_of(ALTERNATIVES, "t")


def found(matches) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in matches]


@pytest.mark.parametrize("sentence", [
    "Mortar fire and heavy machine-guns near the village.",
    "no weapon named here",
    "MORTARS, a gun, fire, machine guns and Mortar Fire",
    "mortar mortar mortarfire gunfire",
])
def test_any_of_finds_the_leftmost_alternative_in_order(sentence):
    assert found(ANY.finditer(sentence)) == found(PLAIN.finditer(sentence))
    first = ANY.search(sentence)
    assert found([first] if first else []) == found(PLAIN.finditer(sentence))[:1]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["mortar", "Mortars", "fire", "machine", "gun", "guns", "heavy", "-", " ", ",",
                                 "\n", "x"]), max_size=30).map("".join))
def test_any_of_matches_as_the_grouped_alternation_does(text):
    assert found(ANY.finditer(text)) == found(PLAIN.finditer(text))


def test_a_repeated_search_answers_for_its_own_text_and_position():
    pattern = FoldedRegex(r"\bfire\b")
    text = "Fire, then fire again."
    assert pattern.search(text).span() == (0, 4)
    assert pattern.search(text, 1).span() == (11, 15)
    assert pattern.search(text).span() == (0, 4)
    assert pattern.search("no shots") is None


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "  ", "\t", "\u00a0", "\u2005", "\u3000", "\n", "\n\n\n", "\r\n",
                                 "\ufeff", "."]), max_size=25).map("".join))
def test_clean_text_leaves_single_spaces_and_short_paragraph_breaks(text):
    cleaned = clean_text(text)
    assert "  " not in cleaned and "\n\n\n" not in cleaned and "\ufeff" not in cleaned
    assert not re.search(r"[\t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]", cleaned)
    assert all(line == line.strip() for line in cleaned.split("\n"))
    assert clean_text(cleaned) == cleaned
