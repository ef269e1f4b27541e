"""The designation workflow and the 2020 re-enactment as a user runs them."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

from sanctio.designation.auth import Actor, Role
from sanctio.designation.consensus import Position
from sanctio.designation.workflow import Designation
from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.registry import Registry
from tests.cli.test_cli import sanctio

REPLAYED = ("2004-09-24", "2020-10-02", "2020-11-06", "2020-12-17")


def test_belarus_2020_replay_publishes_exactly_who_was_listed_by_each_date(
    db_url: str, belarus_csv: Path, private_data_dir: Path
) -> None:
    result = json.loads(sanctio("demo", "belarus-2020", "--into", db_url, "--json").stdout)
    steps = [(s["date"], s["outcome"]) for s in result["steps"]]
    assert steps == [
        ("2004-09-24", "adopted"),
        ("2020-08-14", "proposed"),
        ("2020-09-21", "blocked"),
        ("2020-10-02", "adopted"),
        ("2020-10-12", "proposed"),
        ("2020-11-06", "adopted"),
        ("2020-11-19", "proposed"),
        ("2020-12-17", "adopted"),
    ]
    # independently: targets of the EU file by listing date, cumulated
    parsed = read_list(belarus_csv)
    per_date = Counter(
        e.first("listingDate") for e in parsed.entities if e.schema.name == "Sanction"
    )
    expected = {d: sum(per_date[x] for x in REPLAYED if x <= d) for d in REPLAYED}
    for step in result["steps"]:
        if step["outcome"] == "adopted":
            assert step["listed"] == expected[step["date"]], step
    assert expected["2020-12-17"] == 95
    assert result["list_version"] == 4
    assert result["audit_ok"] is True

    published = json.loads(sanctio("--db", db_url, "lists", "show", "sanctio-blr", "--json").stdout)
    assert published["entities"] == 95
    diff = json.loads(
        sanctio("--db", db_url, "lists", "diff", "sanctio-blr", "2", "3", "--json").stdout
    )
    added = {entry["caption"] for entry in diff["added"]}
    assert "Aliaksandr Ryhoravich LUKASHENKA" in added  # the 6 November 2020 package
    found = sanctio(
        "--db", db_url, "screen", "Alexander Lukashenko", "--list", "sanctio-blr", "--json"
    )
    matches = json.loads(found.stdout)["results"]
    assert matches[0]["caption"] == "Aliaksandr Ryhoravich LUKASHENKA"
    assert sanctio("--db", db_url, "audit", "verify").returncode == 0
    # the forensics demo records its findings in its own database, on its audit trail
    found = json.loads(sanctio("demo", "forensics", "--json").stdout)
    assert found["contradicted_by_photos"] == 441
    assert found["findings_added"] == found["commissions_with_findings"] == 652
    # the bundled protocols: whole percents far above chance (Kobak et al.'s test)
    integer = found["integer_test"]
    assert integer["observed"] == 382
    assert 230 < integer["expected"] < 245
    assert integer["z"] > 8
    assert sanctio("--db", db_url, "audit", "verify").returncode == 0
    demo_db = f"sqlite:///{private_data_dir / 'belarus-2020.db'}"
    assert sanctio("--db", demo_db, "audit", "verify").returncode == 0


def test_audit_verify_names_an_edited_or_deleted_record(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    sanctio("demo", "belarus-2020", "--into", url, "--json")
    engine = create_engine(url)
    with engine.begin() as connection:
        actor = connection.scalar(text("SELECT actor FROM audit_log WHERE seq = 40"))
        connection.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 40"))
    broken = sanctio("--db", url, "audit", "verify", "--json", ok=False)
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["first_broken"] == 40
    with engine.begin() as connection:  # the edit undone: intact again
        connection.execute(text("UPDATE audit_log SET actor = :a WHERE seq = 40"), {"a": actor})
    assert sanctio("--db", url, "audit", "verify").returncode == 0
    with engine.begin() as connection:  # a record removed from the middle
        connection.execute(text("DELETE FROM audit_log WHERE seq = 12"))
    removed = sanctio("--db", url, "audit", "verify", ok=False)
    assert removed.returncode == 1
    assert "broken at record 13" in removed.stdout
    engine.dispose()


def test_a_dossier_from_proposal_to_publication_with_tokens(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'flow.db'}"]
    officer = sanctio(*db, "users", "add", "olga", "--role", "officer").stdout.strip()
    as_officer = {"SANCTIO_TOKEN": officer}
    proposer = sanctio(*db, "users", "add", "hr", "--role", "proposer", env=as_officer)
    as_proposer = {"SANCTIO_TOKEN": proposer.stdout.strip()}
    refused = sanctio(*db, "users", "add", "x", "--role", "viewer", env=as_proposer, ok=False)
    assert refused.returncode == 1
    assert "needs officer" in refused.stderr
    sanctio(*db, "designation", "regime-add", "BLR", "--title", "Belarus", "--decision",
            "2012/642/CFSP", "--regulation", "765/2006", "--criterion", "repression",
            "--measure", "Asset freeze", env=as_officer)  # fmt: skip
    proposed = sanctio(*db, "designation", "propose", "BLR", "--name", "Yury KARAEU",
                       "--name", "Юрий КАРАЕВ", "--criterion", "1", "--reasons",
                       "Minister of Internal Affairs.", "--birth-date", "1966-06-21",
                       env=as_proposer)  # fmt: skip
    assert "dossier 1 proposed" in proposed.stdout
    evidence = tmp_path / "report.pdf"
    evidence.write_bytes(b"%PDF observer report")
    sanctio(*db, "designation", "evidence-add", "1", str(evidence), "--source", "observers",
            "--description", "report", "--collected-by", "ngo", "--collected-at",
            "2020-08-20", env=as_proposer)  # fmt: skip
    items = json.loads(
        sanctio(*db, "designation", "evidence", "1", "--json", env=as_proposer).stdout
    )
    assert items[0]["sha256"] == hashlib.sha256(b"%PDF observer report").hexdigest()
    sanctio(*db, "designation", "package-create", "BLR", "--title", "1st", "--dossier", "1",
            env=as_proposer)  # fmt: skip
    content = sanctio(*db, "designation", "circulate", "1", "--on", "2020-09-01",
                      env=as_officer).stdout.strip()  # fmt: skip
    states = [line.split(",")[0] for line in _member_states()[1:]]
    # two delegates through the command line, the other 25 through the Python API
    for code in states[:2]:
        token = sanctio(*db, "users", "add", f"d-{code}", "--role", "delegate", "--state", code,
                        env=as_officer).stdout.strip()  # fmt: skip
        wrong = sanctio(*db, "designation", "position", "1", "agree", "--hash", "0" * 64,
                        env={"SANCTIO_TOKEN": token}, ok=False)  # fmt: skip
        assert "changed after it was circulated" in wrong.stderr
        sanctio(*db, "designation", "position", "1", "agree", "--hash", content,
                env={"SANCTIO_TOKEN": token})  # fmt: skip
    registry = Registry(db[1])
    workflow = Designation(registry)
    for code in states[2:]:
        workflow.record_position(
            Actor(f"d-{code}", Role.DELEGATE, code), 1, Position.agree, content
        )
    registry.close()
    shown = json.loads(sanctio(*db, "designation", "package", "1", "--json").stdout)
    assert shown["decision"]["outcome"] == "adopted"
    assert len(shown["positions"]) == 27
    adopted = sanctio(*db, "designation", "adopt", "1", "--on", "2020-10-02", "--decision-number",
                      "D1", "--regulation-number", "R1", env=as_officer)  # fmt: skip
    assert "published list version 1" in adopted.stdout
    found = json.loads(sanctio(*db, "screen", "Юрий Караев", "--json").stdout)["results"]
    assert found[0]["lists"] == ["sanctio-blr"]


def _member_states() -> list[str]:
    from importlib import resources

    return (
        resources.files("sanctio.designation.data")
        .joinpath("member_states.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )


def test_after_listing_review_annulment_and_history(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'after.db'}"
    registry = Registry(url)
    workflow = Designation(registry)
    token = workflow.add_user(None, "olga", Role.OFFICER)
    officer = Actor("olga", Role.OFFICER)
    workflow.create_regime(officer, "BLR", "Belarus", "D", "R", ["repression"], ["Asset freeze"])
    entity = Entity.make("Person", "sanctio-blr-1", caption="Ivan NOVIK", target=True)
    entity.add("name", "Ivan NOVIK")
    dossier = workflow.propose_dossier(officer, "BLR", entity, 1, "Commander of a unit.")
    package = workflow.create_package(officer, "BLR", "1st", [dossier])
    content = workflow.circulate(officer, package, date(2020, 9, 1))
    for state in workflow.states:
        workflow.record_position(
            Actor(f"d-{state.code}", Role.DELEGATE, state.code), package, Position.agree, content
        )
    workflow.adopt(officer, package, date(2020, 10, 2), "D1", "R1")
    registry.close()
    db, env = ["--db", url], {"SANCTIO_TOKEN": token}
    due = json.loads(
        sanctio(*db, "designation", "reviews-due", "--on", "2021-09-20", "--json").stdout
    )
    assert [(d["dossier"], d["review_due"]) for d in due] == [(dossier, "2021-10-02")]
    sanctio(*db, "designation", "delist", str(dossier), "annulment", "--on", "2021-03-10",
            "--judgment", "T-1/21", "--decision-number", "D2", env=env)  # fmt: skip
    assert "nothing due" in sanctio(*db, "designation", "apply-due", "--on", "2021-05-19",
                                    env=env).stdout  # fmt: skip
    assert "BLR: list version 2" in sanctio(*db, "designation", "apply-due", "--on", "2021-05-20",
                                            env=env).stdout  # fmt: skip
    events = json.loads(sanctio(*db, "designation", "history", str(dossier), "--json").stdout)
    assert [(e["kind"], e["on"]) for e in events] == [
        ("delisting_decided", "2021-03-10"),
        ("delisted", "2021-05-20"),
    ]
    shown = json.loads(sanctio(*db, "lists", "show", "sanctio-blr", "--json").stdout)
    assert shown["entities"] == 0
