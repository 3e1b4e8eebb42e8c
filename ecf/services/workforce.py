"""Reading the stored workforce: the current state of each worker, and what the database holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import inspect, text

from ecf.domain.frozen import stored_at_once
from ecf.domain.months import missing_months
from ecf.domain.worker import WorkerRecord
from ecf.domain.workforce import EmploymentStatus, employment_status, status_from
from ecf.services import memo
from ecf.services.context import App, collector_paused
from ecf.storage.columns import gather


@stored_at_once  # one per worker, read by every command and screen
@dataclass(frozen=True)
class WorkerState:
    record: WorkerRecord
    last_seen: date
    status: EmploymentStatus
    facts_from: date | None = None  # set when the last snapshot rejected their row and kept an earlier one's facts


def current_workers(
    app: App, include_left: bool = False, team: str | None = None, as_of: date | None = None,
    qualified_since: date | None = None,
) -> list[WorkerState]:  # fmt: skip
    """One row per worker: their latest facts. By default only those in post (or under notice) at the latest date;
    `team` keeps one team (case ignored). `as_of` reads the snapshots as they stood then (the newest on or before
    it), so every command and screen given the same as-of date sees the same snapshot. `qualified_since` keeps only
    the workers who may be on a programme (see ecf.storage.latest_rows.may_be_on_programme), leaving the rest unread:
    the same states as the full read's for those it keeps."""
    states = everyone(app, as_of) if qualified_since is None else _read_states(app, as_of, qualified_since)
    if not include_left:
        states = [s for s in states if s.status in (EmploymentStatus.IN_POST, EmploymentStatus.LEAVING)]
    if team is not None:
        states = [s for s in states if (s.record.team or "").lower() == team.lower()]
    return states


def everyone(app: App, as_of: date | None = None) -> list[WorkerState]:
    """Every worker's latest facts and status, leavers included: read once per process while the data is unchanged
    (see ecf.services.memo). Callers get their own list; the states in it are shared and immutable."""
    return list(memo.remembered(app, ("workers", as_of), lambda: _read_states(app, as_of)))


def newest_snapshot(app: App, as_of: date | None = None) -> date | None:
    """The newest snapshot on or before `as_of` (or of all): the one every worker's status is judged against."""
    with app.unit_of_work() as uow:
        return uow.snapshots.newest_in_effect(as_of)


def _read_states(app: App, as_of: date | None, qualified_since: date | None = None) -> list[WorkerState]:
    """Each worker's latest facts and status; with `qualified_since`, only the workers who may be on a programme,
    the rest left in the database (a fifth of a national workforce). Every status is judged against the newest
    snapshot, however few workers are read."""
    from ecf.storage.latest_rows import may_be_on_programme

    where = may_be_on_programme(qualified_since) if qualified_since is not None else None
    with collector_paused(), app.unit_of_work() as uow:  # a national workforce's records, built at once
        latest = uow.snapshots.latest_records(on_or_before=as_of, where=where)
        newest = uow.snapshots.newest_in_effect(as_of) if latest else None
    if newest is None:
        return []
    return [WorkerState(record, seen, employment_status(record, seen, newest)) for seen, record in latest]


@dataclass(frozen=True)
class InPostFacts:
    """The workers current_workers returns, in its order, with the few facts a list of them shows: a column each,
    named as WorkerRecord names them (see ecf.storage.month_facts.FACTS), and each worker's status."""

    columns: dict[str, Sequence[Any]]
    status: Sequence[EmploymentStatus]


def in_post_facts(app: App, as_of: date | None = None) -> InPostFacts | None:
    """current_workers(app, as_of=as_of)'s workers and facts, read narrowly -- a fifth of the full read at 40,000
    workers and 60 months -- for a screen to show while that read goes on. None without a snapshot to read (or when
    the full read must look further back); nothing is remembered (the full read is, see everyone)."""
    with collector_paused(), app.unit_of_work() as uow:
        found = uow.month_facts.newest(on_or_before=as_of)
    if found is None:
        return None
    # every worker read is in the newest snapshot, so none is gone from it; leavers are left out as current_workers does
    status = [status_from(leaving, found.as_of, found.as_of) for leaving in found.columns["leaving_date"]]
    kept = [i for i, s in enumerate(status) if s in (EmploymentStatus.IN_POST, EmploymentStatus.LEAVING)]
    if len(kept) == len(status):
        return InPostFacts(found.columns, status)
    return InPostFacts({name: gather(column, kept) for name, column in found.columns.items()}, gather(status, kept))


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
