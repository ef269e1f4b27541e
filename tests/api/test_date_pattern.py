"""The published schema's birth-date pattern admits exactly the dates the model takes,
so a client generating requests from the schema (schemathesis, a form) is never refused
a date the schema promised."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sanctio.api.own_models import CALENDAR_DATE_PATTERN
from sanctio.model.types import is_partial_date

PATTERN = re.compile(CALENDAR_DATE_PATTERN)


@given(
    year=st.integers(900, 3100),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    form=st.sampled_from(["year", "month", "day"]),
)
def test_pattern_agrees_with_the_model(year: int, month: int, day: int, form: str) -> None:
    text = {
        "year": f"{year:04d}",
        "month": f"{year:04d}-{month:02d}",
        "day": f"{year:04d}-{month:02d}-{day:02d}",
    }[form]
    assert bool(PATTERN.match(text)) == is_partial_date(text), text


def test_leap_days() -> None:
    assert PATTERN.match("2000-02-29")
    assert PATTERN.match("2024-02-29")
    assert not PATTERN.match("1900-02-29")
    assert not PATTERN.match("2023-02-29")
    assert not PATTERN.match("2004-02-31")
    assert not PATTERN.match("2004-04-31")
