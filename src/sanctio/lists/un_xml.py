"""Reader for the UN Security Council consolidated list in its XML layout.

The UN publishes one file, ``CONSOLIDATED_LIST``, with ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` records (schema: https://scsanctions.un.org/resources/xml/en/
consolidated.xml, ``sc-sanctions.xsd``). Each record becomes one target (a Person or a
LegalEntity: the UN does not say what kind of body an entity is), one Sanction, and one
Passport or Identification per numbered document.

Ids come from the UN reference number (``un-CDi.001``): it names the listing in every
UN notice and stays the same across releases. Should a release ever carry a reference
number twice, or none, or one that cannot be an id (characters other than letters,
digits and dots, or longer than 64 characters), those records fall back to the UN's
record number (``un-dataid-6908021``), which is stable too; two records that still
collide are an error, because two people must never share an id.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from sanctio.errors import InputError
from sanctio.lists.dates import DateError, parse_dates
from sanctio.lists.fitting import country_codes, put_or_note
from sanctio.lists.parsed import MAX_RECORD_ID, ParsedList, name_too_long
from sanctio.lists.xmlfile import parse_xml, source_line
from sanctio.model import Entity, InvalidValueError
from sanctio.model.types import is_partial_date

FORMAT = "un-xml"
LIST_NAME = "un-sc-consolidated"
AUTHORITY = "United Nations Security Council"
SOURCE_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
#: A range of birth years wider than this keeps only its ends (and a note).
MAX_YEAR_RANGE = 20

_ROOT = re.compile(rb"<CONSOLIDATED_LIST[\s>/]")
#: A date, with the time or time zone the UN sometimes adds (2015-07-01-04:00).
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:?\d{2})?$")
_YEAR = re.compile(r"^[0-9]{4}\Z")
#: A REFERENCE_NUMBER that can be part of an id (CDi.001, QDe.115).
_REFERENCE = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z.]*[0-9A-Za-z])?")
_DATAID = re.compile(r"[0-9]+")
#: QUALITY -> the FtM property the alias goes into.
_ALIAS_PROPERTY = {
    "good": "alias",
    "a.k.a": "alias",
    "low": "weakAlias",
    "f.k.a": "previousName",
    "": "alias",
}
_GENDERS = {"male": "male", "female": "female"}


def detect(head: bytes, path: Path) -> bool:
    """True when the file's root element is the UN's CONSOLIDATED_LIST."""
    return bool(head) and _ROOT.search(head) is not None


def read(path: Path) -> ParsedList:
    """Every INDIVIDUAL and ENTITY as entities; InputError names the line of bad input."""
    root = parse_xml(path)
    if root.tag != "CONSOLIDATED_LIST":
        raise InputError(
            path, f"root element <{root.tag}>; expected <CONSOLIDATED_LIST>", source_line(root)
        )
    records = [*root.iterfind("INDIVIDUALS/INDIVIDUAL"), *root.iterfind("ENTITIES/ENTITY")]
    if not records:
        raise InputError(
            path, "no INDIVIDUAL or ENTITY records; expected at least one", source_line(root)
        )
    entities: list[Entity] = []
    for record, entity_id in zip(records, entity_ids(path, records), strict=True):
        entities.extend(_Record.build(path, record, entity_id))
    return ParsedList(LIST_NAME, FORMAT, path, entities)


def text(element: etree._Element, path: str) -> str:
    """The stripped text at ``path`` below ``element`` ('' when absent), spaces collapsed."""
    found = element.findtext(path)
    return re.sub(r"\s+", " ", found).strip() if found else ""


def texts(element: etree._Element, path: str) -> list[str]:
    """Every non-empty text at ``path`` below ``element``, spaces collapsed."""
    values = (re.sub(r"\s+", " ", e.text or "").strip() for e in element.iterfind(path))
    return [v for v in values if v]


def assemble_name(parts: list[str]) -> str:
    """The listed name from its parts, in the UN's order, one space between words."""
    return " ".join(" ".join(parts).split())


