"""``sanctio demo belarus-2020``: the EU's 2020 Belarus listings replayed through the
designation workflow, with the real persons, reasons and listing dates of the bundled
EU list (Annex I of Regulation (EC) No 765/2006).

Timeline and act numbers: Council of the EU press releases and the Official Journal
(Implementing Regulations (EU) 2020/1387, 2020/1648, 2020/2129 and Implementing
Decisions (CFSP) 2020/1388, 2020/1650, 2020/2130). On 14 August 2020 the foreign
ministers asked for listings; Cyprus held up the first package at the Council of 21
September 2020 (tying it to measures over Turkey's drilling in the Eastern
Mediterranean) and it was adopted on 2 October 2020; the president and 14 others
followed on 6 November, 29 persons and the entities of the third package on 17
December. Persons listed in 2004 stand at the start; the file's later listings (2021
onwards) and its other annexes are not replayed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sanctio.designation.auth import Actor, Role
from sanctio.designation.consensus import Position
from sanctio.designation.workflow import Designation
from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.registry import Registry
from sanctio.registry.audit import verify

REGIME = "BLR"
SOURCE_FILE = "32006R0765.csv"
CRITERIA = (
    "responsible for serious violations of human rights or the repression of civil "
    "society and democratic opposition, or whose activities otherwise seriously "
    "undermine democracy or the rule of law in Belarus",
    "benefiting from or supporting the Lukashenka regime",
)
MEASURES = ("Asset freeze", "Prohibition to make funds available", "Travel ban")
BLOCKING_STATE = "CY"
BLOCK_REASON = (
    "agreement on the Belarus listings tied to measures over Turkey's drilling in the "
    "Eastern Mediterranean"
)


@dataclass(frozen=True)
class Package:
    listed_on: str  # the listing date in the EU file that defines the package
    title: str
    proposed: str | None  # when the ministers asked for it
    blocked: str | None
    decision: str
    regulation: str


PACKAGES = (
    Package("2004-09-24", "Persons listed in 2004 (disappearances of 1999-2000)", None, None,
            "Common Position 2004/661/CFSP", "Regulation (EC) No 765/2006"),
    Package("2020-10-02", "1st package: falsification of the 9 August 2020 election and "
            "repression", "2020-08-14", "2020-09-21",
            "Implementing Decision (CFSP) 2020/1388", "Implementing Regulation (EU) 2020/1387"),
    Package("2020-11-06", "2nd package: the president and 14 others", "2020-10-12", None,
            "Implementing Decision (CFSP) 2020/1650", "Implementing Regulation (EU) 2020/1648"),
    Package("2020-12-17", "3rd package: persons and entities", "2020-11-19", None,
            "Implementing Decision (CFSP) 2020/2130", "Implementing Regulation (EU) 2020/2129"),
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    date: str
    package: str
    outcome: str
    listed: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Replay:
    steps: list[Step]
    list_name: str
    list_version: int
    audit_ok: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": [s.to_dict() for s in self.steps],
            "list": self.list_name,
            "list_version": self.list_version,
            "audit_ok": self.audit_ok,
        }


def replay(registry: Registry) -> Replay:
    """Run the 2020 timeline on ``registry`` (which must hold no designation yet)."""
    workflow = Designation(registry)
    source = resources.files("sanctio.data.demo").joinpath(SOURCE_FILE)
    with resources.as_file(source) as path:
        parsed = read_list(path)
        file_hash = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    by_date = _targets_by_listing_date(parsed.entities)
    workflow.add_user(None, "sanctions-officer", Role.OFFICER)
    officer = Actor("sanctions-officer", Role.OFFICER)
    workflow.add_user(officer, "high-representative", Role.PROPOSER)
    proposer = Actor("high-representative", Role.PROPOSER)
    delegates = {}
    for state in workflow.states:
        name = f"delegate-{state.code.lower()}"
        workflow.add_user(officer, name, Role.DELEGATE, state.code)
        delegates[state.code] = Actor(name, Role.DELEGATE, state.code)
    workflow.create_regime(
        officer,
        REGIME,
        "Restrictive measures in view of the situation in Belarus",
        "Council Decision 2012/642/CFSP",
        "Council Regulation (EC) No 765/2006",
        CRITERIA,
        MEASURES,
        renewal="02-28",
    )
    steps: list[Step] = []
    listed = 0
    version = 0
    for package in PACKAGES:
        targets = by_date[package.listed_on]
        dossiers = [
            workflow.propose_dossier(proposer, REGIME, entity, _criterion(reason), reason)
            for entity, reason in targets
        ]
        for dossier in dossiers:
            workflow.add_evidence(
                proposer,
                dossier,
                source=f"Official Journal of the EU, {package.regulation}; "
                f"consolidated text CELEX 32006R0765 ({SOURCE_FILE})",
                description="statement of reasons as published",
                sha256=file_hash,
                collected_at=datetime.combine(
                    date.fromisoformat(package.listed_on), datetime.min.time(), UTC
                ),
                collected_by="high-representative",
            )
        number = workflow.create_package(proposer, REGIME, package.title, dossiers)
        circulated = date.fromisoformat(package.proposed or package.listed_on)
        content = workflow.circulate(officer, number, circulated)
        if package.proposed:
            steps.append(Step(package.proposed, package.title, "proposed", listed))
        if package.blocked:
            on = date.fromisoformat(package.blocked)
            for code, delegate in delegates.items():
                if code == BLOCKING_STATE:
                    workflow.record_position(
                        delegate, number, Position.block, content, BLOCK_REASON
                    )
                else:
                    workflow.record_position(delegate, number, Position.agree, content)
            outcome = workflow.decision(number, on).outcome.value
            steps.append(Step(package.blocked, package.title, outcome, listed))
        adopted_on = date.fromisoformat(package.listed_on)
        for code, delegate in delegates.items():
            if not package.blocked or code == BLOCKING_STATE:
                workflow.record_position(delegate, number, Position.agree, content)
        version = workflow.adopt(officer, number, adopted_on, package.decision, package.regulation)
        listed = registry.version(f"sanctio-{REGIME.lower()}", version).entities
        steps.append(Step(package.listed_on, package.title, "adopted", listed))
    return Replay(steps, f"sanctio-{REGIME.lower()}", version, verify(registry.engine).ok)


def _targets_by_listing_date(entities: list[Entity]) -> dict[str, list[tuple[Entity, str]]]:
    """Each target of the EU file with its reasons, by its listing date, re-identified
    for our own list (``sanctio-blr-i-a-33``)."""
    by_id = {e.id: e for e in entities}
    found: dict[str, list[tuple[Entity, str]]] = {p.listed_on: [] for p in PACKAGES}
    for sanction in entities:
        listed_on = sanction.first("listingDate")
        if sanction.schema.name != "Sanction" or listed_on not in found:
            continue
        target = by_id[sanction.first("entity") or ""]
        data = target.to_dict()
        data["id"] = target.id.replace("eu-32006r0765-", f"sanctio-{REGIME.lower()}-")
        data["properties"].pop("programId", None)
        copy = Entity.from_dict(data, trusted=True)
        found[listed_on].append((copy, sanction.first("reason") or ""))
    return found


def _criterion(reason: str) -> int:
    """The regime's criterion the statement of reasons relies on (the Decision's
    criterion (b) when it speaks of benefiting from or supporting the regime)."""
    text = reason.lower()
    return 2 if ("benefit" in text or "support" in text) and "repression" not in text else 1
