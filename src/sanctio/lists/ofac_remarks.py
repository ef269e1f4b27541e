"""OFAC's remarks, read into FtM facts: shared by the CSV and the XML readers.

OFAC's legacy CSV packs a record's details into one free-text remarks field:
``DOB 29 Jan 1953; POB Slutsk, Belarus; nationality Belarus; Passport AB123 (Belarus)
issued 01 Jan 2010; a.k.a. 'ALPHA UNIT'; Linked To: HIZBALLAH.`` The SDN XML carries
the same details as elements (``dateOfBirthItem``, ``id`` with ``idType``...), and the
XML reader turns each back into the item OFAC would print, so both formats are read
by this one module and give the same properties.

Every item ends up somewhere: a property value (``Fact``), an identity or registration
document, a reference to another record by name (``Linked To:``, an aircraft's
operator), a sanction provision (``Secondary sanctions risk: ...``), or, word for word,
a note. Nothing in a remark fails a list: OFAC's text cannot be corrected by the user,
so what cannot be read is kept as a note instead of being refused or guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sanctio.lists.dates import DateError, parse_date, parse_dates
from sanctio.model import countries_in, country_code
from sanctio.model.types import clean_phone, is_partial_date


@dataclass(frozen=True)
class Fact:
    """One property value of the target, with the remark item it was read from."""

    prop: str
    value: str
    source: str


@dataclass(frozen=True)
class Document:
    """An identity or registration document: ``Passport AB123 (Belarus) issued 2010``."""

    label: str
    prop: str
    number: str
    country: str | None
    issued: str | None
    expires: str | None
    source: str


@dataclass(frozen=True)
class Reference:
    """Another record named in a remark: ``Linked To: X``, an aircraft's operator."""

    kind: str
    name: str
    source: str


@dataclass
class Remarks:
    """What a record's remarks say, sorted by where each item belongs."""

    facts: list[Fact] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    provisions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Remarks) -> None:
        """Add what another item or remarks field says."""
        self.facts.extend(other.facts)
        self.documents.extend(other.documents)
        self.references.extend(other.references)
        self.provisions.extend(other.provisions)
        self.notes.extend(other.notes)

    def values(self, prop: str) -> list[str]:
        """The values read for one property, in order."""
        return [fact.value for fact in self.facts if fact.prop == prop]


#: Identity and registration documents: label as OFAC prints it -> FtM property.
DOCUMENTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "Passport",
            "Diplomatic Passport",
            "Passport Booklet",
            "British National Overseas Passport",
            "Stateless Person Passport",
        ],
        "passportNumber",
    ),
    **dict.fromkeys(
        [
            "National ID No.",
            "National ID Number",
            "National Foreign ID Number",
            "Cedula No.",
            "Identification Number",
            "D.N.I.",
            "C.U.R.P.",
            "C.U.R.P. #",
            "C.U.I.",
            "C.U.I.P.",
            "Personal ID Card",
            "Citizen's Card Number",
            "Turkish Identification Number",
            "Turkish Identificiation Number",
            "Kenyan ID No.",
            "Numero de Identidad",
            "Electoral Registry No.",
            "Credencial electoral",
            "I.F.E.",
            "Birth Certificate Number",
            "Residency Number",
            "Driver's License No.",
            "LE Number",
            "Tazkira National ID Card",
            "Travel Document Number",
            "Moroccan Personal ID No.",
            "Bosnian Personal ID No.",
            "UAE Identification",
            "Stateless Person ID Card",
            "Refugee ID Card",
            "CNP (Personal Numerical Code)",
            "Cartilla de Servicio Militar Nacional",
            "VisaNumberID",
            "N.I.E.",
            "Seafarer's Identification Document",
            "Immigration No.",
            "Pilot License Number",
            "Romanian Permanent Resident CAN",
            "Public Security and Immigration No.",
            "SRE Permit No.",
            "Tarjeta Profesional",
        ],
        "idNumber",
    ),
    "SSN": "socialSecurityNumber",
    **dict.fromkeys(
        [
            "Tax ID No.",
            "R.F.C.",
            "R.F.C. #",
            "RFC",
            "NIT #",
            "RUC #",
            "C.U.I.T.",
            "RIF #",
            "US FEIN",
            "Italian Fiscal Code",
            "RTN",
            "C.I.F.",
            "Fiscal Code",
            "Romanian Tax Registration",
            "Numero Unico de Identificacao Tributaria (NUIT)",
            "Paraguayan tax identification number",
            "RSIN",
        ],
        "taxNumber",
    ),
    "V.A.T. Number": "vatCode",
    "D-U-N-S Number": "dunsCode",
    "SWIFT/BIC": "swiftBic",
    **dict.fromkeys(
        [
            "Registration ID",
            "Registration Number",
            "Company Number",
            "UK Company Number",
            "Commercial Registry Number",
            "Business Registration Document #",
            "Business Registration Number",
            "Business Number",
            "Matricula Mercantil No",
            "Folio Mercantil No.",
            "Certificate of Incorporation Number",
            "Chamber of Commerce Number",
            "Dubai Chamber of Commerce Membership No.",
            "Istanbul Chamber of Comm. No.",
            "C.R. No.",
            "Romanian C.R.",
            "Legal Entity Number",
            "Enterprise Number",
            "Trade License No.",
            "Registered Charity No.",
            "Government Gazette Number",
            "Public Registration Number",
            "Branch Unit Number",
            "United Social Credit Code Certificate (USCCC)",
            "Unified Social Credit Code (USCC)",
            "Central Registration System Number",
            "MSB Registration Number",
            "Afghan Money Service Provider License Number",
            "Tourism License No.",
            "BIK (RU)",
        ],
        "registrationNumber",
    ),
}

