"""Lists, their immutable versions, and the entities of each version.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_id", sa.Integer, sa.ForeignKey("lists.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(50), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target_count", sa.Integer, nullable=False),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.Column("by_schema", sa.JSON, nullable=False),
    )
    op.create_index(
        "ix_list_versions_list_number", "list_versions", ["list_id", "number"], unique=True
    )
    op.create_table(
        "version_entities",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_versions.id"), primary_key=True),
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("schema", sa.String(50), nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("target", sa.Boolean, nullable=False),
        sa.Column("subject_id", sa.String(255), nullable=True),
        sa.Column("state_hash", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_version_entities_entity_id", "version_entities", ["entity_id"])
    op.create_index("ix_version_entities_subject", "version_entities", ["version_id", "subject_id"])


def downgrade() -> None:
    op.drop_table("version_entities")
    op.drop_table("list_versions")
    op.drop_table("lists")
