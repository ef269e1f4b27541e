"""Trust: where a list comes from, signed audit checkpoints, token expiry and revocation.

* ``lists.origin``: ``imported`` (a publisher's file; changes by import) or
  ``published`` (this registry's own list; changes only by adoption). Lists already
  published by a regime are marked so.
* ``audit_checkpoints``: the audit head (seq and hash) signed with an Ed25519 key kept
  outside the database, so a chain rewritten or emptied through the database shows.
* ``list_versions.checkpoint_id`` and ``legal_acts.checkpoint_id``: the checkpoint a
  published version or a legal act carries.
* ``users.token_expires_at`` and ``users.revoked_at``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(100), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
    )
    with op.batch_alter_table("lists") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(20), nullable=False, server_default="imported")
        )
    op.execute(
        "UPDATE lists SET origin = 'published' WHERE name IN (SELECT list_name FROM regimes)"
    )
    with op.batch_alter_table("list_versions") as batch:
        batch.add_column(sa.Column("checkpoint_id", sa.Integer, nullable=True))
    with op.batch_alter_table("legal_acts") as batch:
        batch.add_column(sa.Column("checkpoint_id", sa.Integer, nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("token_expires_at")
    with op.batch_alter_table("legal_acts") as batch:
        batch.drop_column("checkpoint_id")
    with op.batch_alter_table("list_versions") as batch:
        batch.drop_column("checkpoint_id")
    with op.batch_alter_table("lists") as batch:
        batch.drop_column("origin")
    op.drop_table("audit_checkpoints")