#: Items about the sanction itself, not the target: kept as Sanction.provisions.
PROVISIONS = re.compile(
    r"^(?:Additional Sanctions Information -|Secondary sanctions risk:|"
    r"Transactions Prohibited For Persons Owned or Controlled By|CAATSA Section|"
    r"IFCA Determination|Executive Order \d+ (?:Directive Determination|information)|"
    r"(?:Effective|Listing) Date \(|Purchase/Sales For Info)",
    re.IGNORECASE,
)
_ALT = re.compile(r"^alt\.?\s+", re.IGNORECASE)
_DOCUMENT = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(label) for label in sorted(DOCUMENTS, key=len, reverse=True))
    + r")(?![\w.])[:\s]+(?P<rest>.+)$"
)
_DOCUMENT_REST = re.compile(
    r"^(?P<number>.+?)(?:\s*\((?P<country>[^()]+)\))?"
    r"(?:,?\s+issued\s+(?P<issued>.+?))?(?:,?\s+expires\s+(?P<expires>.+?))?$"
)
_QUOTED = re.compile(r"^'(.*)'$|^\"(.*)\"$", re.DOTALL)
_RANGE = re.compile(
    r"^(?:between\s+)?(?P<a>.+?)(?:\s+(?:to|and)\s+|(?<=\d{4})\s*-\s*(?=\d{4}$))(?P<b>.+)$",
    re.IGNORECASE,
)
_APPROXIMATE = re.compile(r"^(?:circa|approximately|approx\.|about|ca\.)\s*", re.IGNORECASE)
_LEI = re.compile(r"^[0-9A-Z]{18}[0-9]{2}$")
#: A range of more years than this keeps only its two ends.
MAX_RANGE_YEARS = 20
_GENDERS = {"male": "male", "female": "female"}


def split_remarks(text: str) -> list[str]:
    """The items of a remarks field: OFAC separates them with ';' and ends with '.'."""
    text = text.strip()
    if text in ("", "-0-"):
        return []
    text = text.removesuffix(".")
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_remarks(text: str) -> Remarks:
    """Every item of a remarks field, read."""
    result = Remarks()
    for item in split_remarks(text):
        result.extend(parse_item(item))
    return result


def parse_item(item: str) -> Remarks:
    """One remark item, read into where it belongs; a note when nothing fits."""
    result = Remarks()
    body = _ALT.sub("", item.strip())
    for pattern, handler in _HANDLERS:
        found = pattern.match(body)
        if found is not None:
            handler(found, item, result)
            return result
    document = _DOCUMENT.match(body)
    if document is not None:
        _document(document.group("label"), document.group("rest"), item, result)
    elif PROVISIONS.match(body):
        result.provisions.append(body)
    else:
        result.notes.append(item)
    return result


