"""antrian_segar: the queues a transition changed, brought up to date by the dispatcher

Revision ID: 0013_antrian_segar
Revises: 0012_antrian
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0013_antrian_segar"
down_revision = "0012_antrian"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "antrian_segar",
        sa.Column("cycle_id", ID, nullable=False),
        sa.Column("jenis", sa.String(length=16), nullable=False),
        sa.Column("arrived", sa.Boolean(), nullable=False),
        sa.Column("marks", sa.Integer(), nullable=False),
        sa.Column("requested_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_antrian_segar_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("cycle_id", "jenis", name=op.f("pk_antrian_segar")),
    )


def downgrade() -> None:
    op.drop_table("antrian_segar")
