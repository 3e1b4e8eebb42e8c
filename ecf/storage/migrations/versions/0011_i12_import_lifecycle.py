"""import lifecycle: kinds (import, correction), statuses (active, superseded, withdrawn), the import's identity
(file SHA-256 with the reading used), rows in effect, each worker's latest row, one active snapshot per date enforced

Revision ID: i12
Revises: i19
Create Date: 2026-11-29 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i12"
down_revision = "i19"
branch_labels = None
depends_on = None

ACTIVE_MONTH = sa.text("kind = 'import' AND status = 'active'")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): on SQLite, rebuilding `imports` would drop a table the snapshots refer to.
    op.add_column("imports", sa.Column("kind", sa.String(20), nullable=False, server_default="import"))
    op.add_column("imports", sa.Column("status", sa.String(20), nullable=False, server_default="active"))
    op.add_column("imports", sa.Column("base_id", sa.Integer(), nullable=True))
    op.add_column("imports", sa.Column("read_key", sa.String(64), nullable=False, server_default=""))
    op.add_column("imports", sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
    if not _sqlite():  # SQLite cannot add a constraint to a table in place (the application keeps base_id right)
        op.create_foreign_key("fk_imports_base_id", "imports", "imports", ["base_id"], ["id"])
    op.add_column("worker_snapshots", sa.Column("in_effect", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("worker_snapshots", sa.Column("carried_reason", sa.String(20), nullable=True))
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
    # An index by worker grows with every month, and each month's rows land all over it: storing a month rewrote most
    # of it. Reads by worker go through the primary key, one lookup per month, or worker_latest.
    op.drop_index("ix_worker_snapshots_employee_as_of", table_name="worker_snapshots")
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
    op.create_index("ix_worker_snapshots_employee_as_of", "worker_snapshots", ["employee_id", "as_of"])
    op.drop_index("ux_imports_active_month", table_name="imports")
    op.drop_index("ux_imports_identity", table_name="imports")
    if not _sqlite():
        op.drop_constraint("fk_imports_base_id", "imports", type_="foreignkey")
    for table, column in (("worker_snapshots", "carried_reason"), ("worker_snapshots", "in_effect"),
                          ("imports", "seq"), ("imports", "read_key"), ("imports", "base_id"), ("imports", "status"),
                          ("imports", "kind")):  # fmt: skip
        if _sqlite():  # SQLite 3.35+ drops a column in place (no rebuild of a table others refer to)
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