def read_dates(text: str) -> list[str]:
    """Dates as OFAC writes them, in ISO form: ``29 Jan 1953``, ``Jan 1960``, ``1954``,
    ``circa 1960`` (the year; FtM has no approximate dates), and ranges ``1960 to 1962``,
    ``between 1960 and 1962``, ``01 Jan 1961 to 31 Dec 1963`` (every year in the range,
    or the month when the range is one whole month).

    Raises DateError for text with digits that form no valid date.
    """
    text = _APPROXIMATE.sub("", text.strip()).rstrip(".")
    found = _RANGE.match(text)
    if found is not None:
        start, end = parse_date(found.group("a")), parse_date(found.group("b"))
        if start is None or end is None:
            raise DateError(f"expected a date at each end of the range {text!r}")
        return date_range(start, end)
    return parse_dates(text)


def date_range(start: str, end: str) -> list[str]:
    """The dates that stand for a range: its month, its years, or its two ends."""
    if end < start:
        raise DateError(f"range from {start} to {end} ends before it starts")
    first, last = int(start[:4]), int(end[:4])
    if start[:7] == end[:7] and len(start) == len(end) == 10:
        year, month = first, int(start[5:7])
        if start[8:] == "01" and int(end[8:]) == calendar.monthrange(year, month)[1]:
            return [start[:7]]
    if last - first > MAX_RANGE_YEARS:
        return [start, end]
    return [str(year) for year in range(first, last + 1)]


def countries(text: str) -> list[str]:
    """Country codes for one country as OFAC names it, or all countries named in it."""
    code = country_code(text.strip())
    return [code] if code else countries_in(text)


def name_in_quotes(text: str) -> str:
    """``'ALPHA UNIT'`` -> ``ALPHA UNIT``: OFAC quotes the names in its remarks."""
    text = text.strip()
    found = _QUOTED.match(text)
    return (found.group(1) or found.group(2) or "") if found else text


def phone_number(text: str) -> str | None:
    """A phone number in E.164 form; OFAC prints them without '+' (``8613314257947``)."""
    text = text.strip()
    digits = re.sub(r"[\s().-]", "", text)
    candidates = [text]
    if digits.startswith("00"):
        candidates.append("+" + digits[2:])
    elif digits.isdigit() and not digits.startswith("0"):
        candidates.append("+" + digits)
    for candidate in candidates:
        number = clean_phone(candidate)
        if number:
            return number
    return None


# -- handlers: each reads one kind of item into ``result`` ------------------------------

Handler = Callable[[re.Match[str], str, Remarks], None]


def _fact(prop: str) -> Handler:
    def handle(found: re.Match[str], item: str, result: Remarks) -> None:
        result.facts.append(Fact(prop, found.group("v").strip(), item))

    return handle


def _dated(prop: str) -> Handler:
    def handle(found: re.Match[str], item: str, result: Remarks) -> None:
        try:
            dates = read_dates(found.group("v"))
        except DateError:
            dates = []
        if not dates:
            result.notes.append(item)
        result.facts.extend(Fact(prop, value, item) for value in dates)

    return handle


def _country(prop: str) -> Handler:
    def handle(found: re.Match[str], item: str, result: Remarks) -> None:
        codes = countries(found.group("v"))
        if not codes:
            result.notes.append(item)
        result.facts.extend(Fact(prop, code, item) for code in codes)

    return handle


def _birth_place(found: re.Match[str], item: str, result: Remarks) -> None:
    place = found.group("v").strip()
    result.facts.append(Fact("birthPlace", place, item))
    country = place_country(place)
    if country:
        result.facts.append(Fact("birthCountry", country, item))


def place_country(place: str) -> str | None:
    """The country a place ends with: ``Slutsk, Belarus`` -> by, ``Wonsan, Korea, North``
    -> kp (OFAC's country names may hold a comma)."""
    parts = place.split(",")
    for start in range(len(parts)):
        code = country_code(",".join(parts[start:]))
        if code:
            return code
    return None


def _gender(found: re.Match[str], item: str, result: Remarks) -> None:
    gender = _GENDERS.get(found.group("v").strip().lower())
    if gender:
        result.facts.append(Fact("gender", gender, item))
    else:
        result.notes.append(item)


def _weak_alias(found: re.Match[str], item: str, result: Remarks) -> None:
    """OFAC lists its weak a.k.a.s (nicknames, generic names) in the remarks (FAQ 123)."""
    name = name_in_quotes(found.group("v"))
    if name:
        result.facts.append(Fact("weakAlias", name, item))
    else:
        result.notes.append(item)


def _reference(kind: str) -> Handler:
    def handle(found: re.Match[str], item: str, result: Remarks) -> None:
        result.references.append(Reference(kind, found.group("v").strip(), item))

    return handle


