"""The decision's integrity (issue 22, findings 13, 14, 15 and 17), on SQLite and
PostgreSQL: what the states agreed to is what is adopted, on the day it is asked, by
the acts that name it, in the case's order; one open package per dossier; a delisted
person can be proposed again."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session

from sanctio.designation.auth import Role
from sanctio.designation.consensus import Outcome, Position
from sanctio.designation.lifecycle import Ground, Lifecycle, ReviewOutcome
from sanctio.designation.records import Dossier, LegalAct
from sanctio.designation.workflow import Designation, WorkflowError
from sanctio.registry import Registry
from sanctio.registry import engine as registry_engine
from sanctio.registry.audit import entries, verify

from .test_workflow import OFFICER, PROPOSER, SHA, WHEN, circulated_package, delegate, person

OTHER_SHA = "cd" * 32
CIRCULATED = date(2020, 9, 1)
ADOPTED = date(2020, 10, 2)


class Clock:
    """The server's date, set by the test (``Designation(today=...)``)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def _agree_all(flow: Designation, package: int, content: str, *, but: str = "") -> None:
    for state in flow.states:
        if state.code != but:
            flow.record_position(delegate(state.code), package, Position.agree, content)


def _listed(flow: Designation) -> tuple[Lifecycle, list[int]]:
    package, dossiers, content = circulated_package(flow)
    _agree_all(flow, package, content)
    flow.adopt(OFFICER, package, ADOPTED, "D-1", "R-1")
    return Lifecycle(flow), dossiers


def targets(registry: Registry) -> list[str]:
    return sorted(e.id for e in registry.entities("sanctio-blr") if e.target)


# -- finding 13: evidence after circulation -------------------------------------------


@pytest.mark.parametrize("supplement", [False, True], ids=["new item", "new version"])
def test_evidence_added_after_circulation_voids_the_positions(
    workflow: Designation, registry: Registry, supplement: bool
) -> None:
    """Adding evidence to a dossier of a circulated package is allowed (the file may
    grow), but the states agreed to the file as it was: the content hash moves, the 27
    agreements stop counting and adoption waits until they agree again."""
    package, dossiers, content = circulated_package(workflow)
    _agree_all(workflow, package, content)
    assert workflow.decision(package).outcome is Outcome.adopted
    workflow.add_evidence(
        PROPOSER, dossiers[0], "video", "a later find", OTHER_SHA, WHEN, "ngo",
        supplements=1 if supplement else None,
    )  # fmt: skip
    decision = workflow.decision(package)
    assert decision.outcome is Outcome.pending
    assert decision.agree == 0
    with pytest.raises(WorkflowError, match="cannot be adopted on 2020-10-02: outcome pending"):
        workflow.adopt(OFFICER, package, ADOPTED, "D-1", "R-1")
    with pytest.raises(WorkflowError, match="changed after it was circulated"):
        workflow.record_position(delegate("DE"), package, Position.agree, content)
    new_content = [e for e in entries(registry.engine) if e.action == "package.content_changed"]
    assert len(new_content) == 1
    now = new_content[0].payload["content_hash"]
    assert now != content
    _agree_all(workflow, package, now)
    assert workflow.adopt(OFFICER, package, ADOPTED, "D-1", "R-1") == 1
    assert verify(registry.engine).ok


def test_evidence_changed_behind_the_workflow_stops_the_adoption(
    workflow: Designation, registry: Registry
) -> None:
    """The outcome is decided on the content as it is now, not on the stored hash: an
    evidence item's hash edited in the database leaves the positions on old content."""
    package, _, content = circulated_package(workflow)
    _agree_all(workflow, package, content)
    with registry.engine.begin() as connection:
        connection.execute(text("UPDATE evidence_items SET sha256 = :h"), {"h": OTHER_SHA})
    assert workflow.decision(package).outcome is Outcome.pending
    with pytest.raises(WorkflowError, match="outcome pending"):
        workflow.adopt(OFFICER, package, ADOPTED, "D-1", "R-1")


# -- finding 14: the delegate's date, and the day the outcome is decided -----------------


def circulated_package_with_deadline(flow: Designation) -> tuple[int, str, list[int]]:
    dossier = flow.propose_dossier(PROPOSER, "BLR", person("sanctio-blr-9", "Yury KARAEU"), 1, "r")
    flow.add_evidence(PROPOSER, dossier, "observer report", "protocols", SHA, WHEN, "ngo")
    package = flow.create_package(PROPOSER, "BLR", "written procedure", [dossier])
    content = flow.circulate(
        OFFICER, package, CIRCULATED, deadline=date(2020, 9, 20), silence_is_agreement=True
    )
    return package, content, [dossier]


