"""teguran: the Surat Teguran to a late Perangkat Daerah (issue 13 item 8)

Revision ID: 0011_teguran
Revises: 0009_checklist
Create Date: 2026-12-02 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = "0011_teguran"
down_revision = "0009_checklist"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    instant = bot.storage.base.UtcDateTime(timezone=True)
    op.create_table(
        "teguran",
        sa.Column("id", ID, nullable=False),
        sa.Column("cycle_id", ID, nullable=False),
        sa.Column("opd_kode", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("batas_waktu", sa.Date(), nullable=False),
        sa.Column("nomor", sa.String(length=128), nullable=True),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("approved_at", instant, nullable=True),
        sa.Column("approved_by", ID, nullable=True),
        sa.Column("signed_at", instant, nullable=True),
        sa.Column("signed_by", ID, nullable=True),
        sa.Column("document_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_teguran_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["opd_kode"], ["perangkat_daerah.kode"],
                                name=op.f("fk_teguran_opd_kode_perangkat_daerah")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_teguran_created_by_users")),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_teguran_approved_by_users")),
        sa.ForeignKeyConstraint(["signed_by"], ["users.id"], name=op.f("fk_teguran_signed_by_users")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_teguran_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teguran")),
    )
    with op.batch_alter_table("teguran", schema=None) as batch_op:
        batch_op.create_index("ix_teguran_cycle_opd", ["cycle_id", "opd_kode"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teguran", schema=None) as batch_op:
        batch_op.drop_index("ix_teguran_cycle_opd")
    op.drop_table("teguran")
