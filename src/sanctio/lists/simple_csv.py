"""OpenSanctions' ``targets.simple.csv``: one row per designated person, company or vessel.

The layout is OpenSanctions' own (``zavod/exporters/simplecsv.py``): every field quoted,
several values in one cell separated by ``;`` (a value that holds ``;``, a quote or a
line break is quoted inside the cell), values sorted. The format flattens the entity:

- ``name`` is the caption; ``aliases`` every other name (alias, weak alias, previous
  name), so a round trip keeps the spellings but not which kind each one was;
- ``countries`` every country-typed value (nationality, citizenship, jurisdiction...),
  read back as ``country``; ``identifiers`` every identifier except programme ids,
  read back as ``idNumber`` (``registrationNumber`` for vessels);
- ``sanctions`` one text per Sanction: programme, reason, status, start and end date
  joined by `` - ``. That text cannot be split back reliably (reasons contain
  `` - ``), so it is read into a Sanction whose ``summary`` holds it word for word;
- ``dataset`` holds OpenSanctions' dataset titles, read into the entity's datasets;
- ``first_seen``, ``last_seen``, ``last_change`` describe OpenSanctions' crawler, not the
  designation; they are not read (they change daily) and are written empty.

A value Sanctio's types refuse (a territory code such as ``ua-cri``, a phone number it
cannot read) is kept word for word in the target's notes as ``column: value``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from sanctio.errors import InputError
from sanctio.lists.csvfile import (
    CsvRow,
    escape_formula,
    first_record,
    read_csv,
    unescape_formula,
)
from sanctio.lists.fitting import put_or_note
from sanctio.lists.parsed import ParsedList, name_too_long
from sanctio.model import Entity, InvalidValueError, target_schema_names
from sanctio.model.types import EXPECTED, clean_value, is_partial_date

FORMAT = "targets-simple-csv"
COLUMNS = [
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "countries",
    "addresses",
    "identifiers",
    "sanctions",
    "phones",
    "emails",
    "program_ids",
    "dataset",
    "first_seen",
    "last_seen",
    "last_change",
]
WHAT = "OpenSanctions targets.simple.csv"
#: Sanction properties joined, in this order, into the ``sanctions`` text.
SANCTION_TEXT = ("program", "reason", "status", "startDate", "endDate")
_STANDARD_NAME = "targets.simple.csv"
#: Longest target id: its Sanctions add ``--sanction-<n>`` and FtM takes 200 characters.
MAX_TARGET_ID = 180
_NEEDS_QUOTES = re.compile(r'[;"\r\n]')


def detect(head: bytes, path: Path) -> bool:
    """True when the file's first record is exactly OpenSanctions' header."""
    return bool(head) and first_record(head) == COLUMNS


def read(path: Path) -> ParsedList:
    """Every row as a target entity plus one Sanction per sanctions text."""
    entities: list[Entity] = []
    first_line: dict[str, int] = {}
    for read_row in read_csv(path, COLUMNS, WHAT):
        # cells a spreadsheet would run were written with a quote before them
        row = CsvRow(read_row.line, {k: unescape_formula(v) for k, v in read_row.values.items()})
        target, sanctions = _row_entities(path, row)
        if target.id in first_line:
            raise InputError(
                path,
                f"id {target.id!r} occurs again (first on line {first_line[target.id]}); "
                "expected each id once",
                row.line,
                "id",
            )
        first_line[target.id] = row.line
        entities.extend([target, *sanctions])
    if not entities:
        raise InputError(path, "no records after the header; expected at least one row", 2)
    return ParsedList(_list_name(path), FORMAT, path, entities)


def write(entities: Iterable[Entity], out: TextIO) -> None:
    """One row per target, with the numbers, countries and texts of its related records.

    Entities that are not targets (sanctions, identifications, addresses) appear only
    through the targets they belong to, as in OpenSanctions' export.
    """
    items = list(entities)
    by_id = {entity.id: entity for entity in items}
    related: dict[str, list[Entity]] = {}
    for entity in items:
        for prop in ("entity", "holder"):
            if entity.schema.get(prop) is not None:
                for ref in entity.get(prop):
                    related.setdefault(ref, []).append(entity)
    writer = csv.writer(out, dialect=csv.unix_dialect)
    writer.writerow(COLUMNS)
    for entity in items:
        if entity.target:
            row = target_row(entity, related.get(entity.id, []), by_id)
            writer.writerow([escape_formula(cell) for cell in row])


def target_row(entity: Entity, related: list[Entity], by_id: dict[str, Entity]) -> list[str]:
    """The CSV row of one target, given its Sanctions and Identifications."""
    # the caption as the reader will clean it back (spaces folded, as in a name value)
    caption = clean_value("name", entity.caption or "") or entity.first("name") or entity.id
    countries = _typed(entity, "country")
    identifiers = _typed(entity, "identifier", skip=("programId",))
    addresses = entity.get("address")
    for ref in entity.get("addressEntity"):
        if ref in by_id:
            addresses.append(by_id[ref].caption or by_id[ref].first("full") or "")
    sanctions: list[str] = []
    programs = entity.get("programId")
    for record in related:
        if record.schema.is_a("Sanction"):
            sanctions.append(sanction_text(record))
            programs += record.get("programId")
        elif record.schema.is_a("Identification"):
            identifiers += record.get("number") + record.get("passportNumber")
            countries += record.get("country")
    return [
        entity.id,
        entity.schema.name,
        caption,
        join_values(v for v in _typed(entity, "name") if v != caption),
        join_values(entity.get("birthDate")),
        join_values(countries),
        join_values(_folded(addresses)),
        join_values(_folded(identifiers)),
        join_values(sanctions),
        join_values(_typed(entity, "phone")),
        join_values(_typed(entity, "email")),
        join_values(programs),
        join_values(entity.datasets),
        "",
        "",
        "",
    ]


def sanction_text(sanction: Entity) -> str:
    """OpenSanctions' one-line text for a Sanction; its summary when it has none of
    those properties (a Sanction read from this format)."""
    parts = [value for prop in SANCTION_TEXT for value in sanction.get(prop)]
    return " - ".join(parts) if parts else " ".join(sanction.get("summary"))


def _folded(values: Iterable[str]) -> list[str]:
    """Values with their spaces folded, as the reader cleans them back (a no-break
    space in an address is read as a space)."""
    return [" ".join(v.split()) for v in values]


def join_values(values: Iterable[str]) -> str:
    """Sorted distinct values separated by ';', each quoted if it holds ';', a quote or a
    line break (OpenSanctions quotes the same way, except for line breaks)."""
    cells = []
    for value in sorted(set(v for v in values if v)):
        if _NEEDS_QUOTES.search(value):
            value = '"' + value.replace('"', '""') + '"'
        cells.append(value)
    return ";".join(cells)


def split_values(path: Path, row: CsvRow, column: str) -> list[str]:
    """The values of a multi-valued cell; InputError on broken quoting inside it."""
    cell = row.values[column]
    values: list[str] = []
    current: list[str] = []
    state = "start"  # start | plain | quoted | closed
    for char in cell:
        if state == "quoted":
            state = "closed" if char == '"' else "quoted"
            if state == "quoted":
                current.append(char)
        elif char == ";":
            values.append("".join(current))
            current, state = [], "start"
        elif state == "closed" and char == '"':
            current.append('"')  # a doubled quote inside a quoted value
            state = "quoted"
        elif state == "closed":
            raise InputError(
                path,
                f"{char!r} after a closing quote in {cell!r}; expected ';' between values",
                row.line,
                column,
            )
        elif state == "start" and char == '"':
            state = "quoted"
        else:
            current.append(char)
            state = "plain"
    if state == "quoted":
        message = f"quoted value never closed in {cell!r}; expected a closing '\"'"
        raise InputError(path, message, row.line, column)
    values.append("".join(current))
    return [value.strip() for value in values if value.strip()]


def _typed(entity: Entity, kind: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every value of the entity's properties of FtM type ``kind``."""
    return [
        value
        for prop, values in entity.properties.items()
        if prop not in skip and (spec := entity.schema.get(prop)) and spec.type == kind
        for value in values
    ]


