"""A delisted person can be proposed again: ``dossiers.entity_id`` is no longer
unique, and a new dossier names the earlier one (``previous_dossier_id``).

0003 created the unique constraint without a name: PostgreSQL called it
``dossiers_entity_id_key``; SQLite keeps it unnamed, so the table is rebuilt (batch
mode) with a naming convention that gives the reflected constraint a name to drop;
``engine.migrate`` turns SQLite's foreign keys off for that and checks them after.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: what batch mode calls the constraint 0003 left unnamed, on SQLite
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_name() -> str:
    return (
        "dossiers_entity_id_key"
        if op.get_bind().dialect.name == "postgresql"
        else "uq_dossiers_entity_id"
    )


def upgrade() -> None:
    with op.batch_alter_table("dossiers", naming_convention=NAMING) as batch:
        batch.drop_constraint(_unique_name(), type_="unique")
        batch.add_column(
            sa.Column(
                "previous_dossier_id",
                sa.Integer,
                sa.ForeignKey("dossiers.id", name="fk_dossiers_previous_dossier_id"),
                nullable=True,
            )
        )
        batch.create_index("ix_dossiers_entity_id", ["entity_id"])


def downgrade() -> None:
    with op.batch_alter_table("dossiers", naming_convention=NAMING) as batch:
        batch.drop_index("ix_dossiers_entity_id")
        batch.drop_constraint("fk_dossiers_previous_dossier_id", type_="foreignkey")
        batch.drop_column("previous_dossier_id")
        batch.create_unique_constraint(_unique_name(), ["entity_id"])
