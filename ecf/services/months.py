"""Keeping a month's state exact: which stored rows are in effect (the active import, then its active corrections in
order, each row replacing that worker's), and each worker's latest row (the current workforce). Every import,
correction, undo and restore ends with `refresh_month` for the date it touched, inside its own unit of work."""

from __future__ import annotations

from datetime import date

from ecf.storage.unit_of_work import UnitOfWork


def refresh_month(uow: UnitOfWork, as_of: date, fresh: int | None = None) -> None:
    """Work out the rows in effect for this date from the active imports alone, change the flags that differ, and
    move the latest-row pointers of the workers whose row for this date came, went or changed. `fresh`: an import
    whose rows were just stored in effect (so they are not yet anyone's latest row)."""
    layers = _layers(uow, as_of)
    stored = uow.snapshots.month_rows(as_of)
    by_import: dict[int, list[str]] = {}
    for import_id, employee_id, _ in stored:
        by_import.setdefault(import_id, []).append(employee_id)
    wanted: dict[str, int] = {}
    for import_id in layers:  # later corrections win
        for employee_id in by_import.get(import_id, ()):
            wanted[employee_id] = import_id
    had = {(import_id, employee_id) for import_id, employee_id, in_effect in stored if in_effect}
    want = {(import_id, employee_id) for employee_id, import_id in wanted.items()}
    uow.snapshots.set_in_effect(had - want, False)
    uow.snapshots.set_in_effect(want - had, True)
    _move_pointers(uow, as_of, {e: i for i, e in had if i != fresh}, wanted)


def _layers(uow: UnitOfWork, as_of: date) -> list[int]:
    base = uow.imports.active_for(as_of)
    if base is None:
        return []
    corrections = [i.id for i in uow.imports.for_date(as_of) if i.base_id == base.id and i.active]
    return [base.id, *corrections]


def _move_pointers(uow: UnitOfWork, as_of: date, before: dict[str, int], after: dict[str, int]) -> None:
    if before == after:
        return
    pointers = uow.snapshots.latest_pointers()
    moved: dict[str, tuple[date, int] | None] = {}
    for employee_id, import_id in after.items():
        now = pointers.get(employee_id)
        if now is None or now[0] < as_of or (now[0] == as_of and now[1] != import_id):
            moved[employee_id] = (as_of, import_id)
    # Workers this date no longer has, whose latest row was here: their latest is now an older (or newer) month.
    lost = [e for e in before if e not in after and (p := pointers.get(e)) is not None and p[0] == as_of]
    found = uow.snapshots.latest_in_effect(lost)
    moved.update({employee_id: found.get(employee_id) for employee_id in lost})
    uow.snapshots.set_pointers(moved)
