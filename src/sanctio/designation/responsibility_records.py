"""Tables for documenting violence and who held which post when.

A body (a riot-police unit, a ministry, an election commission) has posts ranked from
its head down; an occupancy says who held a post from when to when (FtM's Position
and Occupancy); an incident names the bodies involved and its sources. Persons of
interest are FtM Person entities (``entity`` JSON), so a candidate can become a
dossier's entity unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from sanctio.model.records import Base


class Body(Base):
    """An organisation in charge; ``parent`` is the body it answers to, so
    responsibility can be followed up the chain of command."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True)
    #: an election commission's election date (the default date for its candidates)
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Post(Base):
    """A named post at a body (FtM Position); rank 1 is the head of the body."""

    __tablename__ = "posts"
    __table_args__ = (Unique("body_id", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    title: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer)


class PersonOfInterest(Base):
    """Someone who held a post, as an FtM Person entity (names in any script)."""

    __tablename__ = "persons_of_interest"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(255), unique=True)
    entity: Mapped[dict[str, Any]] = mapped_column(JSON)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OccupancyRecord(Base):
    """Who held which post from when to when (end None: no end recorded), and the
    source saying so (FtM Occupancy's holder, post, startDate, endDate)."""

    __tablename__ = "occupancies"
    __table_args__ = (Index("ix_occupancies_post_start", "post_id", "start_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons_of_interest.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IncidentRecord(Base):
    """An incident of violence: when (``occurred_at`` as given, ISO date or date and
    time; ``occurred_on`` its date), where, what happened and how many were hurt or
    detained (None: not known)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    victims: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detainees: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IncidentBody(Base):
    """A body involved in an incident, in the order the record names them."""

    __tablename__ = "incident_bodies"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)


class IncidentSourceRecord(Base):
    """A numbered source of an incident: what it is, the SHA-256 of the stored file,
    and whether only cleared roles may see it."""

    __tablename__ = "incident_sources"
    __table_args__ = (Unique("incident_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    sensitivity: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
