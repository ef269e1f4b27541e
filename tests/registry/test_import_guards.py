"""What an import may change (issue 22, findings 1, 2 and 16), on SQLite and PostgreSQL:
a list published by adoption is never replaced by import, a cut or wrong file does not
silently empty a list, and one list's ids never stand in for another's."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from sanctio.designation.consensus import Position
from sanctio.designation.workflow import Designation
from sanctio.errors import InputError, SanctioError
from sanctio.lists import ParsedList, read_list, simple_csv
from sanctio.lists.eu_journal import COLUMNS
from sanctio.model import Entity
from sanctio.model.records import ListVersion, SanctionsList, VersionEntity
from sanctio.registry import Registry
from sanctio.registry.audit import entries, verify
from sanctio.registry.store import ImportRefusedError
from tests.designation.test_workflow import OFFICER, circulated_package, delegate
from tests.listfiles import NAME, read_rows, write_rows

EU = "eu-32006R0765"
LUKASHENKA = "eu-32006r0765-i-a-45"


def versions_of(registry: Registry, name: str) -> int:
    return len(registry.versions(name))


def one_row(belarus_csv: Path, target: Path) -> Path:
    """The header and the first row of the EU Belarus file (finding 1's one.csv)."""
    return write_rows(target, read_rows(belarus_csv)[:2])


def cut_at_a_line(belarus_csv: Path, target: Path) -> Path:
    """The file's first lines, cut where the cut still reads as a valid file."""
    lines = belarus_csv.read_text("utf-8").split("\n")
    for count in range(40, 2, -1):
        target.write_text("\n".join(lines[:count]) + "\n", "utf-8")
        try:
            read_list(target)
        except InputError:
            continue
        return target
    raise AssertionError("no line boundary gives a readable file")


# -- finding 1: mass removal -------------------------------------------------------------


def test_one_row_over_the_full_list_is_refused_naming_the_removals(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    with pytest.raises(ImportRefusedError) as refused:
        registry.import_list(read_list(one_row(belarus_csv, tmp_path / "one.csv")), name=EU)
    message = str(refused.value)
    assert "one.csv would remove 407 of the 408 entities of eu-32006R0765" in message
    assert "--allow-removals" in message
    # the first removed are named by caption and id
    assert "Khazalbek Baktibekavich ATABEKAU (eu-32006r0765-i-a-10)" in message
    assert "and 402 more" in message
    assert "\n" not in message
    assert versions_of(registry, EU) == 1
    assert registry.version(EU).entities == 408


def test_a_file_cut_at_a_line_boundary_is_refused(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    cut = read_list(cut_at_a_line(belarus_csv, tmp_path / "cut.csv"))
    assert 0 < len(cut.targets) < 40
    with pytest.raises(ImportRefusedError, match=r"cut\.csv would remove \d+ of the 408"):
        registry.import_list(cut, name=EU)
    assert versions_of(registry, EU) == 1


def test_removals_within_the_share_need_no_override(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    rows = read_rows(belarus_csv)
    kept = [rows[0], *rows[1:][40:]]  # 40 of 408 removed: 9.8%
    result = registry.import_list(read_list(write_rows(tmp_path / "less.csv", kept)), name=EU)
    assert result.created
    assert len(result.removed) == 40
    assert not result.removals_allowed
    fewer = [rows[0], *rows[1:][40 + 37 :]]  # 37 of 368 more: 10.05%
    with pytest.raises(ImportRefusedError, match="would remove 37 of the 368"):
        registry.import_list(read_list(write_rows(tmp_path / "fewer.csv", fewer)), name=EU)


def test_the_share_is_a_setting(
    registry: Registry, belarus_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.import_list(read_list(belarus_csv))
    rows = read_rows(belarus_csv)
    without_one = [rows[0], *(r for r in rows[1:] if "YARMOSHINA" not in r[NAME])]
    monkeypatch.setenv("SANCTIO_MAX_REMOVAL_SHARE", "0")
    with pytest.raises(ImportRefusedError, match="more than 0%"):
        registry.import_list(read_list(write_rows(tmp_path / "x.csv", without_one)), name=EU)
    monkeypatch.setenv("SANCTIO_MAX_REMOVAL_SHARE", "100%")
    one = read_list(one_row(belarus_csv, tmp_path / "one.csv"))
    assert registry.import_list(one, name=EU).created
    monkeypatch.setenv("SANCTIO_MAX_REMOVAL_SHARE", "ten")
    with pytest.raises(SanctioError, match="SANCTIO_MAX_REMOVAL_SHARE: 'ten'; expected a share"):
        registry.import_list(read_list(belarus_csv), name=EU)


def test_allowed_removals_are_stored_and_audited(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv), actor="alice")
    one = read_list(one_row(belarus_csv, tmp_path / "one.csv"))
    result = registry.import_list(one, name=EU, allow_removals=True)
    assert result.created
    assert result.removals_allowed
    assert len(result.removed) == 407
    assert registry.version(EU).entities == 1
    first, second = [e for e in entries(registry.engine) if e.action == "list.imported"]
    assert first.actor == "alice"
    assert second.actor.startswith("os:")
    assert second.subject == f"list:{EU}"
    payload = second.payload
    assert payload["list"] == EU
    assert payload["version"] == 2
    assert payload["previous"] == 1
    assert payload["content_hash"] == registry.version(EU).content_hash
    assert (payload["entities"], payload["removed"], payload["guard_overridden"]) == (1, 407, True)
    assert "eu-32006r0765-i-a-10" in payload["removed_ids"]
    assert payload["source"] == "one.csv"
    assert payload["format"] == "eu-journal-csv"
    assert first.payload["guard_overridden"] is False
    assert verify(registry.engine).ok


def test_an_unchanged_or_refused_import_adds_no_audit_record(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    registry.import_list(read_list(belarus_csv))
    with pytest.raises(ImportRefusedError):
        registry.import_list(read_list(one_row(belarus_csv, tmp_path / "one.csv")), name=EU)
    assert [e.action for e in entries(registry.engine)] == ["list.imported"]


# -- finding 1: another format or regulation under the same name ------------------------


def test_another_format_under_the_name_is_refused_naming_both(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    simple = tmp_path / "targets.simple.csv"
    with simple.open("w", encoding="utf-8", newline="") as out:
        simple_csv.write(registry.entities(EU), out)  # the same targets, another format
    with pytest.raises(ImportRefusedError) as refused:
        registry.import_list(read_list(simple), name=EU)
    message = str(refused.value)
    assert "targets.simple.csv is targets-simple-csv" in message
    assert "eu-32006R0765 version 1 is eu-journal-csv (from 32006R0765.csv)" in message
    assert versions_of(registry, EU) == 1


def test_another_regulation_under_the_name_is_refused_naming_both(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    rows = read_rows(belarus_csv)
    celex, program = COLUMNS.index("celex"), COLUMNS.index("programKey")
    other = [rows[0]]
    for row in rows[1:]:
        changed = list(row)
        changed[celex], changed[program] = "32014R0269", "EU-UKR"
        other.append(changed)
    parsed = read_list(write_rows(tmp_path / "32014R0269.csv", other))
    assert parsed.name == "eu-32014R0269"
    with pytest.raises(ImportRefusedError) as refused:
        registry.import_list(parsed, name=EU, allow_removals=True)
    message = str(refused.value)
    assert "32014R0269.csv is of EU-UKR (CELEX 32014R0269)" in message
    assert "eu-32006R0765 version 1 is of EU-BLR (CELEX 32006R0765)" in message
    assert versions_of(registry, EU) == 1


# -- finding 2: the list published by adoption ------------------------------------------


def ftm_file(path: Path, entity_id: str, name: str) -> Path:
    entity = Entity.make("Person", entity_id, caption=name, target=True)
    entity.add("name", name)
    path.write_text(json.dumps(entity.to_dict()) + "\n", "utf-8")
    return path


def test_the_adopted_list_cannot_be_overwritten_by_import(
    workflow: Designation, registry: Registry, tmp_path: Path
) -> None:
    package, _, content = circulated_package(workflow)
    for state in workflow.states:
        workflow.record_position(delegate(state.code), package, Position.agree, content)
    workflow.adopt(OFFICER, package, date(2020, 10, 2), "(CFSP) 2020/1388", "(EU) 2020/1387")
    assert registry.version("sanctio-blr").origin == "published"
    before = len(entries(registry.engine))
    forged = read_list(ftm_file(tmp_path / "x.ftm.json", "forged-1", "Somebody ELSE"))
    for name in ("sanctio-blr", "SANCTIO-BLR"):
        with pytest.raises(ImportRefusedError) as refused:
            registry.import_list(forged, name=name, allow_removals=True)
        assert "sanctio-blr is published here by adoption; it changes only through the " in str(
            refused.value
        ) or "names ignore letter case" in str(refused.value)
    assert versions_of(registry, "sanctio-blr") == 1
    assert {e.id for e in registry.entities("sanctio-blr") if e.target} == {
        "sanctio-blr-1",
        "sanctio-blr-2",
    }
    assert len(entries(registry.engine)) == before


def test_a_regimes_list_name_is_kept_before_its_first_adoption(
    workflow: Designation, registry: Registry, tmp_path: Path
) -> None:
    """An import cannot take the name of a regime's list before the regime publishes."""
    forged = read_list(ftm_file(tmp_path / "x.ftm.json", "forged-1", "Somebody ELSE"))
    with pytest.raises(ImportRefusedError, match="sanctio-blr is published here by adoption"):
        registry.import_list(forged, name="sanctio-blr")


def publish(registry: Registry, name: str, parsed: ParsedList) -> None:
    """Store a version as the designation workflow does when it adopts."""
    with Session(registry.writer) as session, session.begin():
        registry.store_in(session, name, parsed, origin="published")


def test_a_regime_cannot_publish_under_an_imported_lists_name(
    registry: Registry, belarus_csv: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    with pytest.raises(ImportRefusedError, match="a regime cannot publish under its name"):
        publish(registry, EU, read_list(belarus_csv))


def test_a_name_differing_only_in_case_is_refused(registry: Registry, belarus_csv: Path) -> None:
    registry.import_list(read_list(belarus_csv))
    with pytest.raises(ImportRefusedError, match="names ignore letter case; expected --name"):
        registry.import_list(read_list(belarus_csv), name="EU-32006r0765")
    # and a list is found whatever the case it is asked for in
    assert registry.version("EU-32006r0765").name == EU
    assert len(registry.entities("eu-32006r0765")) == 816


# -- finding 16: one list's ids shadowing another's --------------------------------------


def test_an_id_of_another_list_is_refused_and_never_shadows(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    registry.import_list(read_list(belarus_csv))
    shadow = tmp_path / "targets.simple.csv"
    row = {"id": LUKASHENKA, "schema": "Person", "name": "Nobody AT-ALL"}
    with shadow.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(simple_csv.COLUMNS)
        writer.writerow([row.get(column, "") for column in simple_csv.COLUMNS])
    parsed = read_list(shadow)
    with pytest.raises(ImportRefusedError) as refused:
        registry.import_list(parsed, name="shadow")
    message = str(refused.value)
    assert f"has entity ids that list {EU} holds: {LUKASHENKA}" in message
    assert "shadow" in message
    assert [info.name for info in registry.lists()] == [EU]
    view = registry.entity(LUKASHENKA)
    assert (view.list_name, view.entity.caption) == (EU, "Aliaksandr Ryhoravich LUKASHENKA")


def test_entity_shows_the_owning_list_when_an_older_registry_holds_a_collision(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    """A registry filled before ids were checked may hold one id in two lists: the
    list that held it first is shown, and the other only when asked for by name."""
    registry.import_list(read_list(belarus_csv))
    registry.import_list(
        read_list(ftm_file(tmp_path / "later.ftm.json", "later-1", "Some ONE")), name="later"
    )
    impostor = Entity.make("Person", LUKASHENKA, caption="Nobody AT-ALL", target=True)
    impostor.add("name", "Nobody AT-ALL")
    with Session(registry.writer) as session, session.begin():
        later = session.scalar(
            select(ListVersion.id)
            .join(SanctionsList, SanctionsList.id == ListVersion.list_id)
            .where(SanctionsList.name == "later")
        )
        session.execute(
            insert(VersionEntity),
            [
                {
                    "version_id": later,
                    "entity_id": LUKASHENKA,
                    "schema": "Person",
                    "caption": impostor.caption,
                    "target": True,
                    "subject_id": None,
                    "state_hash": impostor.state_hash(),
                    "data": impostor.to_dict(),
                }
            ],
        )
    view = registry.entity(LUKASHENKA)
    assert (view.list_name, view.entity.caption) == (EU, "Aliaksandr Ryhoravich LUKASHENKA")
    assert view.appearances == {EU: [1], "later": [1]}
    asked = registry.entity(LUKASHENKA, list_name="later")
    assert (asked.list_name, asked.entity.caption) == ("later", "Nobody AT-ALL")


def test_a_published_list_may_hold_the_ids_its_persons_came_with(
    registry: Registry, belarus_csv: Path
) -> None:
    """The Belarus replay publishes persons with their EU ids: a later import of the EU
    file is accepted, and a look-up by id shows the registry's own publication."""
    parsed = read_list(belarus_csv)
    first_two = ParsedList("sanctio-blr", "sanctio-designation", Path("x"), parsed.entities[:2])
    publish(registry, "sanctio-blr", first_two)
    assert registry.import_list(parsed).created
    assert registry.entity(parsed.entities[0].id).list_name == "sanctio-blr"
    with Session(registry.engine) as session:
        assert session.scalar(select(func.count()).select_from(SanctionsList)) == 2


# -- exports of a published list are audited ---------------------------------------------


def test_export_of_a_published_list_is_recorded(
    registry: Registry, belarus_csv: Path, tmp_path: Path
) -> None:
    parsed = read_list(belarus_csv)
    publish(registry, "sanctio-blr", parsed)
    registry.import_list(
        read_list(ftm_file(tmp_path / "other.ftm.json", "other-1", "Some ONE")), name="other"
    )
    assert not registry.record_export("other", None, "ftm-json", "stdout", "bob")
    assert registry.record_export("sanctio-blr", None, "ftm-json", "/tmp/x.json", "bob")
    (record,) = [e for e in entries(registry.engine) if e.action == "list.exported"]
    assert record.actor == "bob"
    assert record.payload == {
        "list": "sanctio-blr",
        "version": 1,
        "content_hash": registry.version("sanctio-blr").content_hash,
        "format": "ftm-json",
        "to": "/tmp/x.json",
    }
