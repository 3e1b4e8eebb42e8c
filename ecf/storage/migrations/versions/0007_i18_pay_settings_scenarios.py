"""the council's pay file and finance's scenarios, stored and versioned (who and when)

Revision ID: i18
Revises: i14
Create Date: 2026-11-29 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i18"
down_revision = "i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_pay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "stored_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("based_on", sa.String(length=40), nullable=True),
        sa.Column("origin", sa.String(length=255), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stored_scenarios_name", "stored_scenarios", ["name"])


def downgrade() -> None:
    op.drop_index("ix_stored_scenarios_name", table_name="stored_scenarios")
    op.drop_table("stored_scenarios")
    op.drop_table("council_pay")
