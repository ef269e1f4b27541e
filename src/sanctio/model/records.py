"""Sanctio's own records, stored as SQLAlchemy tables (migrated by Alembic).

A list is a name; each import that changes its content adds an immutable version; a
version holds its entities as FtM JSON. Rows of ``list_versions`` and
``version_entities`` are only ever inserted, never updated, so a version once
published stays exactly as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every registry table."""


class SanctionsList(Base):
    """A named list (e.g. ``eu-32006R0765``) whose content changes through versions."""

    __tablename__ = "lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: ``imported`` (a publisher's file, changed by import) or ``published`` (this
    #: registry's own list, changed only by adoption through the designation workflow)
    origin: Mapped[str] = mapped_column(String(20), default="imported")
    versions: Mapped[list[ListVersion]] = relationship(
        back_populates="list", order_by="ListVersion.number"
    )


class ListVersion(Base):
    """One immutable version of a list, as imported from one file."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("lists.id"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(50))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    target_count: Mapped[int] = mapped_column(Integer)
    entity_count: Mapped[int] = mapped_column(Integer)
    by_schema: Mapped[dict[str, int]] = mapped_column(JSON)
    #: the signed audit checkpoint a published version carries
    checkpoint_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    list: Mapped[SanctionsList] = relationship(back_populates="versions")

    __table_args__ = (Index("ix_list_versions_list_number", "list_id", "number", unique=True),)


class VersionEntity(Base):
    """One entity as it stands in one list version."""

    __tablename__ = "version_entities"

    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    schema: Mapped[str] = mapped_column(String(50))
    caption: Mapped[str] = mapped_column(Text)
    target: Mapped[bool] = mapped_column(Boolean)
    #: For a record about a target (its Sanction, Passport...), the target's id.
    subject_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    state_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_version_entities_entity_id", "entity_id"),
        Index("ix_version_entities_subject", "version_id", "subject_id"),
    )


class AuditRecord(Base):
    """One entry of the audit trail; each names the hash of the one before it.

    Rows are only ever inserted (by ``sanctio.registry.audit.append``), never updated.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The audit trail's last seq and hash (one row), so a removed last record shows."""

    __tablename__ = "audit_head"

    #: Always 1 (migration 0002 checks it): the table holds a single row.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """The audit head (seq and hash) signed with an Ed25519 key kept outside the
    database: a chain rewritten or emptied through the database no longer matches it."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the raw public key, hex
    key_id: Mapped[str] = mapped_column(String(64))
    #: base64 of the Ed25519 signature
    signature: Mapped[str] = mapped_column(Text)
