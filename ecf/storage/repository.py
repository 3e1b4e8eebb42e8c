"""Repositories: the only code that writes SQL. They take and return domain objects or plain dataclasses."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.storage.models import (
    AbsenceRow,
    CouncilRulesRow,
    ImportIssueRow,
    ImportRow,
    MappingProfileRow,
    MilestoneEventRow,
    RejectedRowRecord,
    WorkerSnapshotRow,
)

# Columns copied straight between WorkerRecord and worker_snapshots.
RECORD_FIELDS: tuple[str, ...] = (
    "employee_id", "surname", "forename", "swe_number", "date_qualified", "start_date", "leaving_date",
    "leaving_reason", "fte", "contract_type", "grade", "spinal_point", "team", "line_manager", "role", "caseload",
    "asye_start_date", "asye_status", "asye_review_3m", "asye_review_6m", "asye_review_9m", "asye_review_final",
    "prior_pqe_months", "market_supplement", "allowances",
)  # fmt: skip
BATCH = 5000


@dataclass(frozen=True)
class ImportInfo:
    id: int
    file_name: str
    sha256: str
    as_of: date
    imported_at: datetime
    sheet: str | None
    profile: str | None
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    warnings: int
    accept_valid: bool
    superseded_by: int | None

    @property
    def active(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class NewImport:
    file_name: str
    sha256: str
    as_of: date
    imported_at: datetime
    sheet: str | None
    header_row: int
    profile: str | None
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    warnings: int
    accept_valid: bool


@dataclass(frozen=True)
class IssueRecord:
    row_number: int | None
    column: str | None
    code: str
    severity: str
    message: str
    value: str | None


def _info(row: ImportRow) -> ImportInfo:
    return ImportInfo(
        row.id, row.file_name, row.sha256, row.as_of, row.imported_at, row.sheet, row.profile, row.rows_total,
        row.rows_accepted, row.rows_rejected, row.warnings, row.accept_valid, row.superseded_by,
    )  # fmt: skip


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_sha256(self, sha256: str) -> ImportInfo | None:
        row = self.session.scalars(select(ImportRow).where(ImportRow.sha256 == sha256).order_by(ImportRow.id)).first()
        return _info(row) if row else None

    def active_for(self, as_of: date) -> ImportInfo | None:
        query = select(ImportRow).where(ImportRow.as_of == as_of, ImportRow.superseded_by.is_(None))
        row = self.session.scalars(query).first()
        return _info(row) if row else None

    def all(self) -> list[ImportInfo]:
        rows = self.session.scalars(select(ImportRow).order_by(ImportRow.as_of, ImportRow.id))
        return [_info(row) for row in rows]

    def active_dates(self) -> list[date]:
        query = select(ImportRow.as_of).where(ImportRow.superseded_by.is_(None)).order_by(ImportRow.as_of)
        return list(self.session.scalars(query))

    def add(self, new: NewImport) -> int:
        row = ImportRow(**new.__dict__)
        self.session.add(row)
        self.session.flush()
        return row.id

    def supersede(self, old_id: int, new_id: int) -> None:
        self.session.execute(update(ImportRow).where(ImportRow.id == old_id).values(superseded_by=new_id))

    def add_issues(self, import_id: int, issues: Iterable[IssueRecord]) -> None:
        rows = [(import_id, i.row_number, i.column, i.code, i.severity, i.message, i.value) for i in issues]
        columns = ("import_id", "row_number", "column_header", "code", "severity", "message", "value")
        _fast_insert(self.session, ImportIssueRow, columns, rows)

    def issues(self, import_id: int) -> list[IssueRecord]:
        query = select(ImportIssueRow).where(ImportIssueRow.import_id == import_id).order_by(ImportIssueRow.id)
        return [
            IssueRecord(r.row_number, r.column_header, r.code, r.severity, r.message, r.value)
            for r in self.session.scalars(query)
        ]

    def add_rejected(self, import_id: int, rows: Iterable[tuple[int, dict[str, str]]]) -> None:
        values = [{"import_id": import_id, "row_number": number, "cells": cells} for number, cells in rows]
        _bulk_insert(self.session, RejectedRowRecord, values)

    def rejected_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(RejectedRowRecord)) or 0


class SnapshotRepository:
    """Worker facts per snapshot. Only active (not superseded) imports count as the snapshot for their date."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        import_id: int,
        as_of: date,
        records: Sequence[tuple[int, WorkerRecord]],
        carried_from: Sequence[date | None] | None = None,
    ) -> None:
        """Store a snapshot's rows; `carried_from` (one per record) marks facts carried forward from an earlier one."""
        if not records:
            return
        people = [record for _, record in records]
        columns: dict[str, Sequence[Any]] = {
            "import_id": [import_id] * len(people),
            "as_of": [as_of] * len(people),
            "row_number": [row_number for row_number, _ in records],
        }
        if carried_from is not None:
            columns["carried_from"] = carried_from
        by_field = zip(*map(attrgetter(*RECORD_FIELDS), people), strict=True)  # each record's facts, then transposed
        columns.update(zip(RECORD_FIELDS, by_field, strict=True))
        # employee_id: the primary key's order within one import
        _insert_columns(self.session, WorkerSnapshotRow, columns, in_order_of="employee_id")
        absences = [
            (import_id, record.employee_id, a.period.start, a.period.end, a.absence_type.value)
            for _, record in records
            for a in record.absences
        ]
        _fast_insert(
            self.session, AbsenceRow, ("import_id", "employee_id", "start_date", "end_date", "absence_type"), absences
        )

    def snapshot(self, as_of: date) -> dict[str, WorkerRecord]:
        """Every worker in the active snapshot dated `as_of`, by employee ID."""
        import_id = self._active_import(as_of)
        if import_id is None:
            return {}
        columns = [getattr(WorkerSnapshotRow, name) for name in RECORD_FIELDS]
        rows = self.session.execute(select(*columns).where(WorkerSnapshotRow.import_id == import_id)).all()
        absences = self._absences([import_id])
        return {row.employee_id: _record(row._mapping, absences.get((import_id, row.employee_id), ())) for row in rows}

    def latest_records(self, employee_id: str | None = None) -> list[tuple[date, WorkerRecord]]:
        """Each worker's most recent row across active snapshots (or one worker's), with its as-of date."""
        active = select(ImportRow.id).where(ImportRow.superseded_by.is_(None))
        w = WorkerSnapshotRow
        latest_query = select(w.employee_id, func.max(w.as_of).label("as_of")).where(w.import_id.in_(active))
        if employee_id is not None:
            latest_query = latest_query.where(w.employee_id == employee_id)
        latest = latest_query.group_by(w.employee_id).subquery()
        columns = [getattr(w, name) for name in RECORD_FIELDS]
        query = (
            select(w.as_of, w.import_id, *columns)
            .join(latest, (latest.c.employee_id == w.employee_id) & (latest.c.as_of == w.as_of))
            .where(w.import_id.in_(active))
            .order_by(w.employee_id)
        )
        rows = self.session.execute(query).all()
        absences = self._absences(sorted({row.import_id for row in rows}), employee_id)
        # Each row takes the absences reported with it: the same absence is repeated in every monthly sheet.
        return [(row.as_of, _record(row._mapping, absences.get((row.import_id, row.employee_id), ()))) for row in rows]

    def spells(self, employee_id: str | None = None) -> dict[str, list[Period]]:
        """Each worker's spells of employment here, as the snapshots show them: one per start date, with the latest
        leaving date seen for it. A leaver who comes back under the same ID has two."""
        active = select(ImportRow.id).where(ImportRow.superseded_by.is_(None))
        w = WorkerSnapshotRow
        query = (
            select(w.employee_id, w.start_date, func.max(w.leaving_date))
            .where(w.import_id.in_(active))
            .group_by(w.employee_id, w.start_date)
        )
        if employee_id is not None:
            query = query.where(w.employee_id == employee_id)
        found: dict[str, list[Period]] = defaultdict(list)
        for employee_id, start, leaving in self.session.execute(query):
            found[employee_id].append(Period(start, leaving if leaving is None or leaving >= start else start))
        return found

    def timeline(self) -> list[TimelineRow]:
        """The few facts the workforce indicators need, from every active snapshot, oldest first."""
        active = select(ImportRow.id).where(ImportRow.superseded_by.is_(None))
        w = WorkerSnapshotRow
        query = (
            select(w.as_of, w.employee_id, w.start_date, w.leaving_date, w.fte, w.contract_type, w.team, w.caseload)
            .where(w.import_id.in_(active))
            .order_by(w.as_of, w.employee_id)
        )
        return [
            TimelineRow(r[0], r[1], r[2], r[3], Decimal(r[4]), ContractType(r[5]), r[6], r[7])
            for r in self.session.execute(query)
        ]

    def count_workers(self) -> int:
        query = select(func.count(func.distinct(WorkerSnapshotRow.employee_id)))
        return self.session.scalar(query) or 0

    def _active_import(self, as_of: date) -> int | None:
        query = select(ImportRow.id).where(ImportRow.as_of == as_of, ImportRow.superseded_by.is_(None))
        return self.session.scalar(query)

    def _absences(
        self, import_ids: list[int], employee_id: str | None = None
    ) -> dict[tuple[int, str], tuple[Absence, ...]]:
        """Absences by (import, employee)."""
        found: dict[tuple[int, str], list[Absence]] = defaultdict(list)
        for start in range(0, len(import_ids), 500):
            query = select(AbsenceRow).where(AbsenceRow.import_id.in_(import_ids[start : start + 500]))
            if employee_id is not None:
                query = query.where(AbsenceRow.employee_id == employee_id)
            for row in self.session.scalars(query.order_by(AbsenceRow.start_date)):
                found[(row.import_id, row.employee_id)].append(
                    Absence(Period(row.start_date, row.end_date), AbsenceType(row.absence_type))
                )
        return {key: tuple(value) for key, value in found.items()}


