"""Reader for OFAC's legacy SDN CSV: ``sdn.csv`` with ``alt.csv``, ``add.csv`` and
``sdn_comments.csv`` beside it (format described in ``docs/formats.md``).

The files have no header; ``-0-`` stands for an empty field. Each ``sdn.csv`` row is one
designated person, organisation, vessel or aircraft; the other files add its aliases,
addresses and the rest of remarks longer than OFAC's 1,000 characters, joined on
``ent_num``. OFAC keeps a record's ``ent_num`` across releases, so entity ids built from
it (``ofac-9770``) make a re-published record *changed*, never removed and re-added.

This module also turns a format-neutral ``OfacRecord`` into entities; the SDN XML
reader builds the same records, so one OFAC record gives the same entity either way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists.csvfile import decode_utf8, first_record, locate_quoting_problem, records
from sanctio.lists.files import read_bytes, refuse_special
from sanctio.lists.ofac_remarks import Document, Reference, Remarks, parse_item, parse_remarks
from sanctio.lists.parsed import ParsedList, name_too_long, record_id
from sanctio.model import Entity, InvalidValueError, country_code
from sanctio.model.types import clean_value

FORMAT = "ofac-csv"
LIST_NAME = "ofac-sdn"
AUTHORITY = "Office of Foreign Assets Control (OFAC), US Department of the Treasury"
DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={ent_num}"

SDN_COLUMNS = [
    "ent_num",
    "name",
    "type",
    "programs",
    "title",
    "call_sign",
    "vessel_type",
    "tonnage",
    "grt",
    "vessel_flag",
    "vessel_owner",
    "remarks",
]
ALT_COLUMNS = ["ent_num", "alt_num", "alt_type", "alt_name", "remarks"]
ADD_COLUMNS = ["ent_num", "add_num", "address", "city", "country", "remarks"]
COMMENT_COLUMNS = ["ent_num", "remarks"]

#: OFAC's record types -> FtM schema ("-0-", an empty type, is an organisation).
SCHEMATA = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
#: alt_type -> name property: FtM keeps former names apart; a "now known as" name is
#: a current name of the record, so an alias like an a.k.a.
ALIAS_TYPES = {"aka": "alias", "fka": "previousName", "nka": "alias"}
#: Honorifics in the title column go to ``title``; everything else there is a position.
HONORIFICS = frozenset(
    {
        "doctor", "dr", "dr.", "haji", "hajji", "maulana", "moulana", "maulawi", "mawlawi",
        "mulawi", "mullah", "mufti", "hojjatoleslam", "ayatollah", "shaykh", "sheikh",
        "shaikh", "ustad", "ustadz", "qari", "professor", "imam",
    }
)  # fmt: skip
#: When the schema lacks a property, the nearest one it has.
FALLBACK = {
    "nationality": "country",
    "citizenship": "country",
    "jurisdiction": "country",
    "passportNumber": "idNumber",
    "socialSecurityNumber": "idNumber",
}
_EMPTY = frozenset({"-0-", "-0"})
_SUB = b"\x1a"  # DOS end-of-file mark that OFAC's files end with


@dataclass
class OfacRecord:
    """One SDN entry as OFAC publishes it, whichever file format it came from."""

    ent_num: str
    line: int
    name: str
    sdn_type: str
    programs: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    first_name: str = ""
    last_name: str = ""
    remarks: str = ""
    #: details the XML gives as elements, each written as the remark item OFAC prints
    items: list[str] = field(default_factory=list)
    vessel: dict[str, str] = field(default_factory=dict)
    #: (name property, name)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    #: (full address, country as written, the address's remarks)
    addresses: list[tuple[str, str, str]] = field(default_factory=list)


# -- detection and reading ----------------------------------------------------------------


def detect(head: bytes, path: Path) -> bool:
    """True for an ``sdn.csv`` (judged by its first row) or a folder holding one."""
    if not head:
        sdn = path / "sdn.csv"
        if not sdn.is_file():
            return False
        head = read_bytes(sdn, limit=4096)
    row = first_record(head)
    return bool(row) and _looks_like_sdn_row(row or [])


def _looks_like_sdn_row(row: list[str]) -> bool:
    kind = row[2].lower() if len(row) > 2 else ""
    return len(row) == len(SDN_COLUMNS) and row[0].isdigit() and kind in (*SCHEMATA, "-0-")


def read(path: Path) -> ParsedList:
    """The four files of an OFAC CSV release as entities; InputError on the first bad row.

    ``path`` is the folder or its ``sdn.csv``. ``alt.csv`` and ``add.csv`` must be there
    (without them aliases and addresses would silently be missing from screening);
    ``sdn_comments.csv`` is optional, as in releases before August 2013. Rows skipped
    because they add nothing to a listed record are reported in the list's warnings.
    """
    folder = path if path.is_dir() else path.parent
    sdn_path = path if path.is_file() else folder / "sdn.csv"
    records = _read_sdn(_require(sdn_path, "sdn.csv, OFAC's primary SDN file"))
    warnings = _read_aliases(_require(folder / "alt.csv", "alt.csv, the aliases"), records)
    _read_addresses(_require(folder / "add.csv", "add.csv, the addresses"), records)
    comments = folder / "sdn_comments.csv"
    if comments.is_file():
        warnings += _read_comments(comments, records)
    return build_list(sdn_path, FORMAT, list(records.values()), warnings)


def _require(path: Path, what: str) -> Path:
    refuse_special(path, f"file: {what}")
    if not path.is_file():
        raise InputError(path, f"no such file; expected {what}, beside the other OFAC files")
    return path


def ofac_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, values by column) of a header-less OFAC file; ``-0-`` reads as empty."""
    text = decode_utf8(path, read_bytes(path).removesuffix(_SUB))

    def broken(start: int, exc: csv.Error) -> InputError:
        return _quoting_error(path, text, start, columns, exc)

    for start, row in records(text, broken):
        if any(cell.strip() for cell in row):
            yield start, _values(path, start, columns, row)


