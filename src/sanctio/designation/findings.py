"""Forensic findings on the designation side: stored on the audit trail, shown with the
commission members in post, and cited as evidence items of dossiers.

A finding is evidence about a protocol (what a method found at one precinct, with
the SHA-256 of the input file and the parameters), never an accusation of a person.
Where a commission roster has been imported, the commission's members in post on the
election day are shown as persons of interest; a person enters a dossier only when
someone proposes one (``Designation.propose_dossier`` or ``propose-candidate``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctio.designation.auth import Actor, Role
from sanctio.designation.responsibility import Responsibility
from sanctio.designation.responsibility_records import Body
from sanctio.designation.responsibility_types import Candidate
from sanctio.designation.workflow import Designation
from sanctio.errors import NotFoundError
from sanctio.forensics.findings import Finding, StoredFinding, stored_finding
from sanctio.forensics.records import FindingRecord


@dataclass(frozen=True)
class CommissionFindings:
    """A commission with what was found at its precinct, and who sat on it."""

    code: str
    findings: tuple[StoredFinding, ...]
    members: tuple[Candidate, ...]
    roster: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "commission": self.code,
            "findings": [f.to_dict() for f in self.findings],
            "roster_imported": self.roster,
            "persons_of_interest": [m.to_dict() for m in self.members],
        }


class Findings:
    """Findings stored in the registry, on the designation workflow's audit trail."""

    def __init__(self, designation: Designation) -> None:
        self.designation = designation

    def record(
        self,
        actor: Actor,
        method: str,
        parameters: dict[str, Any],
        input_name: str,
        input_sha256: str,
        findings: list[Finding],
    ) -> tuple[int, int]:
        """Store findings; the same method, parameters and input again adds nothing.
        Returns (added, already there)."""
        actor.require(Role.OFFICER, Role.PROPOSER)
        run_key = hashlib.sha256(
            json.dumps([method, parameters, input_sha256], sort_keys=True).encode()
        ).hexdigest()
        now = datetime.now(UTC)
        with self.designation.transaction() as session:
            known = set(
                session.scalars(
                    select(FindingRecord.precinct).where(FindingRecord.run_key == run_key)
                )
            )
            new = [f for f in findings if f.precinct not in known]
            session.add_all(
                FindingRecord(
                    run_key=run_key,
                    method=method,
                    parameters=parameters,
                    input_name=input_name,
                    input_sha256=input_sha256,
                    precinct=f.precinct,
                    summary=f.summary,
                    result=f.result,
                    recorded_by=actor.name,
                    recorded_at=now,
                )
                for f in new
            )
            if new:
                self.designation.audit(
                    session,
                    actor.name,
                    "findings.recorded",
                    f"findings:{method}",
                    {
                        "input": input_name,
                        "input_sha256": input_sha256,
                        "parameters": parameters,
                        "precincts": len(new),
                    },
                )
        return len(new), len(findings) - len(new)

    def stored(self, precinct: str | None = None) -> list[StoredFinding]:
        with Session(self.designation.registry.engine) as session:
            query = select(FindingRecord).order_by(FindingRecord.precinct, FindingRecord.id)
            if precinct is not None:
                query = query.where(FindingRecord.precinct == precinct)
            return [stored_finding(r) for r in session.scalars(query)]

    def commissions(self, actor: Actor, on: date | None = None) -> list[CommissionFindings]:
        """Every commission with findings, most findings first, with its members in
        post on the election day where a roster has been imported."""
        responsibility = Responsibility(self.designation)
        by_precinct: dict[str, list[StoredFinding]] = {}
        for finding in self.stored():
            by_precinct.setdefault(finding.precinct, []).append(finding)
        with Session(self.designation.registry.engine) as session:
            with_roster = set(
                session.scalars(select(Body.code).where(Body.code.in_(list(by_precinct))))
            )
        result = []
        for code, found in by_precinct.items():
            members: list[Candidate] = []
            if code in with_roster:
                try:
                    members = responsibility.candidates_for_commission(actor, code, on)
                except NotFoundError:
                    members = []
            result.append(
                CommissionFindings(code, tuple(found), tuple(members), code in with_roster)
            )
        result.sort(key=lambda c: (-len(c.findings), c.code))
        return result

    def cite(self, actor: Actor, dossier_id: int, finding_id: int) -> tuple[int, int]:
        """Add a finding to a dossier as an evidence item: the input file's SHA-256,
        the method and parameters, and the result. Returns (item number, version)."""
        with Session(self.designation.registry.engine) as session:
            record = session.get(FindingRecord, finding_id)
            if record is None:
                count = session.scalar(select(func.count()).select_from(FindingRecord))
                raise NotFoundError(f"no finding {finding_id}; {count} findings are stored")
            finding = stored_finding(record)
            collected = record.recorded_at
        return self.designation.add_evidence(
            actor,
            dossier_id,
            source=f"forensic finding {finding.id}: {finding.method} on {finding.input_name} "
            f"(parameters {json.dumps(finding.parameters, sort_keys=True)})",
            description=f"precinct {finding.precinct}: {finding.summary}",
            sha256=finding.input_sha256,
            collected_at=collected if collected.tzinfo else collected.replace(tzinfo=UTC),
            collected_by=record.recorded_by,
        )
