"""cycles pinned to their SOP: the snapshot of the SOP file each cycle started with

Revision ID: 0006_kinds
Revises: 0005_invite_attempts
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0006_kinds"
down_revision = "0005_invite_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sop_snapshots",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_sop_snapshots")),
    )
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sop_digest", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_cycles_sop_digest_sop_snapshots"), "sop_snapshots",
                                    ["sop_digest"], ["digest"])
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("origin_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_tasks_origin_by_users"), "users", ["origin_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tasks_origin_by_users"), type_="foreignkey")
        batch_op.drop_column("origin_by")
        batch_op.drop_column("origin")
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cycles_sop_digest_sop_snapshots"), type_="foreignkey")
        batch_op.drop_column("sop_digest")
    op.drop_table("sop_snapshots")