def test_silence_counts_on_the_servers_day_never_the_delegates(registry: Registry) -> None:
    """26 agree and Malta says nothing: before the deadline the package is pending,
    whatever a delegate might claim; after it, silence agrees and adoption succeeds
    (it was refused as 'outcome pending', the stored outcome being trusted)."""
    clock = Clock(date(2020, 9, 10))
    flow = Designation(registry, today=clock)
    flow.add_user(None, "officer", Role.OFFICER)
    flow.create_regime(OFFICER, "BLR", "Belarus", "D", "R", ["repression"], ["Asset freeze"])
    package, content, _ = circulated_package_with_deadline(flow)
    for state in flow.states:
        if state.code != "MT":
            decision = flow.record_position(delegate(state.code), package, Position.agree, content)
    assert decision.outcome is Outcome.pending
    assert flow.decision(package).outcome is Outcome.pending  # today is before the deadline
    recorded = [e for e in entries(registry.engine) if e.action == "position.recorded"]
    assert {e.payload["on"] for e in recorded} == {"2020-09-10"}
    with pytest.raises(TypeError):
        flow.record_position(  # type: ignore[call-arg]
            delegate("MT"), package, Position.agree, content, on=date(2099, 1, 1)
        )
    clock.day = date(2020, 9, 16)
    with pytest.raises(WorkflowError, match="outcome pending"):
        flow.adopt(OFFICER, package, date(2020, 9, 15), "D-1", "R-1")
    with pytest.raises(WorkflowError, match="adoption on 2020-09-21 is after today"):
        flow.adopt(OFFICER, package, date(2020, 9, 21), "D-1", "R-1")
    clock.day = date(2020, 9, 25)
    assert flow.decision(package, date(2020, 9, 21)).outcome is Outcome.adopted
    assert flow.adopt(OFFICER, package, date(2020, 9, 21), "D-1", "R-1") == 1
    adopted = [e for e in entries(registry.engine) if e.action == "package.adopted"]
    assert len(adopted) == 1
    assert any("silence" in reason for reason in adopted[0].payload["reasons"])


# -- finding 17: acts, and dates in the case's order -----------------------------------


def test_adoption_follows_circulation_and_precedes_tomorrow(workflow: Designation) -> None:
    package, _, content = circulated_package(workflow)
    _agree_all(workflow, package, content)
    with pytest.raises(WorkflowError, match="before the package's circulation on 2020-09-01"):
        workflow.adopt(OFFICER, package, date(2020, 8, 31), "D-1", "R-1")
    with pytest.raises(WorkflowError, match="is after today"):
        workflow.adopt(OFFICER, package, date(2999, 1, 1), "D-1", "R-1")
    with pytest.raises(WorkflowError, match="needs its legal act"):
        workflow.adopt(OFFICER, package, ADOPTED, "", " ")
    assert workflow.adopt(OFFICER, package, ADOPTED, "D-1", "R-1") == 1


def test_an_empty_package_is_not_adopted(workflow: Designation, registry: Registry) -> None:
    package, dossiers, _ = circulated_package(workflow)
    for dossier in dossiers:
        workflow.hold_back(PROPOSER, package, dossier)
    content = workflow.decision(package)
    assert content.outcome is Outcome.pending
    with pytest.raises(WorkflowError, match="it is empty"):
        workflow.adopt(OFFICER, package, ADOPTED, "D-1", "R-1")
    draft = workflow.create_package(PROPOSER, "BLR", "2nd", [dossiers[0]])
    workflow.hold_back(PROPOSER, draft, dossiers[0])
    with pytest.raises(WorkflowError, match="is empty"):
        workflow.circulate(OFFICER, draft, CIRCULATED)
    with registry.engine.connect() as connection:
        assert connection.scalar(select(LegalAct.id)) is None
        assert connection.scalar(text("SELECT count(*) FROM list_versions")) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("amend", "an amendment needs its legal act"),
        ("delist", "a delisting needs its legal act"),
        ("review", "a delisting needs its legal act"),
    ],
)
def test_a_change_to_the_published_list_names_its_act(
    workflow: Designation, registry: Registry, change: str, message: str
) -> None:
    lifecycle, dossiers = _listed(workflow)
    on = date(2021, 1, 5)
    changes = {
        "amend": lambda: lifecycle.amend(OFFICER, dossiers[0], on, {}, reasons="new reasons"),
        "delist": lambda: lifecycle.delist(OFFICER, dossiers[0], on, Ground.REVIEW, {}),
        "review": lambda: lifecycle.review(
            OFFICER, dossiers[0], on, ReviewOutcome.DELIST, "gone", {}
        ),
    }
    with pytest.raises(WorkflowError, match=message):
        changes[change]()
    assert registry.version("sanctio-blr").version == 1
    with pytest.raises(WorkflowError, match="needs its legal act: the expiry notice"):
        lifecycle.expire(OFFICER, "BLR", date(2021, 3, 1), "")


