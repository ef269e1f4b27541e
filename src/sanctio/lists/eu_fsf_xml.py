"""The EU Financial Sanctions Files (FSF) XML: read the EU's consolidated list, and write
lists Sanctio publishes itself in the same layout.

The European Commission publishes the consolidated list of persons and entities under
EU financial sanctions at https://webgate.ec.europa.eu/fsd/fsf as
``xmlFullSanctionsList_1_1`` (schema ``fsd-export-1.1.xsd``, namespace
``http://eu.europa.ec/fpi/fsd/export``): an ``export`` root with one ``sanctionEntity``
per designated person or enterprise, holding ``regulation``, ``subjectType``,
``nameAlias``, ``birthdate``, ``citizenship``, ``identification``, ``address`` and
``remark`` elements whose data sit in attributes.

Ids are ``eu-fsf-<logicalId>``: the Commission's record number, which stays with a
designation across releases. The writer produces the same layout so that banks' EU
screening tools can load a Sanctio list; reading what it wrote gives back the same
entities (see ``docs`` for what is and is not kept).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path
from typing import IO

from lxml import etree

from sanctio.errors import InputError
from sanctio.lists.fitting import put_or_note
from sanctio.lists.parsed import ParsedList, name_too_long, record_id
from sanctio.lists.xmlfile import parse_xml, source_line
from sanctio.model import Entity, InvalidValueError, country_code
from sanctio.model.types import is_partial_date
from sanctio.names.scripts import cyrillic_language, word_script

FORMAT = "eu-fsf-xml"
LIST_NAME = "eu-fsf"
NS = "http://eu.europa.ec/fpi/fsd/export"
AUTHORITY = "European Union"
#: subjectType code -> schema, and back (FSF knows persons and enterprises only).
SUBJECT_TYPES = {"person": "Person", "enterprise": "Organization"}
#: identificationTypeCode -> the target property the number goes into.
ID_PROPERTIES = {
    "passport": "passportNumber",
    "id": "idNumber",
    "other": "idNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
}
#: Codes whose documents also become Passport / Identification entities (the FSF's
#: codes for identity papers, lower-cased; any other code's number is an idNumber only).
DOCUMENT_CODES = {
    "passport": "Passport",
    **dict.fromkeys(
        ["id", "other", "tradelic", "ssn", "birthcert", "nationcert", "travelcardid",
         "electionid", "residentperm", "drivinglicence", "nrn"],
        "Identification",
    ),
}  # fmt: skip
#: Target property -> identificationTypeCode, for the writer.
ID_CODES = {
    "passportNumber": "passport",
    "idNumber": "id",
    "registrationNumber": "regnumber",
    "taxNumber": "fiscalcode",
    "swiftBic": "swiftbic",
    "imoNumber": "imo",
}
_GENDERS = {"M": "male", "F": "female"}
_CONTACTS = {"PHONE": "phone", "EMAIL": "email", "WEB": "website", "FAX": "phone"}
_ROOT = re.compile(rb"<(?:[\w.-]+:)?export[\s>/]")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_FSF_ID = re.compile(r"^eu-fsf-(\d+)$")
_SEPARATOR = "; "
#: Longest identifier FtM accepts (Sanction.authorityId holds euReferenceNumber).
MAX_IDENTIFIER = 64


def q(tag: str) -> str:
    """``tag`` in the FSF namespace, as lxml names it."""
    return f"{{{NS}}}{tag}"


def detect(head: bytes, path: Path) -> bool:
    """True when the file's root is an ``export`` element in the FSF namespace."""
    return bool(head) and NS.encode() in head and _ROOT.search(head) is not None


def read(path: Path) -> ParsedList:
    """Every sanctionEntity as entities; InputError names the line of bad input."""
    root = parse_xml(path)
    if root.tag != q("export"):
        raise InputError(
            path,
            f'root element {root.tag!r}; expected <export xmlns="{NS}">',
            source_line(root),
        )
    entries = root.findall(q("sanctionEntity"))
    if not entries:
        raise InputError(path, "no sanctionEntity elements; expected at least one", 1)
    entities: list[Entity] = []
    made_on: dict[str, int | None] = {}
    for entry in entries:
        entity_id = _entity_id(path, entry, made_on)
        entities.extend(_Entry.build(path, entry, entity_id))
    return ParsedList(LIST_NAME, FORMAT, path, entities)