@dataclass(frozen=True, slots=True)
class TimelineRow:
    as_of: date
    employee_id: str
    start_date: date
    leaving_date: date | None
    fte: Decimal
    contract_type: ContractType
    team: str | None
    caseload: int | None


@dataclass(frozen=True)
class MilestoneEvent:
    id: int
    employee_id: str
    framework: str
    milestone: str
    completed_on: date | None
    outcome: str | None
    note: str | None
    recorded_at: datetime
    recorded_by: str | None


class EventRepository:
    """Milestones recorded by people. Append-only: a correction or withdrawal is a newer event."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        employee_id: str,
        framework: str,
        milestone: str,
        completed_on: date | None,
        outcome: str | None,
        note: str | None,
        recorded_at: datetime,
        recorded_by: str | None,
    ) -> int:
        row = MilestoneEventRow(
            employee_id=employee_id, framework=framework, milestone=milestone, completed_on=completed_on,
            outcome=outcome, note=note, recorded_at=recorded_at, recorded_by=recorded_by,
        )  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row.id

    def history(self, employee_id: str | None = None) -> list[MilestoneEvent]:
        query = select(MilestoneEventRow).order_by(MilestoneEventRow.id)
        if employee_id is not None:
            query = query.where(MilestoneEventRow.employee_id == employee_id)
        return [_event(row) for row in self.session.scalars(query)]

    def current(self, employee_id: str | None = None) -> list[MilestoneEvent]:
        """The latest event for each worker's milestone, leaving out withdrawn ones."""
        latest: dict[tuple[str, str, str], MilestoneEvent] = {}
        for event in self.history(employee_id):
            latest[(event.employee_id, event.framework, event.milestone)] = event
        return [event for event in latest.values() if event.completed_on is not None]


