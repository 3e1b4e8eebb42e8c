"""Property: after any sequence of imports, corrections, replaces, undos and restores over a few months, every month's
snapshot and the current workforce equal a recomputation from the active imports' own rows alone (the in-effect flags
and latest-row pointers the changes keep are never out of step). SQLite, and PostgreSQL with ECF_TEST_DATABASE_URL."""

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


def fresh_app(folder: Path) -> App:
    return App.open(empty_database_url(folder))


def apply(app: App, folder: Path, number: int, op: tuple[str, int, frozenset[str] | set[str], bool]) -> None:
    kind, value, ids, replace = op
    if kind in ("import", "correct"):
        as_of = MONTHS[value]
        rows = [worker(e, Team=f"team {number}") for e in sorted(ids)]  # each file's own content: its own SHA-256
        path = write_csv(folder / f"op{number}_{as_of.isoformat()}.csv", rows)
        request = ImportRequest(path, as_of, replace=replace, correct=kind == "correct", allow_drop=True,
                                write_report=False)  # fmt: skip
        import_file(app, request)
        return
    with contextlib.suppress(LifecycleError):  # no such import, or nothing to do: the state must still hold
        (undo if kind == "undo" else restore)(app, value)


def recomputed(app: App) -> tuple[dict[date, dict[str, str | None]], dict[str, tuple[date, str | None]]]:
    """Each month from its active import's rows with its active corrections' rows over them, in order; each worker's
    latest month. Read from the imports and their stored rows only, never the in-effect flags or pointers."""
    with app.unit_of_work() as uow:
        session = uow.imports.session
        imports = session.scalars(select(ImportRow).order_by(ImportRow.id)).all()
        months: dict[date, dict[str, str | None]] = {}
        for base in imports:
            if base.kind != "import" or base.status != "active":
                continue
            layers = [base.id] + [i.id for i in imports if i.base_id == base.id and i.status == "active"]
            state: dict[str, str | None] = {}
            for layer in layers:
                rows = session.execute(
                    select(WorkerSnapshotRow.employee_id, WorkerSnapshotRow.team).where(
                        WorkerSnapshotRow.import_id == layer
                    )
                )
                state.update({e: team for e, team in rows})
            months[base.as_of] = state
    latest: dict[str, tuple[date, str | None]] = {}
    for as_of in sorted(months):
        for employee_id, team in months[as_of].items():
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
                    got = {e: r.team for e, r in uow.snapshots.snapshot(as_of).items()}
                    assert got == months.get(as_of, {}), as_of
                current = {r.employee_id: (as_of, r.team) for as_of, r in uow.snapshots.latest_records()}
                assert current == latest
                active = [i for i in uow.imports.all() if i.kind == "import" and i.active]
                assert len({i.as_of for i in active}) == len(active)  # one active import per date
        finally:
            app.engine.dispose()
