"""The decision's integrity from the command line: a delegate cannot date its position,
and a change to the published list without its act is refused with a one-line error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sanctio.designation.auth import Actor, Role
from sanctio.designation.consensus import Position
from sanctio.designation.workflow import Designation
from sanctio.model import Entity
from sanctio.registry import Registry
from tests.cli.test_cli import sanctio


def test_no_date_for_a_position_and_no_change_without_an_act(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'integrity.db'}"
    registry = Registry(url)
    workflow = Designation(registry)
    token = workflow.add_user(None, "olga", Role.OFFICER)
    malta = workflow.add_user(Actor("olga", Role.OFFICER), "d-mt", Role.DELEGATE, "MT")
    officer = Actor("olga", Role.OFFICER)
    workflow.create_regime(officer, "BLR", "Belarus", "D", "R", ["repression"], ["Asset freeze"])
    entity = Entity.make("Person", "sanctio-blr-1", caption="Ivan NOVIK", target=True)
    entity.add("name", "Ivan NOVIK")
    dossier = workflow.propose_dossier(officer, "BLR", entity, 1, "Commander of a unit.")
    package = workflow.create_package(officer, "BLR", "1st", [dossier])
    content = workflow.circulate(officer, package, date(2020, 9, 1))
    for state in workflow.states:
        if state.code != "MT":
            workflow.record_position(
                Actor(f"d-{state.code}", Role.DELEGATE, state.code), package, Position.agree,
                content,
            )  # fmt: skip
    registry.close()
    db = ["--db", url]

    dated = sanctio(*db, "designation", "position", str(package), "agree", "--hash", content,
                    "--on", "2099-01-01", env={"SANCTIO_TOKEN": malta}, ok=False)  # fmt: skip
    assert dated.returncode == 2
    assert "No such option: --on" in dated.stderr
    sanctio(*db, "designation", "position", str(package), "agree", "--hash", content,
            env={"SANCTIO_TOKEN": malta})  # fmt: skip
    env = {"SANCTIO_TOKEN": token}
    sanctio(*db, "designation", "adopt", str(package), "--on", "2020-10-02",
            "--decision-number", "D1", "--regulation-number", "R1", env=env)  # fmt: skip

    actless = sanctio(*db, "designation", "amend", str(dossier), "--on", "2021-01-05",
                      "--reasons", "New reasons.", env=env, ok=False)  # fmt: skip
    assert actless.returncode == 1
    assert actless.stderr.strip().splitlines() == [
        "error: an amendment needs its legal act: the implementing decision or implementing "
        "regulation number"
    ]
    early = sanctio(*db, "designation", "delist", str(dossier), "review", "--on", "2020-09-30",
                    "--decision-number", "D2", env=env, ok=False)  # fmt: skip
    assert "is dated before dossier 1's listing on 2020-10-02" in early.stderr
    unnamed = sanctio(*db, "designation", "expire", "BLR", "--on", "2021-03-01", env=env, ok=False)
    assert "Missing option '--notice-number'" in unnamed.stderr
