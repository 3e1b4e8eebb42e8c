"""Undo and restore: an import or correction is withdrawn, or brought back, without deleting anything. The month's
state is then worked out again from the imports in effect (ecf.services.months), in the same unit of work as the
change and its audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecf.services import audit
from ecf.services.context import App
from ecf.services.months import refresh_month
from ecf.storage.repository import ImportInfo
from ecf.storage.unit_of_work import UnitOfWork


class LifecycleError(ValueError):
    """The import cannot be undone or restored as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class LifecycleResult:
    action: str  # "undo" or "restore"
    target: ImportInfo
    as_of: date
    now_active: ImportInfo | None  # the import the month now stands on (None: no snapshot for the date)
    displaced: ImportInfo | None = None  # restore: the import it superseded


def undo(app: App, import_id: int) -> LifecycleResult:
    """Withdraw an import or a correction. An import's month falls back to the import it superseded last (with that
    import's corrections), or to no snapshot; a correction's month to the import with its other corrections."""
    with app.unit_of_work(write=True) as uow:
        target = _get(uow, import_id)
        if target.status == "withdrawn":
            raise LifecycleError(f"import #{import_id} is already withdrawn (ecf imports restore {import_id})")
        if target.status == "superseded":
            raise LifecycleError(
                f"import #{import_id} is not in effect: it is superseded by #{target.superseded_by}; undo that one"
            )
        fallback = None if target.is_correction else uow.imports.superseded_last_by(import_id)
        uow.imports.set_status(import_id, "withdrawn")
        if fallback is not None:
            uow.imports.set_status(fallback.id, "active")
        refresh_month(uow, target.as_of)
        now_active = uow.imports.active_for(target.as_of)
        details = {"as_of": target.as_of.isoformat(), "kind": target.kind,
                   "now_active": now_active.id if now_active else None}  # fmt: skip
        audit.record(uow, "undo", f"import {import_id}", details)
        uow.commit()
    return LifecycleResult("undo", target, target.as_of, now_active)


def restore(app: App, import_id: int) -> LifecycleResult:
    """Make a withdrawn or superseded import (or a withdrawn correction) active again. An import supersedes the one
    in effect for its date; a correction applies again on its import (once that import is in effect)."""
    with app.unit_of_work(write=True) as uow:
        target = _get(uow, import_id)
        if target.status == "active":
            raise LifecycleError(f"import #{import_id} is already active")
        displaced = None
        if target.is_correction:
            uow.imports.set_status(import_id, "active")
        else:
            displaced = uow.imports.active_for(target.as_of)
            if displaced is not None:
                uow.imports.set_status(displaced.id, "superseded")  # first: one active import per date
            uow.imports.set_status(import_id, "active")
            if displaced is not None:
                uow.imports.supersede(displaced.id, import_id)
        refresh_month(uow, target.as_of)
        now_active = uow.imports.active_for(target.as_of)
        details = {"as_of": target.as_of.isoformat(), "kind": target.kind,
                   "superseded": displaced.id if displaced else None}  # fmt: skip
        audit.record(uow, "restore", f"import {import_id}", details)
        uow.commit()
    return LifecycleResult("restore", target, target.as_of, now_active, displaced)


def _get(uow: UnitOfWork, import_id: int) -> ImportInfo:
    found = uow.imports.get(import_id)
    if found is None:
        raise LifecycleError(f"no import #{import_id} (see: ecf imports)")
    return found
