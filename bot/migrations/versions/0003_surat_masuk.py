"""surat masuk: the incoming letter a cycle answers (issue 11, item 7)

Revision ID: 0003_surat_masuk
Revises: 0002_letters
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0003_surat_masuk"
down_revision = "0002_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "surat_masuk",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cycle_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("nomor", sa.String(length=128), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("pengirim", sa.String(length=300), nullable=False),
        sa.Column("document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("recorded_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_surat_masuk_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_surat_masuk_document_id_documents")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_surat_masuk_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surat_masuk")),
        sa.UniqueConstraint("cycle_id", name=op.f("uq_surat_masuk_cycle_id")),
    )


def downgrade() -> None:
    op.drop_table("surat_masuk")
