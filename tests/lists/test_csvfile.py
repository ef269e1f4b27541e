"""The strict CSV layer: any well-formed file reads back exactly, with the right lines."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctio.lists.csvfile import locate_quoting_problem, read_csv

HEADER = ["a", "b", "c"]
cells = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from('\n\t,"'),
    max_size=12,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8))
def test_written_rows_read_back_with_their_start_lines(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    rows = [r for r in rows if any(c.strip() for c in r)]  # blank rows are skipped
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, *rows])
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    read = list(read_csv(path, HEADER, "test file"))
    assert [[r.values[c] for c in HEADER] for r in read] == rows
    expected_line = 2
    for row, got in zip(rows, read, strict=True):
        assert got.line == expected_line
        expected_line += sum(cell.count("\n") for cell in row) + 1


def test_locates_stray_text_after_a_closing_quote() -> None:
    assert locate_quoting_problem('x,"ab"c,d\n') == (
        1,
        6,
        "expected ',' or end of line after a closing quote",
    )


def test_locates_an_unclosed_quote() -> None:
    field, offset, problem = locate_quoting_problem('x,y,"abc\nmore\n')
    assert (field, offset) == (2, 4)
    assert "never closed" in problem
