"""Designation: users, regimes, dossiers, evidence, packages, positions, legal acts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "regimes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(50), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("regulation", sa.Text, nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("measures", sa.JSON, nullable=False),
        sa.Column("renewal", sa.String(5), nullable=False),
        sa.Column("list_name", sa.String(200), nullable=False, unique=True),
        sa.Column("in_force_until", sa.Date, nullable=True),
    )
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("regime_id", sa.Integer, sa.ForeignKey("regimes.id"), nullable=False),
        sa.Column("entity_id", sa.String(255), nullable=False, unique=True),
        sa.Column("entity", sa.JSON, nullable=False),
        sa.Column("criterion", sa.Integer, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("proposer", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("listed_on", sa.Date, nullable=True),
        sa.Column("review_due", sa.Date, nullable=True),
        sa.Column("delisting_ground", sa.String(20), nullable=True),
        sa.Column("delisting_effective", sa.Date, nullable=True),
        sa.Column("delisted_on", sa.Date, nullable=True),
    )
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.Integer, sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("collected_at", TZ, nullable=False),
        sa.Column("collected_by", sa.String(200), nullable=False),
        sa.Column("sensitivity", sa.String(20), nullable=False),
        sa.Column("consent", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.UniqueConstraint("dossier_id", "number", "version"),
    )
    op.create_table(
        "packages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("regime_id", sa.Integer, sa.ForeignKey("regimes.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("proposer", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rule", sa.String(30), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("circulated_on", sa.Date, nullable=True),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("silence_is_agreement", sa.Boolean, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "package_dossiers",
        sa.Column("package_id", sa.Integer, sa.ForeignKey("packages.id"), primary_key=True),
        sa.Column("dossier_id", sa.Integer, sa.ForeignKey("dossiers.id"), primary_key=True),
    )
    op.create_table(
        "positions",
        sa.Column("package_id", sa.Integer, sa.ForeignKey("packages.id"), primary_key=True),
        sa.Column("member_state", sa.String(2), primary_key=True),
        sa.Column("position", sa.String(30), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
    )
    op.create_table(
        "legal_acts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.Integer, sa.ForeignKey("packages.id"), nullable=True),
        sa.Column("dossier_id", sa.Integer, sa.ForeignKey("dossiers.id"), nullable=True),
        sa.Column("regime_id", sa.Integer, sa.ForeignKey("regimes.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("number", sa.String(100), nullable=False, unique=True),
        sa.Column("adopted_on", sa.Date, nullable=False),
        sa.Column("list_version", sa.Integer, nullable=True),
    )
    op.create_table(
        "listing_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.Integer, sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("listing_events", "legal_acts", "positions", "package_dossiers", "packages",
                  "evidence_items", "dossiers", "regimes", "users"):  # fmt: skip
        op.drop_table(table)
