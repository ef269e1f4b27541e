"""Every adoption and publication signs the audit head: the published list version and
its legal acts carry the checkpoint, which covers the adoption's own record. Without a
key the workflow works as before and nothing is signed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from sanctio.designation.consensus import Position
from sanctio.designation.records import LegalAct
from sanctio.designation.workflow import Designation
from sanctio.model.records import AuditCheckpoint, ListVersion
from sanctio.registry import Registry, signing
from sanctio.registry.audit import entries
from sanctio.registry.checkpoints import check
from tests.designation.test_workflow import OFFICER, circulated_package, delegate


def adopt(workflow: Designation) -> int:
    package, _, content = circulated_package(workflow)
    for state in workflow.states:
        workflow.record_position(delegate(state.code), package, Position.agree, content)
    return workflow.adopt(OFFICER, package, date(2020, 10, 2), "(CFSP) 2020/1388", "(EU) 2020/1387")


def test_an_adoption_signs_the_head_its_version_and_acts_carry_it(
    workflow: Designation, registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = signing.init_key(tmp_path / "audit.pem")
    monkeypatch.setenv("SANCTIO_SIGNING_KEY", str(key.path))
    version = adopt(workflow)
    with registry.engine.connect() as c:
        signed = c.execute(select(AuditCheckpoint.__table__)).one()
        carried = c.scalar(select(ListVersion.checkpoint_id).where(ListVersion.number == version))
        acts = set(c.scalars(select(LegalAct.checkpoint_id)))
    assert carried == signed.id
    assert acts == {signed.id}
    last = entries(registry.engine)[-1]
    assert last.action == "package.adopted_acts"
    assert (signed.seq, signed.head_hash) == (last.seq, last.hash)  # covers the adoption
    assert signed.key_id == key.key_id
    assert signed.reason == "sanctio-blr version 1; acts (CFSP) 2020/1388, (EU) 2020/1387"
    result = check(registry.engine, public_key=key.public)
    assert result.ok, result.to_dict()
    assert result.checkpoints.checked == 1

    # whoever removes the checkpoint from the database leaves the references dangling
    with registry.engine.begin() as c:
        c.execute(text("DELETE FROM audit_checkpoints"))
    dangling = check(registry.engine, public_key=key.public)
    assert not dangling.ok
    assert dangling.checkpoints.problems[0] == (
        f"list sanctio-blr version 1 names checkpoint {signed.id}, which "
        "audit_checkpoints no longer holds"
    )


def test_without_a_key_the_workflow_works_and_nothing_is_signed(
    workflow: Designation, registry: Registry
) -> None:
    assert adopt(workflow) == 1
    with registry.engine.connect() as c:
        assert c.scalar(select(AuditCheckpoint.id)) is None
        assert c.scalar(select(ListVersion.checkpoint_id)) is None
    result = check(registry.engine)
    assert result.ok
    assert result.checkpoints.notes == [
        "no checkpoints in the database: the chain is anchored by none"
    ]
