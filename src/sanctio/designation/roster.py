"""The roster CSV: who held which post of which body, from when, on whose word.

A roster is read whole before anything is stored, so a bad row refuses the file with
its line and column and nothing of it is kept.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sanctio.designation.responsibility_types import (
    ISO_DATE,
    FieldError,
    Holding,
    check_sha,
    person_entity,
)
from sanctio.errors import InputError
from sanctio.lists.csvfile import decode_utf8, records

#: The roster CSV's columns, in this order; ``OPTIONAL_COLUMNS`` may follow.
ROSTER_COLUMNS = (
    "body_code",
    "body_name",
    "body_kind",
    "parent_code",
    "post",
    "rank",
    "person_name",
    "birth_date",
    "start_date",
    "end_date",
    "source",
)
OPTIONAL_COLUMNS = ("evidence_sha256", "body_date")
#: Separates the spellings of one person's name in a roster cell (the first is primary).
NAME_SEPARATOR = "|"


def read_roster(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, values by column) of each non-blank row of a roster CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror}") from None
    text = decode_utf8(path, data)

    def broken(start: int, exc: csv.Error) -> InputError:
        return InputError(path, f"broken CSV quoting ({exc})", start)

    header: list[str] | None = None
    for line, cells in records(text, broken):
        if header is None:
            header = [cell.strip() for cell in cells]
            _check_header(path, header)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                path, f"expected {len(header)} fields as in the header, got {len(cells)}", line
            )
        values = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}
        yield (
            line,
            {column: values.get(column, "") for column in (*ROSTER_COLUMNS, *OPTIONAL_COLUMNS)},
        )
    if header is None:
        raise InputError(path, "file is empty; expected a roster with a header row", 1)


def _check_header(path: Path, header: list[str]) -> None:
    required = list(ROSTER_COLUMNS)
    extra = header[len(required) :]
    if (
        header[: len(required)] == required
        and all(c in OPTIONAL_COLUMNS for c in extra)
        and len(set(extra)) == len(extra)
    ):
        return
    raise InputError(
        path,
        f"not a roster header; expected {','.join(required)} "
        f"(optionally followed by {', '.join(OPTIONAL_COLUMNS)}), got {','.join(header)}",
        1,
    )


def row_date(path: Path, line: int, row: dict[str, str], column: str) -> date | None:
    value = row[column]
    if not value:
        return None
    if ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(path, f"{value!r} is not a date; expected YYYY-MM-DD", line, column)


def check_body_row(
    path: Path, line: int, row: dict[str, str], bodies: dict[str, tuple[int, dict[str, str]]]
) -> None:
    """Collect the row's body; rows naming one body differently are refused."""
    code = row["body_code"]
    if not code:
        raise InputError(path, "a row needs the body's code", line, "body_code")
    row_date(path, line, row, "body_date")
    if code not in bodies:
        bodies[code] = (line, row)
        return
    first_line, first = bodies[code]
    merged = dict(first)
    for column in ("body_name", "body_kind", "parent_code", "body_date"):
        if row[column] and first[column] and row[column] != first[column]:
            raise InputError(
                path,
                f"body {code} has {column} {first[column]!r} on line {first_line}, "
                f"here {row[column]!r}",
                line,
                column,
            )
        merged[column] = first[column] or row[column]
    bodies[code] = (first_line, merged)


def holding_of_row(path: Path, line: int, row: dict[str, str]) -> Holding | None:
    """The row's occupancy, or None for a row that describes only its body."""
    occupancy_columns = ("post", "rank", "person_name", "birth_date", "start_date", "end_date")
    if not any(row[c] for c in occupancy_columns) and not row["source"]:
        return None
    for column in ("post", "rank", "person_name", "start_date", "source"):
        if not row[column]:
            raise InputError(path, f"empty {column}; an occupancy row needs it", line, column)
    if not re.fullmatch(r"[0-9]+", row["rank"]) or int(row["rank"]) < 1:
        raise InputError(
            path, f"rank {row['rank']!r}; expected 1 (the head of the body) or more", line, "rank"
        )
    start = row_date(path, line, row, "start_date")
    assert start is not None
    names = tuple(n.strip() for n in row["person_name"].split(NAME_SEPARATOR) if n.strip())
    try:
        person_entity(names, row["birth_date"] or None)
        if row["evidence_sha256"]:
            check_sha(row["evidence_sha256"])
    except FieldError as exc:
        raise InputError(path, str(exc), line, exc.column) from None
    return Holding(
        body_code=row["body_code"],
        post=row["post"],
        rank=int(row["rank"]),
        person_names=names,
        start=start,
        source=row["source"],
        end=row_date(path, line, row, "end_date"),
        birth_date=row["birth_date"] or None,
        body_name=row["body_name"],
        body_kind=row["body_kind"],
        parent_code=row["parent_code"] or None,
        body_date=row_date(path, line, row, "body_date"),
        evidence_sha256=row["evidence_sha256"] or None,
    )
