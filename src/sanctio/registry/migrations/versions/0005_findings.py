"""Forensic findings: one row per precinct a method found contradicted or anomalous.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_key", sa.String(64), nullable=False),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("input_name", sa.Text, nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("precinct", sa.String(100), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("run_key", "precinct"),
    )
    op.create_index("ix_findings_precinct", "findings", ["precinct"])


def downgrade() -> None:
    op.drop_table("findings")
