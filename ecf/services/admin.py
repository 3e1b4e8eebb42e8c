"""Who may do what on a shared PostgreSQL database: group roles, their grants, and checking a login's rights before a
command starts (so a refusal is one plain line naming the role it needs, not a permission-denied traceback).

The database enforces it: the TUI and CLI run on users' own machines. Grants are made by schema, so a table a later
migration adds is readable by HR, leads and admins, writable by HR, and invisible to finance, unless the lists below
say otherwise. SQLite is single-user: its file is private to its owner and every check passes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, inspect, text

from ecf.services import audit
from ecf.services.connection import ASK
from ecf.services.context import App
from ecf.storage.database import DatabaseError
from ecf.storage.models import Base

PREFIX_VAR = "ECF_ROLE_PREFIX"
DEFAULT_PREFIX = "ecf_"

# The one place to extend when tables are added (the coordinator's list):
# tables only ecf_admin writes (rules and pay settings); HR and leads read them.
ADMIN_TABLES: tuple[str, ...] = ("council_rules", "team_access", "council_pay", "stored_scenarios")
# tables a workforce lead may add to (besides the audit trail every writer appends to).
LEAD_TABLES: tuple[str, ...] = ("milestone_events",)
# what finance sees: these tables as views in its own schema, with employee IDs pseudonymised and the columns named
# here blanked (None: NULL; text: that SQL instead). Every other table is out of its reach.
FINANCE_VIEWS: dict[str, dict[str, str | None]] = {
    "imports": {},
    "worker_snapshots": dict.fromkeys(("surname", "forename", "swe_number", "line_manager", "leaving_reason")),
    "worker_latest": {},  # which month's row is each worker's latest: IDs pseudonymised like the rows they point at
    "absences": {},  # dates and kinds of long absence decide when a programme (and so its pay) ends: no name, no ID
    "milestone_events": {"note": None, "recorded_by": None},
    "council_rules": {},
    "council_pay": {},  # the pay settings and scenarios every projection uses: no personal data
    "stored_scenarios": {},
    "mapping_profiles": {},
    "rejected_rows": {"cells": "'{}'::json"},  # counted by `ecf info`; the cells hold names
}
ID_COLUMNS = ("employee_id",)


class NotPermitted(DatabaseError):
    """The connected login lacks the role a command needs; the message names it."""


@dataclass(frozen=True)
class Roles:
    """The group roles' names: the issue's defaults (ecf_hr …), or another prefix (a setting) so that two databases
    on one server, or a test run, keep their own set (PostgreSQL roles are cluster-wide)."""

    prefix: str = DEFAULT_PREFIX

    @classmethod
    def from_settings(cls) -> Roles:
        return cls(os.environ.get(PREFIX_VAR) or DEFAULT_PREFIX)

    @property
    def hr(self) -> str:
        return f"{self.prefix}hr"

    @property
    def lead(self) -> str:
        return f"{self.prefix}lead"

    @property
    def finance(self) -> str:
        return f"{self.prefix}finance"

    @property
    def admin(self) -> str:
        return f"{self.prefix}admin"

    @property
    def all(self) -> tuple[str, str, str, str]:
        return (self.hr, self.lead, self.finance, self.admin)

    @property
    def views_schema(self) -> str:
        return f"{self.prefix}finance_views"

    def named(self, name: str) -> str:
        """`hr` or `ecf_hr` → the group role; anything else is refused with the choices."""
        short = name.removeprefix(self.prefix)
        by_short = dict(zip(("hr", "lead", "finance", "admin"), self.all, strict=True))
        if short not in by_short:
            raise ValueError(f"no role '{name}': choose from {', '.join(self.all)}")
        return by_short[short]


# What each capability is called in a refusal, and which group roles carry it ("owner": the database owner alone).
CAPABILITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "import": ("importing", ("hr",)),
    "correct": ("correcting an import", ("hr",)),
    "undo": ("undoing an import", ("hr",)),
    "profiles": ("saving a mapping profile", ("hr",)),
    "record": ("recording a milestone", ("hr", "lead")),
    "read": ("reading workers' details", ("hr", "lead", "admin")),
    "project": ("projecting pay costs", ("finance", "hr", "lead", "admin")),
    "rules": ("changing the rules", ("admin",)),
    "pay": ("changing pay settings", ("admin",)),
    "scenarios": ("storing or deleting a scenario", ("admin",)),
    "census": ("the census return (it holds special-category data)", ("hr", "admin")),
    "subject-access": ("a subject access request", ("hr", "admin")),
    "backup": ("a backup", ("admin",)),
    "roles": ("managing roles", ("owner",)),
    "retention": ("applying retention", ("owner",)),
    "restore": ("restoring a backup", ("owner",)),
}


def require(app: App, capability: str, roles: Roles | None = None) -> None:
    """Raise NotPermitted, naming the role needed, unless the connected login has it. Passes on SQLite, for the
    owner, and on a database where the roles were never set up (its own grants still apply)."""
    if app.engine.dialect.name != "postgresql":
        return
    roles = roles or Roles.from_settings()
    what, needed = CAPABILITIES[capability]
    with app.engine.connect() as connection:
        if is_owner(connection):
            return
        members = _memberships(connection, roles)
    if not members:  # no ecf roles on this server: the database's own grants decide
        return
    names = [getattr(roles, key) for key in needed if key != "owner"]
    if any(members.get(name) for name in names):
        return
    if not names:
        raise NotPermitted(f"{what} needs the database owner; {ASK}")
    raise NotPermitted(f"{what} needs the {' or '.join(names)} role; {ASK}")


def is_owner(connection: Connection) -> bool:
    """A superuser, or a member of the role that owns the schema's tables (the one that ran the migrations)."""
    query = text(
        "SELECT r.rolsuper OR COALESCE(pg_has_role(current_user, t.tableowner, 'USAGE'), false) "
        "FROM pg_roles r LEFT JOIN pg_tables t ON t.schemaname = 'public' AND t.tablename = 'alembic_version' "
        "WHERE r.rolname = current_user"
    )
    return bool(connection.execute(query).scalar())


