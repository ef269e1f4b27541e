"""The UK Sanctions List (FCDO), shared by its XML and CSV readers.

Since 28 January 2026 the UK Sanctions List is the single UK list (the OFSI
Consolidated List closed). It is published at
https://www.gov.uk/government/publications/the-uk-sanctions-list as XML and CSV with
the same fields. Both readers collect each designation's fields into a
``Designation``; this module turns that into entities, so the two formats give the
same entities for the same content.

Ids are ``uk-<UniqueID>`` (``uk-BEL0001``): the FCDO's designation id, which stays with
a designation across releases and appears on every UK notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists.fitting import country_codes, put_or_note
from sanctio.lists.parsed import ParsedList, name_too_long, record_id
from sanctio.model import Entity, InvalidValueError
from sanctio.model.types import is_partial_date

LIST_NAME = "uk-sanctions-list"
AUTHORITY = "United Kingdom"
SOURCE_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
#: IndividualEntityShip -> schema.
SCHEMATA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
#: AliasStrength -> property for an alias ('' when the list gives none).
ALIAS_STRENGTHS = {
    "good quality a.k.a": "alias",
    "low quality a.k.a": "weakAlias",
    "": "alias",
}
NAME_TYPES = ("primary name", "primary name variation", "alias")
_GENDERS = {"male": "male", "female": "female"}
_UK_DATE = re.compile(r"^([0-9]{1,2}|dd)/([0-9]{1,2}|mm)/([0-9]{4})\Z", re.I)
#: A UniqueID that can be part of an id (BEL0001).
_UNIQUE_ID = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z.-]*[0-9A-Za-z])?")

Value = tuple[str, int | None]
"""A field's text and the line it is on."""


@dataclass
class Name:
    """One name row: its parts Name1..Name6, type and alias strength."""

    parts: tuple[str, ...]
    name_type: str
    strength: str
    line: int | None

    @property
    def full(self) -> str:
        return assemble_name(self.parts)


@dataclass
class Designation:
    """One designation's fields as the list gives them, before any interpretation.

    ``fields`` maps the XML element name (``DOB``, ``Nationality``, ...) to its values;
    records of several parts (passports, places of birth, addresses) are tuples.
    """

    unique_id: str
    line: int | None
    fields: dict[str, list[Value]] = field(default_factory=dict)
    names: list[Name] = field(default_factory=list)
    #: name rows or elements without any name part, reported as warnings
    nameless: list[Name] = field(default_factory=list)
    non_latin: list[Value] = field(default_factory=list)
    records: dict[str, list[tuple[tuple[str, ...], int | None]]] = field(default_factory=dict)

    def add(self, key: str, text: str | None, line: int | None) -> None:
        """Add one value of a field (blank and repeated values are left out)."""
        value = " ".join((text or "").split())
        found = self.fields.setdefault(key, [])
        if value and value not in (v for v, _ in found):
            found.append((value, line))

    def add_record(self, key: str, parts: tuple[str, ...], line: int | None) -> None:
        """Add a record of several parts (e.g. passport number and its details)."""
        cleaned = tuple(" ".join(p.split()) for p in parts)
        found = self.records.setdefault(key, [])
        if any(cleaned) and cleaned not in (r for r, _ in found):
            found.append((cleaned, line))

    def add_non_latin(self, text: str | None, line: int | None) -> None:
        """Add a name in a non-Latin script (blank and repeated ones are left out)."""
        value = " ".join((text or "").split())
        if value and value not in (v for v, _ in self.non_latin):
            self.non_latin.append((value, line))

    def add_name(self, name: Name) -> None:
        """Add a name (a repeat is left out; one without any part is kept aside)."""
        if not name.full:
            self.nameless.append(name)
        elif all(n.full != name.full or n.name_type != name.name_type
                 for n in self.names):  # fmt: skip
            self.names.append(name)

    def first(self, key: str) -> Value:
        values = self.fields.get(key)
        return values[0] if values else ("", self.line)

    def values(self, key: str) -> list[str]:
        return [v for v, _ in self.fields.get(key, [])]


