"""worker_snapshots.date_qualified may be empty: a census return or payroll extract does not carry it

Revision ID: i16
Revises: i18
Create Date: 2026-11-29 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i16"
down_revision = "i18"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.alter_column("date_qualified", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    # Rows without the date cannot go back under NOT NULL: they are removed with the snapshots that hold them.
    op.execute("DELETE FROM worker_snapshots WHERE date_qualified IS NULL")
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.alter_column("date_qualified", existing_type=sa.Date(), nullable=False)