def entity_ids(path: Path, records: list[etree._Element]) -> list[str]:
    """Each record's id: ``un-<REFERENCE_NUMBER>``, else ``un-dataid-<DATAID>``."""
    refs = Counter(_reference(r) for r in records)
    ids: list[str] = []
    made_on: dict[str, int | None] = {}
    for record in records:
        ref = _reference(record)
        usable = _REFERENCE.fullmatch(ref) is not None and len(ref) <= MAX_RECORD_ID
        dataid = re.sub(r"\s+", "", text(record, "DATAID"))
        if usable and refs[ref] == 1:
            entity_id = f"un-{ref}"
        elif _DATAID.fullmatch(dataid) and len(dataid) <= MAX_RECORD_ID:
            entity_id = f"un-dataid-{dataid}"
        else:
            if not ref:
                why = "no reference"
            elif not usable:
                why = f"reference number {ref[:24]!r} cannot be an id"
            else:
                why = f"reference number {ref!r} occurs {refs[ref]} times"
            dataid_problem = (
                f"DATAID {dataid[:24]!r} is no record number" if dataid else "no DATAID"
            )
            raise InputError(
                path,
                f"{why} and {dataid_problem}; expected a unique REFERENCE_NUMBER (letters, "
                f"digits and dots) or a DATAID (digits), of at most {MAX_RECORD_ID} characters",
                source_line(record),
            )
        if entity_id in made_on:
            raise InputError(
                path,
                f"id {entity_id} was already made from line {made_on[entity_id]}; "
                "expected each REFERENCE_NUMBER and DATAID once",
                source_line(record),
            )
        made_on[entity_id] = source_line(record)
        ids.append(entity_id)
    return ids


def _child(element: etree._Element, tag: str) -> etree._Element:
    """The child ``tag`` (for its line number), or ``element`` itself when absent."""
    found = element.find(tag)
    return element if found is None else found


def _reference(record: etree._Element) -> str:
    return re.sub(r"\s+", "", text(record, "REFERENCE_NUMBER"))


class BirthDateError(ValueError):
    """A date field that is not a date: ``tag`` names the field, ``line`` its line."""

    def __init__(self, message: str, tag: str, line: int | None = None) -> None:
        super().__init__(message)
        self.tag = tag
        self.line = line


def birth_dates(dob: etree._Element) -> tuple[list[str], list[str]]:
    """(ISO dates, notes) for one INDIVIDUAL_DATE_OF_BIRTH.

    EXACT gives DATE or YEAR as written; APPROXIMATELY gives the year and a note saying
    so; BETWEEN gives every year from FROM_YEAR to TO_YEAR, because an FtM date is one
    day, month or year and screening compares a customer's birth year against each (a
    range wider than MAX_YEAR_RANGE keeps only its two ends). A free-text NOTE is kept
    as a note; when there is no structured date it is read for one ("Nov. 1973").
    Raises BirthDateError when a field is no date.
    """
    kind = text(dob, "TYPE_OF_DATE").upper()
    note = text(dob, "NOTE")
    found: list[str] = []
    notes: list[str] = []
    try:
        if value := text(dob, "DATE"):
            found.append(_day(value, "DATE"))
        if value := text(dob, "YEAR"):
            found.append(_year(value, "YEAR"))
        start, end = text(dob, "FROM_YEAR"), text(dob, "TO_YEAR")
        if start or end:
            years, summary = _year_range(start or end, end or start)
            found.extend(years)
            notes.append(summary)
    except BirthDateError as exc:
        raise BirthDateError(str(exc), exc.tag, source_line(_child(dob, exc.tag))) from None
    if kind == "APPROXIMATELY" and found:
        notes.append(f"birthDate {', '.join(found)}: approximately")
    if note:
        if not found:
            found.extend(_dates_in_note(note))
        notes.append(f"birthDate: {note}")
    return found, notes


def _day(value: str, field_name: str) -> str:
    match = _ISO_DAY.match(value)
    try:
        if match is None:
            raise ValueError
        day = date(*(int(g) for g in match.groups())).isoformat()
        if not is_partial_date(day):  # a year FtM does not take
            raise ValueError
        return day
    except ValueError:
        message = f"<{field_name}> {value!r}; expected a date as YYYY-MM-DD"
        raise BirthDateError(message, field_name) from None


def _year(value: str, field_name: str) -> str:
    if not _YEAR.match(value) or not is_partial_date(value):
        message = f"<{field_name}> {value!r}; expected a year such as 1971"
        raise BirthDateError(message, field_name)
    return value


def _year_range(start: str, end: str) -> tuple[list[str], str]:
    first, last = int(_year(start, "FROM_YEAR")), int(_year(end, "TO_YEAR"))
    if last < first:
        message = f"<FROM_YEAR> {start} is after <TO_YEAR> {end}; expected FROM_YEAR <= TO_YEAR"
        raise BirthDateError(message, "FROM_YEAR")
    years = [first, last] if last - first > MAX_YEAR_RANGE else range(first, last + 1)
    return [f"{y:04d}" for y in years], f"birthDate: between {first} and {last}"


def _dates_in_note(note: str) -> list[str]:
    """Dates a note states; only the years when it gives a span ("Between Aug. and Sep.")."""
    try:
        found = parse_dates(note)
    except DateError:
        return []
    if re.search(r"\b(between|or|and)\b", note, re.I):
        return list(dict.fromkeys(d[:4] for d in found))
    return found


