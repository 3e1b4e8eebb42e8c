"""Keeping a month's state exact: which stored rows are in effect (the active import, then its active corrections in
order, each row replacing that worker's), and each worker's latest row (the current workforce). Every import,
correction, undo and restore ends with `refresh_month` for the date it touched, inside its own unit of work."""

from __future__ import annotations

from datetime import date

from ecf.storage.latest_pointers import Latest
from ecf.storage.unit_of_work import UnitOfWork


def refresh_month(uow: UnitOfWork, as_of: date, fresh: int | None = None) -> None:
    """Work out the rows in effect for this date from the active imports alone, change the flags that differ, and
    update worker_latest for the workers whose row for this date came, went or changed. `fresh`: an import whose
    rows were just stored in effect (so worker_latest does not count them yet)."""
    layers = _layers(uow, as_of)
    stored = uow.snapshots.month_rows(as_of)
    by_import: dict[int, list[str]] = {}
    starts: dict[tuple[int, str], date] = {}
    for import_id, employee_id, _, start in stored:
        by_import.setdefault(import_id, []).append(employee_id)
        starts[(import_id, employee_id)] = start
    wanted: dict[str, int] = {}
    for import_id in layers:  # later corrections win
        for employee_id in by_import.get(import_id, ()):
            wanted[employee_id] = import_id
    had = {(import_id, employee_id) for import_id, employee_id, in_effect, _ in stored if in_effect}
    want = {(import_id, employee_id) for employee_id, import_id in wanted.items()}
    uow.snapshots.set_in_effect(had - want, False)
    uow.snapshots.set_in_effect(want - had, True)
    _move_pointers(uow, as_of, {e: i for i, e in had if i != fresh}, wanted, starts)


def _layers(uow: UnitOfWork, as_of: date) -> list[int]:
    base = uow.imports.active_for(as_of)
    if base is None:
        return []
    corrections = [i.id for i in uow.imports.for_date(as_of) if i.base_id == base.id and i.active]
    return [base.id, *corrections]


def _move_pointers(
    uow: UnitOfWork, as_of: date, before: dict[str, int], after: dict[str, int], starts: dict[tuple[int, str], date]
) -> None:
    """worker_latest after this month's row of each worker went from `before` to `after` (import by worker). A worker
    with a row here now and none before gains its start date; one whose row here went, or came with another start
    date, may have lost one, so theirs is worked out again from their rows in effect."""
    if before == after:
        return
    pointers = uow.snapshots.latest_pointers()
    # gone from this date, or here with another start date: worked out again from their rows in effect
    again = {e for e, i in before.items() if e not in after or starts[(i, e)] != starts[(after[e], e)]}
    moved: dict[str, Latest | None] = {}
    for employee_id, import_id in after.items():
        if employee_id in again:
            continue
        start = starts[(import_id, employee_id)]
        now = pointers.get(employee_id)
        if now is None:
            moved[employee_id] = Latest(as_of, import_id, start, start)
            continue
        newer = now.as_of < as_of or (now.as_of == as_of and now.import_id != import_id)
        if newer or start < now.first_start or start > now.last_start:
            at = (as_of, import_id) if newer else (now.as_of, now.import_id)
            moved[employee_id] = Latest(*at, min(now.first_start, start), max(now.last_start, start))
    found = uow.snapshots.latest_in_effect(list(again))
    moved.update({employee_id: found.get(employee_id) for employee_id in again})
    if moved:
        uow.snapshots.set_pointers(moved)
