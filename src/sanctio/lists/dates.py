"""Dates as the Official Journal prints them, read into FtM's ISO dates.

The EU annexes write ``2.10.2020``, ``20 March 2022``, ``1 Jan. 1961``, ``March 1965``,
``1954``, lists of alternatives (``(a) 1.1.1964, (b) 1955``, ``1966 or 1967``) and
approximations (``circa 1973``). Every date found is returned at the precision given
(``2020-10-02``, ``1965-03``, ``1954``). A day-month-year that is not a real date
(``31.2.2020``) or digits that are no recognisable date are an error, so a typo in a
list never turns silently into a wrong birth date. Dates marked as Hijri-calendar
are left out: FtM dates are Gregorian.
"""

from __future__ import annotations

import re

from sanctio.model.types import is_partial_date

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

_MONTH = "(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = [
    re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})(?:\.\s?|\s)(?P<y>\d{4})(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+" + _MONTH.format("mn") + r"\s*(?P<y>\d{4})(?!\d)", re.I),
    re.compile(_MONTH.format("mn") + r"\s+(?P<d>\d{1,2}),\s*(?P<y>\d{4})(?!\d)", re.I),
    re.compile(r"(?<![\w])" + _MONTH.format("mn") + r"\s+(?P<y>\d{4})(?!\d)", re.I),
    re.compile(r"(?<![\d.])(?P<y>\d{4})(?!\d|\.\d|s\b)"),
]
_HIJRI = re.compile(r"[\w.]+\s*\([^)]*hijri[^)]*\)", re.I)
#: Digits that may remain once dates are taken out: decades and stated ages.
_HARMLESS_DIGITS = re.compile(r"\d+s\b|\d+(?:\s*-\s*\d+)?\s+years?\s+old", re.I)


class DateError(ValueError):
    """Text that looks like a date but is not a valid one."""


def parse_dates(text: str) -> list[str]:
    """Every date in ``text`` as an ISO string, in order, without repeats.

    Raises DateError for an impossible date or for digits that form no date.
    """
    remaining = _HIJRI.sub(" ", text)
    found: list[tuple[int, str]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(remaining):
            found.append((match.start(), _iso(match, text)))
        remaining = pattern.sub(lambda m: " " * len(m.group(0)), remaining)
    leftover = _HARMLESS_DIGITS.sub(" ", remaining)
    if re.search(r"\d", leftover):
        raise DateError(
            f"expected dates such as 2.10.2020, 20 March 2022 or 1954, got {text.strip()!r}"
        )
    result: list[str] = []
    for _, iso in sorted(found):
        if iso not in result:
            result.append(iso)
    return result


def parse_date(text: str) -> str | None:
    """The single date in ``text`` (None if empty); DateError if there are several."""
    dates = parse_dates(text)
    if len(dates) > 1:
        raise DateError(f"expected one date, got {len(dates)} in {text.strip()!r}")
    return dates[0] if dates else None


def _iso(match: re.Match[str], text: str) -> str:
    """The ISO form of one date found; DateError unless it is a real date in the years
    FtM takes (1000 to 2999: ``0954`` is a typo, not a date)."""
    groups = match.groupdict()
    year = int(groups["y"])
    month = MONTHS[groups["mn"].lower()] if groups.get("mn") else groups.get("m")
    day = groups.get("d")
    if month is None:
        iso = f"{year:04d}"
    elif day is None:
        iso = f"{year:04d}-{int(month):02d}"
    else:
        iso = f"{year:04d}-{int(month):02d}-{int(day):02d}"
    if not is_partial_date(iso):
        raise DateError(
            f"{match.group(0).strip()!r} in {text.strip()!r} is not a valid date "
            "(expected day.month.year such as 2.10.2020, in the years 1000 to 2999)"
        )
    return iso
