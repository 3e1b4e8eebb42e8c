"""Team scopes (a setting, off by default): on PostgreSQL, row-level security so that a team manager's login sees only
the workers of their own teams. A login given teams with `ecf admin scope LOGIN TEAM...` sees those teams' snapshot
rows (and the absences and recorded milestones of the workers in them); a login with no teams listed sees everyone,
as before. The owner (migrations, retention, backups) and finance's views are not scoped."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from ecf.services import audit
from ecf.services.admin import Roles, require, require_postgresql
from ecf.services.context import App
from ecf.storage.database import DatabaseError

TABLE = "team_access"
POLICY = "ecf_team_scope"
UNSCOPED = f"NOT EXISTS (SELECT 1 FROM {TABLE} WHERE login = current_user)"
# Which rows a scoped login sees in each table; the one list to extend.
SCOPED: dict[str, str] = {
    "worker_snapshots": f"team IN (SELECT team FROM {TABLE} WHERE login = current_user)",
    "absences": "employee_id IN (SELECT employee_id FROM worker_snapshots)",  # itself scoped
    "milestone_events": "employee_id IN (SELECT employee_id FROM worker_snapshots)",
}
_WRITES = {"insert": "FOR INSERT WITH CHECK (true)", "update": "FOR UPDATE USING (true)",
           "delete": "FOR DELETE USING (true)"}  # fmt: skip


def create_table(connection: Connection) -> None:
    """The logins' teams; created before the grants, so only ecf_admin writes it (it is in ADMIN_TABLES)."""
    connection.execute(text(f"CREATE TABLE IF NOT EXISTS {TABLE} (login text NOT NULL, team text NOT NULL, "
                            "PRIMARY KEY (login, team))"))  # fmt: skip


def enable(connection: Connection, on: bool) -> None:
    for table, rule in SCOPED.items():
        if not on:
            connection.execute(text(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"))
            continue
        connection.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        connection.execute(text(f"DROP POLICY IF EXISTS {POLICY} ON {table}"))
        connection.execute(text(f"CREATE POLICY {POLICY} ON {table} FOR SELECT USING ({UNSCOPED} OR {rule})"))
        for name, clause in _WRITES.items():  # writing is the grants' business; the scope is about reading
            connection.execute(text(f"DROP POLICY IF EXISTS {POLICY}_{name} ON {table}"))
            connection.execute(text(f"CREATE POLICY {POLICY}_{name} ON {table} {clause}"))


def scope(app: App, login: str, teams: Sequence[str], roles: Roles | None = None) -> None:
    """Set the teams a login sees (none: every team)."""
    require_postgresql(app)
    require(app, "roles", roles)
    with app.unit_of_work() as uow:
        connection = uow.connection()
        exists = connection.execute(text("SELECT to_regclass(:t)"), {"t": TABLE}).scalar()
        if exists is None:
            raise DatabaseError("team scopes are off: run ecf admin setup-roles --team-scopes first")
        connection.execute(text(f"DELETE FROM {TABLE} WHERE login = :login"), {"login": login})
        for team in teams:
            connection.execute(text(f"INSERT INTO {TABLE} VALUES (:login, :team)"), {"login": login, "team": team})
        audit.record(uow, "team-scope", f"login {login}", {"teams": len(teams)})
        uow.commit()
