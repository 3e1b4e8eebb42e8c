"""Long reads done beside the rest, in a second process: with years of monthly snapshots of a national workforce, the
terminal UI's trend reads every month stored (seconds), while the same time goes on reading and assessing the
workforce itself. A second process does the one while this one does the other, on the machine's second core.

A helper process costs about a second to start (a new interpreter loading the database layer, on the other core),
so it is started only when the stored history is big enough to repay it: a council's own workforce, or a national one
with a few months, never waits for it. Each read sent to it returns a small answer (a trend of a few dozen points, a
line of text), and whatever goes wrong with the helper itself -- it cannot start, it dies, its answer cannot come back
-- the read is done here instead. The database's own errors come back as they are, for the caller to report.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ecf.services.context import App, collector_paused
from ecf.storage.database import DatabaseError, DatabaseTarget

T = TypeVar("T")
# Rows stored (months x workers) from which a read of every month repays starting a process: about a second's start
# against about six microseconds a row read and measured (2 cores; 60 months of 40,000 workers take 7.5 s).
WORTH_A_PROCESS = 300_000


def stored_rows(app: App) -> int:
    """Months stored times workers ever seen: how many rows a read of every month goes through, near enough."""
    with app.unit_of_work() as uow:
        return len(uow.imports.active_dates()) * uow.snapshots.count_workers()


@dataclass
class Pending(Generic[T]):
    """A read under way in the helper process, or left to do here."""

    app: App
    work: Callable[..., T]
    args: tuple[Any, ...]
    handle: AsyncResult[T] | None = None

    def answer(self, abandoned: Callable[[], bool] = lambda: False) -> T | None:
        """The read's answer: the helper's when it has one, else worked out here. None if `abandoned()` turns true
        while waiting (the screen is closing)."""
        if self.handle is not None:
            while not self.handle.ready():
                if abandoned():
                    return None
                self.handle.wait(0.1)
            try:
                return self.handle.get()
            except (SQLAlchemyError, DatabaseError):
                raise  # the database's own answer: the same here
            except Exception:  # the helper failed on its own account (died, or its answer cannot come back): done here
                pass
        return self.work(self.app, *self.args)


class SideReads:
    """One helper process for one interface, started with it when the history stored is big enough to repay it (the
    interface starts it before it takes over the terminal: starting a process needs the terminal's own error stream),
    and stopped with it."""

    def __init__(self, app: App | None = None) -> None:
        self._lock = threading.Lock()
        self._pool: Pool | None = None
        rows = _rows_or_none(app) if app is not None and _shared(app.target) else None
        if rows is not None and rows >= WORTH_A_PROCESS:
            try:  # a fresh interpreter, not a copy of this one: a copy would share its database connections
                self._pool = multiprocessing.get_context("spawn").Pool(1, initializer=_quiet)
            except (OSError, ValueError):
                self._pool = None  # no second process here: every read is done in this one

    @property
    def helping(self) -> bool:
        return self._pool is not None

    def start(self, app: App, work: Callable[..., T], *args: Any) -> Pending[T]:
        """`work(app, *args)`, begun in the helper if there is one, else left for `Pending.answer` to do here. `work`
        is a module-level function: the helper imports it by name."""
        with self._lock:
            if self._pool is None:
                return Pending(app, work, args)
            return Pending(app, work, args, self._pool.apply_async(run_in_helper, (app.target, work, args)))

    def close(self) -> None:
        """Stop the helper, whatever it is doing (its reads only read)."""
        with self._lock:
            if self._pool is not None:
                self._pool.terminate()
                self._pool = None


def _rows_or_none(app: App) -> int | None:
    """stored_rows, or none if the database cannot say now: the interface's own reads then report why."""
    try:
        return stored_rows(app)
    except (SQLAlchemyError, DatabaseError):
        return None


def _shared(target: DatabaseTarget) -> bool:
    """Whether another process opening `target` reaches the same data: not an in-memory SQLite database."""
    return target.sqlite_path is not None or make_url(target.url).get_backend_name() != "sqlite"


def _quiet() -> None:
    """In the helper: nothing it might print (a warning, a failure's traceback) reaches the terminal the interface
    draws on; a failure comes back to the interface as its answer."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def run_in_helper(target: DatabaseTarget, work: Callable[..., T], args: tuple[Any, ...]) -> T:
    """In the helper: the read on its own connection to the same database, as the same login."""
    app = App(target)
    try:
        with collector_paused():  # millions of rows and no cycles among them, as in the interface's own reads
            return work(app, *args)
    finally:
        if "engine" in app.__dict__:  # connected (a cached property): its connections closed before the answer goes
            app.engine.dispose()
