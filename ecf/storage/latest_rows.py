"""Each worker's latest row in effect, read for a whole workforce at once: the read every listing, screen,
projection and workbook starts from. Part of SnapshotRepository (ecf.storage.repository)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import chain, repeat
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, WorkerRecord
from ecf.storage.columns import EMPLOYEE_ID, RECORD_COLUMNS, each_distinct, fetch_columns, gather, worker_records
from ecf.storage.models import AbsenceRow, ImportRow, WorkerLatestRow, WorkerSnapshotRow


def may_be_on_programme(qualified_since: date) -> ColumnElement[bool]:
    """Rows of workers who may be on a programme: a start recorded, qualified on or after `qualified_since`, or no
    qualification date at all (counted, not assessed). A superset the engine narrows exactly, for the database to
    leave out most of a national workforce before it is read."""
    w = WorkerSnapshotRow
    return or_(w.asye_start_date.is_not(None), w.date_qualified.is_(None), w.date_qualified >= qualified_since)


class LatestRows:
    """Reading each worker's latest row in effect."""

    session: Session

    def latest_records(
        self, employee_id: str | None = None, on_or_before: date | None = None,
        where: ColumnElement[bool] | None = None,
    ) -> list[tuple[date, WorkerRecord]]:  # fmt: skip
        """Each worker's most recent row in effect (or one worker's), with its as-of date. `on_or_before` reads the
        snapshots as they stood on that date: the newest on or before it, and older ones. `where` keeps only the
        workers whose latest row meets it (see may_be_on_programme).

        worker_latest points at it (kept exact by every change to the snapshots). The rows are read import by import
        through the primary key: the whole range of an import most workers point at (the newest, usually), lookups for
        the few gone from later sheets. No join for a planner to get wrong on stale statistics (PostgreSQL chose to
        scan every month's rows), so the cost is the workforce's, not the history's.
        """
        if on_or_before is not None and self._before_newest(on_or_before):
            return self._records_by_import(self._latest_up_to(on_or_before, employee_id), where)
        p = WorkerLatestRow
        query = select(p.employee_id, p.import_id).order_by(p.employee_id)  # the database's own order of IDs
        if employee_id is not None:
            query = query.where(p.employee_id == employee_id)
        order, pointed = fetch_columns(self.session, query)
        return self._records_by_import(list(zip(order, pointed, strict=True)), where)

    def latest_swe_numbers(self, employee_ids: Sequence[str]) -> dict[str, str | None]:
        """These workers' SWE numbers as their latest rows in effect give them: a lookup by primary key each."""
        p, w = WorkerLatestRow, WorkerSnapshotRow
        wanted = sorted(set(employee_ids))
        found: dict[str, str | None] = {}
        for first in range(0, len(wanted), 500):
            query = (
                select(p.employee_id, w.swe_number)
                .join(w, (w.import_id == p.import_id) & (w.employee_id == p.employee_id))
                .where(p.employee_id.in_(wanted[first : first + 500]))
            )
            found.update(zip(*fetch_columns(self.session, query), strict=True))
        return found

    def _before_newest(self, day: date) -> bool:
        newest = self.session.scalar(select(func.max(ImportRow.as_of)).where(ImportRow.status == "active"))
        return newest is not None and day < newest

    def _latest_up_to(self, day: date, employee_id: str | None) -> list[tuple[str, int]]:
        """(worker, import) of each worker's newest row in effect dated on or before `day`, in ID order: the
        pointers as they stood then (a past as-of date is rare, so this one scan is worked out when asked)."""
        w = WorkerSnapshotRow
        query = select(w.employee_id, w.as_of, w.import_id).where(w.in_effect, w.as_of <= day)
        if employee_id is not None:
            query = query.where(w.employee_id == employee_id)
        newest: dict[str, tuple[date, int]] = {}
        for worker_id, as_of, import_id in zip(*fetch_columns(self.session, query), strict=True):
            if worker_id not in newest or newest[worker_id][0] < as_of:
                newest[worker_id] = (as_of, import_id)
        return [(worker_id, newest[worker_id][1]) for worker_id in sorted(newest)]

    def newest_in_effect(self, on_or_before: date | None = None) -> date | None:
        """The date of the newest row in effect (on or before a date): the snapshot latest_records' rows are judged
        against, however few of them a `where` keeps."""
        if on_or_before is not None and self._before_newest(on_or_before):
            w = WorkerSnapshotRow
            return self.session.scalar(select(func.max(w.as_of)).where(w.in_effect, w.as_of <= on_or_before))
        return self.session.scalar(select(func.max(WorkerLatestRow.as_of)))

    def _records_by_import(
        self, pointed: list[tuple[str, int]], where: ColumnElement[bool] | None = None
    ) -> list[tuple[date, WorkerRecord]]:
        """The rows the (worker, import) pairs point at (those meeting `where`), read import by import as columns, in
        the pairs' order."""
        by_import: defaultdict[int, list[str]] = defaultdict(list)
        for worker_id, import_id in pointed:
            by_import[import_id].append(worker_id)
        read: dict[int, list[Sequence[Any]]] = {}
        position: dict[int, dict[str, int]] = {}  # each import's row position of each worker
        absences: dict[tuple[int, str], tuple[Absence, ...]] = {}
        for import_id, employees in by_import.items():
            read[import_id] = columns = self._read_import_columns(import_id, employees, absences, where)
            position[import_id] = dict(zip(columns[2 + EMPLOYEE_ID], range(len(columns[0])), strict=True))
        found = [(i, position[i].get(worker_id)) for worker_id, i in pointed]
        picked = [(i, row) for i, row in found if row is not None]
        if not picked:
            return []
        if len(read) == 1:  # one import holds everyone's latest row (the usual case): take its columns as read
            (columns,) = read.values()
            rows = [row for _, row in picked]
            if rows != list(range(len(columns[0]))):
                columns = [gather(column, rows) for column in columns]
        else:  # the imports' columns end to end, each picked row taken from its place in them
            start, offsets = 0, {}
            for import_id, columns in read.items():
                offsets[import_id], start = start, start + len(columns[0])
            places = [offsets[i] + row for i, row in picked]
            parts = list(read.values())
            whole = (list(chain.from_iterable(part[c] for part in parts)) for c in range(len(parts[0])))
            columns = [gather(column, places) for column in whole]
        import_ids, as_of, *record_columns = columns
        # Each row takes the absences reported with it: the same absence is repeated in every monthly sheet.
        keys = zip(import_ids, record_columns[EMPLOYEE_ID], strict=True)
        records = worker_records(record_columns, map(absences.get, keys, repeat(())))
        return list(zip(as_of, records, strict=True))

    def _read_import_columns(
        self, import_id: int, employees: list[str], absences: dict[tuple[int, str], tuple[Absence, ...]],
        where: ColumnElement[bool] | None = None,
    ) -> list[Sequence[Any]]:  # fmt: skip
        """One import's rows as columns (import ID, as-of date, then the record's), holding at least these workers'
        rows (of those meeting `where`); their absences go into `absences`."""
        w, a = WorkerSnapshotRow, AbsenceRow
        row_query = select(w.import_id, w.as_of, *RECORD_COLUMNS).where(w.import_id == import_id)
        if where is not None:
            row_query = row_query.where(where)
        absence_query = select(a.import_id, a.employee_id, a.start_date, a.end_date, a.absence_type).where(
            a.import_id == import_id
        )
        if len(employees) > 1000:  # most of the import: its whole primary-key range; the caller keeps those wanted
            queries = [(row_query, absence_query)]
        else:
            queries = [
                (row_query.where(w.employee_id.in_(chunk)), absence_query.where(a.employee_id.in_(chunk)))
                for chunk in (employees[first : first + 500] for first in range(0, len(employees), 500))
            ]
        wanted = set(employees)
        parts = []
        for query, absences_query in queries:
            parts.append(fetch_columns(self.session, query))
            found = self._absences_from(absences_query)
            absences.update((key, value) for key, value in found.items() if key[1] in wanted)
        if len(parts) == 1:
            return parts[0]
        return [list(chain.from_iterable(part[c] for part in parts)) for c in range(len(parts[0]))]

    def _absences_from(
        self, query: Select[int, str, date, date | None, str]
    ) -> dict[tuple[int, str], tuple[Absence, ...]]:
        a = AbsenceRow
        found: defaultdict[tuple[int, str], list[Absence]] = defaultdict(list)
        imports, employees, starts, ends, kinds = fetch_columns(self.session, query.order_by(a.start_date, a.id))
        absences = map(Absence, map(Period, starts, ends), each_distinct(AbsenceType, kinds))
        for key, absence in zip(zip(imports, employees, strict=True), absences, strict=True):
            found[key].append(absence)
        return {key: tuple(value) for key, value in found.items()}