def _values(path: Path, line: int, columns: list[str], row: list[str]) -> dict[str, str]:
    """One record's values by column; InputError for a wrong field count or ent_num."""
    if len(row) != len(columns):
        expected = f"expected {len(columns)} fields ({', '.join(columns)})"
        raise InputError(path, f"{expected}, got {len(row)}", line)
    values = {c: "" if v.strip() in _EMPTY else v for c, v in zip(columns, row, strict=True)}
    values["ent_num"] = values["ent_num"].strip()
    if not is_record_number(values["ent_num"]):
        message = f"ent_num {values['ent_num'][:24]!r}; expected OFAC's record number (digits)"
        raise InputError(path, message, line, "ent_num")
    record_id(path, values["ent_num"], "ent_num", line, "ent_num")
    return values


def is_record_number(text: str) -> bool:
    """True for OFAC's record numbers: ASCII digits (``isdigit`` also takes '²' and '١')."""
    return re.fullmatch(r"[0-9]+", text) is not None


def _quoting_error(
    path: Path, text: str, start: int, columns: list[str], exc: csv.Error
) -> InputError:
    """Where the record starting on line ``start`` breaks CSV quoting."""
    rest = "".join(io.StringIO(text, newline="").readlines()[start - 1 :])
    field_no, offset, problem = locate_quoting_problem(rest)
    column = columns[field_no] if field_no < len(columns) else None
    return InputError(path, f"{problem} ({exc})", start + rest[:offset].count("\n"), column)


def _read_sdn(path: Path) -> dict[str, OfacRecord]:
    records: dict[str, OfacRecord] = {}
    for line, values in ofac_rows(path, SDN_COLUMNS):
        ent_num = values["ent_num"]
        if ent_num in records:
            before = records[ent_num].line
            message = f"ent_num {ent_num} again (first on line {before}); expected each once"
            raise InputError(path, message, line, "ent_num")
        kind = values["type"].strip().lower() or "entity"
        if kind not in SCHEMATA:
            expected = "individual, vessel, aircraft or -0- (an entity)"
            raise InputError(path, f"type {kind!r}; expected {expected}", line, "type")
        name = _collapse(values["name"])
        if not name:
            raise InputError(path, "empty name; expected the SDN's name", line, "name")
        if problem := name_too_long(name):
            raise InputError(path, problem, line, "name")
        first, last = person_name_parts(name) if kind == "individual" else ("", "")
        records[ent_num] = OfacRecord(
            ent_num=ent_num,
            line=line,
            name=name,
            sdn_type=kind,
            programs=split_programs(values["programs"]),
            titles=[t.strip() for t in values["title"].split(";") if t.strip()],
            first_name=first,
            last_name=last,
            remarks=values["remarks"],
            vessel={c: values[c].strip() for c in SDN_COLUMNS[5:11] if values[c].strip()},
        )
    if not records:
        raise InputError(path, "no records; expected at least one SDN row", 1)
    return records


