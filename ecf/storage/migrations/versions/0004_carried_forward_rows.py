"""rows carried forward for workers whose row a partial import rejected

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.add_column(sa.Column("carried_from", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.drop_column("carried_from")
