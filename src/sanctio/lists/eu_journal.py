"""Reader for the EU journal CSV: one row per designated entity, as the Official Journal
annexes print it (format described in ``docs/formats.md``).

Each row becomes one target entity (Person, LegalEntity, ...) and one Sanction. The
entity id comes from the publisher's own record id (CELEX, annex, record number), so
the same person keeps the same id across versions of the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists.csvfile import CsvRow, first_record, read_csv
from sanctio.lists.dates import DateError, parse_date, parse_dates
from sanctio.lists.fitting import put_or_note
from sanctio.lists.name_variants import person_name_variants
from sanctio.lists.parsed import ParsedList, name_too_long
from sanctio.model import Entity, InvalidValueError, countries_in, target_schema_names
from sanctio.model.types import clean_phone

FORMAT = "eu-journal-csv"
COLUMNS = [
    "celex",
    "recordId",
    "programKey",
    "annex",
    "measure",
    "startDate",
    "reason",
    "schema",
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "country",
    "nationality",
    "jurisdiction",
    "birthDate",
    "birthPlace",
    "position",
    "passportNumber",
    "gender",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "flag",
    "address",
    "phone",
    "email",
    "website",
    "notes",
]
AUTHORITY = "European Union"
EUR_LEX = "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=CELEX:{celex}"
#: A CELEX number as EUR-Lex writes it (32006R0765, 32014D0386(01), 02014R0833-20240625).
_CELEX = re.compile(r"[0-9A-Za-z][0-9A-Za-z()._-]{0,39}")
#: Longest target id: its Sanction adds ``--sanction`` and FtM takes 200 characters.
MAX_TARGET_ID = 180

#: Columns copied as they are (split on ';') into the FtM property of the same name.
PLAIN = [
    "weakAlias",
    "birthPlace",
    "position",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "address",
]
#: Contact columns: several values per cell, separated by ';', ',', '/', 'and' or spaces.
CONTACTS = {"phone": "phone", "email": "email", "website": "url"}
_GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female"}


def detect(head: bytes, path: Path) -> bool:
    """True when the file's first record is the EU journal header."""
    return bool(head) and first_record(head) == COLUMNS


def split_cell(value: str) -> list[str]:
    """A multi-valued cell's values: the journal separates them with ';'."""
    return [part.strip() for part in value.split(";") if part.strip()]


def read(path: Path) -> ParsedList:
    """Every row of an EU journal CSV as entities; InputError on the first bad row."""
    entities: list[Entity] = []
    made_on: dict[str, int] = {}
    celex = ""
    for row in read_csv(path, COLUMNS, "EU journal CSV"):
        row_celex = row.values["celex"].strip()
        if not _CELEX.fullmatch(row_celex):
            found = f"{row_celex[:40]!r}" if row_celex else "empty"
            raise InputError(
                path, f"{found}; expected a CELEX number such as 32006R0765", row.line, "celex"
            )
        if celex and row_celex != celex:
            raise InputError(
                path,
                f"{row_celex!r} differs from {celex!r} above; expected one regime per file",
                row.line,
                "celex",
            )
        celex = row_celex
        target_id = _entity_id(path, row, made_on)
        entities.extend(_row_entities(path, row, target_id))
    if not entities:
        raise InputError(path, "no records after the header; expected at least one row", 2)
    return ParsedList(f"eu-{celex}", FORMAT, path, entities)


def contact_values(cell: str, kind: str, regions: tuple[str, ...]) -> list[str]:
    """Phones, e-mails or web addresses in a cell, each as one value.

    Phones are normalised to E.164 (``+375172301122``), using the row's countries to read
    national numbers; what cannot be read is returned as written, for the notes.
    """
    found: list[str] = []
    for part in split_cell(cell):
        if kind == "phone":
            for piece in re.split(r"\s*(?:,|/|\band\b)\s*", part):
                if piece.strip():
                    found.append(clean_phone(piece, regions) or piece.strip())
        else:
            found.extend(p for p in re.split(r"[\s,]+(?:and\s+)?", part) if p)
    return found


def _slug(*parts: str) -> str:
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def _entity_id(path: Path, row: CsvRow, made_on: dict[str, int]) -> str:
    """The target's id: from the publisher's record id, else from annex and name.

    Record numbers restart in each annex, so the annex is part of the key. A record id
    used twice is an error; a name repeated in an annex without record ids is numbered.
    """
    values = row.values
    celex, annex, record = (values[c].strip() for c in ("celex", "annex", "recordId"))
    if record:
        entity_id = _slug("eu", celex, annex, record)
        if entity_id in made_on:
            raise InputError(
                path,
                f"record id {record!r} in annex {annex!r} gives the same id as line "
                f"{made_on[entity_id]} ({entity_id}); expected each record id once per annex",
                row.line,
                "recordId",
            )
    else:
        base = _slug("eu", celex, annex, _slug(values["name"])[:80])
        entity_id, n = base, 1
        while entity_id in made_on:
            n += 1
            entity_id = f"{base}-{n}"
    if len(entity_id) > MAX_TARGET_ID:
        raise InputError(
            path,
            f"celex, annex and {'recordId' if record else 'name'} make an id of "
            f"{len(entity_id)} characters; expected at most {MAX_TARGET_ID}",
            row.line,
            "recordId" if record else "annex",
        )
    made_on[entity_id] = row.line
    return entity_id


