"""Random sequences of workflow actions hold the decision's invariants, on SQLite and
(fewer examples) PostgreSQL: the published list changes only by adoption, amendment,
delisting or expiry, each with its act; a dossier is in at most one open package;
positions taken before the last change of a package's content do not count; dates
follow the case's order; the published list holds one entry per listed person.

Each example works in its own regime of one registry, so the examples share the
users and the database but nothing they check."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctio.designation.auth import Role
from sanctio.designation.consensus import Outcome, Position, load_member_states
from sanctio.designation.lifecycle import Ground, Lifecycle
from sanctio.designation.records import (
    Dossier,
    LegalAct,
    Package,
    PackageDossier,
    Regime,
)
from sanctio.designation.workflow import Designation, WorkflowError, regime_list_name
from sanctio.errors import NotFoundError
from sanctio.registry import Registry

from .test_integrity import Clock
from .test_workflow import OFFICER, PROPOSER, delegate, person

STATES = [state.code for state in load_member_states()]
OPEN = ("draft", "circulated")
REGIMES = itertools.count(1)
ACTS = itertools.count(1)
T = TypeVar("T")


def act() -> str:
    """An act number never used before in the registry."""
    return f"A-{next(ACTS)}"


def attempt(action: Callable[[], T]) -> tuple[T | None, str]:
    """The action's result, or the workflow's refusal (its message)."""
    try:
        return action(), ""
    except WorkflowError as exc:
        return None, str(exc)


class Workflow(RuleBasedStateMachine):
    """One regime's case, driven at random; ``registry`` is set by the test."""

    registry: Registry

    def __init__(self) -> None:
        super().__init__()
        self.code = f"R{next(REGIMES)}"
        self.list_name = regime_list_name(self.code)
        self.clock = Clock(date(2020, 1, 1))
        self.flow = Designation(self.registry, today=self.clock)
        self.lifecycle = Lifecycle(self.flow)
        self.people = 0
        #: by circulated package: the states that agreed since its content last changed
        self.agreed: dict[int, set[str]] = {}
        #: the published list's version as the publishing actions left it
        self.version = 0

    @initialize()
    def regime(self) -> None:
        self.flow.create_regime(
            OFFICER, self.code, "Regime", "D", "R", ["repression", "support"], ["Asset freeze"]
        )

    # -- reading the registry -------------------------------------------------------

    def _ids(self, query: Any) -> list[int]:
        with Session(self.registry.engine) as session:
            return list(session.scalars(query).all())

    def _dossiers(self, *status: str) -> list[int]:
        return self._ids(
            select(Dossier.id)
            .join(Regime, Regime.id == Dossier.regime_id)
            .where(Regime.code == self.code, Dossier.status.in_(status))
            .order_by(Dossier.id)
        )

    def _packages(self, *status: str) -> list[int]:
        return self._ids(
            select(Package.id)
            .join(Regime, Regime.id == Package.regime_id)
            .where(Regime.code == self.code, Package.status.in_(status))
            .order_by(Package.id)
        )

    def _published_version(self) -> int:
        try:
            return self.registry.version(self.list_name).version
        except NotFoundError:
            return 0

    def _last_act(self) -> date | None:
        with Session(self.registry.engine) as session:
            return session.scalar(
                select(func.max(LegalAct.adopted_on))
                .join(Regime, Regime.id == LegalAct.regime_id)
                .where(Regime.code == self.code)
            )

    def _published(self, version: int) -> None:
        """A publishing action succeeded: the list moved on, by an act naming it."""
        assert version == self._published_version()
        assert version >= self.version
        self.version = version

    def _changed(self, package: int | None) -> None:
        if package is not None and package in self.agreed:
            self.agreed[package] = set()

    def _package_of(self, dossier: int) -> int | None:
        found = self._ids(
            select(PackageDossier.package_id)
            .join(Package, Package.id == PackageDossier.package_id)
            .where(PackageDossier.dossier_id == dossier, Package.status == "circulated")
        )
        return found[0] if found else None

    # -- actions ------------------------------------------------------------------------

    @rule(days=st.integers(0, 120))
    def time_passes(self, days: int) -> None:
        self.clock.day += timedelta(days=days)

    @precondition(lambda self: len(self._dossiers("proposed")) < 3)
    @rule()
    def propose(self) -> None:
        self.people += 1
        entity = person(f"{self.list_name}-{self.people}", f"Person {self.code} {self.people}")
        self.flow.propose_dossier(PROPOSER, self.code, entity, 1, "reasons")

    @precondition(lambda self: self._dossiers("delisted"))
    @rule(pick=st.integers(0, 20))
    def propose_again(self, pick: int) -> None:
        delisted = self._dossiers("delisted")
        if not delisted:
            return
        earlier = delisted[pick % len(delisted)]
        with Session(self.registry.engine) as session:
            old = session.get(Dossier, earlier)
            assert old is not None
            entity_id, names = old.entity_id, old.entity["properties"]["name"]
        new, refused = attempt(
            lambda: self.flow.propose_dossier(
                PROPOSER, self.code, person(entity_id, *names), 1, "proposed again"
            )
        )
        if refused:  # a later dossier of that person exists already
            assert "exists already" in refused
            return
        with Session(self.registry.engine) as session:
            again = session.get(Dossier, new)
            assert again is not None
            assert again.previous_dossier_id is not None

    @rule(pick=st.integers(0, 20), supplement=st.booleans(), digit=st.sampled_from("0123456789"))
    def add_evidence(self, pick: int, supplement: bool, digit: str) -> None:
        dossiers = self._dossiers("proposed", "in_package", "listed")
        if not dossiers:
            return
        dossier = dossiers[pick % len(dossiers)]
        has_items = bool(self.flow.evidence(OFFICER, dossier))
        self.flow.add_evidence(
            PROPOSER,
            dossier,
            "source",
            "description",
            digit * 64,
            datetime(2020, 1, 1, tzinfo=UTC),
            "ngo",
            supplements=1 if supplement and has_items else None,
        )
        self._changed(self._package_of(dossier))

    @precondition(lambda self: self._dossiers("proposed"))
    @rule(mask=st.integers(1, 255), circulated=st.booleans())
    def create_package(self, mask: int, circulated: bool) -> None:
        """A package of some proposed dossiers, circulated at once or left a draft."""
        proposed = self._dossiers("proposed")
        chosen = [d for i, d in enumerate(proposed) if mask >> (i % 8) & 1] or proposed[:1]
        package = self.flow.create_package(PROPOSER, self.code, "package", chosen)
        if circulated:
            self.flow.circulate(OFFICER, package, self.clock())
            self.agreed[package] = set()

    @precondition(lambda self: self._packages(*OPEN))
    @rule(pick=st.integers(0, 20), which=st.integers(0, 20))
    def hold_back(self, pick: int, which: int) -> None:
        packages = self._packages(*OPEN)
        if not packages:
            return
        package = packages[pick % len(packages)]
        inside = self._ids(
            select(PackageDossier.dossier_id).where(PackageDossier.package_id == package)
        )
        if not inside:
            return
        self.flow.hold_back(PROPOSER, package, inside[which % len(inside)])
        self._changed(package)

    @precondition(lambda self: self._packages("draft"))
    @rule(pick=st.integers(0, 20), deadline=st.none() | st.integers(0, 30))
    def circulate(self, pick: int, deadline: int | None) -> None:
        drafts = self._packages("draft")
        if not drafts:
            return
        package = drafts[pick % len(drafts)]
        on = self.clock()
        until = on + timedelta(days=deadline) if deadline is not None else None
        _, refused = attempt(lambda: self.flow.circulate(OFFICER, package, on, until))
        if refused:
            assert "is empty" in refused
            return
        self.agreed[package] = set()

    @precondition(lambda self: self._packages("circulated"))
    @rule(pick=st.integers(0, 20), states=st.sampled_from([len(STATES), len(STATES), 1, 26]))
    def positions(self, pick: int, states: int) -> None:
        circulated = self._packages("circulated")
        if not circulated:
            return
        package = circulated[pick % len(circulated)]
        with Session(self.registry.engine) as session:
            read = session.get(Package, package)
            assert read is not None
            content = read.content_hash
        assert content is not None
        for code in STATES[:states]:
            self.flow.record_position(delegate(code), package, Position.agree, content)
            self.agreed[package].add(code)

    @precondition(lambda self: self._packages("circulated"))
    @rule(pick=st.integers(0, 20), offset=st.sampled_from([0, 0, 0, -1, -10, 2]))
    def adopt(self, pick: int, offset: int) -> None:
        circulated = self._packages("circulated")
        if not circulated:
            return
        package = circulated[pick % len(circulated)]
        on = self.clock() + timedelta(days=offset)
        with Session(self.registry.engine) as session:
            read = session.get(Package, package)
            assert read is not None
            circulated_on = read.circulated_on
            members = session.scalar(
                select(func.count()).where(PackageDossier.package_id == package)
            )
        last = self._last_act()
        expected = (
            len(self.agreed[package]) == len(STATES)
            and bool(members)
            and circulated_on is not None
            and circulated_on <= on <= self.clock()
            and (last is None or last <= on)
        )
        version, refused = attempt(lambda: self.flow.adopt(OFFICER, package, on, act(), act()))
        assert expected == (not refused), refused
        if version is not None:
            self._published(version)
            del self.agreed[package]

    @precondition(lambda self: self._packages("circulated"))
    @rule(pick=st.integers(0, 20))
    def agreed_and_adopted(self, pick: int) -> None:
        """The common course: every state agrees on what it read, adopted that day."""
        self.positions(pick, len(STATES))
        self.adopt(pick, 0)

    @precondition(lambda self: self._dossiers("listed"))
    @rule(pick=st.integers(0, 20), named=st.booleans(), offset=st.integers(-40, 0))
    def amend(self, pick: int, named: bool, offset: int) -> None:
        listed = self._dossiers("listed")
        if not listed:
            return
        acts = {"implementing regulation": act()} if named else {}
        on = self.clock() + timedelta(days=offset)
        version, refused = attempt(
            lambda: self.lifecycle.amend(
                OFFICER, listed[pick % len(listed)], on, acts, reasons=f"amended on {on}"
            )
        )
        if named:
            assert not refused or "dated before" in refused, refused
        else:
            assert "needs its legal act" in refused
        if version is not None:
            self._published(version)

    @precondition(lambda self: self._dossiers("listed"))
    @rule(pick=st.integers(0, 20), named=st.booleans(), offset=st.integers(-40, 0))
    def delist(self, pick: int, named: bool, offset: int) -> None:
        listed = self._dossiers("listed")
        if not listed:
            return
        acts = {"implementing decision": act()} if named else {}
        on = self.clock() + timedelta(days=offset)
        version, refused = attempt(
            lambda: self.lifecycle.delist(
                OFFICER, listed[pick % len(listed)], on, Ground.REVIEW, acts
            )
        )
        if not named:
            assert "needs its legal act" in refused
        elif refused:
            assert "dated before" in refused
        else:
            assert version is not None
            self._published(version)

    @precondition(lambda self: self.version)
    @rule()
    def renew(self) -> None:
        before = self._published_version()
        _, refused = attempt(lambda: self.lifecycle.renew(OFFICER, self.code, self.clock(), act()))
        whys = ("no term", "expired", "renewed already", "dated before")
        assert not refused or any(why in refused for why in whys), refused
        assert self._published_version() == before

    @precondition(lambda self: self.version)
    @rule()
    def expire(self) -> None:
        version, refused = attempt(
            lambda: self.lifecycle.expire(OFFICER, self.code, self.clock(), act())
        )
        assert not refused or "in force until" in refused or "dated before" in refused, refused
        if version is not None:
            self._published(version)

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def the_list_changes_only_by_an_act(self) -> None:
        assert self._published_version() == self.version
        with Session(self.registry.engine) as session:
            versions = set(
                session.scalars(
                    select(LegalAct.list_version)
                    .join(Regime, Regime.id == LegalAct.regime_id)
                    .where(Regime.code == self.code, LegalAct.list_version.is_not(None))
                ).all()
            )
        assert versions == set(range(1, self.version + 1))

    @invariant()
    def a_dossier_is_in_one_open_package_at_most(self) -> None:
        with Session(self.registry.engine) as session:
            most = session.scalar(
                select(func.count())
                .select_from(PackageDossier)
                .join(Package, Package.id == PackageDossier.package_id)
                .where(Package.status.in_(OPEN))
                .group_by(PackageDossier.dossier_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        assert (most or 0) <= 1

    @invariant()
    def only_positions_on_the_current_content_count(self) -> None:
        for package, states in self.agreed.items():
            decision = self.flow.decision(package)
            assert decision.agree == len(states), (package, decision.reasons)
            assert (decision.outcome is Outcome.adopted) == (len(states) == len(STATES))

    @invariant()
    def dates_follow_the_case(self) -> None:
        with Session(self.registry.engine) as session:
            acts = session.scalars(
                select(LegalAct.adopted_on)
                .join(Regime, Regime.id == LegalAct.regime_id)
                .where(Regime.code == self.code)
                .order_by(LegalAct.id)
            ).all()
            assert list(acts) == sorted(acts)
            for dossier in session.scalars(
                select(Dossier)
                .join(Regime, Regime.id == Dossier.regime_id)
                .where(Regime.code == self.code, Dossier.listed_on.is_not(None))
            ):
                circulated = session.scalars(
                    select(Package.circulated_on)
                    .join(PackageDossier, PackageDossier.package_id == Package.id)
                    .where(PackageDossier.dossier_id == dossier.id, Package.status == "adopted")
                ).all()
                assert len(circulated) == 1
                assert circulated[0] is not None
                assert circulated[0] <= dossier.listed_on
                if dossier.delisted_on is not None:
                    assert dossier.listed_on is not None
                    assert dossier.delisted_on >= dossier.listed_on

    @invariant()
    def one_published_entry_per_listed_person(self) -> None:
        if not self.version:
            return
        published = [e.id for e in self.registry.entities(self.list_name) if e.target]
        assert len(published) == len(set(published))
        with Session(self.registry.engine) as session:
            listed = session.scalars(
                select(Dossier.entity_id)
                .join(Regime, Regime.id == Dossier.regime_id)
                .where(Regime.code == self.code, Dossier.status == "listed")
            ).all()
        assert sorted(published) == sorted(listed)


def test_random_cases_hold_the_invariants(registry: Registry) -> None:
    """25 cases of up to 40 steps on SQLite, 10 of 20 on PostgreSQL (each step commits)."""
    Workflow.registry = registry
    Designation(registry).add_user(None, "officer", Role.OFFICER)
    postgres = registry.engine.dialect.name == "postgresql"
    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=10 if postgres else 25,
            stateful_step_count=20 if postgres else 40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            derandomize=True,
            database=None,
        ),
    )
