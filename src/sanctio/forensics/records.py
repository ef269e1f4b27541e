"""The findings table: what a forensic method found at one precinct, with the input
file's SHA-256 and the parameters, so that the finding can be cited as evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sanctio.model.records import Base


class FindingRecord(Base):
    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("run_key", "precinct"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the same method, parameters and input file give the same key: a rerun adds nothing
    run_key: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    input_name: Mapped[str] = mapped_column(Text)
    input_sha256: Mapped[str] = mapped_column(String(64))
    precinct: Mapped[str] = mapped_column(String(100), index=True)
    summary: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
