"""The audit trail is append-only in the database itself, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ecf.services import admin, audit
from ecf.services.context import App
from ecf.storage.append_only import guard_lifted
from ecf.storage.database import DatabaseError


def _one_event(app: App) -> None:
    with app.unit_of_work() as uow:
        audit.record(uow, "import", "import 1", {"rows": 3})
        uow.commit()


@pytest.mark.parametrize("sql", ["UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"])
def test_the_trigger_refuses_changing_or_deleting_an_entry(app: App, sql: str) -> None:
    _one_event(app)
    with pytest.raises(DBAPIError, match="append-only"), app.engine.begin() as connection:
        connection.execute(text(sql))
    with app.engine.connect() as connection:
        assert connection.execute(text("SELECT actor, action FROM audit_events")).one()[1] == "import"


def test_entries_can_still_be_appended_and_the_owner_can_lift_the_guard_inside_one_transaction(app: App) -> None:
    _one_event(app)
    _one_event(app)
    with app.engine.begin() as connection, guard_lifted(connection):
        connection.execute(text("UPDATE audit_events SET subject = 'import ?' WHERE id = 1"))
    with pytest.raises(DBAPIError, match="append-only"), app.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))  # the guard is back
    with app.engine.connect() as connection:
        assert [s for (s,) in connection.execute(text("SELECT subject FROM audit_events ORDER BY id"))] == [
            "import ?",
            "import 1",
        ]


def test_roles_are_refused_on_sqlite_which_is_single_user(app: App) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's answer")
    with pytest.raises(DatabaseError, match="single-user"):
        admin.setup_roles(app, admin.Roles("h19_x_"))
    admin.require(app, "import")  # every check passes: one user, the file private to them
