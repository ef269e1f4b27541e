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
#: ASCII digits only: ``\d`` would take other scripts' digits (١٩٥٤), which FtM refuses.
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
GENDERS = frozenset({"male", "female", "other"})
#: FtM's topics (followthemoney.types.TopicType): a closed vocabulary, a test checks it
#: against the library.
TOPICS = frozenset({
    "asset.frozen", "corp.clone", "corp.disqual", "corp.offshore", "corp.public",
    "corp.shell", "crime", "crime.boss", "crime.cyber", "crime.env", "crime.fin",
    "crime.fraud", "crime.terror", "crime.theft", "crime.traffick", "crime.traffick.drug",
    "crime.traffick.human", "crime.war", "debarment", "export.control",
    "export.control.linked", "export.risk", "fin", "fin.adivsor", "fin.bank", "fin.fund",
    "forced.labor", "geo.risk", "gov", "gov.admin", "gov.executive", "gov.financial",
    "gov.head", "gov.igo", "gov.judicial", "gov.legislative", "gov.muni", "gov.national",
    "gov.religion", "gov.security", "gov.soe", "gov.state", "invest.ban", "invest.risk",
    "mare.detained", "mare.shadow", "mare.sts", "mil", "poi", "pol.party", "pol.union",
    "reg.action", "reg.warn", "rel", "role.acct", "role.act", "role.civil", "role.diplo",
    "role.journo", "role.judge", "role.lawyer", "role.lobby", "role.oligarch", "role.pep",
    "role.pep.frmr", "role.pep.intl", "role.pep.natl", "role.pol", "role.rca", "role.spy",
    "sanction", "sanction.control", "sanction.counter", "sanction.linked", "wanted"
})  # fmt: skip
#: FtM's entity ids (followthemoney.types.EntityType): ASCII letters and digits, with
#: '.' and '-' between them.
_ENTITY_ID = re.compile(r"^[0-9a-zA-Z](?:[0-9a-zA-Z.-]*[0-9a-zA-Z])?\Z")
_EMAIL = re.compile(r"""^[^@\s"'<>(),;]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$""", re.I)
#: A web address whose host FtM accepts: dot-separated labels of letters, digits, '-'
#: and '_' (any script), or an IPv4 address; user and port allowed.
_URL = re.compile(
    r"^(?:https?|ftp)://(?:[^\s/?#@]+@)?"
    r"(?:(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]|[0-9]{1,3}(?:\.[0-9]{1,3}){3})"
    r"(?::[0-9]{1,5})?(?:[/?#]\S*)?\Z",
    re.I,
)
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
    "entity": 200,
}

#: What each type expects, for error messages.
EXPECTED: dict[str, str] = {
    "date": "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD, in the years 1000 to 2999",
    "country": "a country code such as 'by' (ISO 3166-1 alpha-2, lower case)",
    "name": "a name of at most 384 characters",
    "identifier": "an identifier of at most 64 characters",
    "address": "an address of at most 250 characters",
    "gender": "one of: male, female, other",
    "topic": "one of FtM's topics, such as sanction or role.pep",
    "entity": "an entity id without spaces: ASCII letters and digits, with '.' or '-' "
    "between them, at most 200 characters",
    "email": "an e-mail address such as info@example.org",
    "url": "a web address such as https://example.org",
    "phone": "a phone number with its country code, such as +375 17 222 22 22",
}


#: The years FtM takes (its dates are read by ``prefixdate``, which refuses others).
YEARS = range(1000, 3000)


def is_partial_date(value: str) -> bool:
    """True for a real calendar date written as FtM writes dates: 1954, 1954-02, 1954-02-28,
    in the years FtM takes (1000 to 2999)."""
    found = _PARTIAL_DATE.match(value)
    if found is None:
        return False
    year, month, day = found.groups()
    if int(year) not in YEARS:
        return False
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
    if kind == "topic":
        return text.lower() if text.lower() in TOPICS else None
    if kind == "entity":
        return text if _ENTITY_ID.match(text) else None
    if kind == "email":
        return text if _EMAIL.match(text) else None
    if kind == "url":
        if "://" not in text:
            text = f"http://{text}"
        return text if _URL.match(text) else None
    if kind == "phone":
        return clean_phone(text)
    return text