def _memberships(connection: Connection, roles: Roles) -> dict[str, bool]:
    query = text("SELECT rolname, pg_has_role(current_user, oid, 'USAGE') FROM pg_roles WHERE rolname = ANY(:names)")
    return {name: bool(has) for name, has in connection.execute(query, {"names": list(roles.all)})}


def require_postgresql(app: App) -> None:
    if app.engine.dialect.name != "postgresql":
        raise DatabaseError(
            "roles are for a shared PostgreSQL database; a SQLite database is single-user, its file private to its "
            "owner"
        )


def quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


@dataclass(frozen=True)
class SetupResult:
    roles: tuple[str, ...]
    tables: int
    views: tuple[str, ...]


def setup_roles(app: App, roles: Roles | None = None, team_scopes: bool | None = None) -> SetupResult:
    """Create the group roles (if missing) and grant each its rights, by schema; run by the database owner. Running it
    again is harmless and brings the grants up to date with new tables. `team_scopes` turns row-level security by
    team on or off (None: leave it as it is)."""
    from ecf.services import team_scopes as scopes

    require_postgresql(app)
    roles = roles or Roles.from_settings()
    require(app, "roles", roles)
    with app.unit_of_work() as uow:
        connection = uow.connection()
        for name in roles.all:
            _create_group(connection, name)
        if team_scopes:
            scopes.create_table(connection)
        tables = inspect(connection).get_table_names(schema="public")
        _grant_schema(connection, roles, tables)
        if team_scopes is not None:
            scopes.enable(connection, team_scopes)
        views = _finance_views(connection, roles)
        details = {"roles": list(roles.all), "tables": len(tables), "team_scopes": team_scopes}
        audit.record(uow, "roles-setup", "roles", details)
        uow.commit()
    return SetupResult(roles.all, len(tables), views)


def _create_group(connection: Connection, name: str) -> None:
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    if not exists:
        connection.execute(text(f"CREATE ROLE {quote(connection, name)} NOLOGIN"))


def _grant_schema(connection: Connection, roles: Roles, tables: Sequence[str]) -> None:
    q = quote
    hr, lead, finance, admin = (q(connection, name) for name in roles.all)
    readers = f"{hr}, {lead}, {admin}"
    statements = [
        # Least privilege: a login with no ecf role sees nothing; nobody but the owner creates objects.
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {readers}, {finance}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {readers}",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {hr}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {readers}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {readers}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT, UPDATE, DELETE ON TABLES TO {hr}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {readers}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {hr}",  # the schema's version is the owner's
        f"GRANT SELECT ON alembic_version TO {finance}",  # every login checks the schema's version on opening
    ]
    present = set(tables)
    for table in (t for t in ADMIN_TABLES if t in present):
        statements += [f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {hr}",
                       f"GRANT INSERT, UPDATE, DELETE ON {table} TO {admin}"]  # fmt: skip
    for table in (t for t in LEAD_TABLES if t in present):
        statements.append(f"GRANT INSERT ON {table} TO {lead}")
    statements += [
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {hr}, {lead}, {admin}, {finance}",
        f"GRANT INSERT ON audit_events TO {readers}",
    ]
    for statement in statements:
        connection.execute(text(statement))