@dataclass
class _Record:
    """One INDIVIDUAL or ENTITY being turned into entities, with what did not fit."""

    path: Path
    element: etree._Element
    target: Entity
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Entity] = field(default_factory=dict)

    @classmethod
    def build(cls, path: Path, element: etree._Element, entity_id: str) -> list[Entity]:
        person = element.tag == "INDIVIDUAL"
        name = assemble_name([text(element, part) for part in NAME_PARTS])
        if not name:
            raise InputError(
                path,
                f"<{element.tag}> without a name; expected FIRST_NAME (to FOURTH_NAME)",
                source_line(element),
            )
        if problem := name_too_long(name):
            raise InputError(path, f"<{element.tag}>: {problem}", source_line(element))
        schema = "Person" if person else "LegalEntity"
        record = cls(path, element, Entity.make(schema, entity_id, caption=name, target=True))
        record.put("name", [name], "name")
        record.add_names(name)
        record.add_addresses()
        if person:
            record.add_person_details()
            record.add_documents()
        record.put("topics", ["sanction"], "topics")
        sanction = record.sanction()
        record.add_notes()
        return [record.target, sanction, *record.extra.values()]

    def add_notes(self) -> None:
        """Put the notes gathered while reading on the target (FtM takes 65,000
        characters a note; a longer one is refused rather than cut)."""
        try:
            self.target.add("notes", self.notes)
        except InvalidValueError as exc:
            raise InputError(self.path, f"a note: {exc}", source_line(self.element)) from None

    def fail(self, element: etree._Element, message: str) -> InputError:
        return InputError(self.path, message, source_line(element))

    def put(self, prop: str, values: list[str], label: str, entity: Entity | None = None) -> None:
        """Add what fits ``prop``; keep, word for word, in notes what its type refuses."""
        put_or_note(entity or self.target, prop, values, self.notes, label)

    def countries(self, prop: str, value: str, label: str, entity: Entity | None = None) -> None:
        """Country codes for a country as the UN writes it; unknown ones go to notes."""
        codes = country_codes(value)
        if value and not codes:
            self.notes.append(f"{label}: {value}")
        self.put(prop, codes, label, entity)

    def add_names(self, name: str) -> None:
        """Original-script name and aliases, by their QUALITY (Good, Low, a.k.a., f.k.a.)."""
        self.put("alias", texts(self.element, "NAME_ORIGINAL_SCRIPT"), "NAME_ORIGINAL_SCRIPT")
        for alias in self.element.iterfind(f"{self.element.tag}_ALIAS"):
            alias_name = text(alias, "ALIAS_NAME")
            if not alias_name:
                # the file has hundreds of empty <ALIAS_NAME/> placeholders; what such an
                # alias does say (a note, a date or place of birth) is still the record's
                if note := text(alias, "NOTE"):
                    self.notes.append(f"alias: {note}")
                self.add_birth(alias, "DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")
                continue
            quality = text(alias, "QUALITY").lower().rstrip(".")
            prop = _ALIAS_PROPERTY.get(quality)
            if prop is None:
                expected = "Good, Low, a.k.a. or f.k.a."
                message = f"alias QUALITY {quality!r}; expected {expected}"
                raise self.fail(_child(alias, "QUALITY"), message)
            if alias_name != name:
                self.put(prop, [alias_name], "ALIAS_NAME")
            if note := text(alias, "NOTE"):
                self.notes.append(f"alias {alias_name}: {note}")
            self.add_birth(alias, "DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")

    def add_birth(self, element: etree._Element, day: str, city: str, country: str) -> None:
        """Date and place of birth given with an alias (the identity that alias used)."""
        if value := text(element, day):
            try:
                found = [_day(value, day)] if "-" in value else [_year(value, day)]
            except BirthDateError as exc:
                raise self.fail(_child(element, day), str(exc)) from None
            self.put("birthDate", found, day)
        place = ", ".join(v for v in (text(element, city), text(element, country)) if v)
        self.put("birthPlace", [place] if place else [], "birthPlace")
        self.countries("birthCountry", text(element, country), "birthCountry")

    def add_person_details(self) -> None:
        element = self.element
        self.put("title", texts(element, "TITLE/VALUE"), "TITLE")
        self.put("position", texts(element, "DESIGNATION/VALUE"), "DESIGNATION")
        if gender := text(element, "GENDER"):
            if gender.lower() not in _GENDERS:
                message = f"<GENDER> {gender!r}; expected Male or Female"
                raise self.fail(_child(element, "GENDER"), message)
            self.put("gender", [_GENDERS[gender.lower()]], "gender")
        for value in texts(element, "NATIONALITY/VALUE"):
            self.countries("nationality", value, "nationality")
        for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
            try:
                found, notes = birth_dates(dob)
            except BirthDateError as exc:
                raise InputError(self.path, str(exc), exc.line or source_line(dob)) from None
            self.put("birthDate", found, "birthDate")
            self.notes.extend(notes)
        for place in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
            parts = [text(place, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
            joined = ", ".join(p for p in parts if p)
            self.put("birthPlace", [joined] if joined else [], "birthPlace")
            self.countries("birthCountry", text(place, "COUNTRY"), "birthCountry")
            if note := text(place, "NOTE"):
                self.notes.append(f"birthPlace: {note}")

    def add_addresses(self) -> None:
        for address in self.element.iterfind(f"{self.element.tag}_ADDRESS"):
            parts = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
            joined = ", ".join(v for v in (text(address, t) for t in parts) if v)
            self.put("address", [joined] if joined else [], "address")
            self.countries("country", text(address, "COUNTRY"), "address country")
            if note := text(address, "NOTE"):
                self.notes.append(f"address {joined}: {note}" if joined else f"address: {note}")

    def add_documents(self) -> None:
        """Passports and identity documents: a number on the target (for screening) and
        a Passport or Identification entity with its country, issue date and notes."""
        for doc in self.element.iterfind("INDIVIDUAL_DOCUMENT"):
            number = text(doc, "NUMBER")
            kinds = [
                k for k in (text(doc, "TYPE_OF_DOCUMENT"), text(doc, "TYPE_OF_DOCUMENT2")) if k
            ]
            if not number:
                described = "; ".join([*kinds, text(doc, "NOTE")]).strip("; ")
                if described:
                    self.notes.append(f"document: {described}")
                continue
            passport = any(re.search(r"pass|pasaporte", k, re.I) for k in kinds[:1])
            self.add_document(doc, number, kinds, passport)

    def add_document(
        self, doc: etree._Element, number: str, kinds: list[str], passport: bool
    ) -> None:
        prop = "passportNumber" if passport else "idNumber"
        try:
            self.target.add(prop, number)
        except InvalidValueError:
            self.notes.append(f"document: {'; '.join([*kinds, number, text(doc, 'NOTE')])}")
            return
        schema = "Passport" if passport else "Identification"
        slug = re.sub(r"[^0-9a-z]+", "-", number.lower()).strip("-") or "x"
        doc_id = f"{self.target.id}--{schema.lower()}-{slug}"
        document = self.extra.get(doc_id) or Entity.make(schema, doc_id, caption=number)
        self.extra[doc_id] = document
        document.add("holder", self.target.id)
        document.add("number", number)
        if passport:
            document.add("passportNumber", number)
        self.put("type", kinds[-1:], "document type", document)
        for tag in ("ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"):
            self.countries("country", text(doc, tag), "document country", document)
        if issued := text(doc, "DATE_OF_ISSUE"):
            try:
                document.add("startDate", _day(issued, "DATE_OF_ISSUE"))
            except BirthDateError as exc:
                raise self.fail(_child(doc, "DATE_OF_ISSUE"), str(exc)) from None
        if city := text(doc, "CITY_OF_ISSUE"):
            self.put("summary", [f"Issued in {city}"], "document city", document)
        self.put("summary", [text(doc, "NOTE")], "document note", document)

    def sanction(self) -> Entity:
        """The record's Sanction: the UN regime, reference number, listing date and the
        UN's own comments (COMMENTS1) as the reason."""
        element, target = self.element, self.target
        list_type = text(element, "UN_LIST_TYPE")
        sanction = Entity.make(
            "Sanction", f"{target.id}--sanction", caption=f"UN {list_type or 'sanctions'}"
        )
        sanction.add("entity", target.id)
        sanction.add("authority", AUTHORITY)
        if ref := _reference(element):
            self.put("authorityId", [ref], "REFERENCE_NUMBER", sanction)
            self.put("unscId", [ref], "REFERENCE_NUMBER", sanction)
        if list_type:
            self.put("programId", [f"UN-{list_type}"], "UN_LIST_TYPE", sanction)
            self.put(
                "program", [f"UN Security Council sanctions: {list_type}"], "UN_LIST_TYPE", sanction
            )
        self.put("recordId", [text(element, "DATAID")], "DATAID", sanction)
        self.put("reason", [text(element, "COMMENTS1")], "COMMENTS1", sanction)
        sanction.add("sourceUrl", SOURCE_URL)
        if listed := text(element, "LISTED_ON"):
            try:
                day = _day(listed, "LISTED_ON")
            except BirthDateError as exc:
                raise self.fail(_child(element, "LISTED_ON"), str(exc)) from None
            sanction.add("listingDate", day)
            sanction.add("startDate", day)
        updated = []
        for value in texts(element, "LAST_DAY_UPDATED/VALUE"):
            try:
                updated.append(_day(value, "LAST_DAY_UPDATED"))
            except BirthDateError as exc:
                raise self.fail(_child(element, "LAST_DAY_UPDATED"), str(exc)) from None
        if updated:
            sanction.add("summary", f"Updated by the UN on {', '.join(updated)}")
        return sanction