def _phone(found: re.Match[str], item: str, result: Remarks) -> None:
    number = phone_number(found.group("v"))
    if number:
        result.facts.append(Fact("phone", number, item))
    else:
        result.notes.append(item)


def _document(label: str, rest: str, item: str, result: Remarks) -> None:
    """``NUMBER (Country) issued DATE expires DATE``; what does not parse goes to notes."""
    prop = DOCUMENTS[label]
    found = _DOCUMENT_REST.match(rest.strip())
    if found is None:
        result.notes.append(item)
        return
    number = found.group("number").strip(" #:")
    country_text = found.group("country")
    country = country_code(country_text) if country_text else None
    issued, expires = _one_date(found.group("issued")), _one_date(found.group("expires"))
    readable = (
        (country_text is None or country is not None)
        and (found.group("issued") is None or issued is not None)
        and (found.group("expires") is None or expires is not None)
    )
    if prop == "registrationNumber" and _LEI.match(number):
        prop = "leiCode"
    if not number:
        result.notes.append(item)
        return
    result.documents.append(Document(label, prop, number, country, issued, expires, item))
    if not readable:
        result.notes.append(item)


def _one_date(text: str | None) -> str | None:
    """The one valid date in ``text`` (an FtM date: years 1000 to 2999), else None."""
    if text is None:
        return None
    try:
        found = parse_date(text)
    except DateError:
        return None
    return found if found and is_partial_date(found) else None


def _pattern(label: str) -> re.Pattern[str]:
    """An item that starts with ``label`` (case as OFAC prints it); its value is ``v``."""
    return re.compile(rf"^(?:{label})(?P<v>.*\S.*)$", re.DOTALL)


def _imo(found: re.Match[str], item: str, result: Remarks) -> None:
    result.facts.append(Fact("imoNumber", found.group("v").strip(" ()"), item))


_HANDLERS: list[tuple[re.Pattern[str], Handler]] = [
    (_pattern(r"DOB[:\s]+"), _dated("birthDate")),
    (_pattern(r"POB[:\s]+"), _birth_place),
    (_pattern(r"nationality(?! of)[:\s]+"), _country("nationality")),
    (_pattern(r"citizen(?:ship)?[:\s]+"), _country("citizenship")),
    (_pattern(r"Gender[:\s]+"), _gender),
    (_pattern(r"[afn]\.k\.a\.?[,:\s]+"), _weak_alias),
    (_pattern(r"Linked To[:\s]+"), _reference("linked")),
    (_pattern(r"Aircraft Operator[:\s]+"), _reference("operator")),
    (_pattern(r"Email(?: Address)?[:\s]+"), _fact("email")),
    (_pattern(r"Website[:\s]+"), _fact("website")),
    (_pattern(r"(?=https?://)"), _fact("website")),
    (_pattern(r"(?:Telephone|Phone|PHONE)(?: No\.| Number)?[:\s]+"), _phone),
    (
        _pattern(
            r"(?:Vessel Registration Identification|Company Number|Identification Number|"
            r"International Maritime Organization No\.)[:\s]+(?:IMO[:\s]+)?(?=\(?\d{7}\)?$)"
        ),
        _imo,
    ),
    (_pattern(r"MMSI[:\s]+"), _fact("mmsi")),
    (_pattern(r"Former Vessel Flag[:\s]+"), _country("pastFlags")),
    (_pattern(r"Other Vessel Flag[:\s]+"), _country("flag")),
    (_pattern(r"Other Vessel Type[:\s]+"), _fact("type")),
    (_pattern(r"Other Vessel Call Sign[:\s]+"), _fact("callSign")),
    (_pattern(r"Vessel Year of Build[:\s]+"), _dated("buildDate")),
    (_pattern(r"Aircraft Model[:\s]+"), _fact("model")),
    (_pattern(r"Aircraft Manufacture Date[:\s]+"), _dated("buildDate")),
    (
        _pattern(r"Aircraft (?:Manufacturer's Serial Number \(MSN\)|Serial Identification)\s+"),
        _fact("serialNumber"),
    ),
    (_pattern(r"Aircraft Tail Number[:\s]+"), _fact("registrationNumber")),
    (_pattern(r"Organization Established Date[:\s]+"), _dated("incorporationDate")),
    (_pattern(r"Organization Type[:\s]+"), _fact("sector")),
    (_pattern(r"Nationality of Registration[:\s]+"), _country("jurisdiction")),
    (_pattern(r"(?:Title\s+|Position:\s*|Alternate Title,\s*)"), _fact("position")),
]
