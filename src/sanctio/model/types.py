"""Validation and cleaning of property values by their FtM type.

A value that does not fit its type is refused with a message that says what was
expected; the readers turn that into an error naming the file, line and column.
"""

from __future__ import annotations

import re
from datetime import date

from sanctio.model.countries import is_country_code

_SPACES = re.compile(r"\s+")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
GENDERS = frozenset({"male", "female", "other"})

#: What each type expects, for error messages.
EXPECTED: dict[str, str] = {
    "date": "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
    "country": "a country code such as 'by' (ISO 3166-1 alpha-2, lower case)",
    "gender": "one of: male, female, other",
    "entity": "an entity id without spaces",
}


def is_partial_date(value: str) -> bool:
    """True for a real calendar date written as FtM writes dates: 1954, 1954-02, 1954-02-28."""
    found = _PARTIAL_DATE.match(value)
    if found is None:
        return False
    year, month, day = found.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def clean_value(kind: str, value: str) -> str | None:
    """The cleaned value, or None if ``value`` is not a valid ``kind``; empty stays empty."""
    if kind == "text":
        return value.strip()
    text = _SPACES.sub(" ", value).strip()
    if not text:
        return text
    if kind == "date":
        return text if is_partial_date(text) else None
    if kind == "country":
        return text.lower() if is_country_code(text.lower()) else None
    if kind == "gender":
        return text.lower() if text.lower() in GENDERS else None
    if kind == "entity":
        return None if " " in text else text
    return text
