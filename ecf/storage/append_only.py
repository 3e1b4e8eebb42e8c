"""The audit trail is append-only in the database itself: a trigger refuses UPDATE and DELETE (and TRUNCATE on
PostgreSQL) whoever asks, and on PostgreSQL no role but the owner holds those rights at all. Only the owner's own
tools (retention, which must clear a leaver's ID from old entries) lift the guard, inside their one transaction, so
the guard is back before anything else can see the change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

TABLE = "audit_events"
MESSAGE = "the audit trail is append-only: entries cannot be changed or deleted"

_SQLITE_TRIGGERS = {
    "audit_events_no_update": "UPDATE",
    "audit_events_no_delete": "DELETE",
}
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ecf_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$
"""
_PG_TRIGGERS = {
    "audit_events_append_only": "BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW",
    "audit_events_no_truncate": "BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT",
}


def create_guard(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(_PG_FUNCTION))
        for name, when in _PG_TRIGGERS.items():
            connection.execute(text(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION ecf_audit_append_only()"))
        connection.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM PUBLIC"))
        return
    for name, event in _SQLITE_TRIGGERS.items():
        connection.execute(
            text(f"CREATE TRIGGER {name} BEFORE {event} ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
        )


def drop_guard(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for name in _PG_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}"))
        connection.execute(text("DROP FUNCTION IF EXISTS ecf_audit_append_only()"))
        return
    for name in _SQLITE_TRIGGERS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


@contextmanager
def guard_lifted(connection: Connection) -> Iterator[None]:
    """Within the caller's transaction only: the owner may rewrite entries (PostgreSQL checks that it is the owner:
    ALTER TABLE is the owner's alone). If the transaction rolls back, so does lifting the guard."""
    if connection.dialect.name == "postgresql":
        for name in _PG_TRIGGERS:
            connection.execute(text(f"ALTER TABLE {TABLE} DISABLE TRIGGER {name}"))
        yield
        for name in _PG_TRIGGERS:
            connection.execute(text(f"ALTER TABLE {TABLE} ENABLE TRIGGER {name}"))
        return
    drop_guard(connection)  # SQLite's DDL is transactional too
    yield
    create_guard(connection)