def _event(row: MilestoneEventRow) -> MilestoneEvent:
    return MilestoneEvent(
        row.id, row.employee_id, row.framework, row.milestone, row.completed_on, row.outcome, row.note,
        row.recorded_at, row.recorded_by,
    )  # fmt: skip


@dataclass(frozen=True)
class SavedRules:
    file_name: str
    content: str | None
    saved_at: datetime


class RulesRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self) -> SavedRules | None:
        row = self.session.scalars(select(CouncilRulesRow).order_by(CouncilRulesRow.id.desc())).first()
        if row is None or row.content is None:
            return None
        return SavedRules(row.file_name, row.content, row.saved_at)

    def save(self, file_name: str, content: str | None, saved_at: datetime) -> None:
        self.session.add(CouncilRulesRow(file_name=file_name, content=content, saved_at=saved_at))

    def history(self) -> list[SavedRules]:
        rows = self.session.scalars(select(CouncilRulesRow).order_by(CouncilRulesRow.id))
        return [SavedRules(row.file_name, row.content, row.saved_at) for row in rows]


class ProfileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, name: str) -> str | None:
        row = self.session.get(MappingProfileRow, name)
        return row.content if row else None

    def save(self, name: str, content: str, saved_at: datetime) -> None:
        row = self.session.get(MappingProfileRow, name)
        if row is None:
            self.session.add(MappingProfileRow(name=name, content=content, saved_at=saved_at))
        else:
            row.content, row.saved_at = content, saved_at

    def all(self) -> list[tuple[str, datetime]]:
        rows = self.session.scalars(select(MappingProfileRow).order_by(MappingProfileRow.name))
        return [(row.name, row.saved_at) for row in rows]


