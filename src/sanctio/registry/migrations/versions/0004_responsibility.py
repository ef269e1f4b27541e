"""Responsibility: bodies, their posts, persons of interest, occupancies, incidents.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("bodies.id"), nullable=True),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, sa.ForeignKey("bodies.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.UniqueConstraint("body_id", "title"),
    )
    op.create_table(
        "persons_of_interest",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_id", sa.String(255), nullable=False, unique=True),
        sa.Column("entity", sa.JSON, nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
    )
    op.create_table(
        "occupancies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons_of_interest.id"), nullable=False),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id"), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("evidence_sha256", sa.String(64), nullable=True),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
    )
    op.create_index("ix_occupancies_post_start", "occupancies", ["post_id", "start_date"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("occurred_at", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("victims", sa.Integer, nullable=True),
        sa.Column("detainees", sa.Integer, nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
    )
    op.create_table(
        "incident_bodies",
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), primary_key=True),
        sa.Column("body_id", sa.Integer, sa.ForeignKey("bodies.id"), primary_key=True),
        sa.Column("ordinal", sa.Integer, nullable=False),
    )
    op.create_table(
        "incident_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("sensitivity", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.UniqueConstraint("incident_id", "number"),
    )


def downgrade() -> None:
    op.drop_index("ix_occupancies_post_start", table_name="occupancies")
    for table in ("incident_sources", "incident_bodies", "incidents", "occupancies",
                  "persons_of_interest", "posts", "bodies"):  # fmt: skip
        op.drop_table(table)
