"""The audit trail: every change a person makes is recorded with who made it and when, in the same transaction as the
change itself (so a change and its record stand or fall together)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ecf.services.context import App, login_name
from ecf.storage.repository import AuditEvent
from ecf.storage.unit_of_work import UnitOfWork


def actor(uow: UnitOfWork) -> str | None:
    """The database user on PostgreSQL (the login the server checks), else the operating system's login name."""
    return uow.audit.database_user() or login_name()


def record(uow: UnitOfWork, action: str, subject: str | None = None, details: dict[str, Any] | None = None,
           at: datetime | None = None) -> None:  # fmt: skip
    """Append one event inside the caller's unit of work; the caller's commit() stores it with the change.
    `subject` and `details` name imports, dates and counts, never a person's name."""
    uow.audit.append(at or datetime.now(UTC), actor(uow), action, subject, details)


def events(app: App, since: datetime | None = None) -> list[AuditEvent]:
    with app.unit_of_work() as uow:
        return uow.audit.since(since)
