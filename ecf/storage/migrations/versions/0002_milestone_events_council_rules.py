"""milestone events recorded by people, and the council's rules file

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "milestone_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=40), nullable=False),
        sa.Column("framework", sa.String(length=40), nullable=False),
        sa.Column("milestone", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_milestone_events_employee", "milestone_events", ["employee_id", "framework", "milestone"])
    op.create_table(
        "council_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("council_rules")
    op.drop_index("ix_milestone_events_employee", table_name="milestone_events")
    op.drop_table("milestone_events")
