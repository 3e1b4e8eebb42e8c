"""import lifecycle: kinds (import, correction), statuses (active, superseded, withdrawn), the import's identity
(file SHA-256 with the reading used), rows in effect, each worker's latest row, one active snapshot per date enforced

Revision ID: i12
Revises: 0005
Create Date: 2026-11-29 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i12"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTIVE_MONTH = sa.text("kind = 'import' AND status = 'active'")


def upgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="import"))
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="active"))
        batch.add_column(sa.Column("base_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("read_key", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
        batch.create_foreign_key("fk_imports_base_id", "imports", ["base_id"], ["id"])
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.add_column(sa.Column("in_effect", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("carried_reason", sa.String(20), nullable=True))
    op.execute("UPDATE imports SET status = 'superseded' WHERE superseded_by IS NOT NULL")
    # Two imports racing before this revision could leave two active imports for one date, or one file twice: keep
    # the newest active, and tell the copies apart, so the constraints below can hold.
    op.execute(
        "UPDATE imports SET status = 'superseded', superseded_by = (SELECT max(i2.id) FROM imports i2 "
        "WHERE i2.as_of = imports.as_of AND i2.status = 'active') WHERE status = 'active' AND id < "
        "(SELECT max(i3.id) FROM imports i3 WHERE i3.as_of = imports.as_of AND i3.status = 'active')"
    )
    op.execute(
        "UPDATE imports SET read_key = 'legacy-' || CAST(id AS VARCHAR(20)) WHERE id > "
        "(SELECT min(i2.id) FROM imports i2 WHERE i2.sha256 = imports.sha256)"
    )
    op.execute(
        "UPDATE worker_snapshots SET in_effect = false WHERE import_id IN "
        "(SELECT id FROM imports WHERE status <> 'active')"
    )
    op.create_index("ux_imports_identity", "imports", ["sha256", "read_key"], unique=True)
    op.create_index(
        "ux_imports_active_month", "imports", ["as_of"], unique=True,
        sqlite_where=ACTIVE_MONTH, postgresql_where=ACTIVE_MONTH,
    )  # fmt: skip
    op.create_index("ix_absences_import_employee", "absences", ["import_id", "employee_id"])
    op.create_table(
        "worker_latest",
        sa.Column("employee_id", sa.String(40), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id"), nullable=False),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    op.execute(
        "INSERT INTO worker_latest (employee_id, as_of, import_id) "
        "SELECT w.employee_id, w.as_of, w.import_id FROM worker_snapshots w JOIN "
        "(SELECT employee_id, max(as_of) AS as_of FROM worker_snapshots WHERE in_effect GROUP BY employee_id) t "
        "ON t.employee_id = w.employee_id AND t.as_of = w.as_of WHERE w.in_effect"
    )


def downgrade() -> None:
    op.drop_table("worker_latest")
    op.drop_index("ix_absences_import_employee", table_name="absences")
    op.drop_index("ux_imports_active_month", table_name="imports")
    op.drop_index("ux_imports_identity", table_name="imports")
    with op.batch_alter_table("worker_snapshots") as batch:
        batch.drop_column("carried_reason")
        batch.drop_column("in_effect")
    with op.batch_alter_table("imports") as batch:
        batch.drop_constraint("fk_imports_base_id", type_="foreignkey")
        for column in ("seq", "read_key", "base_id", "status", "kind"):
            batch.drop_column(column)
