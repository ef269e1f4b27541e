"""Reader for the UK Sanctions List in its CSV layout.

The FCDO's ``UK-Sanctions-List.csv`` starts with a ``Report Date: ...`` line, then a
header row, then one row per name of a designation, the designation's other fields
repeated on each row (https://www.gov.uk/government/publications/the-uk-sanctions-
list). Rows with the same Unique ID are merged into one designation; ``uk_list``
turns it into entities, the same as the XML reader does.

Headers are matched without regard to case or spacing; the designation type column
is accepted under both names the FCDO has used (``Designation Type`` and
``Individual, Entity, Ship``). Columns Sanctio does not use are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists.csvfile import decode_utf8, records
from sanctio.lists.files import read_bytes
from sanctio.lists.parsed import ParsedList
from sanctio.lists.uk_list import Designation, Name, build

FORMAT = "uk-csv"
#: Normalised header -> field (the XML element name).
FIELDS = {
    "last updated": "LastUpdated",
    "unique id": "UniqueID",
    "ofsi group id": "OFSIGroupID",
    "un reference number": "UNReferenceNumber",
    "title": "Title",
    "regime name": "RegimeName",
    "designation type": "IndividualEntityShip",
    "individual, entity, ship": "IndividualEntityShip",
    "designation source": "DesignationSource",
    "sanctions imposed": "SanctionsImposed",
    "other information": "OtherInformation",
    "uk statement of reasons": "UKStatementofReasons",
    "phone number": "PhoneNumber",
    "website": "Website",
    "email address": "EmailAddress",
    "date designated": "DateDesignated",
    "d.o.b": "DOB",
    "nationality(/ies)": "Nationality",
    "position": "Position",
    "gender": "Gender",
    "type of entity": "TypeOfEntity",
    "subsidiaries": "Subsidiary",
    "parent company": "ParentCompany",
    "business registration number(s)": "BusinessRegistrationNumber",
    "imo number": "IMONumber",
    "current owner/operator(s)": "CurrentOwnerOperator",
    "previous owner/operator(s)": "PreviousOwnerOperator",
    "current believed flag of ship": "CurrentBelievedFlagOfShip",
    "previous flags": "PreviousFlag",
    "type of ship": "TypeOfShip",
    "tonnage of ship": "TonnageOfShip",
    "length of ship": "LengthOfShip",
    "year built": "YearBuilt",
    "hull identification number(hin)": "HIN",
}
#: Records of several columns: field -> its columns, in the record's order.
RECORDS = {
    "BirthLocation": ("town of birth", "country of birth"),
    "Passport": ("passport number", "passport additional information"),
    "NationalIdentifier": (
        "national identifier number",
        "national identifier additional information",
    ),
}
NAME_COLUMNS = tuple(f"name {i}" for i in range(1, 7))
ADDRESS_LINES = tuple(f"address line {i}" for i in range(1, 7))
REQUIRED = ("unique id", "name 6", "name type", "regime name")
TYPE_COLUMNS = ("designation type", "individual, entity, ship")


def normalise(header: str) -> str:
    """A header as matched: lower case, single spaces, no space before a bracket."""
    return re.sub(r"\s+\(", "(", " ".join(header.split()).lower())


def _is_header(row: list[str]) -> bool:
    cells = {normalise(c) for c in row}
    return {"unique id", "name 6", "name type"} <= cells


def detect(head: bytes, path: Path) -> bool:
    """True when one of the first two records is the UK list's header row."""
    if not head:
        return False
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))[:2]
    except csv.Error:
        return False
    return any(_is_header(row) for row in rows)


def read(path: Path) -> ParsedList:
    """Every designation in the file as entities; InputError names the line and column."""
    records = _records(path)
    line, header = _header(path, records)
    columns = [normalise(c) for c in header]
    _check_columns(path, line, columns)
    designations: dict[str, Designation] = {}
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise InputError(
                path, f"expected {len(columns)} fields as in the header, got {len(row)}", line
            )
        values = dict(zip(columns, row, strict=True))
        unique_id = re.sub(r"\s+", "", values["unique id"])
        if not unique_id:
            raise InputError(path, "empty; expected the designation's Unique ID", line, "Unique ID")
        designation = designations.setdefault(unique_id, Designation(unique_id, line))
        _add_row(designation, values, line)
    return build(path, FORMAT, list(designations.values()))


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) of every CSV record; InputError on broken quoting."""
    text = decode_utf8(path, read_bytes(path))

    def broken(start: int, exc: csv.Error) -> InputError:
        return InputError(path, f"broken CSV quoting ({exc}); expected RFC 4180 CSV", start)

    yield from records(text, broken)


def _header(path: Path, records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The header row: the first record, or the second after a 'Report Date' line."""
    for line, row in records:
        if _is_header(row):
            return line, row
        if line == 1 and row and row[0].strip().lower().startswith("report date"):
            continue
        break
    raise InputError(
        path,
        "no UK Sanctions List header; expected a 'Report Date: ...' line, then a header "
        "with Unique ID, Name 1..Name 6, Name type, Regime Name and Designation Type",
        1,
    )


def _check_columns(path: Path, line: int, columns: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if not any(c in columns for c in TYPE_COLUMNS):
        missing.append("Designation Type")
    if missing:
        raise InputError(path, f"header lacks: {', '.join(missing)}", line)
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise InputError(path, f"header repeats: {', '.join(repeated)}", line)


def _add_row(designation: Designation, values: dict[str, str], line: int) -> None:
    """Merge one row into its designation: the row's name and every other field."""
    parts = tuple(values.get(c, "").strip() for c in NAME_COLUMNS)
    name_type, strength = values.get("name type", ""), values.get("alias strength", "")
    non_latin = values.get("name non-latin script", "")
    if any(parts) or not non_latin.strip():  # a row may carry a non-Latin name only
        designation.add_name(Name(parts, name_type.strip(), strength.strip(), line))
    designation.add_non_latin(non_latin, line)
    for column, key in FIELDS.items():
        if column in values:
            designation.add(key, values[column], line)
    for key, columns in RECORDS.items():
        designation.add_record(key, tuple(values.get(c, "") for c in columns), line)
    lines = ", ".join(v.strip() for c in ADDRESS_LINES if (v := values.get(c, "")).strip())
    address = (lines, values.get("address postal code", ""), values.get("address country", ""))
    designation.add_record("Address", address, line)
