"""Numbers written as words ("two soldiers", "a serviceman", "dozens"), as reports state them."""

from __future__ import annotations

# Vague quantities take a conventional value: "several"/"a few" 3, "dozens" 12, "hundreds" 100.
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "another": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "dozen": 12, "dozens": 12, "several": 3, "few": 3, "a few": 3, "hundreds": 100, "scores": 20,
    "both": 2, "twice": 2, "once": 1,
}


def number_value(word: str) -> int | None:
    """'two' -> 2, '1,215' -> 1215, 'a' -> 1; None for anything else."""
    word = word.strip().lower()
    if word[:1].isdigit():
        digits = word.replace(",", "")
        return int(digits) if digits.isdigit() else None
    return NUMBER_WORDS.get(word)
