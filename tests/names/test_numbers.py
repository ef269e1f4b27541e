"""Numbers in words read as digits, for organisations' and vessels' names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.names.numbers import spelled_numbers

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(number: int) -> str:
    """The test's own English spelling of 1..999,999 (the reader's is another)."""
    words = []
    if number >= 1000:
        words += [in_words(number // 1000), "thousand"]
        number %= 1000
    if number >= 100:
        words += [_UNITS[number // 100], "hundred"]
        number %= 100
    if 10 <= number < 20:
        words.append(_TEENS[number - 10])
    else:
        if number >= 20:
            words.append(_TENS[number // 10])
        if number % 10:
            words.append(_UNITS[number % 10])
    return " ".join(w for w in words if w)


@given(st.integers(1, 999_999), st.sampled_from(["trading", "bank", "holdings"]))
def test_a_number_in_words_reads_as_its_digits(number: int, word: str) -> None:
    assert spelled_numbers(f"{in_words(number)} {word}") == f"{number} {word}"
    assert spelled_numbers(f"{word} {in_words(number)}") == f"{word} {number}"


@given(st.lists(st.sampled_from(["acme", "bank", "of", "the", "group", "alpha"]), max_size=5))
def test_names_without_numbers_are_left_alone(words: list[str]) -> None:
    text = " ".join(words)
    assert spelled_numbers(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("third street bank", "3 street bank"), ("3rd street bank", "3 street bank"),
     ("twenty first century", "21 century"), ("hundred acres farm", "hundred acres farm")],
)  # fmt: skip
def test_ordinals_and_lone_scale_words(text: str, expected: str) -> None:
    assert spelled_numbers(text) == expected
