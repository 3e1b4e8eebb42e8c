"""returners known without reading every month: each worker's first and last start date in effect, in worker_latest

Revision ID: i20
Revises: i12
Create Date: 2026-11-30 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i20"
down_revision = "i12"
branch_labels = None
depends_on = None

COLUMNS = ("first_start", "last_start")


def upgrade() -> None:
    for name in COLUMNS:  # in place (no table rebuild): the grants on it stay
        op.add_column("worker_latest", sa.Column(name, sa.Date(), nullable=True))
    op.execute(
        "UPDATE worker_latest SET first_start = s.first_start, last_start = s.last_start FROM "
        "(SELECT employee_id, min(start_date) AS first_start, max(start_date) AS last_start FROM worker_snapshots "
        "WHERE in_effect GROUP BY employee_id) AS s WHERE s.employee_id = worker_latest.employee_id"
    )
    if op.get_bind().dialect.name == "postgresql":
        widen_finance_views(op.get_bind())


def widen_finance_views(connection: sa.Connection) -> None:
    """Finance reads worker_latest through a view of its own (ecf admin setup-roles), which lists the table's columns
    as they were: each such view takes the new ones at its end, keeping its pseudonymised IDs and its grants (a
    finance login's projection reads them before anyone runs setup-roles again)."""
    views = connection.execute(
        sa.text(
            "SELECT table_schema FROM information_schema.views WHERE table_name = 'worker_latest' "
            "AND table_schema <> 'public'"
        )
    ).scalars()
    for schema in list(views):
        name = f'"{schema}"."worker_latest"'
        columns = set(
            connection.execute(
                sa.text("SELECT column_name FROM information_schema.columns WHERE table_schema = :s "
                        "AND table_name = 'worker_latest'"), {"s": schema}
            ).scalars()
        )  # fmt: skip
        missing = [c for c in COLUMNS if c not in columns]
        if not missing:
            continue
        definition = connection.execute(sa.text("SELECT pg_get_viewdef(CAST(:v AS regclass))"), {"v": name}).scalar()
        body = str(definition).strip().rstrip(";")
        head, separator, tail = body.rpartition(" FROM ")  # the view's own FROM: the last (its ID's key comes first)
        added = ", ".join(f"t.{c}" for c in missing)
        connection.execute(sa.text(f"CREATE OR REPLACE VIEW {name} AS {head}, {added}{separator}{tail}"))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("worker_latest", name)