def _record(row: Any, absences: tuple[Absence, ...]) -> WorkerRecord:
    values = {name: row[name] for name in RECORD_FIELDS}
    values["contract_type"] = ContractType(values["contract_type"])
    values["asye_status"] = AsyeStatus(values["asye_status"]) if values["asye_status"] else None
    return WorkerRecord(**values, absences=absences)


def _bulk_insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Core executemany in batches: ~8x faster than ORM add_all for the monthly 40k-row file."""
    table = model.__table__
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def _insert_columns(
    session: Session, model: type[Any], columns: dict[str, Sequence[Any]], in_order_of: str | None = None
) -> None:
    """Insert rows given column by column, with no per-row Python work beyond regrouping.

    Rows are grouped by which nullable columns they leave empty, and each group is inserted without those columns
    (NULL is their default): binding None costs sqlite3 an adapter lookup per cell, and most optional columns of a
    month's rows are empty. Rows in the order of the primary key (`in_order_of`) fill the table's indexes page by
    page.
    """
    names = list(columns)
    values = list(columns.values())
    if session.get_bind().dialect.name == "sqlite":
        values = [_adapted_for_sqlite(column) for column in values]
    nullable = [i for i, name in enumerate(names) if model.__table__.c[name].nullable]
    rows = list(zip(*values, strict=True))
    has_value = [map(is_not, values[i], repeat(None)) for i in nullable]
    filled_by_row = list(zip(*has_value, strict=True)) if nullable else [()] * len(rows)
    groups: defaultdict[tuple[bool, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for filled, row in zip(filled_by_row, rows, strict=True):
        groups[filled].append(row)
    for filled, group in groups.items():
        empty = {i for i, is_filled in zip(nullable, filled, strict=True) if not is_filled}
        kept = [i for i in range(len(names)) if i not in empty]  # at least two: the primary key is not nullable
        if in_order_of is not None:
            group.sort(key=itemgetter(names.index(in_order_of)))
        _fast_insert(session, model, [names[i] for i in kept], list(map(itemgetter(*kept), group)))


_PLAIN_TYPES = (str, int, float, bytes)


def _adapted_for_sqlite(column: Sequence[Any]) -> Sequence[Any]:
    """The column as sqlite3 would bind it, adapted once per distinct value instead of once per cell (binding a date,
    a Decimal or a StrEnum costs sqlite3 an adapter lookup). Values that compare equal share one adapted value, which
    the column's type stores alike (Decimal 1 and 1.0000 are both NUMERIC 1). A column that starts with plain values is
    left as it is."""
    first = next((value for value in column if value is not None), None)
    if first is None or type(first) in _PLAIN_TYPES:
        return column
    distinct = set(column) - {None}
    plain: dict[Any, Any] = {None: None}
    for kind in {type(value) for value in distinct}:  # one, in practice
        of_kind = [value for value in distinct if type(value) is kind]
        plain.update(zip(of_kind, map(_sqlite_adapter(kind), of_kind), strict=True))
    return list(map(plain.__getitem__, column))


def _sqlite_adapter(kind: type) -> Callable[[Any], Any]:
    """What sqlite3 does to bind a value of this type: the adapter registered for it (dates and Decimals, in
    ecf.storage.database), text for a StrEnum, nothing for the rest."""
    adapter = sqlite3.adapters.get((kind, sqlite3.PrepareProtocol))
    if adapter is not None:
        return adapter
    return str if issubclass(kind, str) else _as_is


def _as_is(value: Any) -> Any:
    return value


def _fast_insert(session: Session, model: type[Any], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """The driver's own executemany inside the session's transaction, for the big tables of plain values.

    SQLAlchemy's per-row parameter processing costs more than the insert itself at 40k rows; dates, Decimals and
    StrEnums bind natively (psycopg) or through the adapters registered in ecf.storage.database (sqlite3).
    """
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(model.__tablename__)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    for start in range(0, len(rows), BATCH):
        connection.exec_driver_sql(sql, rows[start : start + BATCH])
