"""From a forensic result to findings per precinct commission.

A finding is evidence about a protocol (what a method found at one precinct, with
the SHA-256 of the input file and the parameters), never an accusation of a person.
Where a commission roster has been imported, the commission's members in post on the
election day are shown as persons of interest; a person enters a dossier only when
someone proposes one (``Designation.propose_dossier`` or ``propose-candidate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sanctio.forensics.integer import IntegerResult, eligible, near_integer
from sanctio.forensics.precincts import Precincts
from sanctio.forensics.reconcile import ReconcileResult
from sanctio.forensics.records import FindingRecord

NOT_AN_ACCUSATION = (
    "Findings are evidence about election protocols, not findings about persons. A "
    "commission member listed here is a lead for a human decision; a person enters a "
    "dossier only when someone proposes one in the designation workflow."
)


@dataclass(frozen=True)
class Finding:
    """What one method found at one precinct."""

    precinct: str
    summary: str
    result: dict[str, Any]


@dataclass(frozen=True)
class StoredFinding:
    id: int
    method: str
    precinct: str
    summary: str
    input_name: str
    input_sha256: str
    parameters: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def reconcile_findings(result: ReconcileResult) -> list[Finding]:
    """One finding per precinct whose protocol the independent count contradicts."""
    return [
        Finding(
            c.precinct,
            f"protocol credits {result.candidate} with {c.official} votes; "
            f"{c.photos} voters showed a photo of their ballot and {c.registered} "
            f"registered a vote for the candidate (at least {c.missing_at_least} missing)",
            c.to_dict(),
        )
        for c in result.contradictions
    ]


def integer_findings(p: Precincts, leader: int, result: IntegerResult) -> list[Finding]:
    """Precincts the test counts whose turnout and leader's share are BOTH whole
    percents (within the test's tolerance): by chance about one precinct in a hundred,
    so each is a weak sign alone; the summary carries the election-wide excess."""
    index = np.flatnonzero(eligible(p, leader))
    votes = p.votes[index, leader]
    both = near_integer(p.ballots_issued[index], p.registered[index], result.tolerance) & (
        near_integer(votes, p.ballots_found[index], result.tolerance)
    )
    found = []
    for i in index[both]:
        turnout = 100 * p.ballots_issued[i] / p.registered[i]
        share = 100 * p.votes[i, leader] / p.ballots_found[i]
        found.append(
            Finding(
                p.ids[i],
                f"turnout {turnout:.2f}% and {result.leader}'s share {share:.2f}% are both "
                f"whole percents; election-wide {result.observed} integer precincts against "
                f"{result.expected:.0f} expected (excess {result.excess:.0f})",
                {
                    "turnout": round(float(turnout), 4),
                    "share": round(float(share), 4),
                    "registered": int(p.registered[i]),
                    "ballots_issued": int(p.ballots_issued[i]),
                    "ballots_found": int(p.ballots_found[i]),
                    "leader_votes": int(p.votes[i, leader]),
                },
            )
        )
    return found


def stored_finding(record: FindingRecord) -> StoredFinding:
    """A stored finding as a user sees it."""
    return StoredFinding(
        record.id,
        record.method,
        record.precinct,
        record.summary,
        record.input_name,
        record.input_sha256,
        dict(record.parameters),
    )