def person_name_parts(name: str) -> tuple[str, str]:
    """(given names, family name) of ``FAMILY, Given Names``; empty without a comma."""
    last, _, first = name.partition(",")
    if not last.strip() or not first.strip():
        return "", ""
    return first.strip(), last.strip()


def split_programs(text: str) -> list[str]:
    """``NPWMD] [IFSR`` (the CSV drops the outer brackets) -> ``["NPWMD", "IFSR"]``."""
    return [p.strip(" []") for p in re.split(r"\]\s*\[", text) if p.strip(" []")]


def _owner(path: Path, line: int, ent_num: str, records: dict[str, OfacRecord]) -> OfacRecord:
    """The record an alt/add row belongs to; an unknown ent_num is an error.

    An alias or address of a record that ``sdn.csv`` lacks means the files come from
    different releases; importing such a mix would screen against a list that OFAC
    never published, so the import stops and names the row.
    """
    record = records.get(ent_num)
    if record is None:
        message = (
            f"ent_num {ent_num} is not in sdn.csv; expected files of one OFAC release "
            "(download sdn.csv, alt.csv, add.csv and sdn_comments.csv together)"
        )
        raise InputError(path, message, line, "ent_num")
    return record


def _read_aliases(path: Path, records: dict[str, OfacRecord]) -> list[str]:
    """Add each alias to its record; an alias row without a name is skipped and reported.

    Such a row holds nothing to screen for, and its record keeps its own name, so the
    release is read rather than refused for it (OFAC's files cannot be corrected).
    """
    warnings: list[str] = []
    for line, values in ofac_rows(path, ALT_COLUMNS):
        record = _owner(path, line, values["ent_num"], records)
        kind = values["alt_type"].strip().lower()
        if kind not in ALIAS_TYPES:
            message = f"alt_type {kind!r}; expected aka, fka or nka"
            raise InputError(path, message, line, "alt_type")
        name = _collapse(values["alt_name"])
        if not name:
            warnings.append(
                f"{path}, line {line}: {kind} of ent_num {record.ent_num} ({record.name}) "
                "has an empty alt_name; skipped"
            )
            continue
        remarks = values["remarks"].lower()
        weak = "weak" in remarks or "low quality" in remarks
        record.aliases.append(("weakAlias" if weak else ALIAS_TYPES[kind], name))
    return warnings


def _read_addresses(path: Path, records: dict[str, OfacRecord]) -> None:
    for line, values in ofac_rows(path, ADD_COLUMNS):
        record = _owner(path, line, values["ent_num"], records)
        parts = [_collapse(values[c]) for c in ("address", "city", "country")]
        full = ", ".join(p for p in parts if p)
        if full:
            record.addresses.append((full, parts[2], _collapse(values["remarks"])))


def _read_comments(path: Path, records: dict[str, OfacRecord]) -> list[str]:
    """Append each overflow to its record's remarks (OFAC cuts them mid-word).

    An overflow for a record that ``sdn.csv`` lacks is skipped and reported: it can only
    continue remarks of a record that is not listed, and OFAC's comments file is often
    fetched at another time than the rest (the 2019 test data has ten such rows).
    """
    skipped: list[str] = []
    for line, values in ofac_rows(path, COMMENT_COLUMNS):
        record = records.get(values["ent_num"])
        if record is None:
            skipped.append(
                f"{path}, line {line}: remarks overflow for ent_num {values['ent_num']}, "
                "which sdn.csv does not list; skipped"
            )
        else:
            record.remarks += values["remarks"]
    return skipped


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- records -> entities ------------------------------------------------------------------


def entity_id(ent_num: str) -> str:
    """The target's id: OFAC's record number, stable across releases and formats."""
    return f"ofac-{ent_num}"


