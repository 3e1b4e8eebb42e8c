"""Opening the database for a use case: resolve the target, connect, bring the schema up to date."""

from __future__ import annotations

import gc
import getpass
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from ecf.storage.database import DatabaseError, DatabaseTarget, make_engine, mask, resolve, upgrade
from ecf.storage.unit_of_work import UnitOfWork


@dataclass
class App:
    """What every interface holds: where the data is. Services take it and open their own unit of work."""

    target: DatabaseTarget
    # What this process has worked out from the data and may hand out again while it is unchanged (ecf.services.memo).
    memory: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = field(
        default_factory=OrderedDict, repr=False, compare=False
    )
    memory_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    audit_readable: bool = field(default=True, repr=False, compare=False)  # False for a finance login

    @classmethod
    def open(cls, db_option: str | None = None) -> App:
        app = cls(resolve(db_option))
        app.engine  # noqa: B018 - connect and migrate now, so a bad URL fails before any work starts
        return app

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.target)
        try:
            upgrade(engine)
        except OperationalError as exc:
            raise DatabaseError(f"cannot open database {self.target.display}: {_first_line(exc.orig)}") from exc
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) in ("42501", "3F000"):  # no rights on the schema, or none visible
                raise DatabaseError(
                    f"cannot open database {self.target.display}: this login holds no ecf role there, or the schema "
                    "needs an upgrade only the database owner can make; ask your ecf administrator"
                ) from exc
            raise DatabaseError(f"cannot prepare database {self.target.display}: {_first_line(exc.orig)}") from exc
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot prepare database {self.target.display}: {_first_line(exc)}") from exc
        return engine

    def unit_of_work(self, write: bool = False) -> UnitOfWork:
        """`write`: the use case changes the snapshots; it holds the database's lock for them until it ends."""
        return UnitOfWork(self.engine, write)


def _first_line(error: BaseException | None) -> str:
    """An error's first line, any password in it masked: the rest is SQL and a link, not for the person at the
    keyboard."""
    return mask(str(error).strip().splitlines()[0]) if str(error).strip() else type(error).__name__


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one bulk read or import: 40,000 workers mean millions of small objects
    and none of them form cycles, so the collector's repeated full scans only cost time (about a third of it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def keep_out_of_collection() -> None:
    """Move everything alive now out of the cyclic collector's reach, once a long-lived read is in place.

    A screen holding 40,000 workers keeps millions of objects, and each full collection would scan them all (about a
    quarter of a second, landing on whichever keystroke triggered it). They are still freed as usual when the next
    read replaces them: only the cycle scan skips them, and they form no cycles.
    """
    gc.freeze()


def login_name() -> str | None:
    """Who is at the keyboard, as the operating system knows them: stored with a recorded milestone for the audit
    trail (never logged)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return None
