"""audit events append-only: a trigger refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)

Revision ID: i19
Revises: i17
Create Date: 2026-11-29 11:40:00
"""

from alembic import op

from ecf.storage.append_only import create_guard, drop_guard

revision = "i19"
down_revision = "i17"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_guard(op.get_bind())


def downgrade() -> None:
    drop_guard(op.get_bind())
