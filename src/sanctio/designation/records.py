"""The designation workflow's own tables: things FollowTheMoney does not model.

Users with hashed tokens, regimes with their legal basis, dossiers with versioned
evidence, packages and member states' positions on them, and the legal acts that
adopt a package. The proposed persons themselves are FtM entities (``entity`` JSON),
so what a package publishes is the same kind of thing as any imported list.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sanctio.model.records import Base


class User(Base):
    """Someone who acts in the workflow, with one role and, for a delegate, a state."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    member_state: Mapped[str | None] = mapped_column(String(2), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    token_expires_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Regime(Base):
    """A sanctions regime: its legal basis, criteria, measures and yearly renewal."""

    __tablename__ = "regimes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(Text)
    regulation: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list[Any]] = mapped_column(JSON)
    measures: Mapped[list[Any]] = mapped_column(JSON)
    renewal: Mapped[str] = mapped_column(String(5))  # MM-DD the listings run until
    list_name: Mapped[str] = mapped_column(String(200), unique=True)
    #: the end of the current term: listings not renewed by then expire
    in_force_until: Mapped[date | None] = mapped_column(Date, nullable=True)


class Dossier(Base):
    """One proposed person or entity, with the criterion relied on and the reasons."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id"))
    #: not unique: a person delisted and proposed again has a new dossier
    entity_id: Mapped[str] = mapped_column(String(255), index=True)
    entity: Mapped[dict[str, Any]] = mapped_column(JSON)
    criterion: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    proposer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    listed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: a delisting decided (review, expiry, annulment) and the day it takes effect
    delisting_ground: Mapped[str | None] = mapped_column(String(20), nullable=True)
    delisting_effective: Mapped[date | None] = mapped_column(Date, nullable=True)
    delisted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the same person's earlier dossier, delisted before this one was proposed
    previous_dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossiers.id"), nullable=True
    )


class EvidenceItem(Base):
    """A numbered item of a dossier's evidence; supplements add versions, never edits."""

    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("dossier_id", "number", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    collected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    collected_by: Mapped[str] = mapped_column(String(200))
    sensitivity: Mapped[str] = mapped_column(String(20))
    consent: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Package(Base):
    """Dossiers proposed together, circulated to the member states and decided once."""

    __tablename__ = "packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id"))
    title: Mapped[str] = mapped_column(Text)
    proposer: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(30))
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    circulated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    silence_is_agreement: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PackageDossier(Base):
    __tablename__ = "package_dossiers"

    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)


class PositionRecord(Base):
    """A member state's position on a package, on the content it was circulated with."""

    __tablename__ = "positions"

    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), primary_key=True)
    member_state: Mapped[str] = mapped_column(String(2), primary_key=True)
    position: Mapped[str] = mapped_column(String(30))
    statement: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LegalAct(Base):
    """An act of the Council: adopting a package, amending or delisting one entry, or
    renewing the regime."""

    __tablename__ = "legal_acts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id"), nullable=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), nullable=True)
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id"))
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(100), unique=True)
    adopted_on: Mapped[date] = mapped_column(Date)
    #: the published list version the act made (None: an act that changes no entry)
    list_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the signed audit checkpoint taken when the act was recorded
    checkpoint_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ListingEvent(Base):
    """What happened to a listing after adoption: notification, observations, requests
    for reconsideration, reviews, amendments, delisting decided or in effect."""

    __tablename__ = "listing_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    kind: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
