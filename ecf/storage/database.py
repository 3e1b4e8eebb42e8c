"""Which database, how to connect, and bringing its schema up to date (Alembic, run by the app itself)."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

ENV_VAR = "ECF_DATABASE_URL"

# The bulk insert hands sqlite3 plain Python values: bind them exactly as SQLAlchemy's SQLite types store them.
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(Decimal, str)
APP_NAME = "ecf-tracker"


_PASSWORD_IN_URL = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*):\S*@", re.IGNORECASE)
_PASSWORD_SETTING = re.compile(r"\b(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


def mask(message: str) -> str:
    """The text with any password in a URL (scheme://user:secret@host) or a `password=` setting replaced by ***:
    for every message that might quote a connection string."""
    return _PASSWORD_SETTING.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1:***@", message))


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
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    try:
        make_url(value)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise DatabaseError(f"not a database URL: {mask(value)!r}") from exc
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
        # pre-ping: a connection the server dropped while idle (a restart, a network blip) is replaced on the next
        # use, so a long TUI session reconnects by itself. TLS settings in the URL (?sslmode=…) reach libpq as given.
        # SQLite: a writer waits its turn (up to a minute) rather than failing while another stores a big month.
        engine = create_engine(
            target.url,
            pool_pre_ping=make_url(target.url).get_backend_name() != "sqlite",
            connect_args={"timeout": 60} if path is not None else {},
        )
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use database {target.display}: {mask(str(exc))}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


WRITE_OPTION = "ecf_write"  # a connection execution option: this transaction changes the data


def _sqlite_begin(connection: Any) -> None:
    """Begin every transaction ourselves (the driver's own begins only before some statements): a unit of work that
    changes the data takes SQLite's write lock at its start (BEGIN IMMEDIATE), so two imports for one date run one
    after the other and the second sees what the first stored, where a deferred begin would let both read first."""
    write = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit transactions: _sqlite_begin starts them
    cursor = dbapi_connection.cursor()
    # WAL: readers (the TUI) never block the monthly import; SQLite gives the -wal/-shm files the db file's mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


MIGRATIONS = Path(__file__).parent / "migrations"


def head_revisions() -> set[str]:
    """The newest migration(s), read from the files' `revision`/`down_revision` lines: no need to import Alembic
    (a quarter of a second) just to find the schema already current."""
    found: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", source, re.M)
        if revision:
            found.add(revision.group(1))
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", source, re.M)
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return found - parents


def is_current(engine: Engine) -> bool:
    heads = head_revisions()
    try:
        with engine.connect() as connection:
            stored = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:
        return False  # no schema yet (or no version table): Alembic creates it
    return bool(heads) and stored == heads


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    if is_current(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
