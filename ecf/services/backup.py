"""Backups: a consistent copy of the whole database while others keep working, and restoring one into an empty
database with a check that every table's row count matches.

A backup is one SQLite file whichever database it came from (so a PostgreSQL backup can be read, checked and restored
anywhere): from SQLite through SQLite's online backup, from PostgreSQL by reading every table in one REPEATABLE READ,
READ ONLY transaction (one snapshot of the data, taken without blocking anyone). A table `ecf_backup` in the file
records the schema revision, when, from which backend, and the row counts. On PostgreSQL `pg_dump` is the other way
(see pg_dump_backup), for a copy of the whole server-side database, grants included.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Table,
    bindparam,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url

from ecf.services import audit
from ecf.services.context import App
from ecf.storage.database import DatabaseError, upgrade
from ecf.storage.models import Base

MANIFEST = "ecf_backup"
BATCH = 5000


class BackupError(DatabaseError):
    """A backup cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    backend: str
    revision: str | None
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table the schema defines, parents before children (the order to restore them in)."""
    return [table for table in Base.metadata.sorted_tables if table.name != MANIFEST]


def backup(app: App, path: Path) -> BackupResult:
    """Write a consistent copy of the database to `path` (a new file, private to its owner)."""
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name (a backup never overwrites one)")
    with _private_temp(path) as temp:
        if app.engine.dialect.name == "sqlite" and app.target.sqlite_path is not None:
            _sqlite_online_backup(app.target.sqlite_path, temp)
        else:
            _copy_to_sqlite(app.engine, temp)
        counts, revision = _write_manifest(temp, app.engine.dialect.name)
        temp.replace(path)
    with app.unit_of_work() as uow:
        audit.record(uow, "backup", "database", {"rows": sum(counts.values()), "revision": revision})
        uow.commit()
    return BackupResult(path, app.engine.dialect.name, revision, counts)


@contextmanager
def _private_temp(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, mode 0600, removed unless the caller moved it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)  # mkstemp makes it 0600
    temp = Path(name)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def _sqlite_online_backup(source: Path, target: Path) -> None:
    """SQLite's online backup: page by page, restarting if a writer changes the source meanwhile, so the copy is
    one consistent state and nobody waits for it."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def _copy_to_sqlite(source: Engine, target: Path) -> None:
    destination = create_engine(f"sqlite:///{target}")
    try:
        upgrade(destination)  # the same schema, made by the same migrations
        with source.connect() as reading:
            reading = reading.execution_options(isolation_level="REPEATABLE READ")
            with reading.begin():
                reading.execute(text("SET TRANSACTION READ ONLY"))
                with destination.begin() as writing:
                    for table in tables():
                        _copy_table(reading, writing, table)
    finally:
        destination.dispose()