def build_list(
    source: Path, fmt: str, records: list[OfacRecord], warnings: list[str] | None = None
) -> ParsedList:
    """Every record's entities: target, Sanction, identity documents and links."""
    made = {r.ent_num: _target(r) for r in records}
    index = NameIndex(target for target, _ in made.values())
    entities: list[Entity] = []
    for record in records:
        target, notes = made[record.ent_num]
        builder = _RecordBuilder(record, target, index)
        builder.notes.extend(notes)
        entities.extend(builder.entities(source))
    return ParsedList(LIST_NAME, fmt, source, entities, warnings or [])


def _target(record: OfacRecord) -> tuple[Entity, list[str]]:
    """The record's target with its names; an alias FtM cannot hold (longer than 384
    characters) is returned as a note instead."""
    target = Entity.make(
        SCHEMATA[record.sdn_type], entity_id(record.ent_num), caption=record.name, target=True
    )
    target.add("name", record.name)
    notes: list[str] = []
    for prop, name in record.aliases:
        if name != record.name:
            try:
                target.add(prop, name)
            except InvalidValueError:
                notes.append(f"{prop}: {name}")
    return target, notes


class NameIndex:
    """Records by name, to resolve ``Linked To: NAME`` and owners named in remarks.

    OFAC names the linked record by its primary name, so a primary name wins over an
    alias of another record (``NATIONAL IRANIAN TANKER COMPANY`` is 15117's name and an
    alias of 15119).
    """

    def __init__(self, targets: Iterable[Entity]) -> None:
        self._names: dict[str, set[str]] = {}
        self._aliases: dict[str, set[str]] = {}
        for target in targets:
            for name in target.get("name"):
                self._names.setdefault(self.key(name), set()).add(target.id)
            for name in target.get("alias") + target.get("previousName"):
                self._aliases.setdefault(self.key(name), set()).add(target.id)

    @staticmethod
    def key(name: str) -> str:
        """Case, spacing, quotes and final dots do not tell names apart."""
        return re.sub(r"\s+", " ", name).strip(" .'\"").casefold()

    def find(self, name: str) -> set[str]:
        """Ids of the records with this primary name, else with this alias."""
        key = self.key(name)
        return self._names.get(key) or self._aliases.get(key, set())


