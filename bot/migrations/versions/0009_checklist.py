"""checklist: the per-item results of the step-10 verification (bukti dukung)

Revision ID: 0009_checklist
Revises: 0008_reach
Create Date: 2026-12-02 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0009_checklist"
down_revision = "0008_reach"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "verification_items",
        sa.Column("id", _ID, nullable=False),
        sa.Column("cycle_id", _ID, nullable=False),
        sa.Column("task_id", _ID, nullable=False),
        sa.Column("opd_kode", sa.String(length=32), nullable=False),
        sa.Column("kode", sa.String(length=16), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("alasan", sa.String(length=100), nullable=True),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column("checked_by", _ID, nullable=True),
        sa.Column("checked_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["checked_by"], ["users.id"], name=op.f("fk_verification_items_checked_by_users")),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_verification_items_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["opd_kode"], ["perangkat_daerah.kode"],
                                name=op.f("fk_verification_items_opd_kode_perangkat_daerah")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_verification_items_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_items")),
        sa.UniqueConstraint("task_id", "kode", name=op.f("uq_verification_items_task_id_kode")),
    )
    with op.batch_alter_table("verification_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verification_items_cycle_id"), ["cycle_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verification_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_items_cycle_id"))
    op.drop_table("verification_items")