def assemble_name(parts: tuple[str, ...] | list[str]) -> str:
    """A name from Name1..Name6 in order (Name6 is the family or entity name)."""
    return " ".join(" ".join(parts).split())


def parse_uk_date(text: str) -> str:
    """An FCDO date (``24/10/1972``, with ``dd``/``mm`` or ``00`` for an unknown day or
    month: ``dd/mm/1971``) as an ISO date at the precision given. Raises ValueError."""
    value = text.strip()
    if is_partial_date(value) and len(value) == 4:
        return value
    match = _UK_DATE.match(value)
    if match is None:
        raise ValueError(f"date {value!r}; expected dd/mm/yyyy such as 24/10/1972")
    day, month, year = match.groups()
    if not month.isdigit() or int(month) == 0:
        found = year
    elif not day.isdigit() or int(day) == 0:
        found = f"{year}-{int(month):02d}"
    else:
        found = f"{year}-{int(month):02d}-{int(day):02d}"
    if not is_partial_date(found):
        raise ValueError(f"date {value!r} is not a calendar date; expected dd/mm/yyyy")
    return found


def build(path: Path, fmt: str, designations: list[Designation]) -> ParsedList:
    """The entities of a whole list; InputError names the line of bad input."""
    if not designations:
        raise InputError(path, "no designations; expected at least one", 1)
    entities: list[Entity] = []
    warnings: list[str] = []
    made_on: dict[str, int | None] = {}
    for designation in designations:
        if not _UNIQUE_ID.fullmatch(designation.unique_id):
            raise InputError(
                path,
                f"UniqueID {designation.unique_id[:24]!r}; expected letters and digits "
                "such as BEL0001",
                designation.line,
            )
        record_id(path, designation.unique_id, "UniqueID", designation.line)
        entity_id = f"uk-{designation.unique_id}"
        if entity_id in made_on:
            raise InputError(
                path,
                f"UniqueID {designation.unique_id} also on line {made_on[entity_id]}; "
                "expected each designation once",
                designation.line,
            )
        made_on[entity_id] = designation.line
        entities.extend(_Builder.build(path, designation, entity_id))
        warnings.extend(
            f"{path}, line {name.line}: {name.name_type or 'name'} of {designation.unique_id} "
            "without a name (Name1 to Name6 empty); skipped"
            for name in designation.nameless
        )
    return ParsedList(LIST_NAME, fmt, path, entities, warnings)


