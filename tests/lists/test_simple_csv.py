"""OpenSanctions' targets.simple.csv: its real layout in, the Belarus list out and back,
quoting inside cells, values Sanctio refuses, and broken files."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.errors import InputError
from sanctio.lists import detect_format, read_list
from sanctio.lists.simple_csv import COLUMNS, join_values, read, write
from sanctio.model import Entity, target_schema_names
from sanctio.model.types import clean_value
from tests.lists.test_ftm_json import VALUES, entities

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "opensanctions" / "targets.simple.csv"
HEADER = ",".join(f'"{c}"' for c in COLUMNS)


def write_text(entities: list[Entity]) -> str:
    buffer = io.StringIO(newline="")
    write(entities, buffer)
    return buffer.getvalue()


def write_file(path: Path, entities: list[Entity]) -> Path:
    path.write_bytes(write_text(entities).encode("utf-8"))
    return path


def test_reads_the_opensanctions_layout() -> None:
    parsed = read(FIXTURE)
    assert parsed.format == "targets-simple-csv"
    assert parsed.name == "opensanctions"  # the dataset folder of the download
    assert parsed.by_schema() == {"LegalEntity": 1, "Person": 3}
    by_id = {e.id: e for e in parsed.entities}
    person = by_id["NK-fixtureYarmoshina"]
    assert person.target
    assert person.caption == "Lidzia Mihailauna YARMOSHINA"
    assert person.names == [
        "Lidzia Mihailauna YARMOSHINA",
        "Lidia Mikhailovna YERMOSHINA",
        "Лiдзiя Мiхайлаўна ЯРМОШЫНА",
        "Лидия Михайловна ЕРМОШИНА",
    ]
    assert person.get("birthDate") == ["1953-01-29"]
    assert person.get("programId") == ["EU-BLR"]
    assert person.datasets == ["EU Financial Sanctions Files (FSF)"]
    (sanction,) = (e for e in parsed.entities if e.first("entity") == person.id)
    assert sanction.id == "NK-fixtureYarmoshina--sanction"
    (text,) = sanction.get("summary")
    assert text.startswith("EU-BLR - In her former position as Chairwoman")
    assert text.endswith("composed in a biased manner. - 2020-10-02")
    # a quote inside a value inside a cell: quoted twice over in the file
    mukavozchyk = by_id["NK-fixtureMukavozchyk"]
    assert mukavozchyk.get("idNumber") == ["MP 2387911", "MP 3413113"]
    assert mukavozchyk.get("country") == ["by"]
    (text,) = by_id["NK-fixtureMukavozchyk--sanction"].get("summary")
    assert 'publishing in "Belarus Today", the official newspaper' in text
    company = by_id["NK-fixtureBeltechexport"]
    assert company.get("idNumber") == ["100138662"]
    assert company.get("address") == ["Nezavisimosti Ave. 86-B, Minsk, Belarus"]
    assert company.get("email") == ["mail@bte.by"]
    # OpenSanctions' crawl timestamps are not content
    assert "2026-08-22" not in repr([e.to_dict() for e in parsed.entities])


def test_fixture_rewritten_is_the_fixture_but_for_crawl_timestamps() -> None:
    ours = write_text(read(FIXTURE).entities).splitlines()
    theirs = FIXTURE.read_text("utf-8").splitlines()
    assert ours[0] == theirs[0] == HEADER
    for mine, original in zip(ours[1:], theirs[1:], strict=True):
        assert mine.endswith(',"","",""')
        assert mine.rsplit(",", 3)[0] == original.rsplit(",", 3)[0]


def test_belarus_list_round_trips_what_the_format_carries(
    belarus_csv: Path, tmp_path: Path
) -> None:
    original = read_list(belarus_csv)
    first = write_file(tmp_path / "targets.csv", original.entities)
    again = read_list(first)
    assert again.format == "targets-simple-csv"
    before = {e.id: e for e in original.targets}
    after = {e.id: e for e in again.targets}
    assert list(after) == list(before)
    for entity_id, old in before.items():
        new = after[entity_id]
        assert (new.schema, new.caption) == (old.schema, old.caption)
        assert set(new.names) == set(old.names)
        assert new.get("birthDate") == old.get("birthDate")
        assert set(new.get("email")) == set(old.get("email"))
    # and writing what was read gives the same file, byte for byte
    assert write_file(tmp_path / "again.csv", again.entities).read_bytes() == first.read_bytes()


def test_writer_layout_for_yarmoshina(belarus_csv: Path) -> None:
    lines = write_text(read_list(belarus_csv).entities).splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 409  # header and one row per target, no sanction rows
    row = next(line for line in lines if "YARMOSHINA" in line)
    assert row.startswith(
        '"eu-32006r0765-i-a-33","Person","Lidzia Mihailauna YARMOSHINA",'
        '"Lidia Mikhailovna YERMOSHINA;Лiдзiя Мiхайлаўна ЯРМОШЫНА;Лидия Михайловна ЕРМОШИНА",'
        '"1953-01-29","","","","EU-BLR (CELEX 32006R0765) - In her former position'
    )
    assert row.endswith('in a biased manner. - 2020-10-02","","","EU-BLR","","","",""')


def test_values_holding_separators_are_quoted_inside_the_cell(tmp_path: Path) -> None:
    target = Entity.make("LegalEntity", "le-1", caption="Test; Ltd", target=True)
    target.add("name", ["Test; Ltd", 'The "Test" Ltd', "Test\nLtd", "Plain"])
    target.add("registrationNumber", ["B;2", "A1"])
    assert join_values(target.get("registrationNumber")) == 'A1;"B;2"'
    parsed = read(write_file(tmp_path / "q.csv", [target]))
    (again,) = parsed.entities
    assert again.caption == "Test; Ltd"
    assert sorted(again.get("alias")) == ["Plain", "Test Ltd", 'The "Test" Ltd']
    assert again.get("idNumber") == ["A1", "B;2"]


def test_values_sanctio_refuses_are_kept_in_notes(tmp_path: Path) -> None:
    text = FIXTURE.read_text("utf-8").replace('"1963-06-13","by",', '"1963-06-13","by;ua-cri",')
    path = tmp_path / "edited.csv"
    path.write_text(text, "utf-8")
    person = next(e for e in read(path).entities if e.id == "NK-fixtureMukavozchyk")
    assert person.get("country") == ["by"]
    assert person.get("notes") == ["countries: ua-cri"]


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text("utf-8")
    assert old in text
    path = tmp_path / "bad.csv"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ('"program_ids",', '"programs",', "line 1", "missing program_ids; unexpected 'programs'"),
        ('"Person","Lidzia', '"Persn","Lidzia', "line 2, column schema", "unknown schema 'Persn'"),
        ('"Person","Lidzia', '"Sanction","Lidzia', "line 2, column schema", "'Sanction'"),
        ('"Lidzia Mihailauna YARMOSHINA"', '" "', "line 2, column name", "empty name"),
        (
            '"NK-fixtureLukashenka"',
            '"NK-fixtureYarmoshina"',
            "line 3, column id",
            "first on line 2",
        ),
        ('"NK-fixtureYarmoshina"', '""', "line 2, column id", "expected a non-empty id"),
        ('"1953-01-29"', '"29.1.1953"', "line 2, column birth_date", "expected an ISO date"),
        (
            '"Белтехэкспорт","",',
            '"Белтехэкспорт","1990",',
            "line 5, column birth_date",
            "a birth date for a LegalEntity",
        ),
        (
            '"Lidia Mikhailovna YERMOSHINA;',
            '"""Lidia"" Mikhailovna;',
            "line 2, column aliases",
            "after a closing quote",
        ),
        ('"100138662"', '"""100138662"', "line 5, column identifiers", "never closed"),
    ],
)
def test_bad_rows_name_the_line_column_and_what_was_expected(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    path = _edited(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}, {where}: "), str(caught.value)
    assert message in str(caught.value)


def test_only_the_exact_header_is_detected(belarus_csv: Path, tmp_path: Path) -> None:
    assert detect_format(FIXTURE) == "targets-simple-csv"
    assert detect_format(belarus_csv) == "eu-journal-csv"
    other = tmp_path / "other.csv"
    other.write_text(HEADER.replace('"dataset"', '"datasets"') + "\n", "utf-8")
    with pytest.raises(InputError, match="unrecognised list format"):
        detect_format(other)


# -- any valid targets round-trip through the fields the format carries -------------

#: Asset is left out: FtM gives it no identifier property to read identifiers back into.
SCHEMATA = tuple(s for s in target_schema_names() if s != "Asset")


@st.composite
def targets_with_sanctions(draw: st.DrawFn) -> list[Entity]:
    target = draw(entities(SCHEMATA))
    target.target = True
    target.caption = clean_value("name", draw(VALUES["name"])) or target.id
    sanctions = draw(st.lists(entities(("Sanction",)), max_size=2, unique_by=lambda e: e.id))
    for sanction in sanctions:
        sanction.target = False
        sanction.properties["entity"] = [target.id]
    return [target, *(s for s in sanctions if s.id != target.id)]


@settings(max_examples=150, deadline=None)
@given(st.lists(targets_with_sanctions(), min_size=1, max_size=4))
def test_any_valid_targets_round_trip(groups: list[list[Entity]]) -> None:
    items: list[Entity] = []
    seen: set[str] = set()
    for group in groups:
        if not {e.id for e in group} & seen:
            items.extend(group)
            seen |= {e.id for e in group}
    first = write_text(items)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(first.encode("utf-8"))
        again = read(path).entities
    assert write_text(again) == first
    targets = [e for e in items if e.target]
    read_targets = [e for e in again if e.target]
    assert [(e.id, e.schema.name, e.caption) for e in read_targets] == [
        (e.id, e.schema.name, e.caption) for e in targets
    ]
    for old, new in zip(targets, read_targets, strict=True):
        assert set(new.names) == set(old.names) | {old.caption}
        assert sorted(new.get("birthDate")) == sorted(set(old.get("birthDate")))


def test_opensanctions_ftm_entities_give_opensanctions_rows() -> None:
    """Passports and addresses held as entities of their own land in the target's row."""
    entities = read_list(FIXTURE.with_name("entities.ftm.json")).entities
    ours = list(csv.reader(io.StringIO(write_text(entities))))
    theirs = list(csv.reader(io.StringIO(FIXTURE.read_text("utf-8"))))
    program_ids = COLUMNS.index("program_ids")
    assert [row[: program_ids + 1] for row in ours] == [row[: program_ids + 1] for row in theirs]