def test_nothing_about_a_listing_is_dated_before_it(
    workflow: Designation, registry: Registry
) -> None:
    lifecycle, dossiers = _listed(workflow)
    acts = {"implementing decision": "D-2"}
    with pytest.raises(WorkflowError, match=r"dated before dossier \d+'s listing on 2020-10-02"):
        lifecycle.delist(OFFICER, dossiers[0], date(2020, 9, 30), Ground.REVIEW, acts)
    with pytest.raises(WorkflowError, match=r"dated before dossier \d+'s listing on 2020-10-02"):
        lifecycle.amend(OFFICER, dossiers[0], date(2020, 9, 30), acts, reasons="r")
    assert lifecycle.delist(OFFICER, dossiers[0], date(2021, 1, 5), Ground.REVIEW, acts) == 2
    with pytest.raises(WorkflowError, match="dated before regime BLR's last act, of 2021-01-05"):
        lifecycle.amend(OFFICER, dossiers[1], date(2021, 1, 4), {"x": "D-3"}, reasons="r")
    assert registry.version("sanctio-blr").version == 2


def test_renewal_once_per_term_and_never_after_expiry(
    workflow: Designation, registry: Registry
) -> None:
    lifecycle, _ = _listed(workflow)  # the term runs until 2021-02-28
    assert lifecycle.renew(OFFICER, "BLR", date(2021, 2, 20), "R-2021") == date(2022, 2, 28)
    with pytest.raises(WorkflowError, match="renewed already for the term ending 2021-02-28"):
        lifecycle.renew(OFFICER, "BLR", date(2021, 2, 20), "R-2021b")
    with pytest.raises(WorkflowError, match="expired on 2022-02-28"):
        lifecycle.renew(OFFICER, "BLR", date(2022, 3, 2), "R-2022")
    assert lifecycle.expire(OFFICER, "BLR", date(2022, 3, 2), "N-2022") == 2
    with pytest.raises(WorkflowError, match="dated before regime BLR's last act, of 2022-03-02"):
        lifecycle.renew(OFFICER, "BLR", date(2022, 2, 27), "R-2022")
    assert targets(registry) == []
    with Session(registry.engine) as session:
        kinds = session.scalars(select(LegalAct.kind).order_by(LegalAct.id)).all()
    assert kinds[-2:] == ["renewal decision", "expiry notice"]


def test_a_regime_never_adopted_has_no_term_to_renew(workflow: Designation) -> None:
    with pytest.raises(WorkflowError, match="no term to renew"):
        Lifecycle(workflow).renew(OFFICER, "BLR", date(2021, 2, 20), "R-2021")


# -- finding 15: one open package per dossier --------------------------------------------


