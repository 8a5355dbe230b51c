"""reach: receipts and submissions recorded by Tim SAKIP on behalf of an OPD without an operator

Revision ID: 0008_reach
Revises: 0007_acting
Create Date: 2026-12-01 23:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_reach"
down_revision = "0007_acting"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("on_behalf_by", _ID, nullable=True))
        batch.create_foreign_key(batch.f("fk_tasks_on_behalf_by_users"), "users", ["on_behalf_by"], ["id"])
    with op.batch_alter_table("cycle_opd") as batch:
        batch.add_column(sa.Column("received_via", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("received_by_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cycle_opd") as batch:
        batch.drop_column("received_by_name")
        batch.drop_column("received_via")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint("fk_tasks_on_behalf_by_users", type_="foreignkey")
        batch.drop_column("on_behalf_by")
