"""Official Journal dates: examples from the real annexes, and properties over all dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.lists.dates import DateError, parse_date, parse_dates
from sanctio.model.types import is_partial_date

EXAMPLES = {
    "2.10.2020": ["2020-10-02"],
    "1954": ["1954"],
    "20 March 2022": ["2022-03-20"],
    "1 Jan. 1961": ["1961-01-01"],
    "8 Oct.1967": ["1967-10-08"],
    "June 30, 2012": ["2012-06-30"],
    "(Apr. 1963)": ["1963-04"],
    "10.8. 1960": ["1960-08-10"],
    "21.06.2021": ["2021-06-21"],
    "(a) 1.1.1964, (b) 1955": ["1964-01-01", "1955"],
    "1966 or 1967": ["1966", "1967"],
    "1954 or 1955.": ["1954", "1955"],
    "circa 1973": ["1973"],
    "between 1.1.1961 and 31.12.1963": ["1961-01-01", "1963-12-31"],
    "1340 (Iranian Hijri calendar), 1961 (Gregorian calendar)": ["1961"],
    "(a) 19.4.1982, (b) 24.6.1402 (Hijri Calendar)": ["1982-04-19"],
    "Approximately (30-35 years old)": [],
    "1960s-1970s (approx. 60 years old)": [],
}


@pytest.mark.parametrize(("text", "expected"), EXAMPLES.items())
def test_journal_examples(text: str, expected: list[str]) -> None:
    assert parse_dates(text) == expected


@pytest.mark.parametrize("text", ["31.2.2020", "2.13.2020", "30 February 2020", "12/10/20"])
def test_impossible_or_unrecognised_dates_are_errors(text: str) -> None:
    with pytest.raises(DateError, match=text.split()[0].split("/")[0]):
        parse_dates(text)


def test_parse_date_refuses_several() -> None:
    assert parse_date("") is None
    assert parse_date("2.10.2020") == "2020-10-02"
    with pytest.raises(DateError, match="expected one date"):
        parse_date("1966 or 1967")


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))


@given(dates, st.sampled_from(["dmy", "dmy0", "d month y", "d mon. y", "iso"]))
def test_every_real_date_round_trips_in_every_journal_style(day: date, style: str) -> None:
    text = {
        "dmy": f"{day.day}.{day.month}.{day.year}",
        "dmy0": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "d month y": f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
        "d mon. y": f"{day.day} {MONTH_NAMES[day.month - 1][:3]}. {day.year}",
        "iso": day.isoformat(),
    }[style]
    assert parse_dates(text) == [day.isoformat()]


@given(st.lists(dates, min_size=1, max_size=4, unique=True), st.sampled_from([", ", " or ", "; "]))
def test_alternatives_keep_their_order(days: list[date], sep: str) -> None:
    text = sep.join(f"({chr(97 + i)}) {d.day}.{d.month}.{d.year}" for i, d in enumerate(days))
    assert parse_dates(text) == [d.isoformat() for d in days]


@given(st.text(max_size=40))
def test_any_text_gives_valid_dates_or_a_date_error(text: str) -> None:
    try:
        found = parse_dates(text)
    except DateError:
        return
    assert all(is_partial_date(value) for value in found)