class _RecordBuilder:
    """The entities of one record; what the schema cannot hold is kept in notes."""

    def __init__(self, record: OfacRecord, target: Entity, index: NameIndex) -> None:
        self.record = record
        self.target = target
        self.index = index
        self.notes: list[str] = []
        self.extra: dict[str, Entity] = {}

    def entities(self, source: Path) -> list[Entity]:
        """The target with all its details, its Sanction, documents and links."""
        record, target = self.record, self.target
        if record.first_name:
            self.put("firstName", record.first_name, record.name)
            self.put("lastName", record.last_name, record.name)
        self._titles()
        self._vessel()
        self._addresses()
        remarks = parse_remarks(record.remarks)
        for item in record.items:
            remarks.extend(parse_item(item))
        self._remarks(remarks)
        for program in record.programs:
            self.put("programId", program, program)
        target.add("topics", "sanction")
        sanction = self._sanction(remarks.provisions)
        try:
            target.add("notes", self.notes)
        except InvalidValueError as exc:
            raise InputError(source, f"ent_num {record.ent_num}: {exc}", record.line) from None
        return [target, sanction, *self.extra.values()]

    def put(self, prop: str, value: str, source: str, entity: Entity | None = None) -> bool:
        """Add ``value`` if the schema has a fitting property; else note the source.

        True when the value was added (to ``entity``, by default the target).
        """
        entity = entity or self.target
        spec = entity.schema.get(prop) or entity.schema.get(FALLBACK.get(prop, ""))
        if spec is not None:
            try:
                entity.add(spec.name, value)
                return True
            except InvalidValueError:
                pass
        if source not in self.notes:
            self.notes.append(source)
        return False

    def _titles(self) -> None:
        for title in self.record.titles:
            if self.target.schema.get("position") is None:
                self.notes.append(f"Title: {title}")
            elif title.lower() in HONORIFICS:
                self.put("title", title, f"Title: {title}")
            else:
                self.put("position", title, f"Title: {title}")

    def _vessel(self) -> None:
        vessel = self.record.vessel
        labels = {
            "call_sign": "callSign",
            "vessel_type": "type",
            "tonnage": "tonnage",
            "grt": "grossRegisteredTonnage",
        }
        for column, prop in labels.items():
            if column in vessel:
                value = vessel[column]
                if prop in ("tonnage", "grossRegisteredTonnage"):
                    value = value.replace(",", "")
                self.put(prop, value, f"Vessel {column.replace('_', ' ')}: {vessel[column]}")
        if "vessel_flag" in vessel:
            flag = vessel["vessel_flag"]
            code = country_code(flag)
            if code:
                self.put("flag", code, f"Vessel flag: {flag}")
            else:
                self.notes.append(f"Vessel flag: {flag}")
        if "vessel_owner" in vessel:
            owner = vessel["vessel_owner"]
            self._refer("owner", owner, f"Vessel owner: {owner}")

    def _addresses(self) -> None:
        for full, country, remarks in self.record.addresses:
            self.put("address", full, f"Address: {full}")
            code = country_code(country) if country else None
            if code:
                self.put("country", code, f"Address: {full}")
            if remarks:
                self.notes.append(f"Address {full}: {remarks}")

    def _remarks(self, remarks: Remarks) -> None:
        positions = {t.casefold() for t in self.record.titles}
        for fact in remarks.facts:
            self.put(fact.prop, fact.value, fact.source)
        for document in remarks.documents:
            self._document(document)
        for reference in remarks.references:
            self._reference(reference)
        for note in remarks.notes:
            if note.casefold() not in positions and note not in self.notes:
                self.notes.append(note)

    def _document(self, document: Document) -> None:
        """The number on the target; an Identification when OFAC gives country or dates
        (and the number fits an identifier: else the remark is kept as a note only)."""
        added = self.put(document.prop, document.number, document.source)
        if not (document.country or document.issued or document.expires):
            return
        if not added and clean_value("identifier", document.number) is None:
            return
        passport = document.prop == "passportNumber" and self.target.schema.is_a("Person")
        number = _slug(document.number) or "x"
        doc_id = f"{self.target.id}--id-{_slug(document.label)}-{number}"
        identification = self.extra.get(doc_id)
        if identification is None:
            schema = "Passport" if passport else "Identification"
            identification = Entity.make(schema, doc_id, caption=document.number)
            self.extra[doc_id] = identification
        identification.add("holder", self.target.id)
        identification.add("type", document.label)
        identification.add("number", document.number)
        identification.add("country", document.country)
        identification.add("startDate", document.issued)
        identification.add("endDate", document.expires)

    def _reference(self, reference: Reference) -> None:
        if reference.kind == "operator":
            self._refer("operator", reference.name, reference.source)
        else:
            self._link(reference)

    def _resolve(self, name: str) -> str | None:
        found = self.index.find(name) - {self.target.id}
        return next(iter(found)) if len(found) == 1 else None

    def _refer(self, prop: str, name: str, source: str) -> None:
        """An owner or operator named in the record: a reference when the list has it."""
        other = self._resolve(name)
        if other is None or self.target.schema.get(prop) is None:
            self.notes.append(source)
        else:
            self.target.add(prop, other)

    def _link(self, reference: Reference) -> None:
        """``Linked To: NAME``: an UnknownLink to the record of that name, else a note."""
        other = self._resolve(reference.name)
        if other is None:
            self.notes.append(reference.source)
            return
        link_id = f"{self.target.id}--linked-{other}"
        link = Entity.make("UnknownLink", link_id, caption=reference.source)
        link.add("subject", self.target.id)
        link.add("object", other)
        link.add("role", "Linked To")
        self.extra[link_id] = link

    def _sanction(self, provisions: list[str]) -> Entity:
        """The record's Sanction: OFAC, its programs, and the provisions it names.

        OFAC's files give no listing date, so the Sanction has none.
        """
        record = self.record
        programs = ", ".join(record.programs)
        sanction = Entity.make(
            "Sanction", f"{self.target.id}--sanction", caption=f"OFAC SDN: {programs}"
        )
        sanction.add("entity", self.target.id)
        sanction.add("authority", AUTHORITY)
        for program in record.programs:
            self.put("program", program, f"Program: {program}", sanction)
            self.put("programId", program, f"Program: {program}", sanction)
        for provision in provisions:
            self.put("provisions", provision, provision, sanction)
        sanction.add("recordId", record.ent_num)
        sanction.add("sourceUrl", DETAILS_URL.format(ent_num=record.ent_num))
        return sanction


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")