def _finance_views(connection: Connection, roles: Roles) -> tuple[str, ...]:
    """Finance's own schema: the tables it may read, as views with pseudonymised IDs (keyed by a secret only the
    owner can read, so a six-digit ID cannot be worked back from its code) and no names or free text."""
    schema = quote(connection, roles.views_schema)
    finance = quote(connection, roles.finance)
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    connection.execute(text(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {finance}"))
    connection.execute(text(f"CREATE TABLE IF NOT EXISTS {schema}.pseudonym_key (key text NOT NULL)"))
    if not connection.execute(text(f"SELECT count(*) FROM {schema}.pseudonym_key")).scalar():
        connection.execute(text(f"INSERT INTO {schema}.pseudonym_key VALUES (:k)"), {"k": secrets.token_hex(32)})
    made = []
    for name, hidden in FINANCE_VIEWS.items():
        table = Base.metadata.tables.get(name)
        if table is None:
            continue
        select_list = ", ".join(_view_column(connection, table, column.name, hidden, schema) for column in table.c)
        view = f"{schema}.{quote(connection, name)}"
        connection.execute(text(f"DROP VIEW IF EXISTS {view}"))
        connection.execute(text(f"CREATE VIEW {view} AS SELECT {select_list} FROM public.{quote(connection, name)} t"))
        connection.execute(text(f"GRANT SELECT ON {view} TO {finance}"))
        made.append(name)
    return tuple(made)


def _view_column(connection: Connection, table: Table, name: str, hidden: dict[str, str | None], schema: str) -> str:
    quoted = quote(connection, name)
    if name in ID_COLUMNS:
        key = f"(SELECT key FROM {schema}.pseudonym_key LIMIT 1)"
        return f"'P' || upper(substr(md5({key} || t.{quoted}), 1, 10)) AS {quoted}"
    if name in hidden:
        sql_type = table.c[name].type.compile(dialect=connection.dialect)
        replacement = hidden[name] or f"CAST(NULL AS {sql_type})"
        return f"{replacement} AS {quoted}"
    return f"t.{quoted}"


def grant(app: App, login: str, role: str, roles: Roles | None = None) -> str:
    """Make a login a member of a group role; returns the group's name."""
    return _change_membership(app, login, role, roles, granting=True)


def revoke(app: App, login: str, role: str, roles: Roles | None = None) -> str:
    return _change_membership(app, login, role, roles, granting=False)


def _change_membership(app: App, login: str, role: str, roles: Roles | None, granting: bool) -> str:
    require_postgresql(app)
    roles = roles or Roles.from_settings()
    group = roles.named(role)
    require(app, "roles", roles)
    with app.unit_of_work() as uow:
        connection = uow.connection()
        for name, kind in ((login, "database login"), (group, "role")):
            if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar():
                hint = " (run ecf admin setup-roles first)" if kind == "role" else f" (CREATE ROLE {name} LOGIN)"
                raise DatabaseError(f"no {kind} called '{name}'{hint}")
        who, to = quote(connection, login), quote(connection, group)
        connection.execute(text(f"GRANT {to} TO {who}" if granting else f"REVOKE {to} FROM {who}"))
        _settle_search_path(connection, roles, login)
        audit.record(uow, "role-grant" if granting else "role-revoke", f"role {group}", {"login": login})
        uow.commit()
    return group


def _settle_search_path(connection: Connection, roles: Roles, login: str) -> None:
    """A finance-only login reads its views under the tables' own names (its schema first on the search path), so
    the projection and export work unchanged; anyone who may read the tables reads the tables."""
    query = text("SELECT rolname FROM pg_roles WHERE pg_has_role(:login, oid, 'MEMBER') AND rolname = ANY(:names)")
    held = set(connection.execute(query, {"login": login, "names": list(roles.all)}).scalars())
    who = quote(connection, login)
    if held == {roles.finance}:
        connection.execute(text(f"ALTER ROLE {who} SET search_path = {quote(connection, roles.views_schema)}, public"))
    else:
        connection.execute(text(f"ALTER ROLE {who} RESET search_path"))


@dataclass(frozen=True)
class Membership:
    login: str
    roles: tuple[str, ...]


def members(app: App, roles: Roles | None = None) -> list[Membership]:
    """Each login holding an ecf role, with the roles it holds."""
    require_postgresql(app)
    roles = roles or Roles.from_settings()
    query = text(
        "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = ANY(:names) ORDER BY m.rolname, g.rolname"
    )
    found: dict[str, list[str]] = {}
    with app.engine.connect() as connection:
        for login, group in connection.execute(query, {"names": list(roles.all)}):
            found.setdefault(login, []).append(group)
    return [Membership(login, tuple(held)) for login, held in found.items()]