def _row_entities(path: Path, row: CsvRow, target_id: str) -> list[Entity]:
    values = row.values

    def fail(column: str, expected: str) -> InputError:
        return InputError(path, expected, row.line, column)

    schema = values["schema"].strip()
    if schema not in target_schema_names():
        expected = ", ".join(target_schema_names())
        raise fail("schema", f"unknown schema {schema!r}; expected one of: {expected}")
    name = re.sub(r"\s+", " ", values["name"]).strip()
    if not name:
        raise fail("name", "empty name; expected the name as the journal prints it")
    if problem := name_too_long(name):
        raise fail("name", problem)
    target = Entity.make(schema, target_id, caption=name, target=True)
    notes: list[str] = []

    def put(prop: str, items: list[str], column: str) -> None:
        """Add to ``prop`` what fits it; keep in notes what the schema or type refuses.

        Publishers write prose into identifier and contact cells ("A31142734 (Malaysian
        number, issued on ...)"); such text is kept, word for word, in notes.
        """
        put_or_note(target, prop, items, notes, column)

    def dates(column: str, parse: Callable[[str], list[str]] = parse_dates) -> list[str]:
        found: list[str] = []
        for part in split_cell(values[column]):
            try:
                parsed = parse(part)
            except DateError as exc:
                raise fail(column, str(exc)) from None
            if parsed:
                found.extend(parsed)
            else:
                notes.append(f"{column}: {part}")
        return found

    person = target.schema.is_a("Person")
    put("name", [name], "name")
    for column in ("alias", "previousName"):
        spellings: list[str] = []
        for part in split_cell(values[column]):
            pieces = re.split(r"\s+or\s+", part) if column == "previousName" else [part]
            for piece in pieces:
                spellings.extend(person_name_variants(piece) if person else [piece])
        if person and column == "alias":
            spellings.extend(v for v in person_name_variants(name) if v != name)
        put(column, [s for s in spellings if s != name], column)
    for column in PLAIN:
        put(column, split_cell(values[column]), column)
    regions: list[str] = []
    for column in ("country", "nationality", "jurisdiction", "flag"):
        text = values[column].strip()
        codes = countries_in(text) if text else []
        if text and not codes:
            notes.append(f"{column}: {text}")
        prop = column
        if column == "nationality" and not person:
            prop = "country"
        if target.schema.get(prop) is None:
            prop = "country"
        put(prop, codes, column)
        regions.extend(codes)
    regions.extend(countries_in(values["address"]))
    for column, kind in CONTACTS.items():
        for item in contact_values(values[column], kind, tuple(regions)):
            put(column, [item], column)
    put("birthDate", dates("birthDate"), "birthDate")
    put("incorporationDate", dates("incorporationDate"), "incorporationDate")
    passports: list[str] = []
    ids: list[str] = []
    for part in split_cell(values["passportNumber"]):
        passports.extend(p.strip() for p in re.split(r"\s+and\s+", part) if p.strip())
    for part in split_cell(values["idNumber"]):
        label, _, number = part.partition(":")
        if number and label.strip().lower() == "passport":
            passports.append(number.strip(" ."))
        else:
            ids.append(part)
    put("passportNumber", passports, "passportNumber")
    put("idNumber", ids, "idNumber")
    gender = values["gender"].strip().strip(".")
    if gender:
        if gender.lower() not in _GENDERS:
            raise fail("gender", f"unknown gender {gender!r}; expected male or female")
        put("gender", [_GENDERS[gender.lower()]], "gender")
    listed = dates("startDate", lambda text: [d] if (d := parse_date(text)) else [])
    if len(listed) > 1:
        raise fail("startDate", f"{len(listed)} dates; expected one listing date")
    program = values["programKey"].strip()
    put("programId", [program], "programKey")
    put("topics", ["sanction"], "schema")
    try:
        target.add("notes", [*split_cell(values["notes"]), *notes])
    except InvalidValueError as exc:
        raise fail("notes", str(exc)) from None
    sanction = _sanction(path, row, target, program, listed[0] if listed else None)
    return [target, sanction]


def _sanction(path: Path, row: CsvRow, target: Entity, program: str, listed: str | None) -> Entity:
    """The row's Sanction: who listed the target, under which regime, why and since when.

    Its id adds ``--sanction`` to the target's: a slug never has two dashes in a row, so
    it cannot clash with another target's id. A value the Sanction cannot hold (a
    programme key longer than an identifier, a measure longer than FtM's 1,024
    characters) is an error naming its column: the journal's transcription is ours to fix.
    """
    values = row.values
    measure = values["measure"].strip()
    celex = values["celex"].strip()
    caption = f"{program}: {measure}"
    sanction = Entity.make("Sanction", f"{target.id}--sanction", caption=caption)

    def add(prop: str, value: str | None, column: str) -> None:
        try:
            sanction.add(prop, value)
        except InvalidValueError as exc:
            raise InputError(path, str(exc), row.line, column) from None

    sanction.add("entity", target.id)
    sanction.add("authority", AUTHORITY)
    add("programId", program, "programKey")
    add("program", f"{program} (CELEX {celex})", "programKey")
    add("provisions", measure, "measure")
    add("reason", values["reason"], "reason")
    add("recordId", values["recordId"], "recordId")
    add("summary", f"Annex {values['annex'].strip()}", "annex")
    add("sourceUrl", EUR_LEX.format(celex=celex), "celex")
    add("listingDate", listed, "startDate")
    add("startDate", listed, "startDate")
    return sanction
