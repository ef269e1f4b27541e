"""Numbers written in words, as digits: "Forty-Four Trading" is "44 Trading", "Third
Street Bank" is "3rd Street Bank" (an ordinal's suffix is dropped: "3 street bank").

Organisations and vessels write a number in words or in digits as it comes; the
scorer then compares the digits. English cardinals and ordinals up to the millions;
persons' names are left alone (``parts.py``: a person's name is never read for them).
"""

from __future__ import annotations

import re

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_UNITS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                  "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
                  "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
                  "nineteenth"]  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

#: word -> (value, kind): "unit" (0-19), "ten" (20, 30 ...), or "scale"
_WORDS: dict[str, tuple[int, str]] = {}
for _value, _word in enumerate(_UNITS):
    _WORDS[_word] = (_value, "unit")
for _value, _word in enumerate(_ORDINAL_UNITS):
    _WORDS[_word] = (_value, "unit")
for _value, _word in enumerate(_TENS):
    if _word:
        _WORDS[_word] = (_value * 10, "ten")
        _WORDS[_word[:-1] + "ieth"] = (_value * 10, "ten")  # twentieth
for _word, _value in _SCALES.items():
    _WORDS[_word] = (_value, "scale")
    _WORDS[_word + "th"] = (_value, "scale")

_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)")


def spelled_numbers(text: str) -> str:
    """A normalized name (lower-case words, single spaces) with every run of number
    words as its digits, and digits' ordinal suffixes dropped."""
    words = text.split()
    if not any(w in _WORDS or w[:1].isdigit() for w in words):
        return text
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if word in _WORDS:
            run.append(word)
            continue
        if run:
            out.extend(_value_of(run))
            run = []
        if word:
            ordinal = _ORDINAL_DIGITS.fullmatch(word)
            out.append(ordinal.group(1) if ordinal else word)
    return " ".join(out)


def _value_of(run: list[str]) -> list[str]:
    """The digits of a run of number words, or the words themselves when they do not
    make one number (a scale word alone: "Hundred Acres" stays)."""
    if all(_WORDS[w][1] == "scale" for w in run):
        return run
    total = current = 0
    for word in run:
        value, kind = _WORDS[word]
        if kind == "scale":
            current = max(current, 1) * value
            if value >= 1000:
                total, current = total + current, 0
        else:
            current += value
    return [str(total + current)]
