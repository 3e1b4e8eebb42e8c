"""census items and personal details (special-category data in a table of its own)

Revision ID: i17
Revises: i16
Create Date: 2026-11-29 11:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i17"
down_revision = "i16"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "census_items",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=40), nullable=False),
        sa.Column("qual_institution", sa.String(length=200), nullable=True),
        sa.Column("qual_level", sa.String(length=4), nullable=True),
        sa.Column("step_up_grad", sa.String(length=1), nullable=True),
        sa.Column("frontline_grad", sa.String(length=1), nullable=True),
        sa.Column("start_origin", sa.String(length=4), nullable=True),
        sa.Column("leaver_destination", sa.String(length=4), nullable=True),
        sa.Column("reason_for_absence", sa.String(length=4), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("import_id", "employee_id"),
    )
    op.create_table(
        "personal_details",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=40), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("ethnicity", sa.String(length=4), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("import_id", "employee_id"),
    )


def downgrade() -> None:
    op.drop_table("personal_details")
    op.drop_table("census_items")
