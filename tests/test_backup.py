"""Backups and restores, round trip, on SQLite and (with ECF_TEST_DATABASE_URL) PostgreSQL: everything comes back,
the row counts are checked, a backup is taken while a writer is busy, and a restore refuses a database with data."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import PG_URL, worker
from sqlalchemy import create_engine, select, text

from ecf.services import audit
from ecf.services import backup as service
from ecf.services.context import App
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import record_milestone
from ecf.storage.database import resolve


def _history(app: App, xlsx: Callable[..., Path]) -> None:
    """Two months, the second replaced by a corrected file (an import pointing at a later one), a recorded
    milestone, absences, findings and a rejected row: every table has something in it."""
    first = [worker("000101", **{"ASYE Start Date": date(2026, 1, 5)}), worker("000102"), worker("000103")]
    import_file(app, ImportRequest(xlsx("hr_2026-09-30.xlsx", first)))
    second = [*first[:2], worker("000104", FTE=1.5)]
    # 000103 leaves the sheet without a leaving date: one of three, past the shrinking-month guard, so allowed by hand
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", second), accept_valid=True, allow_drop=True))
    corrected = [
        *first[:2],
        worker("000104", **{"Absence Start": date(2026, 10, 1), "Absence Type": "Sickness"}),
    ]
    import_file(app, ImportRequest(xlsx("hr_2026-10-31_fixed.xlsx", corrected), as_of=date(2026, 10, 31),
                                   replace=True, allow_drop=True))  # fmt: skip
    record_milestone(app, "000101", "review_3m", date(2026, 4, 10), recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
                     note="done on time", recorded_by="someone")  # fmt: skip
    with app.unit_of_work() as uow:
        audit.record(uow, "record", "worker 000101", {"milestone": "review_3m"})
        uow.commit()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def contents(app: App) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, comparable across backends; the audit trail without the backup's own entries."""
    found = {}
    with app.engine.connect() as connection:
        for table in service.tables():
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            kept = [tuple(_plain(v) for v in row) for row in rows]
            if table.name == "audit_events":
                kept = [row[1:] for row in kept if row[3] not in ("backup", "database-restore")]
            found[table.name] = kept
    return found


