"""Versioned lists in the registry, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctio.errors import InputError, NotFoundError
from sanctio.lists import read_list
from sanctio.lists.eu_journal import COLUMNS
from sanctio.model.records import ListVersion, VersionEntity
from sanctio.registry import Registry
from tests.listfiles import NAME, read_rows, write_rows

YARMOSHINA = "eu-32006r0765-i-a-33"


def edited_copy(source: Path, target: Path, edits: dict[tuple[str, str], str]) -> Path:
    """A copy of an EU journal file with cells changed: {(record name, column): value}."""
    rows = read_rows(source)
    for (name, column), value in edits.items():
        row = next(r for r in rows if r[NAME] == name)
        row[COLUMNS.index(column)] = value
    return write_rows(target, rows)


def without_rows(source: Path, target: Path, names: set[str]) -> Path:
    """A copy of an EU journal file without the records of the named entities."""
    return write_rows(target, [r for r in read_rows(source) if r[NAME] not in names])


def test_first_import_creates_version_one(registry: Registry, belarus_csv: Path) -> None:
    result = registry.import_list(read_list(belarus_csv))
    assert result.created
    assert result.previous is None
    info = registry.version("eu-32006R0765")
    assert (info.version, info.entities) == (1, 408)
    assert info.by_schema == {"Asset": 1, "LegalEntity": 95, "Person": 312}
    assert [item.name for item in registry.lists()] == ["eu-32006R0765"]


def test_reimport_of_same_content_creates_no_version(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    copy = tmp_path / "renamed-copy.csv"
    copy.write_text(belarus_csv.read_text("utf-8").replace("\n", "\r\n"), "utf-8")
    again = registry.import_list(read_list(copy), name="eu-32006R0765")
    assert not again.created
    assert again.version.version == 1
    assert len(registry.versions("eu-32006R0765")) == 1


def test_edited_copy_diff_shows_exactly_the_edit(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    edited = edited_copy(
        belarus_csv,
        tmp_path / "edited.csv",
        {("Lidzia Mihailauna YARMOSHINA", "birthDate"): "29.1.1954"},
    )
    result = registry.import_list(read_list(edited), name="eu-32006R0765")
    assert result.created
    assert result.version.version == 2
    assert result.previous == 1
    diff = registry.diff("eu-32006R0765").to_dict()
    assert diff["added"] == []
    assert diff["removed"] == []
    assert diff["changed"] == [
        {
            "id": YARMOSHINA,
            "caption": "Lidzia Mihailauna YARMOSHINA",
            "schema": "Person",
            "properties": {"birthDate": {"old": ["1953-01-29"], "new": ["1954-01-29"]}},
        }
    ]
    # version 1 is untouched: immutable
    assert registry.entity(YARMOSHINA).appearances == {"eu-32006R0765": [1, 2]}
    old = {e.id: e for e in registry.entities("eu-32006R0765", 1)}
    assert old[YARMOSHINA].get("birthDate") == ["1953-01-29"]


def test_diff_reports_additions_removals_and_sanction_changes(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    smaller = without_rows(belarus_csv, tmp_path / "v1.csv", {"Aliaksandr Ryhoravich LUKASHENKA"})
    registry.import_list(read_list(smaller), name="blr")
    changed = edited_copy(
        belarus_csv,
        tmp_path / "v2.csv",
        {("Yuri Khadzimuratavich KARAEU", "reason"): "New statement of reasons."},
    )
    without_karaeu_removed = without_rows(
        changed, tmp_path / "v2b.csv", {"Lidzia Mihailauna YARMOSHINA"}
    )
    registry.import_list(read_list(without_karaeu_removed), name="blr")
    diff = registry.diff("blr", 1, 2).to_dict()
    assert [i["caption"] for i in diff["added"]] == ["Aliaksandr Ryhoravich LUKASHENKA"]
    assert [i["id"] for i in diff["removed"]] == [YARMOSHINA]
    (item,) = diff["changed"]
    assert item["caption"] == "Yuri Khadzimuratavich KARAEU"
    assert list(item["properties"]) == ["Sanction:reason"]
    assert item["properties"]["Sanction:reason"]["new"] == ["New statement of reasons."]
    assert item["properties"]["Sanction:reason"]["old"][0].startswith("In his former leadership")


def test_entity_view_has_spellings_sanction_and_versions(
    registry: Registry, belarus_csv: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    view = registry.entity(YARMOSHINA)
    assert "Лидия Михайловна ЕРМОШИНА" in view.entity.names
    (sanction,) = view.related
    assert sanction.get("listingDate") == ["2020-10-02"]
    assert view.appearances == {"eu-32006R0765": [1]}
    with pytest.raises(NotFoundError, match="no entity"):
        registry.entity("no-such-id")


def test_failed_import_stores_nothing_and_keeps_current_version(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    broken = edited_copy(
        belarus_csv,
        tmp_path / "broken.csv",
        {("Yuri Khadzimuratavich KARAEU", "birthDate"): "31.2.1966"},
    )
    with pytest.raises(InputError):
        registry.import_list(read_list(broken), name="eu-32006R0765")
    assert registry.version("eu-32006R0765").version == 1
    with Session(registry.engine) as session:
        assert session.scalar(select(func.count()).select_from(ListVersion)) == 1
        assert session.scalar(select(func.count()).select_from(VersionEntity)) == 816


def test_unknown_list_and_version_are_clear_errors(registry: Registry, belarus_csv: Path) -> None:
    with pytest.raises(NotFoundError, match="no list named 'x'"):
        registry.version("x")
    registry.import_list(read_list(belarus_csv))
    with pytest.raises(NotFoundError, match="no version 7"):
        registry.version("eu-32006R0765", 7)
    with pytest.raises(NotFoundError, match="only one version"):
        registry.diff("eu-32006R0765")


def test_import_interrupted_midway_stores_nothing(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    """Ctrl-C while rows are being written: the transaction is rolled back whole."""
    from tests.registry.test_kill_midway import big_list

    registry.import_list(read_list(belarus_csv), name="blr")
    big = read_list(big_list(belarus_csv, tmp_path / "big.csv", copies=3))
    assert len(big.entities) > 2000  # more than one batch of inserts

    def interrupt(done: int, total: int) -> None:
        assert done < total
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        # every id of the big list is new: the removal guard must be told
        registry.import_list(big, name="blr", progress=interrupt, allow_removals=True)
    assert registry.version("blr").version == 1
    with Session(registry.engine) as session:
        assert session.scalar(select(func.count()).select_from(ListVersion)) == 1
        assert session.scalar(select(func.count()).select_from(VersionEntity)) == 816


def test_diff_versions_must_exist(registry: Registry, belarus_csv: Path, tmp_path: Path) -> None:
    registry.import_list(read_list(belarus_csv))
    with pytest.raises(NotFoundError, match="versions start at 1"):
        registry.diff("eu-32006R0765", 0, 1)


def test_simultaneous_imports_of_one_list_queue_up(
    db_url: str, belarus_csv: Path, tmp_path: Path
) -> None:
    """Two delegations import different edits at once: both land, as versions 2 and 3."""
    import threading

    Registry(db_url).import_list(read_list(belarus_csv), name="blr")
    edits = [
        read_list(edited_copy(belarus_csv, tmp_path / f"e{i}.csv", {(name, "birthDate"): "1900"}))
        for i, name in enumerate(["Lidzia Mihailauna YARMOSHINA", "Yuri Khadzimuratavich KARAEU"])
    ]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(parsed: object) -> None:
        registry = Registry(db_url)
        try:
            start.wait()
            registry.import_list(parsed, name="blr")  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)
        finally:
            registry.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    registry = Registry(db_url)
    assert [v.version for v in registry.versions("blr")] == [1, 2, 3]
    # the later import replaced the earlier one's edit: each version is one whole file
    diff = registry.diff("blr", 2, 3).to_dict()
    assert len(diff["changed"]) == 2
    registry.close()
