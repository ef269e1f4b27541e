"""Reading CSV list files strictly, with errors that point at the line and column.

Python's ``csv`` module parses; this module decides what is wrong when it refuses a
file (encoding, quoting, header, field count) and says where, in the user's terms.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists.files import read_bytes


@dataclass(frozen=True)
class CsvRow:
    """One record: the line it starts on and its values by column name."""

    line: int
    values: dict[str, str]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a spreadsheet takes as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_START = (*FORMULA_START, "'")


def escape_formula(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text: a leading ``=``, ``+``, ``-``, ``@``,
    tab or carriage return gets a single quote before it, so that a name such as
    ``=HYPERLINK(...)`` is never run. A cell that already starts with a quote before
    one of those (or before another quote) gets one more, so that ``unescape_formula``
    gives back exactly what was written."""
    if cell.startswith(FORMULA_START) or (cell[:1] == "'" and cell[1:2].startswith(_ESCAPED_START)):
        return "'" + cell
    return cell


def unescape_formula(cell: str) -> str:
    """The value ``escape_formula`` wrote: one leading quote before a formula
    character (or another quote) removed."""
    if cell[:1] == "'" and cell[1:2].startswith(_ESCAPED_START):
        return cell[1:]
    return cell


def decode_utf8(path: Path, data: bytes) -> str:
    """Text of a UTF-8 file (a BOM is allowed); InputError names the first bad character.

    Control characters other than tab and line breaks are refused too: they are never
    part of a name, and PostgreSQL cannot store NUL.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(
            path,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; expected a UTF-8 encoded file",
            data.count(b"\n", 0, exc.start) + 1,
            column,
        ) from None
    bad = _CONTROL.search(text)
    if bad:
        line_start = text.rfind("\n", 0, bad.start()) + 1
        raise InputError(
            path,
            f"control character U+{ord(bad.group()):04X}; expected printable text",
            text.count("\n", 0, bad.start()) + 1,
            bad.start() - line_start + 1,
        )
    return text


def first_record(head: bytes) -> list[str] | None:
    """The first CSV record of a file's first bytes, stripped, for format detection."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    try:
        row = next(csv.reader(io.StringIO(text, newline="")), None)
    except csv.Error:
        return None
    return [cell.strip() for cell in row] if row else None


def read_csv(path: Path, header: Sequence[str], what: str) -> Iterator[CsvRow]:
    """Rows of a comma-separated file whose first line must be ``header``.

    Blank lines (also lines of spaces only) are skipped.
    """
    text = decode_utf8(path, read_bytes(path))
    if not text.strip():
        raise InputError(path, f"file is empty; expected a {what} with a header row", 1)
    lines = io.StringIO(text, newline="").readlines()
    first = True

    def broken(start: int, exc: csv.Error) -> InputError:
        return _quoting_error(path, lines, start, header, exc, first)

    for start, row in records(text, broken):
        if first:
            _check_header(path, row, header, what)
            first = False
        elif any(cell.strip() for cell in row):
            if len(row) != len(header):
                raise InputError(
                    path, f"expected {len(header)} fields as in the header, got {len(row)}", start
                )
            yield CsvRow(start, dict(zip(header, row, strict=True)))


def records(
    text: str, broken: Callable[[int, csv.Error], InputError]
) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, cells) of every record of CSV text, strictly; broken
    quoting raises what ``broken`` makes of the record's start line and the error (each
    format words it for its own layout)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise broken(start, exc) from None
        yield start, row
        start = reader.line_num + 1


def _check_header(path: Path, row: list[str], header: Sequence[str], what: str) -> None:
    if [cell.strip() for cell in row] == list(header):
        return
    missing = [c for c in header if c not in row]
    unexpected = [c for c in row if c not in header]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(missing))
    if unexpected:
        detail.append("unexpected " + ", ".join(repr(c) for c in unexpected))
    if not detail:
        detail.append("columns out of order")
    raise InputError(
        path,
        f"not a {what} header ({'; '.join(detail)}); expected: {','.join(header)}",
        1,
    )


def _quoting_error(
    path: Path,
    lines: list[str],
    start: int,
    header: Sequence[str],
    exc: csv.Error,
    in_header: bool,
) -> InputError:
    """Where the record starting at line ``start`` breaks RFC 4180 quoting."""
    field, offset, problem = locate_quoting_problem("".join(lines[start - 1 :]))
    line = start + "".join(lines[start - 1 :])[:offset].count("\n")
    column: str | int | None = None
    if not in_header and field < len(header):
        column = header[field]
    return InputError(path, f"{problem} ({exc})", line, column)


def locate_quoting_problem(text: str) -> tuple[int, int, str]:
    """(field index, character offset, description) of the first quoting error in a record."""
    field, state, opened = 0, "start", 0
    for offset, char in enumerate(text):
        if state == "start":
            if char == '"':
                state, opened = "quoted", offset
            elif char == ",":
                field += 1
            elif char in "\r\n":
                break
            else:
                state = "plain"
        elif state == "plain":
            if char == ",":
                field, state = field + 1, "start"
            elif char in "\r\n":
                break
        elif state == "quoted":
            if char == '"':
                state = "closed"
        elif char == '"':
            state = "quoted"
        elif char == ",":
            field, state = field + 1, "start"
        elif char in "\r\n":
            break
        else:
            return field, offset, "expected ',' or end of line after a closing quote"
    if state == "quoted":
        return field, opened, "quoted field is never closed; expected a closing '\"'"
    return field, 0, "broken quoting; expected RFC 4180 CSV"