def _empty_postgres() -> App:
    engine = create_engine(resolve(str(PG_URL)).url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return App.open(PG_URL)


def test_a_backup_restores_everything_and_the_counts_match(app: App, xlsx, tmp_path) -> None:
    _history(app, xlsx)
    before = contents(app)
    # these months carry no census items and nobody set pay or scenarios: every other table has rows
    empty = {"mapping_profiles", "council_rules", "council_pay", "stored_scenarios", "census_items", "personal_details"}
    assert {name for name, rows in before.items() if not rows} == empty
    assert all(before[name] for name in ("imports", "worker_snapshots", "absences", "import_issues",
                                         "rejected_rows", "milestone_events", "audit_events"))  # fmt: skip
    with app.unit_of_work() as uow:  # the replaced month points at the file that replaced it
        assert [i.superseded_by for i in uow.imports.all()][:2] == [None, 3]
    written = service.backup(app, tmp_path / "ecf.backup")
    assert stat.S_IMODE(written.path.stat().st_mode) == 0o600
    assert written.counts["worker_snapshots"] == len(before["worker_snapshots"])
    assert not list(tmp_path.glob("*.part"))

    into_sqlite = App.open(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    restored = service.restore(into_sqlite, written.path)
    assert restored.counts == written.counts
    assert contents(into_sqlite) == before
    if PG_URL:  # and back into an empty PostgreSQL database, from the same file
        app.engine.dispose()
        into_postgres = _empty_postgres()
        service.restore(into_postgres, written.path)
        assert contents(into_postgres) == before
        with into_postgres.unit_of_work() as uow:  # IDs carry on after the restored ones
            uow.events.add("000102", "asye", "review_3m", None, None, None, datetime.now(UTC), None)
            uow.commit()
        into_postgres.engine.dispose()


def test_a_restore_refuses_a_database_with_data_and_a_file_that_is_not_a_backup(app: App, xlsx, tmp_path) -> None:
    _history(app, xlsx)
    written = service.backup(app, tmp_path / "ecf.backup")
    with pytest.raises(service.BackupError, match=r"restore needs an empty database, .*imports 3"):
        service.restore(app, written.path)
    (tmp_path / "notes.txt").write_text("not a backup")
    with pytest.raises(service.BackupError, match="not an ecf backup"):
        service.restore(App.open(f"sqlite:///{tmp_path / 'new.sqlite3'}"), tmp_path / "notes.txt")
    with pytest.raises(service.BackupError, match="already exists"):
        service.backup(app, written.path)


def test_a_count_that_does_not_match_stops_the_restore_and_stores_nothing(app: App, xlsx, tmp_path) -> None:
    _history(app, xlsx)
    written = service.backup(app, tmp_path / "ecf.backup")
    with sqlite3.connect(written.path) as connection:  # as if a row went missing from the copy
        connection.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        connection.execute("DELETE FROM absences")
    connection.close()
    target = App.open(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    with pytest.raises(service.BackupError, match="absences has 0 rows, the backup 1"):
        service.restore(target, written.path)
    assert not any(contents(target).values())


def test_a_backup_is_taken_while_a_writer_is_busy_and_holds_only_what_was_committed(app: App, xlsx, tmp_path) -> None:
    _history(app, xlsx)
    insert = "INSERT INTO mapping_profiles (name, content, saved_at) VALUES ('half', 'x', '2026-11-29 10:00:00')"
    path = app.target.sqlite_path
    if path is not None:  # a writer in the middle of a transaction, holding SQLite's one write lock
        writer = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(insert)
        # it finishes a second later; the backup's own audit entry waits for it, the copy does not
        threading.Timer(1.0, writer.rollback).start()
        written = service.backup(app, tmp_path / "ecf.backup")
        writer.close()
    else:
        connection = app.engine.connect()
        busy = connection.begin()
        connection.execute(text(insert))
        written = service.backup(app, tmp_path / "ecf.backup")
        busy.rollback()
        connection.close()
    assert written.counts["mapping_profiles"] == 0 and written.counts["worker_snapshots"] > 0


@pytest.mark.skipif(not PG_URL, reason="pg_dump is PostgreSQL's")
def test_pg_dump_is_checked_against_the_server_version(app: App, tmp_path, monkeypatch) -> None:
    path = service.pg_dump_backup(app, tmp_path / "ecf.dump")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes()[:5] == b"PGDMP"
    server = service.server_major(app)
    monkeypatch.setattr(service, "pg_dump_major", lambda program="pg_dump": server - 1)
    with pytest.raises(service.BackupError, match=f"pg_dump {server - 1} cannot dump a PostgreSQL {server} server"):
        service.pg_dump_backup(app, tmp_path / "other.dump")
    with pytest.raises(service.BackupError, match="written by pg_dump: restore it with pg_restore"):
        service.restore(app, path)


def test_the_cli_backs_up_and_restores_in_one_line_each(app: App, db_url: str, xlsx, tmp_path) -> None:
    import subprocess
    import sys

    _history(app, xlsx)

    def ecf(db: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db, *args],
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    done = ecf(db_url, "backup", str(tmp_path / "ecf.backup"))
    assert done.returncode == 0, done.stderr
    assert "Backed up " in done.stdout and "(schema i" in done.stdout
    again = ecf(db_url, "backup", str(tmp_path / "ecf.backup"))
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restored = ecf(target, "restore", str(tmp_path / "ecf.backup"))
    assert restored.returncode == 0, restored.stderr
    assert "every table's count matches" in restored.stdout
    refused = ecf(db_url, "restore", str(tmp_path / "ecf.backup"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "restore needs an empty database" in refused.stderr
    if not PG_URL:
        roles = ecf(db_url, "admin", "setup-roles")
        assert roles.returncode == 2 and roles.stderr.count("\n") == 1 and "single-user" in roles.stderr
