"""Validation and cleaning of property values by their FtM type.

A value that does not fit its type is refused with a message that says what was
expected; the readers turn that into an error naming the file, line and column.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import phonenumbers

from sanctio.model.countries import is_country_code

_SPACES = re.compile(r"\s+")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
GENDERS = frozenset({"male", "female", "other"})
_EMAIL = re.compile(r"""^[^@\s"'<>(),;]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$""", re.I)
_URL = re.compile(r"^(?:https?|ftp)://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.I)
#: Longest value FtM accepts for each type (followthemoney.types, ``max_length``).
MAX_LENGTH = {
    "name": 384,
    "identifier": 64,
    "address": 250,
    "string": 1024,
    "text": 65000,
    "phone": 64,
    "email": 250,
    "url": 4096,
}

#: What each type expects, for error messages.
EXPECTED: dict[str, str] = {
    "date": "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
    "country": "a country code such as 'by' (ISO 3166-1 alpha-2, lower case)",
    "name": "a name of at most 384 characters",
    "identifier": "an identifier of at most 64 characters",
    "address": "an address of at most 250 characters",
    "gender": "one of: male, female, other",
    "entity": "an entity id without spaces",
    "email": "an e-mail address such as info@example.org",
    "url": "a web address such as https://example.org",
    "phone": "a phone number with its country code, such as +375 17 222 22 22",
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


@lru_cache(maxsize=8192)
def clean_phone(value: str, regions: tuple[str, ...] = ()) -> str | None:
    """A phone number in E.164 form (+375172222222), trying each region for local numbers."""
    for region in (None, *(r.upper() for r in regions)):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def clean_value(kind: str, value: str) -> str | None:
    """The cleaned value, or None if ``value`` is not a valid ``kind``; empty stays empty.

    The rules are FtM's, so that what we store also validates in FtM tools.
    """
    text = value.strip() if kind == "text" else _SPACES.sub(" ", value).strip()
    if not text:
        return text
    if len(text) > MAX_LENGTH.get(kind, 65000):
        return None
    if kind == "text":
        return text
    if kind == "date":
        return text if is_partial_date(text) else None
    if kind == "country":
        return text.lower() if is_country_code(text.lower()) else None
    if kind == "gender":
        return text.lower() if text.lower() in GENDERS else None
    if kind == "entity":
        return None if " " in text else text
    if kind == "email":
        return text if _EMAIL.match(text) else None
    if kind == "url":
        if "://" not in text:
            text = f"http://{text}"
        return text if _URL.match(text) else None
    if kind == "phone":
        return clean_phone(text)
    return text
