"""letters: users.pangkat (the signer's rank), perangkat_daerah.jabatan_pimpinan (the addressee)

Revision ID: 0002_letters
Revises: 0001
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_letters"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("pangkat", sa.String(length=100), nullable=True))
    with op.batch_alter_table("perangkat_daerah") as batch:
        batch.add_column(sa.Column("jabatan_pimpinan", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("perangkat_daerah") as batch:
        batch.drop_column("jabatan_pimpinan")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("pangkat")
