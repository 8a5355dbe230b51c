"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 07:41:00.639578
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('number_sequences',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('tahun', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('value', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('name', 'tahun', name=op.f('pk_number_sequences'))
    )
    op.create_table('perangkat_daerah',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kode', sa.String(length=32), nullable=False),
    sa.Column('nama', sa.String(length=300), nullable=False),
    sa.Column('singkatan', sa.String(length=64), nullable=False),
    sa.Column('aktif', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perangkat_daerah')),
    sa.UniqueConstraint('kode', name=op.f('uq_perangkat_daerah_kode'))
    )
    op.create_table('users',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('telegram_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('nama', sa.String(length=200), nullable=False),
    sa.Column('nip', sa.String(length=32), nullable=True),
    sa.Column('jabatan', sa.String(length=200), nullable=True),
    sa.Column('peran', sa.String(length=16), nullable=False),
    sa.Column('opd_kode', sa.String(length=32), nullable=True),
    sa.Column('aktif', sa.Boolean(), nullable=False),
    sa.Column('unreachable_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opd_kode'], ['perangkat_daerah.kode'], name=op.f('fk_users_opd_kode_perangkat_daerah')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('telegram_id', name=op.f('uq_users_telegram_id'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_opd_kode'), ['opd_kode'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_peran'), ['peran'], unique=False)

    op.create_table('cycles',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sop_name', sa.String(length=64), nullable=False),
    sa.Column('sop_version', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tahun', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('closed_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('letter', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('letter_deadline', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('window_closes_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['opened_by'], ['users.id'], name=op.f('fk_cycles_opened_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycles'))
    )
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.create_index('uq_cycles_open_per_year', ['sop_name', 'tahun'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('invites',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('peran', sa.String(length=16), nullable=False),
    sa.Column('opd_kode', sa.String(length=32), nullable=True),
    sa.Column('nama', sa.String(length=200), nullable=True),
    sa.Column('jabatan', sa.String(length=200), nullable=True),
    sa.Column('created_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['opd_kode'], ['perangkat_daerah.kode'], name=op.f('fk_invites_opd_kode_perangkat_daerah')),
    sa.ForeignKeyConstraint(['used_by'], ['users.id'], name=op.f('fk_invites_used_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invites')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invites_token_hash'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_audit_log_cycle_id_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('cycle_opd',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('opd_kode', sa.String(length=32), nullable=False),
    sa.Column('urutan', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('received_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('submitted_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('verified_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('verified_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('returns', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_cycle_opd_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['opd_kode'], ['perangkat_daerah.kode'], name=op.f('fk_cycle_opd_opd_kode_perangkat_daerah')),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_cycle_opd_received_by_users')),
    sa.ForeignKeyConstraint(['verified_by'], ['users.id'], name=op.f('fk_cycle_opd_verified_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_opd')),
    sa.UniqueConstraint('cycle_id', 'opd_kode', name=op.f('uq_cycle_opd_cycle_id_opd_kode'))
    )
    op.create_table('tasks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('step', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('opd_kode', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('instruction', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('claimed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('next_alert_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('alert_level', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('acknowledged_until', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['claimed_by'], ['users.id'], name=op.f('fk_tasks_claimed_by_users')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_tasks_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['opd_kode'], ['perangkat_daerah.kode'], name=op.f('fk_tasks_opd_kode_perangkat_daerah')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('cycle_id', 'seq', name=op.f('uq_tasks_cycle_id_seq'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('ix_tasks_next_alert', ['next_alert_at'], unique=False)
        batch_op.create_index('ix_tasks_open_due', ['status', 'due_at'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('opd_kode', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('nomor', sa.String(length=128), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=128), nullable=False),
    sa.Column('file_path', sa.String(length=500), nullable=False),
    sa.Column('size', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('signed_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('signed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('verification_code', sa.String(length=32), nullable=True),
    sa.Column('telegram_file_id', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_documents_created_by_users')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_documents_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['opd_kode'], ['perangkat_daerah.kode'], name=op.f('fk_documents_opd_kode_perangkat_daerah')),
    sa.ForeignKeyConstraint(['signed_by'], ['users.id'], name=op.f('fk_documents_signed_by_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_documents_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_documents_verification_code'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('chat_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('dedup_key', sa.String(length=128), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('next_attempt_at', bot.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('telegram_message_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('sent_at', bot.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_outbox_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_outbox_task_id_tasks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_dedup_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_task_id'), ['task_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_task_id'))
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_cycle_id'))

    op.drop_table('documents')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_open_due')
        batch_op.drop_index('ix_tasks_next_alert')
        batch_op.drop_index(batch_op.f('ix_tasks_cycle_id'))

    op.drop_table('tasks')
    op.drop_table('cycle_opd')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('invites')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_index('uq_cycles_open_per_year', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.drop_table('cycles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_peran'))
        batch_op.drop_index(batch_op.f('ix_users_opd_kode'))

    op.drop_table('users')
    op.drop_table('perangkat_daerah')
    op.drop_table('number_sequences')