def _copy_table(reading: Connection, writing: Connection, table: Table, deferred: tuple[str, ...] = ()) -> int:
    """Every row of `table`, in batches; the columns in `deferred` (a reference to the same table) are set after."""
    copied = 0
    later: list[dict[str, Any]] = []
    key = [column.name for column in table.primary_key.columns]
    moments = [c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    result = reading.execute(query)
    for batch in result.mappings().partitions(BATCH):
        rows = [dict(row) for row in batch]
        for row in rows:
            for name in moments:  # SQLite keeps the wall-clock time only: carry every moment across in UTC
                row[name] = _utc(row[name])
            if any(row.get(name) is not None for name in deferred):
                later.append({**{f"k_{n}": row[n] for n in key}, **{n: row[n] for n in deferred}})
                row.update(dict.fromkeys(deferred))
        writing.execute(insert(table), rows)
        copied += len(rows)
    if later:
        condition = [table.c[name] == bindparam(f"k_{name}") for name in key]
        writing.execute(update(table).where(*condition).values({n: bindparam(n) for n in deferred}), later)
    return copied


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _self_references(table: Table) -> tuple[str, ...]:
    return tuple(fk.parent.name for fk in table.foreign_keys if fk.column.table is table)


def _write_manifest(path: Path, backend: str) -> tuple[dict[str, int], str | None]:
    with sqlite3.connect(path) as connection:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {t.name: connection.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in tables()}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        if MANIFEST in present:  # a backup of a restored backup's file
            connection.execute(f"DROP TABLE {MANIFEST}")
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        connection.execute(f"CREATE TABLE {MANIFEST} (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        facts = {"revision": revision, "taken_at": datetime.now(UTC).isoformat(), "backend": backend,
                 "counts": json.dumps(counts)}  # fmt: skip
        connection.executemany(f"INSERT INTO {MANIFEST} VALUES (?, ?)", facts.items())
    connection.close()
    return counts, revision


@dataclass(frozen=True)
class Manifest:
    revision: str
    taken_at: str
    backend: str
    counts: dict[str, int]


def read_manifest(path: Path) -> Manifest:
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    with path.open("rb") as handle:
        if handle.read(5) == b"PGDMP":
            raise BackupError(f"{path} was written by pg_dump: restore it with pg_restore --dbname URL {path}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            facts = dict(connection.execute(f"SELECT name, value FROM {MANIFEST}").fetchall())
        connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not an ecf backup ({exc})") from exc
    return Manifest(facts["revision"], facts["taken_at"], facts["backend"], json.loads(facts["counts"]))


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def restore(app: App, path: Path) -> RestoreResult:
    """Copy a backup into this database, which must be empty; the row counts are checked against the backup's
    before anything is committed, so a restore is all or nothing."""
    manifest = read_manifest(path)
    with tempfile.TemporaryDirectory(prefix="ecf-restore-") as folder:
        copy = Path(folder) / "backup.sqlite3"
        shutil.copyfile(path, copy)  # brought up to this version's schema, if it is older, without touching it
        source = create_engine(f"sqlite:///{copy}")
        try:
            upgrade(source)
            counts = _restore_from(app, source, manifest)
        finally:
            source.dispose()
    return RestoreResult(manifest, counts)


def _restore_from(app: App, source: Engine, manifest: Manifest) -> dict[str, int]:
    with app.unit_of_work() as uow:
        writing = uow.connection()
        held = {t.name: n for t in tables() if (n := writing.execute(select(func.count()).select_from(t)).scalar())}
        if held:
            listed = ", ".join(f"{name} {count}" for name, count in sorted(held.items()))
            raise BackupError(f"restore needs an empty database, and this one holds rows ({listed}): restore into "
                              "a new database or a new SQLite file")  # fmt: skip
        with source.connect() as reading:
            counts = {t.name: _copy_table(reading, writing, t, _self_references(t)) for t in tables()}
        _reset_sequences(writing)
        restored = {t.name: writing.execute(select(func.count()).select_from(t)).scalar() or 0 for t in tables()}
        expected = {name: manifest.counts.get(name, 0) for name in restored}
        wrong = {name: (restored[name], expected[name]) for name in restored if restored[name] != expected[name]}
        if wrong:
            name, (got, want) = next(iter(wrong.items()))
            raise BackupError(f"restore stopped, nothing stored: {name} has {got} rows, the backup {want}")
        details = {"rows": sum(restored.values()), "taken_at": manifest.taken_at, "from": manifest.backend}
        audit.record(uow, "database-restore", "database", details)
        uow.commit()
    return counts


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL's ID sequences carry on after the restored IDs (rows were inserted with their own IDs)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not key[0].autoincrement or key[0].type.python_type is not int:
            continue
        found = text("SELECT pg_get_serial_sequence(:t, :c)")
        name = connection.execute(found, {"t": table.name, "c": key[0].name}).scalar()
        if name:
            connection.execute(text(f"SELECT setval('{name}', COALESCE((SELECT max({key[0].name}) FROM "
                                    f"{table.name}), 0) + 1, false)"))  # fmt: skip


# PostgreSQL's own tool, for a copy of the server-side database with its grants and roles' settings.


def server_major(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def pg_dump_major(program: str = "pg_dump") -> int | None:
    found = shutil.which(program)
    if found is None:
        return None
    out = subprocess.run([found, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def _libpq(app: App) -> tuple[str, dict[str, str]]:
    """The URL as libpq takes it, without the password (which goes in PGPASSWORD, out of the process list)."""
    url = make_url(app.target.url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_dump_backup(app: App, path: Path) -> Path:
    """`pg_dump --format=custom` of the database, refused up front if pg_dump is older than the server (it cannot
    dump a newer server's catalogue) or missing."""
    if app.engine.dialect.name != "postgresql":
        raise BackupError("--pg-dump is for PostgreSQL; a SQLite database is backed up with SQLite's online backup")
    server, client = server_major(app), pg_dump_major()
    if client is None:
        raise BackupError(f"pg_dump is not installed: install the PostgreSQL {server} client tools (or newer)")
    if client < server:
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: install pg_dump {server} or later"
        )
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name (a backup never overwrites one)")
    url, env = _libpq(app)
    with _private_temp(path) as temp:
        done = subprocess.run(["pg_dump", "--format=custom", f"--file={temp}", f"--dbname={url}"],
                              capture_output=True, text=True, env=env, check=False)  # fmt: skip
        if done.returncode != 0:
            message = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise BackupError(f"pg_dump failed: {message}")
        temp.replace(path)
    with app.unit_of_work() as uow:
        audit.record(uow, "backup", "database", {"tool": "pg_dump", "server": server, "client": client})
        uow.commit()
    return path


def table_names(app: App) -> list[str]:
    with app.engine.connect() as connection:
        return sorted(inspect(connection).get_table_names())