def attr(element: etree._Element, name: str) -> str:
    """An attribute's value with spaces collapsed ('' when absent)."""
    return " ".join((element.get(name) or "").split())


def split_values(value: str) -> list[str]:
    """Values the writer joined into one attribute (titles, functions)."""
    return [v.strip() for v in value.split(_SEPARATOR) if v.strip()]


def _entity_id(path: Path, entry: etree._Element, made_on: dict[str, int | None]) -> str:
    logical = attr(entry, "logicalId")
    if not logical:
        raise InputError(
            path,
            "sanctionEntity without logicalId; expected the EU's record number",
            source_line(entry),
        )
    slug = re.sub(r"[^0-9A-Za-z.]+", "-", logical).strip("-.")
    if not slug:
        raise InputError(
            path,
            f"logicalId {logical[:24]!r}; expected the EU's record number (digits)",
            source_line(entry),
        )
    entity_id = f"eu-fsf-{record_id(path, slug, 'logicalId', source_line(entry))}"
    if entity_id in made_on:
        raise InputError(
            path,
            f"logicalId {logical!r} also on line {made_on[entity_id]}; expected each once",
            source_line(entry),
        )
    made_on[entity_id] = source_line(entry)
    return entity_id


def iso_code(element: etree._Element) -> str | None:
    """The element's country as an FtM code: countryIso2Code, else its description."""
    code = attr(element, "countryIso2Code").lower()
    if code and code != "00":
        return code
    description = attr(element, "countryDescription")
    if description and description.upper() != "UNKNOWN":
        return country_code(description)
    return None


def birth_date(element: etree._Element) -> str | None:
    """The birthdate element's date: ``birthdate``, else year, month and day as given.

    Raises ValueError (with what was expected) when the parts are no calendar date.
    """
    full = attr(element, "birthdate")
    if full:
        if not _ISO_DAY.match(full) or not is_partial_date(full[:10]):
            raise ValueError(f"birthdate {full!r}; expected a date as YYYY-MM-DD")
        return full[:10]
    year, month = attr(element, "year"), attr(element, "monthOfYear")
    day = attr(element, "dayOfMonth")
    if not year:
        if month or day:
            raise ValueError("monthOfYear or dayOfMonth without year; expected a year")
        return None
    value = year
    if month:
        value += f"-{month.zfill(2)}" + (f"-{day.zfill(2)}" if day else "")
    if not is_partial_date(value):
        parts = f"year={year!r} monthOfYear={month!r} dayOfMonth={day!r}"
        raise ValueError(f"{parts} is not a calendar date; expected e.g. year=1953")
    return value


