"""acting orders (Plh./Plt.) and task reassignments

Revision ID: 0007_acting
Revises: 0006_kinds
Create Date: 2026-12-01 23:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0007_acting"
down_revision = "0006_kinds"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    instant = bot.storage.base.UtcDateTime(timezone=True)
    op.create_table(
        "acting_orders",
        sa.Column("id", ID, nullable=False),
        sa.Column("peran", sa.String(length=16), nullable=False),
        sa.Column("acting_user_id", ID, nullable=False),
        sa.Column("absent_user_id", ID, nullable=True),
        sa.Column("jenis", sa.String(length=8), nullable=False),
        sa.Column("mulai", sa.Date(), nullable=False),
        sa.Column("sampai", sa.Date(), nullable=False),
        sa.Column("dasar", sa.Text(), nullable=True),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("ended_at", instant, nullable=True),
        sa.Column("ended_by", ID, nullable=True),
        sa.Column("started_notified_at", instant, nullable=True),
        sa.Column("ended_notified_at", instant, nullable=True),
        sa.ForeignKeyConstraint(["acting_user_id"], ["users.id"], name=op.f("fk_acting_orders_acting_user_id_users")),
        sa.ForeignKeyConstraint(["absent_user_id"], ["users.id"], name=op.f("fk_acting_orders_absent_user_id_users")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_acting_orders_created_by_users")),
        sa.ForeignKeyConstraint(["ended_by"], ["users.id"], name=op.f("fk_acting_orders_ended_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acting_orders")),
    )
    with op.batch_alter_table("acting_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_acting_orders_acting_user_id"), ["acting_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_acting_orders_peran_sampai"), ["peran", "sampai"], unique=False)
    op.create_table(
        "task_assignments",
        sa.Column("id", ID, nullable=False),
        sa.Column("task_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("by_user_id", ID, nullable=True),
        sa.Column("alasan", sa.Text(), nullable=False),
        sa.Column("at", instant, nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_assignments_task_id_tasks")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_task_assignments_user_id_users")),
        sa.ForeignKeyConstraint(["by_user_id"], ["users.id"], name=op.f("fk_task_assignments_by_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_assignments")),
    )
    with op.batch_alter_table("task_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_assignments_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_assignments_task_id"))
    op.drop_table("task_assignments")
    with op.batch_alter_table("acting_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acting_orders_peran_sampai"))
        batch_op.drop_index(batch_op.f("ix_acting_orders_acting_user_id"))
    op.drop_table("acting_orders")
