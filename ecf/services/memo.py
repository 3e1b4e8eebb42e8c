"""Read once, assess once, reuse: what a process has worked out from the database, kept while the data it came from
is unchanged.

The workforce read and its assessment under a rule book are pure functions of (the stored data, the rules, the as-of
date). The terminal UI's tabs, a projection and its comparison, and the finance workbook all start from them, so each
is worked out once per process and handed to every caller that asks for the same thing.

What "unchanged" means is decided by the database on every call, not by who changed it: a short fingerprint of the
tables the read and the rules come from (the imports and their status, the recorded milestones, the council's rules
and the latest-row pointers) and of the audit trail every change writes to. Any import, correction, undo, restore,
recorded milestone, rules change, retention run or restored backup -- by this process or another user's -- moves it,
and the next caller works the answer out afresh. A finance login cannot read the audit trail; its fingerprint moves
with everything but retention and restores run by others while its process is open. A rules file given on the
command line is known by its path, size and modification time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError

from ecf.services.context import App
from ecf.storage import versions

T = TypeVar("T")
KEPT = 4  # answers kept per process: the TUI's few as-of dates and rule files; each holds a whole workforce


def data_version(app: App) -> tuple[Any, ...]:
    if app.audit_readable:
        try:
            with app.unit_of_work() as uow:
                return versions.data_version(uow.connection())
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":  # anything but "no right to read the audit trail"
                raise
            app.audit_readable = False  # a finance login: the rest of the fingerprint still moves
    with app.unit_of_work() as uow:
        return versions.data_version(uow.connection(), with_audit=False)


def file_key(path: Path | None) -> Hashable:
    """A rules file as the cache knows it: a changed file is a different key; a missing one is left to the loader."""
    if path is None:
        return None
    try:
        found = path.stat()
    except OSError:
        return ("unreadable", str(path), object())  # never equal to another key: nothing is reused for it
    return (str(path.resolve()), found.st_size, found.st_mtime_ns)


def remembered(app: App, key: Hashable, work: Callable[[], T]) -> T:
    """`work()`'s answer for `key` under the data as it is now, worked out once while the data stays the same."""
    with app.memory_lock:  # a second thread asking for the same read waits for the first instead of repeating it
        version = data_version(app)
        store = app.memory
        found = store.get(key)
        if found is not None and found[0] == version:
            store.move_to_end(key)
            return found[1]  # type: ignore[no-any-return]
        answer = work()
        store[key] = (version, answer)
        store.move_to_end(key)
        while len(store) > KEPT:
            store.popitem(last=False)
        return answer


def forget(app: App) -> None:
    """Drop what this process remembers of `app` (a test, or a caller that wants the memory back)."""
    app.memory.clear()