@dataclass
class _Entry:
    """One sanctionEntity being turned into entities, with what did not fit."""

    path: Path
    element: etree._Element
    target: Entity
    notes: list[str] = field(default_factory=list)
    documents: dict[str, Entity] = field(default_factory=dict)

    @classmethod
    def build(cls, path: Path, element: etree._Element, entity_id: str) -> list[Entity]:
        schema = cls.schema(path, element)
        aliases = [(whole_name(a), a) for a in element.iterfind(q("nameAlias"))]
        names = [(n, a) for n, a in aliases if n]
        if not names:
            raise InputError(
                path,
                "sanctionEntity without a name; expected a nameAlias with wholeName",
                source_line(element),
            )
        primary = _primary(names)
        if problem := name_too_long(primary[0]):
            raise InputError(path, f"nameAlias: {problem}", source_line(primary[1]))
        entry = cls(path, element, Entity.make(schema, entity_id, caption=primary[0], target=True))
        entry.add_names(aliases, primary)
        for child in element.iterfind(q("birthdate")):
            entry.add_birth(child)
        entry.add_citizenships()
        for child in element.iterfind(q("identification")):
            entry.add_identification(child)
        for child in element.iterfind(q("address")):
            entry.add_address(child)
        entry.notes[:0] = _remarks(element)
        entry.put("topics", ["sanction"], "topics")
        sanction = entry.sanction()
        entry.add_notes()
        return [entry.target, sanction, *entry.documents.values()]

    @staticmethod
    def schema(path: Path, element: etree._Element) -> str:
        subject = element.find(q("subjectType"))
        code = attr(subject, "code").lower() if subject is not None else ""
        if code not in SUBJECT_TYPES:
            where = subject if subject is not None else element
            raise InputError(
                path,
                f"subjectType code {code!r}; expected one of: {', '.join(SUBJECT_TYPES)}",
                source_line(where),
            )
        return SUBJECT_TYPES[code]

    def add_notes(self) -> None:
        """Put the notes gathered while reading on the target (FtM takes 65,000
        characters a note; a longer one is refused rather than cut)."""
        try:
            self.target.add("notes", self.notes)
        except InvalidValueError as exc:
            raise InputError(self.path, f"a note: {exc}", source_line(self.element)) from None

    def fail(self, element: etree._Element, message: str) -> InputError:
        return InputError(self.path, message, source_line(element))

    def put(
        self, prop: str, values: Iterable[str], label: str, entity: Entity | None = None
    ) -> None:
        """Add what fits ``prop``; keep, word for word, in notes what its type refuses."""
        put_or_note(entity or self.target, prop, values, self.notes, label)

    def add_names(
        self, names: list[tuple[str, etree._Element]], primary: tuple[str, etree._Element]
    ) -> None:
        """The primary spelling is the name; other strong ones aliases, weak ones weak.

        A nameAlias without any name still gives its title, function, gender and remarks.
        """
        person = self.target.schema.is_a("Person")
        self.put("name", [primary[0]], "name")
        if person:
            for prop, key in (("firstName", "firstName"), ("middleName", "middleName"),
                              ("lastName", "lastName")):  # fmt: skip
                self.put(prop, [attr(primary[1], key)], key)
        for name, alias in names:
            if name and alias is not primary[1]:
                strong = attr(alias, "strong").lower() != "false"
                self.put("alias" if strong else "weakAlias", [name], "nameAlias")
            self.put("title", split_values(attr(alias, "title")), "title")
            functions = split_values(attr(alias, "function"))
            self.put("position" if person else "notes", functions, "function")
            if gender := attr(alias, "gender").upper():
                if gender not in _GENDERS:
                    raise self.fail(alias, f"gender {gender!r}; expected M or F")
                self.put("gender", [_GENDERS[gender]], "gender")
            self.notes.extend(f"nameAlias {name}: {r}" if name else f"nameAlias: {r}"
                              for r in _remarks(alias))  # fmt: skip

    def add_birth(self, element: etree._Element) -> None:
        try:
            day = birth_date(element)
        except ValueError as exc:
            raise self.fail(element, str(exc)) from None
        if day:
            self.put("birthDate", [day], "birthdate")
            if attr(element, "circa").lower() == "true":
                self.notes.append(f"birthDate {day}: circa")
        parts = [attr(element, k) for k in ("city", "place", "region")]
        place = ", ".join(p for p in parts if p)
        description = attr(element, "countryDescription")
        if description and description.upper() != "UNKNOWN":
            place = ", ".join(p for p in (place, description.title()) if p)
        self.put("birthPlace", [place], "birthPlace")
        self.put("birthCountry", [code] if (code := iso_code(element)) else [], "birthCountry")
        self.notes.extend(f"birthdate: {r}" for r in _remarks(element))

    def add_citizenships(self) -> None:
        prop = "nationality" if self.target.schema.is_a("Person") else "country"
        for element in self.element.iterfind(q("citizenship")):
            code = iso_code(element)
            self.put(prop, [code] if code else [], "citizenship")
            self.notes.extend(f"citizenship: {r}" for r in _remarks(element))

    def add_identification(self, element: etree._Element) -> None:
        """A number on the target (what screening compares), and for passports and
        identity cards a Passport / Identification entity with its details."""
        number = attr(element, "number") or attr(element, "latinNumber")
        code = attr(element, "identificationTypeCode").lower()
        remarks = _remarks(element)
        if not number:
            self.notes.extend(f"identification: {r}" for r in remarks)
            return
        prop = ID_PROPERTIES.get(code, "idNumber")
        if prop == "passportNumber" and not self.target.schema.is_a("Person"):
            prop = "idNumber"
        if self.target.schema.get(prop) is None:
            prop = "idNumber"
        before = len(self.notes)
        self.put(prop, [number], f"identification {code}")
        if len(self.notes) > before or code not in DOCUMENT_CODES:
            self.notes.extend(f"identification {number}: {r}" for r in remarks)
            return
        self.document(element, DOCUMENT_CODES[code], number, remarks)

    def document(
        self, element: etree._Element, schema: str, number: str, remarks: list[str]
    ) -> None:
        slug = re.sub(r"[^0-9a-z]+", "-", number.lower()).strip("-") or "x"
        doc_id = f"{self.target.id}--{schema.lower()}-{slug}"
        doc = self.documents.setdefault(doc_id, Entity.make(schema, doc_id, caption=number))
        doc.add("holder", self.target.id)
        doc.add("number", number)
        if schema == "Passport":
            doc.add("passportNumber", number)
        self.put("type", [attr(element, "identificationTypeDescription")], "type", doc)
        if attr(element, "diplomatic").lower() == "true":
            doc.add("type", "diplomatic")
        self.put("country", [c] if (c := iso_code(element)) else [], "country", doc)
        self.put("authority", [attr(element, "issuedBy")], "issuedBy", doc)
        if issued := attr(element, "issueDate"):
            if not is_partial_date(issued[:10]):
                raise self.fail(element, f"issueDate {issued!r}; expected YYYY-MM-DD")
            doc.add("startDate", issued[:10])
        self.put("summary", remarks, "identification remark", doc)

    def add_address(self, element: etree._Element) -> None:
        keys = ("street", "poBox", "city", "zipCode", "region", "place")
        parts = [attr(element, k) for k in keys]
        description = attr(element, "countryDescription")
        if description and description.upper() != "UNKNOWN":
            parts.append(description.title())
        full = ", ".join(p for p in parts if p)
        self.put("address", [full], "address")
        self.put("country", [c] if (c := iso_code(element)) else [], "address country")
        for contact in element.iterfind(q("contactInfo")):
            key, value = attr(contact, "key").upper(), attr(contact, "value")
            self.put(_CONTACTS.get(key, "notes"), [value], f"contact {key.lower()}")
        self.notes.extend(f"address {full}: {r}" if full else f"address: {r}"
                          for r in _remarks(element))  # fmt: skip

    def sanction(self) -> Entity:
        """The Sanction: EU regime(s) and act(s), reference numbers, listing date, reason."""
        try:
            return self._sanction()
        except InvalidValueError as exc:
            raise self.fail(self.element, f"sanctionEntity: {exc}") from None

    def _sanction(self) -> Entity:
        element, target = self.element, self.target
        sanction = Entity.make("Sanction", f"{target.id}--sanction")
        sanction.add("entity", target.id)
        sanction.add("authority", AUTHORITY)
        sanction.add("authorityId", attr(element, "euReferenceNumber"))
        sanction.add("unscId", attr(element, "unitedNationId"))
        sanction.add("reason", (element.get("designationDetails") or "").strip())
        published, in_force = self.regulations(sanction)
        listed = attr(element, "designationDate") or min(published, default="")
        for prop, value in (("listingDate", listed), ("startDate", min(in_force, default=listed))):
            if value and not is_partial_date(value[:10]):
                raise self.fail(element, f"{prop} {value!r}; expected YYYY-MM-DD")
            sanction.add(prop, value[:10])
        sanction.caption = ", ".join(sanction.get("programId")) or "EU sanctions"
        return sanction

    def regulations(self, sanction: Entity) -> tuple[list[str], list[str]]:
        """Add each regulation to the Sanction; its publication and entry-into-force dates."""
        published: list[str] = []
        in_force: list[str] = []
        for regulation in self.element.iterfind(q("regulation")):
            programme = attr(regulation, "programme")
            if programme:
                sanction.add("programId", f"EU-{programme}")
            title = attr(regulation, "numberTitle") or (f"EU-{programme}" if programme else "")
            sanction.add("program", title)
            url = " ".join((regulation.findtext(q("publicationUrl")) or "").split())
            try:
                sanction.add("sourceUrl", url)
            except InvalidValueError:
                self.notes.append(f"regulation {title}: {url}")
            for key, found in (("publicationDate", published), ("entryIntoForceDate", in_force)):
                if value := attr(regulation, key):
                    if not is_partial_date(value[:10]):
                        raise self.fail(regulation, f"{key} {value!r}; expected YYYY-MM-DD")
                    found.append(value[:10])
        return published, in_force


