"""antrian: the Tim SAKIP queue messages and who has taken which submission

Revision ID: 0012_antrian
Revises: 0011_teguran
Create Date: 2026-12-02 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0012_antrian"
down_revision = "0011_teguran"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    instant = bot.storage.base.UtcDateTime(timezone=True)
    op.create_table(
        "antrian_pesan",
        sa.Column("id", ID, nullable=False),
        sa.Column("cycle_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("jenis", sa.String(length=16), nullable=False),
        sa.Column("outbox_id", ID, nullable=False),
        sa.Column("page", ID, nullable=False),
        sa.Column("shown", sa.String(length=64), nullable=False),
        sa.Column("updated_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_antrian_pesan_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_antrian_pesan_user_id_users")),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_antrian_pesan_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_antrian_pesan")),
        sa.UniqueConstraint("cycle_id", "user_id", "jenis", name=op.f("uq_antrian_pesan_cycle_id_user_id_jenis")),
    )
    op.create_table(
        "antrian_ambil",
        sa.Column("task_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("taken_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_antrian_ambil_task_id_tasks")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_antrian_ambil_user_id_users")),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_antrian_ambil")),
    )


def downgrade() -> None:
    op.drop_table("antrian_ambil")
    op.drop_table("antrian_pesan")
