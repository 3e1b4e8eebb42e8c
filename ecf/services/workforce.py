"""Reading the stored workforce: the current state of each worker, and what the database holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import inspect, text

from ecf.domain.frozen import stored_at_once
from ecf.domain.months import missing_months
from ecf.domain.worker import WorkerRecord
from ecf.domain.workforce import EmploymentStatus, employment_status
from ecf.services import memo
from ecf.services.context import App, collector_paused


@stored_at_once  # one per worker, read by every command and screen
@dataclass(frozen=True)
class WorkerState:
    record: WorkerRecord
    last_seen: date
    status: EmploymentStatus
    facts_from: date | None = None  # set when the last snapshot rejected their row and kept an earlier one's facts


def current_workers(
    app: App, include_left: bool = False, team: str | None = None, as_of: date | None = None
) -> list[WorkerState]:
    """One row per worker: their latest facts. By default only those in post (or under notice) at the latest date;
    `team` keeps one team (case ignored). `as_of` reads the snapshots as they stood then (the newest on or before
    it), so every command and screen given the same as-of date sees the same snapshot."""
    states = everyone(app, as_of)
    if not include_left:
        states = [s for s in states if s.status in (EmploymentStatus.IN_POST, EmploymentStatus.LEAVING)]
    if team is not None:
        states = [s for s in states if (s.record.team or "").lower() == team.lower()]
    return states


def everyone(app: App, as_of: date | None = None) -> list[WorkerState]:
    """Every worker's latest facts and status, leavers included: read once per process while the data is unchanged
    (see ecf.services.memo). Callers get their own list; the states in it are shared and immutable."""
    return list(memo.remembered(app, ("workers", as_of), lambda: _read_everyone(app, as_of)))


def _read_everyone(app: App, as_of: date | None) -> list[WorkerState]:
    with collector_paused():  # a national workforce's records, built at once: see collector_paused
        with app.unit_of_work() as uow:
            latest = uow.snapshots.latest_records(on_or_before=as_of)
        if not latest:
            return []
        newest = max(as_of for as_of, _ in latest)
        return [WorkerState(record, seen, employment_status(record, seen, newest)) for seen, record in latest]


def worker_state(app: App, employee_id: str, as_of: date | None = None) -> WorkerState | None:
    """One worker's latest facts and where they stand at the latest snapshot (the newest on or before `as_of`, if
    given), whether in post or not."""
    with app.unit_of_work() as uow:
        latest = uow.snapshots.latest_records(employee_id, on_or_before=as_of)
        if not latest:
            return None
        seen, record = latest[0]
        carried = uow.snapshots.carried_from(record.employee_id, seen)
        dates = [d for d in uow.imports.active_dates() if as_of is None or d <= as_of]
    return WorkerState(record, seen, employment_status(record, seen, dates[-1]), carried)


@dataclass(frozen=True)
class DatabaseInfo:
    url: str
    source: str
    backend: str
    schema_revision: str | None
    workers: int
    in_post: int
    imports: int
    snapshots: int
    latest_as_of: date | None
    rejected_rows: int
    file_size: int | None
    missing_months: list[date] = field(default_factory=list)  # months without a snapshot between stored ones


def database_info(app: App) -> DatabaseInfo:
    with app.unit_of_work() as uow:
        imports = uow.imports.all()
        workers = uow.snapshots.count_workers()
        rejected = uow.imports.rejected_count()
    with app.engine.connect() as connection:
        revision = None
        if inspect(connection).has_table("alembic_version"):
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    active = [i for i in imports if i.active and not i.is_correction]
    path = app.target.sqlite_path
    return DatabaseInfo(
        url=app.target.display,
        source=app.target.source,
        backend=app.engine.dialect.name,
        schema_revision=revision,
        workers=workers,
        in_post=len(current_workers(app)),
        imports=len(imports),
        snapshots=len(active),
        latest_as_of=max((i.as_of for i in active), default=None),
        rejected_rows=rejected,
        file_size=path.stat().st_size if path is not None and path.exists() else None,
        missing_months=missing_months(i.as_of for i in active if not i.is_correction),
    )
