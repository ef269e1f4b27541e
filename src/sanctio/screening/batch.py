"""Screening a whole file of customer records, on every core.

The index is built once in the parent process; worker processes are forked from it
and share it copy-on-write, so each core screens its share of rows without building
anything again. A bad row is reported with its line number and the rest is screened.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sanctio.errors import InputError
from sanctio.lists.csvfile import CsvRow, decode_utf8
from sanctio.screening.query import Query, QueryError
from sanctio.screening.screener import Screener

REQUIRED = ("id", "name")
OPTIONAL = ("birth_date", "country", "schema")
_SCREENER: Screener | None = None
_THRESHOLD = 0.0
_LIMIT = 10


@dataclass
class BatchSummary:
    rows: int = 0
    with_matches: int = 0
    errors: int = 0


def read_rows(path: Path) -> Iterator[CsvRow]:
    """Rows of a screening input file: a header with id and name, optional columns."""
    text = decode_utf8(path, path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(path, "file is empty; expected a header with id,name", 1) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            path,
            f"header lacks {', '.join(missing)}; expected id,name[,birth_date,country,schema]",
            1,
        )
    start = 2
    for row in reader:
        if any(cell.strip() for cell in row):
            values = dict(zip(header, row, strict=False))
            if len(row) != len(header):
                values["__error__"] = f"expected {len(header)} fields, got {len(row)}"
            yield CsvRow(start, values)
        start = reader.line_num + 1


class RowResult(NamedTuple):
    """A screened row as its output line, written in the worker: the parent process
    shares the two cores with the workers, so it only writes what they send back."""

    text: str
    line: int
    error: str | None
    matched: bool


def _screen_row(row: CsvRow) -> RowResult:
    assert _SCREENER is not None
    values = row.values
    record_id = values.get("id", "").strip()
    try:
        if "__error__" in values:
            raise QueryError(values["__error__"])
        query = Query.make(
            values.get("name", ""),
            # a row that does not say is screened against every kind of entity
            schema=values.get("schema", "").strip() or "Thing",
            birth_date=values.get("birth_date") or None,
            country=values.get("country") or None,
        )
    except QueryError as exc:
        failed = {"id": record_id, "line": row.line, "error": str(exc)}
        return RowResult(_json_line(failed), row.line, str(exc), False)
    matches = [
        m.to_dict() for m in _SCREENER.screen(query, _THRESHOLD, _LIMIT) if m.comparison.match
    ]
    return RowResult(
        _json_line({"id": record_id, "matches": matches}), row.line, None, bool(matches)
    )


def _json_line(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False) + "\n"


def screen_file(
    screener: Screener,
    source: Path,
    out: Path,
    threshold: float,
    limit: int = 10,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_error: Callable[[int, str], None] | None = None,
) -> BatchSummary:
    """Screen every row of ``source`` into JSON lines at ``out``; one output line a row."""
    global _SCREENER, _THRESHOLD, _LIMIT
    rows = list(read_rows(source))
    _SCREENER, _THRESHOLD, _LIMIT = screener, threshold, limit
    summary = BatchSummary()
    count = workers or os.cpu_count() or 1
    with _collected_apart(), out.open("w", encoding="utf-8") as sink:
        if count == 1 or len(rows) < 200:
            results: Iterator[RowResult] = map(_screen_row, rows)
            _write(results, sink, summary, progress, on_error)
        else:
            context = multiprocessing.get_context("fork")
            with context.Pool(count) as pool:
                results = pool.imap(_screen_row, rows, chunksize=128)
                _write(results, sink, summary, progress, on_error)
    return summary


@contextmanager
def _collected_apart() -> Iterator[None]:
    """The objects there are now (the index's) left out of garbage collections while
    the file is screened: a full collection walks every object it tracks (a tenth of
    the time screening took), and in a worker each page it touches is copied from the
    parent. Left frozen if they already were (a service freezes its index for good)."""
    already = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not already:
            gc.unfreeze()


def _write(
    results: Iterator[RowResult],
    sink: Any,
    summary: BatchSummary,
    progress: Callable[[int], None] | None,
    on_error: Callable[[int, str], None] | None,
) -> None:
    for result in results:
        summary.rows += 1
        if result.error is not None:
            summary.errors += 1
            if on_error:
                on_error(result.line, result.error)
        elif result.matched:
            summary.with_matches += 1
        sink.write(result.text)
        if progress:
            progress(summary.rows)
