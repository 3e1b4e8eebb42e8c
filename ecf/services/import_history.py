"""What the imports stored: the list of imports, one import's findings, and the changes between snapshots. Apart
from ecf.services.imports (the import itself) so that listing them loads neither the readers nor the validation."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from ecf.domain.changes import Change, diff_snapshots
from ecf.services.context import App
from ecf.storage.repository import ImportInfo, IssueRecord


def changes_since(app: App, since: date | None = None) -> list[Change]:
    """The changes each snapshot dated on or after `since` showed against the snapshot before it.
    Without `since`: the latest snapshot's changes."""
    with app.unit_of_work() as uow:
        dates = uow.imports.active_dates()
        if since is None:
            if not dates:
                return []
            since = dates[-1]
        changes: list[Change] = []
        for earlier, later in pairwise(dates):
            if later >= since:
                changes.extend(diff_snapshots(uow.snapshots.snapshot(earlier), uow.snapshots.snapshot(later), later))
    return changes


def import_findings(app: App, import_id: int | None = None) -> tuple[ImportInfo, list[IssueRecord]] | None:
    """The findings stored with one import (default: the newest), as the report listed them."""
    with app.unit_of_work() as uow:
        imports = uow.imports.all()
        chosen = (
            next((i for i in imports if i.id == import_id), None)
            if import_id
            else max(imports, key=lambda i: i.id, default=None)
        )
        if chosen is None:
            return None
        return chosen, uow.imports.issues(chosen.id)


def list_imports(app: App) -> list[ImportInfo]:
    with app.unit_of_work() as uow:
        return uow.imports.all()
