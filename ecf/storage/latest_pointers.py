"""Each worker's latest row in effect, and the first and last start dates among all their rows in effect: kept exact
by every change to the snapshots (ecf.services.months), so that the current workforce, and the few workers who left
and came back, are found without reading every month. Part of SnapshotRepository (ecf.storage.repository)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from ecf.domain.period import Period
from ecf.storage.bulk_writes import fast_insert
from ecf.storage.columns import fetch_columns
from ecf.storage.models import ImportRow, WorkerLatestRow, WorkerSnapshotRow

Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")
FEW = 2000  # up to this many workers are looked up by primary key, one lookup per active import; more, in one pass


class Latest(NamedTuple):
    """A worker's row in worker_latest: where their newest row in effect is, and the earliest and latest start dates
    of all their rows in effect (two different: they left and came back under the same ID)."""

    as_of: date
    import_id: int
    first_start: date
    last_start: date


class LatestPointers:
    """Keeping and reading worker_latest."""

    session: Session

    def month_rows(self, as_of: date) -> list[tuple[int, str, bool, date]]:
        """(import, employee, in effect, start date) for every row stored for this date, whatever its import's
        status."""
        w = WorkerSnapshotRow
        dated = select(ImportRow.id).where(ImportRow.as_of == as_of)
        query = select(w.import_id, w.employee_id, w.in_effect, w.start_date).where(w.import_id.in_(dated))
        return [(int(i), str(e), bool(f), s) for i, e, f, s in zip(*fetch_columns(self.session, query), strict=True)]

    def latest_pointers(self) -> dict[str, Latest]:
        """Each worker's latest month in effect, the import whose row it is, and their first and last start dates."""
        p = WorkerLatestRow
        query = select(p.employee_id, p.as_of, p.import_id, p.first_start, p.last_start)
        employees, *values = fetch_columns(self.session, query)
        return dict(zip(employees, map(Latest, *values), strict=True))

    def latest_in_effect(self, employee_ids: Sequence[str]) -> dict[str, Latest]:
        """Worked out from the rows themselves, for the workers whose row in worker_latest may have changed in a way
        that cannot be told from one month (a row gone, or a start date corrected). A few workers: primary-key
        lookups, one per active import; many (a month undone): one pass."""
        w = WorkerSnapshotRow
        wanted = set(employee_ids)
        if not wanted:
            return {}
        newest: dict[str, tuple[date, int]] = {}
        first: dict[str, date] = {}
        last: dict[str, date] = {}
        # A month undone at 60 months is a pass over a million rows: plain comparisons, no object per row
        for query in self._by_worker(select(w.employee_id, w.as_of, w.import_id, w.start_date), wanted):
            for employee_id, as_of, import_id, start in zip(*fetch_columns(self.session, query), strict=True):
                if employee_id not in wanted:
                    continue
                seen = newest.get(employee_id)
                if seen is None:
                    newest[employee_id] = (as_of, import_id)
                    first[employee_id] = last[employee_id] = start
                    continue
                if seen[0] < as_of:
                    newest[employee_id] = (as_of, import_id)
                if start < first[employee_id]:
                    first[employee_id] = start
                elif start > last[employee_id]:
                    last[employee_id] = start
        return {e: Latest(*at, first[e], last[e]) for e, at in newest.items()}

    def set_pointers(self, pointers: dict[str, Latest | None]) -> None:
        """Replace these workers' rows in worker_latest (None: no row in effect any more)."""
        keys, p = list(pointers), WorkerLatestRow
        for first in range(0, len(keys), 500):
            self.session.execute(delete(p).where(p.employee_id.in_(keys[first : first + 500])))
        rows = [(employee_id, *at) for employee_id, at in pointers.items() if at is not None]
        fast_insert(self.session, WorkerLatestRow, ("employee_id", *Latest._fields), rows)

    def returners(self) -> list[str]:
        """The workers with rows in effect under more than one start date: they left and came back."""
        p = WorkerLatestRow
        return list(self.session.scalars(select(p.employee_id).where(p.first_start != p.last_start)))

    def spells(self, employee_id: str | None = None, *, returners_only: bool = False) -> dict[str, list[Period]]:
        """Each worker's spells of employment here, as the snapshots show them: one per start date, with the latest
        leaving date seen for it. A leaver who comes back under the same ID has two. `returners_only` reads only the
        workers with more than one (worker_latest knows them): anyone else's one spell is their current record's, so
        the progression engine has nothing to learn from it."""
        w = WorkerSnapshotRow
        query = select(w.employee_id, w.start_date, func.max(w.leaving_date)).group_by(w.employee_id, w.start_date)
        wanted: set[str] | None = None
        if employee_id is not None:
            wanted = {employee_id}
        elif returners_only:
            wanted = set(self.returners())
        queries = [query.where(w.in_effect)] if wanted is None else self._by_worker(query, wanted)
        found: dict[str, list[Period]] = defaultdict(list)
        for each in queries:
            for worker_id, start, leaving in zip(*fetch_columns(self.session, each), strict=True):
                if wanted is None or worker_id in wanted:
                    found[worker_id].append(Period(start, leaving if leaving is None or leaving >= start else start))
        return found

    def _by_worker(self, query: Q, wanted: set[str]) -> list[Q]:
        """`query` narrowed to these workers' rows in effect: by primary key (one lookup per active import) for a
        few, else by a pass over every row in effect (the caller keeps those wanted). None wanted: no query."""
        if not wanted:
            return []
        w = WorkerSnapshotRow
        if len(wanted) > FEW:
            return [query.where(w.in_effect)]
        active = list(self.session.scalars(select(ImportRow.id).where(ImportRow.status == "active")))
        ids = sorted(wanted)
        return [
            query.where(w.in_effect, w.import_id.in_(active), w.employee_id.in_(ids[first : first + 500]))
            for first in range(0, len(ids), 500)
        ]