def whole_name(alias: etree._Element) -> str:
    """A nameAlias as one name: wholeName, else its first, middle and last names."""
    whole = attr(alias, "wholeName")
    if whole:
        return whole
    return " ".join(
        v for v in (attr(alias, k) for k in ("firstName", "middleName", "lastName")) if v
    )


def _primary(names: list[tuple[str, etree._Element]]) -> tuple[str, etree._Element]:
    """The name to show: the first strong spelling without a language (the EU's main
    Latin spelling), else the first strong one, else the first."""
    strong = [n for n in names if attr(n[1], "strong").lower() != "false"]
    plain = [n for n in strong if not attr(n[1], "nameLanguage")]
    return (plain or strong or names)[0]


def _remarks(element: etree._Element) -> list[str]:
    """The element's remark texts, as written (notes keep their line breaks)."""
    values = ((r.text or "").strip() for r in element.iterfind(q("remark")))
    return [v for v in values if v]


# --- writing ---------------------------------------------------------------------------


def write(
    entities: Sequence[Entity], out: IO[bytes] | Path, *, generated: datetime | date | None = None
) -> None:
    """Write the targets in ``entities`` as an FSF ``export``, one sanctionEntity each.

    Records about a target (its Sanction, Passports, Identifications) are found by
    their reference to it. ``generated`` becomes ``generationDate``; without it the
    output depends on the entities only, so one list version always gives one file.
    """
    # the default namespace has the key None, which lxml-stubs do not allow for
    root = etree.Element(q("export"), nsmap={None: NS})  # type: ignore[dict-item]
    if generated is not None:
        root.set("generationDate", generated.isoformat())
    related: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        for _, ref in entity.references():
            related[ref].append(entity)
    for target in entities:
        if target.target:
            root.append(_sanction_entity(target, related[target.id]))
    tree = etree.ElementTree(root)
    if isinstance(out, Path):
        tree.write(str(out), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    else:
        tree.write(out, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def logical_id(entity_id: str) -> str:
    """The logicalId for an entity: its FSF number when it came from an FSF file, else a
    stable number derived from the id (the XSD wants digits; the same id always gives
    the same number, so a published designation keeps its logicalId)."""
    found = _FSF_ID.match(entity_id)
    if found:
        return found.group(1)
    return str(int(hashlib.sha256(entity_id.encode("utf-8")).hexdigest()[:12], 16))


def name_language(name: str) -> str:
    """FSF nameLanguage for a name: the Cyrillic language its letters point to, upper-case
    (BE, RU, UK); '' for Latin and other scripts, as the EU leaves its main spellings."""
    if word_script(name) != "cyrillic":
        return ""
    return cyrillic_language(name)[0].upper()


def _element(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    child = etree.SubElement(parent, q(tag))
    for key, value in attrs.items():
        child.set(key, value)
    return child


def _sanction_entity(target: Entity, related: list[Entity]) -> etree._Element:
    sanctions = [e for e in related if e.schema.name == "Sanction"]
    first = sanctions[0] if sanctions else None

    def joined(prop: str) -> str:
        return "\n\n".join(v for s in sanctions for v in s.get(prop))

    entry = etree.Element(q("sanctionEntity"))
    entry.set("designationDetails", joined("reason"))
    entry.set("unitedNationId", (first.first("unscId") if first else None) or "")
    reference = first.first("authorityId") if first else None
    if reference is None and len(target.id) <= MAX_IDENTIFIER:
        reference = target.id
    entry.set("euReferenceNumber", reference or "")
    entry.set("logicalId", logical_id(target.id))
    if first and (listed := first.first("listingDate")):
        entry.set("designationDate", listed)
    for note in target.get("notes"):
        _element(entry, "remark").text = note
    for sanction in sanctions:
        _write_regulations(entry, sanction)
    person = target.schema.is_a("Person")
    code = "person" if person else "enterprise"
    _element(entry, "subjectType", code=code, classificationCode=code[0].upper())
    _write_names(entry, target)
    _write_births(entry, target)
    for country in target.get("nationality") + target.get("citizenship") if person else []:
        _element(entry, "citizenship", countryIso2Code=country.upper())
    if not person:
        for country in target.get("country") + target.get("jurisdiction"):
            _element(entry, "citizenship", countryIso2Code=country.upper())
    _write_identifications(entry, target, [e for e in related if e.schema.is_a("Identification")])
    _write_addresses(entry, target, person)
    return entry


def _write_regulations(entry: etree._Element, sanction: Entity) -> None:
    programmes = [p.removeprefix("EU-") for p in sanction.get("programId")]
    titles = sanction.get("program") or [""]
    urls = sanction.get("sourceUrl")
    for index, title in enumerate(titles):
        regulation = _element(
            entry,
            "regulation",
            regulationType="regulation",
            organisationType="council",
            publicationDate=sanction.first("listingDate") or "",
            entryIntoForceDate=sanction.first("startDate") or "",
            numberTitle=title,
            programme=programmes[min(index, len(programmes) - 1)] if programmes else "",
        )
        if urls:
            _element(regulation, "publicationUrl").text = urls[min(index, len(urls) - 1)]


def _write_names(entry: etree._Element, target: Entity) -> None:
    """Every spelling as a nameAlias: name and aliases strong, weak aliases not."""
    person = target.schema.is_a("Person")
    primary = True
    for prop in ("name", "alias", "previousName", "weakAlias"):
        for name in target.get(prop):
            alias = _element(
                entry,
                "nameAlias",
                firstName="",
                middleName="",
                lastName="",
                wholeName=name,
                function="",
                gender="",
                title="",
                nameLanguage=name_language(name),
                strong="false" if prop == "weakAlias" else "true",
            )
            if primary:
                _describe_primary(alias, target, person)
                primary = False


def _describe_primary(alias: etree._Element, target: Entity, person: bool) -> None:
    """Name parts, gender, titles and functions go with the primary spelling."""
    if person:
        for key in ("firstName", "middleName", "lastName"):
            values = target.get(key)
            alias.set(key, values[0] if len(values) == 1 else "")
        gender = target.first("gender")
        alias.set("gender", {"male": "M", "female": "F"}.get(gender or "", ""))
        alias.set("function", _SEPARATOR.join(target.get("position")))
    alias.set("title", _SEPARATOR.join(target.get("title")))


def _write_births(entry: etree._Element, target: Entity) -> None:
    """One birthdate per date of birth, places and countries alongside in order."""
    dates, places = target.get("birthDate"), target.get("birthPlace")
    countries = target.get("birthCountry")
    for day, place, country in zip_longest(dates, places, countries, fillvalue=""):
        birth = _element(entry, "birthdate", circa="false", calendarType="GREGORIAN")
        if len(day) == 10:
            birth.set("birthdate", day)
        if day:
            birth.set("dayOfMonth", str(int(day[8:10])) if len(day) == 10 else "")
            birth.set("monthOfYear", str(int(day[5:7])) if len(day) >= 7 else "")
            birth.set("year", day[:4])
        birth.set("place", place)
        birth.set("countryIso2Code", country.upper() or "00")
        if f"birthDate {day}: circa" in target.get("notes"):
            birth.set("circa", "true")


def _write_identifications(entry: etree._Element, target: Entity, documents: list[Entity]) -> None:
    written: set[str] = set()
    for doc in documents:
        number = doc.first("number") or doc.first("passportNumber")
        if not number:
            continue
        code = "passport" if doc.schema.name == "Passport" else "id"
        element = _element(
            entry,
            "identification",
            diplomatic="true" if "diplomatic" in doc.get("type") else "false",
            issuedBy=doc.first("authority") or "",
            number=number,
            countryIso2Code=(doc.first("country") or "00").upper(),
            identificationTypeCode=code,
            identificationTypeDescription=next(
                (t for t in doc.get("type") if t != "diplomatic"), ""
            ),
        )
        if issued := doc.first("startDate"):
            element.set("issueDate", issued)
        for summary in doc.get("summary"):
            _element(element, "remark").text = summary
        written.add(number)
    for prop, code in ID_CODES.items():
        if target.schema.get(prop) is None:
            continue
        for number in target.get(prop):
            if number not in written:
                _element(entry, "identification", number=number, identificationTypeCode=code)


def _write_addresses(entry: etree._Element, target: Entity, person: bool) -> None:
    for full in target.get("address"):
        _element(entry, "address", street=full, countryIso2Code="00")
    for country in target.get("country") if person else []:
        _element(entry, "address", countryIso2Code=country.upper())
    contacts = {"phone": "PHONE", "email": "EMAIL", "website": "WEB"}
    values = [(k, v) for prop, k in contacts.items() for v in target.get(prop)]
    if values:
        address = _element(entry, "address", countryIso2Code="00")
        for key, value in values:
            _element(address, "contactInfo", key=key, value=value)
