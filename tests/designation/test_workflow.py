"""The designation workflow on SQLite and PostgreSQL: roles, evidence versions,
positions on the package as circulated, adoption into a published list, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from sanctio.designation.auth import Actor, PermissionDeniedError, Role
from sanctio.designation.consensus import Outcome, Position
from sanctio.designation.workflow import Designation, WorkflowError
from sanctio.model import Entity
from sanctio.registry import Registry
from sanctio.registry.audit import entries, verify
from sanctio.screening import Query, Screener

SHA = "ab" * 32
WHEN = datetime(2020, 9, 1, tzinfo=UTC)


OFFICER = Actor("officer", Role.OFFICER)
PROPOSER = Actor("hr", Role.PROPOSER)
VIEWER = Actor("viewer", Role.VIEWER)


def delegate(code: str) -> Actor:
    return Actor(f"delegate-{code.lower()}", Role.DELEGATE, code)


def person(entity_id: str, *names: str, birth: str = "1953-01-29") -> Entity:
    entity = Entity.make("Person", entity_id, caption=names[0], target=True)
    entity.add("name", names[0])
    entity.add("alias", list(names[1:]))
    entity.add("birthDate", birth)
    return entity


def circulated_package(flow: Designation) -> tuple[int, list[int], str]:
    dossiers = [
        flow.propose_dossier(
            PROPOSER,
            "BLR",
            person("sanctio-blr-1", "Lidzia YARMOSHINA", "Лідзія ЯРМОШЫНА"),
            1,
            "Chair of the Central Election Commission, responsible for the falsification.",
        ),
        flow.propose_dossier(
            PROPOSER,
            "BLR",
            person("sanctio-blr-2", "Yury KARAEU", birth="1966-06-21"),
            1,
            "Minister of Internal Affairs, responsible for the repression of protesters.",
        ),
    ]
    for dossier in dossiers:
        flow.add_evidence(PROPOSER, dossier, "observer report", "protocols", SHA, WHEN, "ngo")
    package = flow.create_package(PROPOSER, "BLR", "1st package", dossiers)
    content = flow.circulate(OFFICER, package, date(2020, 9, 1))
    return package, dossiers, content


def test_everyone_agreeing_adopts_and_publishes_a_screenable_list(
    workflow: Designation, registry: Registry
) -> None:
    package, _, content = circulated_package(workflow)
    for state in workflow.states:
        decision = workflow.record_position(delegate(state.code), package, Position.agree, content)
    assert decision.outcome is Outcome.adopted
    version = workflow.adopt(
        OFFICER, package, date(2020, 10, 2), "(CFSP) 2020/1388", "(EU) 2020/1387"
    )
    assert version == 1
    published = registry.entities("sanctio-blr")
    targets = {e.id for e in published if e.target}
    assert targets == {"sanctio-blr-1", "sanctio-blr-2"}
    sanctions = [e for e in published if e.schema.name == "Sanction"]
    assert {s.first("listingDate") for s in sanctions} == {"2020-10-02"}
    screener = Screener.from_registry(registry, ["sanctio-blr"])
    found = screener.screen(Query.make("Лидия Ермошина"))
    assert found
    assert found[0].entity.id == "sanctio-blr-1"
    actions = [e.action for e in entries(registry.engine)]
    assert actions.count("package.adopted") == 1
    assert actions[-1] == "package.adopted_acts"
    assert verify(registry.engine).ok


def test_one_block_blocks_until_it_is_lifted(workflow: Designation) -> None:
    package, _, content = circulated_package(workflow)
    for state in workflow.states:
        position = Position.block if state.code == "CY" else Position.agree
        statement = "unrelated dispute" if state.code == "CY" else ""
        decision = workflow.record_position(
            delegate(state.code), package, position, content, statement
        )
    assert decision.outcome is Outcome.blocked
    assert any("CY" in reason for reason in decision.reasons)
    with pytest.raises(WorkflowError, match="cannot be adopted"):
        workflow.adopt(OFFICER, package, date(2020, 9, 21), "d", "r")
    decision = workflow.record_position(delegate("CY"), package, Position.agree, content)
    assert decision.outcome is Outcome.adopted


def test_a_position_on_a_changed_package_is_rejected(workflow: Designation) -> None:
    package, dossiers, content = circulated_package(workflow)
    workflow.record_position(delegate("DE"), package, Position.agree, content)
    workflow.hold_back(PROPOSER, package, dossiers[1])
    with pytest.raises(WorkflowError, match="changed after it was circulated"):
        workflow.record_position(delegate("FR"), package, Position.agree, content)
    # DE's agreement was on the old content: it no longer counts
    assert workflow.decision(package).agree == 0


def test_a_delegate_speaks_only_for_its_own_state(workflow: Designation) -> None:
    package, _, content = circulated_package(workflow)
    with pytest.raises(PermissionDeniedError, match="speaks for DE, not for FR"):
        workflow.record_position(
            delegate("DE"), package, Position.agree, content, member_state="FR"
        )
    with pytest.raises(PermissionDeniedError, match="needs delegate"):
        workflow.record_position(OFFICER, package, Position.agree, content)
    with pytest.raises(WorkflowError, match="needs a reason"):
        workflow.record_position(delegate("HU"), package, Position.block, content)


def test_evidence_keeps_every_version_and_hides_restricted_items(workflow: Designation) -> None:
    _, dossiers, _ = circulated_package(workflow)
    dossier = dossiers[0]
    assert workflow.add_evidence(
        PROPOSER,
        dossier,
        "witness",
        "statement",
        "cd" * 32,
        WHEN,
        "ngo",
        "restricted",
        "no publication",
    ) == (2, 1)
    assert workflow.add_evidence(
        PROPOSER, dossier, "observer report", "recount", "ef" * 32, WHEN, "ngo", supplements=1
    ) == (1, 2)
    cleared = workflow.evidence(OFFICER, dossier)
    assert [(e.number, e.version, e.sha256) for e in cleared] == [
        (1, 1, SHA),
        (1, 2, "ef" * 32),
        (2, 1, "cd" * 32),
    ]
    assert [(e.number, e.version) for e in workflow.evidence(VIEWER, dossier)] == [(1, 1), (1, 2)]
    with pytest.raises(WorkflowError, match="64 lower-case hex"):
        workflow.add_evidence(PROPOSER, dossier, "x", "y", "not-a-hash", WHEN, "ngo")


def test_tokens_are_stored_hashed_and_roles_enforced(
    workflow: Designation, registry: Registry
) -> None:
    token = workflow.add_user(OFFICER, "viewer", Role.VIEWER)
    assert workflow.authenticate(token) == VIEWER
    with registry.engine.connect() as connection:
        stored = connection.scalar(text("SELECT token_hash FROM users WHERE name = 'viewer'"))
    assert stored != token
    assert token not in str(stored)
    with pytest.raises(PermissionDeniedError, match="unknown token"):
        workflow.authenticate(token + "x")
    with pytest.raises(PermissionDeniedError, match="needs proposer or officer"):
        workflow.propose_dossier(VIEWER, "BLR", person("x-1", "A B"), 1, "reasons")
    with pytest.raises(PermissionDeniedError, match="needs officer"):
        workflow.add_user(VIEWER, "someone", Role.OFFICER)


def test_a_failed_adoption_leaves_nothing_behind(workflow: Designation, registry: Registry) -> None:
    package, _, content = circulated_package(workflow)
    for state in workflow.states:
        workflow.record_position(delegate(state.code), package, Position.agree, content)
    workflow.adopt(OFFICER, package, date(2020, 10, 2), "D-1", "R-1")
    records = len(entries(registry.engine))
    other = workflow.propose_dossier(PROPOSER, "BLR", person("sanctio-blr-3", "Ivan NOVIK"), 1, "r")
    second = workflow.create_package(PROPOSER, "BLR", "2nd", [other])
    content2 = workflow.circulate(OFFICER, second, date(2020, 11, 1))
    for state in workflow.states:
        workflow.record_position(delegate(state.code), second, Position.agree, content2)
    records = len(entries(registry.engine))
    with pytest.raises(WorkflowError, match="exists already"):
        workflow.adopt(OFFICER, second, date(2020, 11, 6), "D-1", "R-2")  # number reused
    assert registry.version("sanctio-blr").version == 1
    assert len(entries(registry.engine)) == records
    assert workflow.decision(second).outcome is Outcome.adopted  # still open to adopt


def test_a_name_held_back_goes_into_a_later_package(workflow: Designation) -> None:
    package, dossiers, _ = circulated_package(workflow)
    workflow.hold_back(PROPOSER, package, dossiers[1])
    assert workflow.decision(package).missing == 27  # positions start over on the new content
    later = workflow.create_package(PROPOSER, "BLR", "2nd package", [dossiers[1]])
    with pytest.raises(WorkflowError, match=f"dossier {dossiers[0]} is in open package"):
        workflow.create_package(PROPOSER, "BLR", "3rd package", [dossiers[0]])
    content = workflow.circulate(OFFICER, later, date(2020, 10, 20))
    for state in workflow.states:
        workflow.record_position(delegate(state.code), later, Position.agree, content)
    assert workflow.decision(later).outcome is Outcome.adopted
