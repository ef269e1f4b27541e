"""After listing: notification, observations and requests for reconsideration,
periodic review, renewal, amendments and corrections, and delisting.

Each listing is reviewed at least every 12 months; the regime's listings run until
its term end and are renewed by the Council, or expire. A delisting by review or
expiry takes effect on the day decided; one following a court annulment takes effect
only when the appeal period has run out (for a judgment of the General Court, two
months and ten days: Art. 56 of the Statute of the Court of Justice and Art. 51 of
the Rules of Procedure of the Court of Justice), so until then the person stays on
the published list and `apply_due` publishes the change on that day.

Every change to the published list (amendment, delisting, renewal, expiry) names its
legal act, and dates follow the case's order: nothing about a listing is dated before
it, and no change to a regime's list before the regime's last act.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctio.designation.auth import Actor, Role
from sanctio.designation.records import Dossier, ListingEvent, Regime
from sanctio.designation.workflow import (
    Designation,
    WorkflowError,
    next_renewal,
    one_year_after,
    require_acts,
)
from sanctio.model import Entity


class Ground(StrEnum):
    REVIEW = "review"
    EXPIRY = "expiry"
    ANNULMENT = "annulment"


class ReviewOutcome(StrEnum):
    MAINTAIN = "maintain"
    DELIST = "delist"


#: Observations the listed person (or a lawyer) sends, and requests to reconsider.
SUBMISSIONS = ("observations", "reconsideration_request")


def appeal_period_end(judgment: date) -> date:
    """Two months and ten days after the judgment is served (taken as its date)."""
    month = judgment.month + 2
    year = judgment.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(judgment.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=10)


@dataclass(frozen=True)
class DueReview:
    dossier: int
    caption: str
    listed_on: str
    review_due: str
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Lifecycle:
    """The after-listing steps, on the same registry and audit trail as adoption."""

    def __init__(self, designation: Designation) -> None:
        self.designation = designation

    def notify(self, actor: Actor, dossier_id: int, on: date, method: str) -> None:
        """Notification of the listed person: by letter where an address is known, else
        by a notice in the Official Journal (C series)."""
        actor.require(Role.OFFICER)
        with self.designation.transaction() as session:
            dossier = self._listed(session, dossier_id, on, "a notification")
            self._event(session, actor, dossier, "notified", on, {"method": method})

    def submission(self, actor: Actor, dossier_id: int, on: date, kind: str, summary: str) -> None:
        """Observations or a request for reconsideration received from the listed person."""
        actor.require(Role.OFFICER)
        if kind not in SUBMISSIONS:
            raise WorkflowError(f"kind {kind!r}; expected {' or '.join(SUBMISSIONS)}")
        with self.designation.transaction() as session:
            dossier = self._listed(session, dossier_id, on, f"the {kind.replace('_', ' ')}")
            self._event(session, actor, dossier, kind, on, {"summary": summary})

    def review(
        self,
        actor: Actor,
        dossier_id: int,
        on: date,
        outcome: ReviewOutcome,
        note: str,
        acts: dict[str, str] | None = None,
    ) -> int | None:
        """A periodic review (or the answer to a request): maintain, with the next review
        due within 12 months, or delist now. Returns the new list version if any."""
        actor.require(Role.OFFICER)
        if outcome is ReviewOutcome.DELIST:
            return self.delist(actor, dossier_id, on, Ground.REVIEW, acts or {}, note=note)
        with self.designation.transaction() as session:
            dossier = self._listed(session, dossier_id, on, "the review")
            dossier.review_due = one_year_after(on)
            self._event(
                session,
                actor,
                dossier,
                "reviewed",
                on,
                {
                    "outcome": outcome.value,
                    "note": note,
                    "next_review": dossier.review_due.isoformat(),
                },
            )
        return None

    def reviews_due(self, on: date, within_days: int = 30) -> list[DueReview]:
        """Listings whose review falls due within ``within_days`` of ``on`` (or is late)."""
        horizon = on + timedelta(days=within_days)
        with Session(self.designation.registry.engine) as session:
            rows = session.scalars(
                select(Dossier)
                .where(Dossier.status == "listed", Dossier.review_due <= horizon)
                .order_by(Dossier.review_due, Dossier.id)
            ).all()
            return [
                DueReview(
                    d.id,
                    str(d.entity.get("caption", d.entity_id)),
                    d.listed_on.isoformat() if d.listed_on else "",
                    d.review_due.isoformat() if d.review_due else "",
                    bool(d.review_due and d.review_due < on),
                )
                for d in rows
            ]

    def renew(self, actor: Actor, regime_code: str, on: date, decision_number: str) -> date:
        """The Council's renewal of the regime within its term: every listing runs until
        the next term end. Returns that date. Once per term: a second renewal would move
        the term a year more; after expiry the listings have lapsed, so it is refused."""
        actor.require(Role.OFFICER)
        acts = require_acts("a renewal", {"renewal decision": decision_number}, "renewal decision")
        with self.designation.transaction() as session:
            regime = self.designation._regime(session, regime_code)
            until = regime.in_force_until
            if until is None:
                raise WorkflowError(
                    f"regime {regime_code} has no term to renew: nothing was adopted under it"
                )
            if on > until:
                raise WorkflowError(
                    f"regime {regime_code} expired on {until}; a renewal "
                    "must be decided before the term ends"
                )
            term_end = next_renewal(regime.renewal, on - timedelta(days=1))
            if until > term_end:
                raise WorkflowError(
                    f"regime {regime_code} was renewed already for the term ending "
                    f"{term_end}: it is in force until {until}"
                )
            self.designation.check_order(session, regime, on, "the renewal")
            regime.in_force_until = next_renewal(regime.renewal, until)
            self.designation.record_acts(session, regime, on, None, acts)
            self.designation.audit(
                session,
                actor.name,
                "regime.renewed",
                f"regime:{regime_code}",
                {
                    "on": on.isoformat(),
                    "decision": decision_number,
                    "until": regime.in_force_until.isoformat(),
                },
            )
            return regime.in_force_until

    def amend(
        self,
        actor: Actor,
        dossier_id: int,
        on: date,
        acts: dict[str, str],
        reasons: str | None = None,
        add_names: list[str] | None = None,
        properties: dict[str, list[str]] | None = None,
    ) -> int:
        """An amendment or correction of a listed entry (statement of reasons, spellings,
        identifying information), published as a new list version. Returns it."""
        actor.require(Role.OFFICER)
        acts = require_acts("an amendment", acts)
        with self.designation.transaction() as session:
            dossier = self._listed(session, dossier_id, on, "the amendment")
            entity = Entity.from_dict(dossier.entity)
            changes: dict[str, Any] = {}
            if add_names:
                entity.add("alias", add_names)
                changes["alias"] = add_names
            for prop, values in (properties or {}).items():
                try:
                    entity.properties.pop(prop, None)
                    entity.add(prop, values)
                except (KeyError, ValueError) as exc:
                    raise WorkflowError(f"{prop}: {exc}") from None
                changes[prop] = values
            if reasons:
                dossier.reasons = reasons
                changes["reasons"] = reasons
            if not changes:
                raise WorkflowError("an amendment needs a change: reasons, names or properties")
            dossier.entity = entity.to_dict()
            regime = self._regime_of(session, dossier)
            self.designation.check_order(session, regime, on, "the amendment")
            version = self.designation.publish(session, regime, on)
            self.designation.record_acts(session, regime, on, version, acts, dossier_id=dossier.id)
            self._event(
                session,
                actor,
                dossier,
                "amended",
                on,
                {"changes": changes, "acts": acts, "list_version": version},
            )
            return version

    def delist(
        self,
        actor: Actor,
        dossier_id: int,
        on: date,
        ground: Ground,
        acts: dict[str, str],
        note: str = "",
        judgment: str | None = None,
    ) -> int | None:
        """Delisting by review, expiry or court annulment. An annulment takes effect when
        the appeal period ends; the others on ``on``. Returns the new list version, or
        None while the delisting waits for its day."""
        actor.require(Role.OFFICER)
        if ground is Ground.ANNULMENT and not judgment:
            raise WorkflowError("a delisting by annulment needs the judgment (case number)")
        acts = require_acts("a delisting", acts)
        effective = appeal_period_end(on) if ground is Ground.ANNULMENT else on
        with self.designation.transaction() as session:
            dossier = self._listed(session, dossier_id, on, "the delisting")
            regime = self._regime_of(session, dossier)
            self.designation.check_order(session, regime, on, "the delisting")
            if dossier.delisting_effective is not None:
                raise WorkflowError(
                    f"dossier {dossier_id} is already to be delisted on "
                    f"{dossier.delisting_effective}"
                )
            dossier.delisting_ground = ground.value
            dossier.delisting_effective = effective
            self._event(
                session,
                actor,
                dossier,
                "delisting_decided",
                on,
                {
                    "ground": ground.value,
                    "effective": effective.isoformat(),
                    "note": note,
                    "judgment": judgment,
                    "acts": acts,
                },
            )
            version = None
            if effective <= on:
                version = self._take_effect(session, actor, [dossier], regime, on)
            self.designation.record_acts(session, regime, on, version, acts, dossier_id=dossier.id)
            return version

    def expire(self, actor: Actor, regime_code: str, on: date, notice_number: str) -> int | None:
        """The regime's term ended without renewal: every listing lapses, published with
        the number of the notice that says so (a list changes only by a legal act)."""
        actor.require(Role.OFFICER)
        acts = require_acts("an expiry", {"expiry notice": notice_number}, "expiry notice")
        with self.designation.transaction() as session:
            regime = self.designation._regime(session, regime_code)
            if regime.in_force_until is None or on <= regime.in_force_until:
                raise WorkflowError(
                    f"regime {regime_code} is in force until {regime.in_force_until}"
                )
            listed = self._all_listed(session, regime)
            if not listed:
                return None
            self.designation.check_order(session, regime, on, "the expiry")
            for dossier in listed:
                dossier.delisting_ground = Ground.EXPIRY.value
                dossier.delisting_effective = regime.in_force_until + timedelta(days=1)
            version = self._take_effect(session, actor, listed, regime, on)
            self.designation.record_acts(session, regime, on, version, acts)
            return version

    def apply_due(self, actor: Actor, on: date) -> dict[str, int]:
        """Publish the delistings whose day has come (annulments after the appeal
        period). Returns the new list version of each regime changed."""
        actor.require(Role.OFFICER)
        versions: dict[str, int] = {}
        with self.designation.transaction() as session:
            due = session.scalars(
                select(Dossier).where(Dossier.status == "listed", Dossier.delisting_effective <= on)
            ).all()
            by_regime: dict[int, list[Dossier]] = {}
            for dossier in due:
                by_regime.setdefault(dossier.regime_id, []).append(dossier)
            for regime_id, dossiers in by_regime.items():
                regime = session.get(Regime, regime_id)
                assert regime is not None
                versions[regime.code] = self._take_effect(session, actor, dossiers, regime, on)
        return versions

    def history(self, dossier_id: int) -> list[dict[str, Any]]:
        with Session(self.designation.registry.engine) as session:
            self.designation._dossier(session, dossier_id)
            rows = session.scalars(
                select(ListingEvent)
                .where(ListingEvent.dossier_id == dossier_id)
                .order_by(ListingEvent.on, ListingEvent.id)
            ).all()
            return [
                {"kind": r.kind, "on": r.on.isoformat(), "by": r.recorded_by, **r.details}
                for r in rows
            ]

    # -- helpers ---------------------------------------------------------------

    def _take_effect(
        self, session: Session, actor: Actor, dossiers: list[Dossier], regime: Regime, on: date
    ) -> int:
        for dossier in dossiers:
            dossier.status = "delisted"
            dossier.delisted_on = dossier.delisting_effective or on
            self._event(
                session,
                actor,
                dossier,
                "delisted",
                dossier.delisted_on,
                {"ground": dossier.delisting_ground},
            )
        return self.designation.publish(session, regime, on)

    def _listed(self, session: Session, dossier_id: int, on: date, what: str) -> Dossier:
        """The listed dossier, its row locked; ``what`` may not be dated before the
        listing."""
        dossier = self.designation._dossier(session, dossier_id, lock=True)
        if dossier.status != "listed":
            raise WorkflowError(f"dossier {dossier_id} is {dossier.status}, not listed")
        if dossier.listed_on is not None and on < dossier.listed_on:
            raise WorkflowError(
                f"{what} on {on} is dated before dossier {dossier_id}'s listing on "
                f"{dossier.listed_on}"
            )
        return dossier

    def _all_listed(self, session: Session, regime: Regime) -> list[Dossier]:
        return list(
            session.scalars(
                select(Dossier).where(Dossier.regime_id == regime.id, Dossier.status == "listed")
            ).all()
        )

    def _regime_of(self, session: Session, dossier: Dossier) -> Regime:
        regime = session.get(Regime, dossier.regime_id)
        assert regime is not None
        return regime

    def _event(
        self,
        session: Session,
        actor: Actor,
        dossier: Dossier,
        kind: str,
        on: date,
        details: dict[str, Any],
    ) -> None:
        session.add(
            ListingEvent(
                dossier_id=dossier.id,
                kind=kind,
                on=on,
                details=details,
                recorded_by=actor.name,
                recorded_at=datetime.now(UTC),
            )
        )
        self.designation.audit(
            session,
            actor.name,
            f"listing.{kind}",
            f"dossier:{dossier.id}",
            {"on": on.isoformat(), **details},
        )
