"""Which database, how to connect, and bringing its schema up to date (Alembic, run by the app itself)."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_VAR = "ECF_DATABASE_URL"

# The bulk insert hands sqlite3 plain Python values: bind them exactly as SQLAlchemy's SQLite types store them.
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(Decimal, str)
APP_NAME = "ecf-tracker"


class DatabaseError(Exception):
    """The database cannot be used; the message says which and why, without credentials."""


@dataclass(frozen=True)
class DatabaseTarget:
    url: str
    source: str  # "--db", "ECF_DATABASE_URL" or "default"

    @property
    def display(self) -> str:
        """The URL without any password, fit to print."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path | None:
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
            return None
        return Path(parsed.database)


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "ecf.sqlite3"


def resolve(option: str | None) -> DatabaseTarget:
    """`--db` wins, then ECF_DATABASE_URL, then a SQLite file in the user's data directory."""
    if option:
        return DatabaseTarget(_normalise(option), "--db")
    if os.environ.get(ENV_VAR):
        return DatabaseTarget(_normalise(os.environ[ENV_VAR]), ENV_VAR)
    return DatabaseTarget(f"sqlite:///{default_sqlite_path()}", "default")


def _normalise(value: str) -> str:
    if "://" not in value:  # a bare path means a SQLite file
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    try:
        make_url(value)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {value!r}") from exc
    return value


def _prepare_sqlite_file(path: Path) -> None:
    """Create the file private to its owner before SQLite does: it holds personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.parent == default_sqlite_path().parent:  # ecf's own data folder: private, even if it was made 0755
        from ecf.files import private_folder

        private_folder(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    elif stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)


def make_engine(target: DatabaseTarget) -> Engine:
    path = target.sqlite_path
    if path is not None:
        try:
            _prepare_sqlite_file(path)
        except OSError as exc:
            raise DatabaseError(f"cannot create the database file {path}: {exc.strerror}") from exc
    try:
        engine = create_engine(target.url)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use database {target.display}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers (the TUI) never block the monthly import; SQLite gives the -wal/-shm files the db file's mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
