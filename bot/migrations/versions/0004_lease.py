"""process lease (one `run` per database) and the claimer of each outbox row

Revision ID: 0004_lease
Revises: 0003_surat_masuk
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = '0004_lease'
down_revision = '0003_surat_masuk'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('process_leases',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('acquired_at', bot.storage.base.UtcDateTime(), nullable=False),
    sa.Column('expires_at', bot.storage.base.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_process_leases'))
    )
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('claimed_by', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('claimed_by')
    op.drop_table('process_leases')