def test_packages_asked_at_once_take_a_dossier_once(db_url: str) -> None:
    """Six proposers package the same dossier at the same moment, each through its own
    client: one package gets it, five are refused (PostgreSQL gave it to several)."""
    setup = Registry(db_url)
    flow = Designation(setup)
    flow.add_user(None, "officer", Role.OFFICER)
    flow.create_regime(OFFICER, "BLR", "Belarus", "D", "R", ["repression"], ["Asset freeze"])
    dossier = flow.propose_dossier(PROPOSER, "BLR", person("sanctio-blr-1", "Yury KARAEU"), 1, "r")
    barrier = threading.Barrier(6)
    made: list[int] = []
    refused: list[BaseException] = []

    def package(number: int) -> None:
        registry = Registry(db_url)
        try:
            own = Designation(registry)
            barrier.wait()
            made.append(own.create_package(PROPOSER, "BLR", f"package {number}", [dossier]))
        except WorkflowError as exc:
            refused.append(exc)
        finally:
            registry.close()

    threads = [threading.Thread(target=package, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1, made
    assert len(refused) == 5, refused
    assert all(f"dossier {dossier} is" in str(exc) for exc in refused)
    with setup.engine.connect() as connection:
        held = connection.scalar(
            text("SELECT count(*) FROM package_dossiers WHERE dossier_id = :d"), {"d": dossier}
        )
    assert held == 1
    assert verify(setup.engine).ok
    setup.close()


# -- finding 17: a delisted person proposed again ----------------------------------------


def test_a_delisted_person_can_be_proposed_again(workflow: Designation, registry: Registry) -> None:
    lifecycle, dossiers = _listed(workflow)
    again = person("sanctio-blr-1", "Lidzia YARMOSHINA")
    with pytest.raises(WorkflowError, match=r"exists already .*only after delisting"):
        workflow.propose_dossier(PROPOSER, "BLR", again, 1, "chairs the commission again")
    lifecycle.delist(OFFICER, dossiers[0], date(2021, 1, 5), Ground.REVIEW, {"d": "D-2"})
    assert targets(registry) == ["sanctio-blr-2"]
    new = workflow.propose_dossier(PROPOSER, "BLR", again, 1, "chairs the commission again")
    with Session(registry.engine) as session:
        dossier = session.get(Dossier, new)
        assert dossier is not None
        assert dossier.previous_dossier_id == dossiers[0]
        assert dossier.status == "proposed"
    with pytest.raises(WorkflowError, match="exists already"):
        workflow.propose_dossier(PROPOSER, "BLR", again, 1, "twice")
    workflow.add_evidence(PROPOSER, new, "report", "new facts", OTHER_SHA, WHEN, "ngo")
    package = workflow.create_package(PROPOSER, "BLR", "relisting", [new])
    content = workflow.circulate(OFFICER, package, date(2021, 6, 1))
    _agree_all(workflow, package, content)
    workflow.adopt(OFFICER, package, date(2021, 6, 10), "D-3", "R-3")
    assert targets(registry) == ["sanctio-blr-1", "sanctio-blr-2"]  # one entry each
    reasons = [
        e.first("reason") for e in registry.entities("sanctio-blr") if e.schema.name == "Sanction"
    ]
    assert "chairs the commission again" in reasons


# -- migration 0007 on a registry with dossiers --------------------------------------------


def test_migration_0007_keeps_dossiers_and_their_evidence(db_url: str) -> None:
    """A registry at 0006 holding a dossier with evidence is migrated in place: on
    SQLite the table is rebuilt without its unique constraint, foreign keys intact."""
    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", registry_engine._sqlite_pragmas)
        event.listen(engine, "begin", registry_engine._sqlite_begin)
    config = registry_engine.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    now = datetime(2020, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO regimes (id, code, title, decision, regulation, criteria, "
                "measures, renewal, list_name) VALUES (1, 'BLR', 't', 'd', 'r', '[]', '[]', "
                "'02-28', 'sanctio-blr')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO dossiers (id, regime_id, entity_id, entity, criterion, reasons, "
                "status, proposer, created_at) VALUES (1, 1, 'e-1', '{}', 1, 'r', "
                "'delisted', 'p', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO evidence_items (dossier_id, number, version, source, description, "
                "sha256, collected_at, collected_by, sensitivity, consent, added_by, added_at) "
                "VALUES (1, 1, 1, 's', 'd', :sha, :now, 'c', 'public', '', 'p', :now)"
            ),
            {"sha": SHA, "now": now},
        )
    engine.dispose()
    registry = Registry(db_url)
    with registry.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0007"
        assert connection.scalar(text("SELECT count(*) FROM evidence_items")) == 1
        connection.execute(
            text(
                "INSERT INTO dossiers (id, regime_id, entity_id, entity, criterion, reasons, "
                "status, proposer, created_at, previous_dossier_id) VALUES (2, 1, 'e-1', '{}', "
                "1, 'again', 'proposed', 'p', :now, 1)"
            ),
            {"now": now},
        )
        assert connection.scalar(text("SELECT count(*) FROM dossiers")) == 2
        if registry.engine.dialect.name == "sqlite":
            assert connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert connection.execute(text("PRAGMA foreign_key_check")).first() is None
        connection.rollback()
    registry.close()
