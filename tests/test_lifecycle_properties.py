"""Property: after any sequence of imports, corrections, replaces, undos and restores over a few months, every month's
snapshot, the current workforce and the returners (workers under more than one start date) equal a recomputation from
the active imports' own rows alone (the in-effect flags and worker_latest, which the changes keep, are never out of
step). Start dates change between files, as a corrected or re-hired worker's do. SQLite, and PostgreSQL with
ECF_TEST_DATABASE_URL."""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from datetime import date
from pathlib import Path

from conftest import PG_URL, empty_database_url, worker, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ecf.services.context import App
from ecf.services.imports import ImportRequest, import_file
from ecf.services.lifecycle import LifecycleError, restore, undo
from ecf.storage.models import ImportRow, WorkerSnapshotRow

MONTHS = [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]
IDS = [f"{n:06d}" for n in range(101, 107)]

operation = st.one_of(
    st.tuples(st.just("import"), st.integers(0, 2), st.sets(st.sampled_from(IDS), min_size=1), st.booleans()),
    st.tuples(st.just("correct"), st.integers(0, 2), st.sets(st.sampled_from(IDS), min_size=1), st.just(False)),
    st.tuples(st.just("undo"), st.integers(1, 12), st.just(frozenset()), st.just(False)),
    st.tuples(st.just("restore"), st.integers(1, 12), st.just(frozenset()), st.just(False)),
)


STARTS = [date(2020, 9, 1), date(2023, 1, 9), date(2025, 4, 7)]


def start_of(employee_id: str, number: int) -> date:
    """Workers 101-102 keep one start date; the others take one of three by the file they are in."""
    if employee_id in IDS[:2]:
        return STARTS[0]
    return STARTS[(number * 7 + int(employee_id)) % 5 % 3]


def fresh_app(folder: Path) -> App:
    return App.open(empty_database_url(folder))


def apply(app: App, folder: Path, number: int, op: tuple[str, int, frozenset[str] | set[str], bool]) -> None:
    kind, value, ids, replace = op
    if kind in ("import", "correct"):
        as_of = MONTHS[value]
        # each file's own content (its own SHA-256); some workers' start dates move from file to file
        rows = [worker(e, Team=f"team {number}", **{"Start Date": start_of(e, number)}) for e in sorted(ids)]
        path = write_csv(folder / f"op{number}_{as_of.isoformat()}.csv", rows)
        request = ImportRequest(path, as_of, replace=replace, correct=kind == "correct", allow_drop=True,
                                write_report=False)  # fmt: skip
        import_file(app, request)
        return
    with contextlib.suppress(LifecycleError):  # no such import, or nothing to do: the state must still hold
        (undo if kind == "undo" else restore)(app, value)


Months = dict[date, dict[str, tuple[str | None, date]]]


def recomputed(app: App) -> tuple[Months, dict[str, tuple[date, str | None]]]:
    """Each month from its active import's rows with its active corrections' rows over them, in order; each worker's
    latest month. Read from the imports and their stored rows only, never the in-effect flags or pointers."""
    with app.unit_of_work() as uow:
        session = uow.imports.session
        imports = session.scalars(select(ImportRow).order_by(ImportRow.id)).all()
        months: Months = {}
        for base in imports:
            if base.kind != "import" or base.status != "active":
                continue
            layers = [base.id] + [i.id for i in imports if i.base_id == base.id and i.status == "active"]
            state: dict[str, tuple[str | None, date]] = {}
            for layer in layers:
                w = WorkerSnapshotRow
                rows = session.execute(select(w.employee_id, w.team, w.start_date).where(w.import_id == layer))
                state.update({e: (team, start) for e, team, start in rows})
            months[base.as_of] = state
    latest: dict[str, tuple[date, str | None]] = {}
    for as_of in sorted(months):
        for employee_id, (team, _) in months[as_of].items():
            latest[employee_id] = (as_of, team)
    return months, latest


@settings(max_examples=25 if not PG_URL else 12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=10))
def test_the_state_always_equals_a_recomputation_from_the_active_imports(operations):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        app = fresh_app(folder)
        try:
            for number, op in zip(itertools.count(), operations, strict=False):
                apply(app, folder, number, op)
            months, latest = recomputed(app)
            with app.unit_of_work() as uow:
                for as_of in MONTHS:
                    got = {e: (r.team, r.start_date) for e, r in uow.snapshots.snapshot(as_of).items()}
                    assert got == months.get(as_of, {}), as_of
                current = {r.employee_id: (as_of, r.team) for as_of, r in uow.snapshots.latest_records()}
                assert current == latest
                starts = returners(months)
                got_spells = uow.snapshots.spells(returners_only=True)
                assert {e: sorted(p.start for p in spells) for e, spells in got_spells.items()} == starts
                kept = {e: (at.first_start, at.last_start) for e, at in uow.snapshots.latest_pointers().items()}
                assert kept == {e: (min(s), max(s)) for e, s in every_start(months).items()}
                active = [i for i in uow.imports.all() if i.kind == "import" and i.active]
                assert len({i.as_of for i in active}) == len(active)  # one active import per date
        finally:
            app.engine.dispose()


def every_start(months: Months) -> dict[str, set[date]]:
    found: dict[str, set[date]] = {}
    for state in months.values():
        for employee_id, (_, start) in state.items():
            found.setdefault(employee_id, set()).add(start)
    return found


def returners(months: Months) -> dict[str, list[date]]:
    """The workers under more than one start date in the months' rows, with those dates in order."""
    return {e: sorted(starts) for e, starts in every_start(months).items() if len(starts) > 1}
