"""Database failures as one line a person can act on: what failed and what to do, never the SQL or its parameters
(which hold surnames, forenames and registration numbers). Also: waiting, with a word, while another import holds
SQLite's write lock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
LOCK_WAIT_SECONDS = 120  # setting: ECF_LOCK_WAIT_SECONDS


class DatabaseBusy(Exception):
    """Another process held the database's write lock for longer than we wait."""


def lock_wait_seconds() -> float:
    text = os.environ.get("ECF_LOCK_WAIT_SECONDS", "")
    try:
        return float(text) if text else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


def _primary(exc: BaseException) -> str:
    """The driver's own first line: psycopg's primary message (its DETAIL line holds the row's values), or the first
    line of sqlite3's message (which names tables and columns, never values)."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or (str(orig).splitlines() or [""])[0]
    return text[:200]


def is_locked(exc: BaseException) -> bool:
    text = _primary(exc).lower()
    return "database is locked" in text or "database table is locked" in text or "lock timeout" in text


def describe(exc: BaseException) -> str | None:
    """One line for a database failure, or None if `exc` is not one."""
    try:
        from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency
        return None
    if isinstance(exc, DatabaseBusy):
        return str(exc)
    if not isinstance(exc, SQLAlchemyError):
        return None
    primary = _primary(exc) if isinstance(exc, DBAPIError) else type(exc).__name__
    lowered = primary.lower()
    done = "Nothing was stored."
    if is_locked(exc):
        return f"another import is running (the database is locked); try again when it has finished. {done}"
    if "disk is full" in lowered or "no space" in lowered or "could not extend" in lowered:
        return f"the disk holding the database is full; free some space and try again. {done}"
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return f"the database cannot be written by you ({primary}). {done}"
    if isinstance(exc, IntegrityError):
        return f"the database refused the change ({primary}). {done}"
    if isinstance(exc, DBAPIError):
        return f"the database failed ({type(exc.orig).__name__}: {primary}). {done}"
    return f"the database failed ({type(exc).__name__}). {done}"


def waiting_for_lock(action: Callable[[], T], waiting: Callable[[float, float], None] | None = None) -> T:
    """Run `action` (one whole transaction); while SQLite's write lock is held by another process, say so through
    `waiting(seconds waited, seconds we will wait)` and try again, up to the lock wait. Then DatabaseBusy."""
    limit = lock_wait_seconds()
    started = time.monotonic()
    while True:
        try:
            return action()
        except Exception as exc:
            if not is_locked(exc):
                raise
            waited = time.monotonic() - started
            if waiting is not None:  # said once the first wait (SQLite's own busy timeout) is over
                waiting(waited, limit)
            if waited >= limit:
                raise DatabaseBusy(
                    f"another import is running: the database stayed locked for {waited:.0f} s; try again when it has "
                    "finished. Nothing was stored."
                ) from None  # the SQL and its parameters stay out of the message and the traceback
            time.sleep(1)
