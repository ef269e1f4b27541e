"""Forensic findings stored per commission, shown with the commission's members where
a (made-up) roster was imported, and cited as evidence in a dossier."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import numpy as np

from sanctio.designation.auth import Actor, Role
from sanctio.designation.findings import Findings
from sanctio.designation.responsibility import Responsibility
from sanctio.designation.workflow import Designation
from sanctio.forensics.findings import reconcile_findings
from sanctio.forensics.reconcile import GOLOS_CANDIDATES, load_golos, reconcile
from sanctio.model import Entity
from sanctio.registry.audit import entries, verify

OFFICER = Actor("officer", Role.OFFICER)
VIEWER = Actor("viewer", Role.VIEWER)
ELECTION = date(2020, 8, 9)


def golos(path: Path) -> Path:
    """Three made-up precincts: two contradict the protocol, one has none published."""
    keys = list(GOLOS_CANDIDATES)
    header = ["id"] + [
        f"{k}_{s}" for k in keys for s in ("registered", "photoVoices", "officialVotes")
    ]
    rows = {
        "09-001-0001": (300, 200, 120),
        "09-001-0002": (90, 80, 50),
        "09-001-0003": (50, 40, None),
    }
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for code, (registered, photos, official) in rows.items():
            values: list[object] = []
            for key in keys:
                own = key == "tihanovkaja"
                values += [registered if own else 0, photos if own else 0,
                           ("" if official is None else official) if own else 0]  # fmt: skip
            writer.writerow([code, *values])
    return path


def test_findings_per_commission_with_members_and_cited_as_evidence(
    workflow: Designation, tmp_path: Path
) -> None:
    path = golos(tmp_path / "golos.csv")
    count = load_golos(path)
    result = reconcile(count, "tihanovkaja")
    findings = Findings(workflow)
    params = {"candidate": "tihanovkaja"}
    assert findings.record(OFFICER, "reconcile", params, path.name, count.sha256,
                           reconcile_findings(result)) == (2, 0)  # fmt: skip
    # the same analysis again adds nothing
    assert findings.record(OFFICER, "reconcile", params, path.name, count.sha256,
                           reconcile_findings(result)) == (0, 2)  # fmt: skip

    responsibility = Responsibility(workflow)
    responsibility.add_body(OFFICER, "09-001-0001", "Precinct commission 1", "election_commission",
                            election_date=ELECTION)  # fmt: skip
    chair = responsibility.add_post(OFFICER, "09-001-0001", "Chair", 1)
    person = responsibility.add_person(OFFICER, ["Ivan TESTAU", "Иван ТЕСТОВ"], "1970-01-01")
    responsibility.add_occupancy(OFFICER, person, chair, date(2019, 1, 1), None, "made-up roster")

    listed = findings.commissions(VIEWER)
    assert [c.code for c in listed] == ["09-001-0001", "09-001-0002"]
    first = listed[0]
    assert first.roster
    assert [(m.name, m.post) for m in first.members] == [("Ivan TESTAU", "Chair")]
    assert "120 votes" in first.findings[0].summary
    assert listed[1].members == ()
    assert not listed[1].roster

    entity = Entity.make("Person", "sanctio-blr-9", caption="Ivan TESTAU", target=True)
    entity.add("name", "Ivan TESTAU")
    dossier = workflow.propose_dossier(OFFICER, "BLR", entity, 1, "Chair of a commission.")
    number, version = findings.cite(OFFICER, dossier, first.findings[0].id)
    evidence = workflow.evidence(OFFICER, dossier)
    assert (evidence[0].number, evidence[0].version) == (number, version) == (1, 1)
    assert evidence[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "reconcile" in evidence[0].source
    assert "09-001-0001" in evidence[0].description
    actions = [e.action for e in entries(workflow.registry.engine)]
    assert actions.count("findings.recorded") == 1
    assert verify(workflow.registry.engine).ok


def test_integer_findings_are_the_counted_precincts_whole_on_both_counts() -> None:
    from sanctio.forensics.findings import integer_findings
    from sanctio.forensics.integer import integer_test
    from sanctio.forensics.precincts import Precincts

    # registered, issued, found, leader: both whole / turnout only / both but too small /
    # both but turnout above 99% / neither
    rows = [(1000, 600, 600, 300), (1000, 600, 600, 301), (50, 25, 25, 10),
            (1000, 1000, 1000, 500), (1000, 613, 613, 301)]  # fmt: skip
    p = Precincts(
        ids=[f"p{i}" for i in range(len(rows))],
        regions=["r"] * len(rows),
        registered=np.array([r[0] for r in rows], dtype=np.int64),
        ballots_issued=np.array([r[1] for r in rows], dtype=np.int64),
        ballots_found=np.array([r[2] for r in rows], dtype=np.int64),
        votes=np.array([[r[3], r[2] - r[3]] for r in rows], dtype=np.int64),
        candidates=["Leader", "Other"],
    )
    result = integer_test(p, 0, draws=10)
    found = integer_findings(p, 0, result)
    assert [f.precinct for f in found] == ["p0"]
    assert found[0].result["turnout"] == 60.0
    assert "60.00%" in found[0].summary
