"""failed invite attempts (a user who tries too many tokens is told to wait)

Revision ID: 0005_invite_attempts
Revises: 0004_lease
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0005_invite_attempts"
down_revision = "0004_lease"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invite_attempts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("telegram_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_attempts")),
    )
    with op.batch_alter_table("invite_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invite_attempts_telegram_id_at"), ["telegram_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invite_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_attempts_telegram_id_at"))
    op.drop_table("invite_attempts")