def _row_entities(path: Path, row: CsvRow) -> tuple[Entity, list[Entity]]:
    values = row.values

    def fail(column: str, message: str) -> InputError:
        return InputError(path, message, row.line, column)

    entity_id = values["id"].strip()
    if (
        not entity_id
        or clean_value("entity", entity_id) != entity_id
        or len(entity_id) > MAX_TARGET_ID
    ):
        raise fail(
            "id",
            f"id {entity_id[:60]!r}; expected a non-empty id without spaces: ASCII letters "
            f"and digits, with '.' or '-' between them, at most {MAX_TARGET_ID} characters",
        )
    schema = values["schema"].strip()
    if schema not in target_schema_names():
        expected = ", ".join(target_schema_names())
        raise fail("schema", f"unknown schema {schema!r}; expected one of: {expected}")
    name = re.sub(r"\s+", " ", values["name"]).strip()
    if not name:
        raise fail("name", "empty name; expected the entity's name")
    if problem := name_too_long(name):
        raise fail("name", problem)
    target = Entity.make(schema, entity_id, caption=name, target=True)
    notes: list[str] = []

    def put(prop: str, column: str, items: list[str] | None = None) -> None:
        """Add what fits ``prop``; keep word for word in notes what does not."""
        values = split_values(path, row, column) if items is None else items
        put_or_note(target, prop, values, notes, column)

    put("name", "name", [name])
    put("alias", "aliases", [a for a in split_values(path, row, "aliases") if a != name])
    births = split_values(path, row, "birth_date")
    for birth in births:
        if not is_partial_date(birth):
            raise fail("birth_date", f"{birth!r}; expected {EXPECTED['date']}")
    if births and target.schema.get("birthDate") is None:
        raise fail("birth_date", f"a birth date for a {schema}; expected it empty (persons only)")
    put("birthDate", "birth_date", births)
    put("country", "countries")
    put("address", "addresses")
    id_prop = next((p for p in ("idNumber", "registrationNumber") if target.schema.get(p)), "")
    put(id_prop or "idNumber", "identifiers")
    put("phone", "phones")
    put("email", "emails")
    put("programId", "program_ids")
    target.datasets = split_values(path, row, "dataset")
    try:
        target.add("notes", notes)
        sanctions = [
            _sanction(target, text, n)
            for n, text in enumerate(split_values(path, row, "sanctions"), 1)
        ]
    except InvalidValueError as exc:  # a text longer than FtM's 65,000 characters
        raise fail("sanctions" if exc.prop == "summary" else "notes", str(exc)) from None
    return target, sanctions


def _sanction(target: Entity, text: str, number: int) -> Entity:
    """A Sanction holding one sanctions text word for word; ids follow the EU reader's
    ``<target>--sanction`` (then ``-2``, ``-3``...), which no target id can take."""
    suffix = "--sanction" if number == 1 else f"--sanction-{number}"
    caption = text.split(" - ", 1)[0][:200]
    sanction = Entity.make("Sanction", f"{target.id}{suffix}", caption=caption)
    sanction.add("entity", target.id)
    sanction.add("summary", text)
    return sanction


def _list_name(path: Path) -> str:
    """The dataset folder of an OpenSanctions download (``<dataset>/targets.simple.csv``),
    else the file name without its extensions."""
    if path.name == _STANDARD_NAME and path.parent.name:
        return path.parent.name
    return path.name.split(".")[0] or path.name
