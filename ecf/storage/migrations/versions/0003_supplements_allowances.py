"""market supplements and allowances on the monthly snapshot

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.add_column(sa.Column("market_supplement", sa.Numeric(10, 2), nullable=True))
        batch.add_column(sa.Column("allowances", sa.Numeric(10, 2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.drop_column("allowances")
        batch.drop_column("market_supplement")