@dataclass
class _Builder:
    """One designation being turned into entities, with what did not fit."""

    path: Path
    designation: Designation
    target: Entity
    notes: list[str] = field(default_factory=list)
    documents: dict[str, Entity] = field(default_factory=dict)

    @classmethod
    def build(cls, path: Path, designation: Designation, entity_id: str) -> list[Entity]:
        kind, line = designation.first("IndividualEntityShip")
        schema = SCHEMATA.get(kind.lower())
        if schema is None:
            raise InputError(
                path,
                f"designation type {kind!r}; expected Individual, Entity or Ship",
                line,
            )
        caption = _primary(path, designation)
        builder = cls(
            path, designation, Entity.make(schema, entity_id, caption=caption, target=True)
        )
        builder.add_names(caption)
        builder.add_common()
        if schema == "Person":
            builder.add_person()
        elif schema == "Vessel":
            builder.add_ship()
        else:
            builder.add_organization()
        builder.put("topics", ["sanction"], "topics")
        sanction = builder.sanction()
        builder.add_notes()
        return [builder.target, sanction, *builder.documents.values()]

    def add_notes(self) -> None:
        """Put the notes gathered while reading on the target (FtM takes 65,000
        characters a note; a longer one is refused rather than cut)."""
        try:
            self.target.add("notes", self.notes)
        except InvalidValueError as exc:
            raise InputError(self.path, f"a note: {exc}", self.designation.line) from None

    def fail(self, line: int | None, message: str) -> InputError:
        return InputError(self.path, message, line)

    def put(self, prop: str, values: list[str], label: str, entity: Entity | None = None) -> None:
        """Add what fits ``prop``; keep, word for word, in notes what its type refuses."""
        put_or_note(entity or self.target, prop, values, self.notes, label)

    def countries(self, prop: str, value: str, label: str, entity: Entity | None = None) -> None:
        codes = country_codes(value)
        if value and not codes:
            self.notes.append(f"{label}: {value}")
        self.put(prop, codes, label, entity)

    def add_names(self, caption: str) -> None:
        """Primary name, its variations and aliases by strength, non-Latin spellings."""
        person = self.target.schema.is_a("Person")
        self.put("name", [caption], "name")
        for name in self.designation.names:
            kind = name.name_type.lower()
            if kind == "primary name" and name.full == caption:
                if person:
                    self.put("firstName", list(name.parts[:1]), "Name1")
                    self.put("lastName", list(name.parts[5:6]), "Name6")
                continue
            strength = name.strength.lower().rstrip(".")
            if strength not in ALIAS_STRENGTHS:
                expected = "Good quality a.k.a or Low quality a.k.a"
                raise self.fail(name.line, f"alias strength {name.strength!r}; expected {expected}")
            prop = "alias" if kind.startswith("primary") else ALIAS_STRENGTHS[strength]
            self.put(prop, [name.full], "name")
        self.put("alias", [v for v, _ in self.designation.non_latin], "non-Latin name")

    def add_common(self) -> None:
        """Fields every kind of designation may have: addresses, contacts, other info."""
        for (lines, postal, country), _ in self.designation.records.get("Address", []):
            full = ", ".join(p for p in (lines, postal, country) if p)
            self.put("address", [full] if full else [], "address")
            self.countries("country", country, "address country")
        contacts = (("PhoneNumber", "phone"), ("EmailAddress", "email"), ("Website", "website"))
        for key, prop in contacts:
            if self.target.schema.get(prop) is None:
                self.notes.extend(f"{prop}: {v}" for v in self.designation.values(key))
                continue
            for value in self.designation.values(key):
                parts = re.split(r"[;\s]+", value) if prop == "email" else [value]
                self.put(prop, [p for p in parts if p], prop)
        self.notes.extend(self.designation.values("OtherInformation"))

    def add_person(self) -> None:
        designation = self.designation
        self.put("title", designation.values("Title"), "title")
        self.put("position", designation.values("Position"), "position")
        for value, line in designation.fields.get("DOB", []):
            try:
                self.put("birthDate", [parse_uk_date(value)], "DOB")
            except ValueError as exc:
                raise self.fail(line, f"DOB: {exc}") from None
        for value in designation.values("Nationality"):
            self.countries("nationality", value, "nationality")
        for value, line in designation.fields.get("Gender", []):
            if value.lower() not in _GENDERS:
                raise self.fail(line, f"gender {value!r}; expected Male or Female")
            self.put("gender", [_GENDERS[value.lower()]], "gender")
        for (town, country), _ in designation.records.get("BirthLocation", []):
            place = ", ".join(p for p in (town, country) if p)
            self.put("birthPlace", [place] if place else [], "birthPlace")
            self.countries("birthCountry", country, "country of birth")
        for key, schema in (("Passport", "Passport"), ("NationalIdentifier", "Identification")):
            for (number, info), _ in designation.records.get(key, []):
                self.document(schema, number, info)

    def document(self, schema: str, number: str, info: str) -> None:
        """A number on the target (what screening compares) and a Passport or
        Identification entity with the list's additional information."""
        if not number:
            if info:
                self.notes.append(f"{schema.lower()}: {info}")
            return
        prop = "passportNumber" if schema == "Passport" else "idNumber"
        try:
            self.target.add(prop, number)
        except InvalidValueError:
            self.notes.append(f"{schema.lower()}: {'; '.join(p for p in (number, info) if p)}")
            return
        slug = re.sub(r"[^0-9a-z]+", "-", number.lower()).strip("-") or "x"
        doc_id = f"{self.target.id}--{schema.lower()}-{slug}"
        doc = self.documents.setdefault(doc_id, Entity.make(schema, doc_id, caption=number))
        doc.add("holder", self.target.id)
        doc.add("number", number)
        if schema == "Passport":
            doc.add("passportNumber", number)
        self.put("summary", [info] if info else [], f"{schema.lower()} information", doc)

    def add_organization(self) -> None:
        designation = self.designation
        self.put("legalForm", designation.values("TypeOfEntity"), "type of entity")
        reg = designation.values("BusinessRegistrationNumber")
        self.put("registrationNumber", reg, "business registration number")
        self.notes.extend(f"parent company: {v}" for v in designation.values("ParentCompany"))
        self.notes.extend(f"subsidiary: {v}" for v in designation.values("Subsidiary"))

    def add_ship(self) -> None:
        designation = self.designation
        self.put("imoNumber", designation.values("IMONumber"), "IMO number")
        self.put("registrationNumber", designation.values("HIN"), "hull identification number")
        self.put("type", designation.values("TypeOfShip"), "type of ship")
        self.put("tonnage", designation.values("TonnageOfShip"), "tonnage")
        self.put("buildDate", designation.values("YearBuilt"), "year built")
        for value in designation.values("CurrentBelievedFlagOfShip"):
            self.countries("flag", value, "flag")
        for value in designation.values("PreviousFlag"):
            self.countries("pastFlags", value, "previous flag")
        labels = {
            "CurrentOwnerOperator": "current owner/operator",
            "PreviousOwnerOperator": "previous owner/operator",
            "LengthOfShip": "length",
        }
        for key, label in labels.items():
            self.notes.extend(f"{label}: {v}" for v in designation.values(key))

    def sanction(self) -> Entity:
        """The Sanction: regime, measures imposed, statement of reasons, dates, ids."""
        designation, target = self.designation, self.target
        regime = designation.first("RegimeName")[0]
        sanction = Entity.make("Sanction", f"{target.id}--sanction", caption=regime or "UK")
        sanction.add("entity", target.id)
        sanction.add("authority", AUTHORITY)
        sanction.add("authorityId", designation.unique_id)
        self.put("unscId", designation.values("UNReferenceNumber"), "UN reference", sanction)
        self.put("program", [regime], "regime", sanction)
        if prefix := re.match(r"[A-Za-z]+", designation.unique_id):
            self.put("programId", [f"UK-{prefix.group(0).upper()}"], "programme", sanction)
        for measures in designation.values("SanctionsImposed"):
            provisions = [m.strip() for m in measures.split("|")]
            self.put("provisions", provisions, "sanctions imposed", sanction)
        reasons = "\n\n".join(designation.values("UKStatementofReasons"))
        self.put("reason", [reasons], "statement of reasons", sanction)
        self.put("recordId", designation.values("OFSIGroupID"), "OFSI group id", sanction)
        sanction.add("sourceUrl", SOURCE_URL)
        summary = [f"Designation source: {s}" for s in designation.values("DesignationSource")]
        for key, prop in (("DateDesignated", "listingDate"), ("LastUpdated", None)):
            for value, line in designation.fields.get(key, []):
                try:
                    day = parse_uk_date(value)
                except ValueError as exc:
                    raise self.fail(line, f"{key}: {exc}") from None
                if prop:
                    sanction.add(prop, day)
                    sanction.add("startDate", day)
                else:
                    summary.append(f"Last updated: {day}")
        self.put("summary", ["; ".join(summary)], "summary", sanction)
        return sanction


def _primary(path: Path, designation: Designation) -> str:
    """The designation's primary name (the first one, if it gives several)."""
    for name in designation.names:
        kind = name.name_type.lower()
        if kind not in NAME_TYPES:
            expected = "Primary Name, Primary Name Variation or Alias"
            raise InputError(path, f"name type {name.name_type!r}; expected {expected}", name.line)
    for name in designation.names:
        if name.name_type.lower() == "primary name":
            if problem := name_too_long(name.full):
                raise InputError(path, f"primary name: {problem}", name.line)
            return name.full
    raise InputError(
        path,
        f"designation {designation.unique_id} has no Primary Name; expected one",
        designation.line,
    )
