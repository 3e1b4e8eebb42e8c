"""tracked programme steps (support agreement, ECF assessments) and the apprentice flag on the monthly snapshot

Revision ID: i14
Revises: 0005
Create Date: 2026-11-29 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i14"
down_revision = "0005"
branch_labels = None
depends_on = None

STEPS = (
    "support_agreement_date",
    "ecf_year_two_assessment",
    "ecf_year_three_review",
    "ecf_year_four_review",
    "ecf_year_five_assessment",
)


def upgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        for name in STEPS:
            batch.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch.add_column(sa.Column("apprentice", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.drop_column("apprentice")
        for name in reversed(STEPS):
            batch.drop_column(name)
