"""Reading and writing EU journal CSV rows in tests, to make edited copies of real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sanctio.lists.eu_journal import COLUMNS

NAME = COLUMNS.index("name")


def read_rows(path: Path) -> list[list[str]]:
    """Every record of a CSV file, header first."""
    return list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    """Write records as RFC 4180 CSV with LF line ends; returns ``path``."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8")
    return path
