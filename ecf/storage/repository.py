"""Repositories: the only code that writes SQL. They take and return domain objects or plain dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ecf.domain.worker import Absence, ContractType, WorkerRecord
from ecf.storage.bulk_writes import BATCH, bulk_insert, fast_insert, insert_columns
from ecf.storage.columns import (
    EMPLOYEE_ID,
    RECORD_COLUMNS,
    each_distinct,
    fetch_columns,
    worker_records,
)
from ecf.storage.latest_pointers import LatestPointers
from ecf.storage.latest_rows import LatestRows
from ecf.storage.models import (
    AbsenceRow,
    AuditEventRow,
    CensusItemRow,
    CouncilRulesRow,
    ImportIssueRow,
    ImportRow,
    MappingProfileRow,
    MilestoneEventRow,
    PersonalDetailRow,
    RejectedRowRecord,
    WorkerLatestRow,
    WorkerSnapshotRow,
)

# Columns copied straight between WorkerRecord and worker_snapshots.
RECORD_FIELDS: tuple[str, ...] = (
    "employee_id", "surname", "forename", "swe_number", "date_qualified", "start_date", "leaving_date",
    "leaving_reason", "fte", "contract_type", "grade", "spinal_point", "team", "line_manager", "role", "caseload",
    "asye_start_date", "asye_status", "asye_review_3m", "asye_review_6m", "asye_review_9m", "asye_review_final",
    "prior_pqe_months", "market_supplement", "allowances",
    # issue #14: tracked programme steps and the apprentice flag
    "support_agreement_date", "ecf_year_two_assessment", "ecf_year_three_review", "ecf_year_four_review",
    "ecf_year_five_assessment", "apprentice",
)  # fmt: skip


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
    kind: str = "import"  # or "correction"
    status: str = "active"  # "superseded", "withdrawn"
    base_id: int | None = None  # a correction's base import
    read_key: str = ""
    seq: int = 0

    @property
    def active(self) -> bool:
        """An import that is its date's snapshot (corrections: one not withdrawn)."""
        return self.status == "active"

    @property
    def is_correction(self) -> bool:
        return self.kind == "correction"


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
    kind: str = "import"
    base_id: int | None = None
    read_key: str = ""


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
        row.rows_accepted, row.rows_rejected, row.warnings, row.accept_valid, row.superseded_by, row.kind, row.status,
        row.base_id, row.read_key, row.seq,
    )  # fmt: skip


_ACTIVE_BASE = (ImportRow.kind == "import") & (ImportRow.status == "active")


def month_imports(session: Session, as_of: date) -> list[int]:
    """The active import for this date and its active corrections, oldest first: the month's state."""
    base = session.scalar(select(ImportRow.id).where(ImportRow.as_of == as_of, _ACTIVE_BASE))
    if base is None:
        return []
    query = select(ImportRow.id).where(ImportRow.base_id == base, ImportRow.status == "active")
    return [base, *session.scalars(query.order_by(ImportRow.id))]


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_sha256(self, sha256: str) -> ImportInfo | None:
        row = self.session.scalars(select(ImportRow).where(ImportRow.sha256 == sha256).order_by(ImportRow.id)).first()
        return _info(row) if row else None

    def by_identity(self, sha256: str, read_key: str) -> ImportInfo | None:
        """The import of this file read this way (the pair is unique in the database)."""
        query = select(ImportRow).where(ImportRow.sha256 == sha256, ImportRow.read_key == read_key)
        row = self.session.scalars(query).first()
        return _info(row) if row else None

    def get(self, import_id: int) -> ImportInfo | None:
        row = self.session.get(ImportRow, import_id)
        return _info(row) if row else None

    def active_for(self, as_of: date) -> ImportInfo | None:
        """The import that is the snapshot for this date (corrections aside)."""
        row = self.session.scalars(select(ImportRow).where(ImportRow.as_of == as_of, _ACTIVE_BASE)).first()
        return _info(row) if row else None

    def for_date(self, as_of: date) -> list[ImportInfo]:
        """Every import and correction dated `as_of`, oldest first."""
        rows = self.session.scalars(select(ImportRow).where(ImportRow.as_of == as_of).order_by(ImportRow.id))
        return [_info(row) for row in rows]

    def all(self) -> list[ImportInfo]:
        rows = self.session.scalars(select(ImportRow).order_by(ImportRow.as_of, ImportRow.id))
        return [_info(row) for row in rows]

    def active_dates(self) -> list[date]:
        query = select(ImportRow.as_of).where(_ACTIVE_BASE).order_by(ImportRow.as_of)
        return list(self.session.scalars(query))

    def add(self, new: NewImport) -> int:
        row = ImportRow(**new.__dict__, status="active", seq=self._next_seq())
        self.session.add(row)
        self.session.flush()
        return row.id

    def set_status(self, import_id: int, status: str, superseded_by: int | None = None) -> None:
        """A new status, numbered after every earlier change (undo falls back to the import superseded last)."""
        values = {"status": status, "superseded_by": superseded_by, "seq": self._next_seq()}
        self.session.execute(update(ImportRow).where(ImportRow.id == import_id).values(**values))

    def supersede(self, old_id: int, new_id: int) -> None:
        self.set_status(old_id, "superseded", new_id)

    def superseded_last_by(self, import_id: int) -> ImportInfo | None:
        """The import `import_id` took the place of most recently, if it is still superseded by it."""
        query = (
            select(ImportRow)
            .where(ImportRow.superseded_by == import_id, ImportRow.status == "superseded")
            .order_by(ImportRow.seq.desc())
        )
        row = self.session.scalars(query).first()
        return _info(row) if row else None

    def _next_seq(self) -> int:
        return (self.session.scalar(select(func.max(ImportRow.seq))) or 0) + 1

    def add_issues(self, import_id: int, issues: Iterable[IssueRecord]) -> None:
        rows = [(import_id, i.row_number, i.column, i.code, i.severity, i.message, i.value) for i in issues]
        columns = ("import_id", "row_number", "column_header", "code", "severity", "message", "value")
        fast_insert(self.session, ImportIssueRow, columns, rows)

    def issues(self, import_id: int) -> list[IssueRecord]:
        query = select(ImportIssueRow).where(ImportIssueRow.import_id == import_id).order_by(ImportIssueRow.id)
        return [
            IssueRecord(r.row_number, r.column_header, r.code, r.severity, r.message, r.value)
            for r in self.session.scalars(query)
        ]

    def add_rejected(self, import_id: int, rows: Iterable[tuple[int, dict[str, str]]]) -> None:
        values = [{"import_id": import_id, "row_number": number, "cells": cells} for number, cells in rows]
        bulk_insert(self.session, RejectedRowRecord, values)

    def rejected_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(RejectedRowRecord)) or 0


class SnapshotRepository(LatestRows, LatestPointers):
    """Worker facts per snapshot. Only active (not superseded) imports count as the snapshot for their date."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        import_id: int,
        as_of: date,
        records: Sequence[tuple[int, WorkerRecord]],
        carried_from: Sequence[date | None] | None = None,
        carried_reason: Sequence[str | None] | None = None,
        in_effect: bool = True,
    ) -> None:
        """Store a snapshot's rows; `carried_from` (one per record) marks facts carried forward from an earlier one,
        and `carried_reason` why. Rows are stored in effect unless told otherwise (refresh_month settles it)."""
        if not records:
            return
        people = [record for _, record in records]
        columns: dict[str, Sequence[Any]] = {
            "import_id": [import_id] * len(people),
            "as_of": [as_of] * len(people),
            "row_number": [row_number for row_number, _ in records],
            "in_effect": [in_effect] * len(people),
        }
        if carried_from is not None:
            columns["carried_from"] = carried_from
        if carried_reason is not None:
            columns["carried_reason"] = carried_reason
        by_field = zip(*map(attrgetter(*RECORD_FIELDS), people), strict=True)  # each record's facts, then transposed
        columns.update(zip(RECORD_FIELDS, by_field, strict=True))
        # employee_id: the primary key's order within one import
        insert_columns(self.session, WorkerSnapshotRow, columns, in_order_of="employee_id")
        absences = [
            (import_id, record.employee_id, a.period.start, a.period.end, a.absence_type.value)
            for _, record in records
            for a in record.absences
        ]
        fast_insert(
            self.session, AbsenceRow, ("import_id", "employee_id", "start_date", "end_date", "absence_type"), absences
        )

    def swe_keyed(self) -> set[str]:
        """The SWE numbers stored as workers' keys (a census return has no other), in any snapshot."""
        row = WorkerSnapshotRow
        found = select(row.employee_id).where(row.employee_id == row.swe_number).distinct()
        return set(self.session.scalars(found))

    def ids_by_swe(self, swe_numbers: Iterable[str]) -> dict[str, str]:
        """The one other employee ID each of these SWE numbers has in stored snapshots (an HR file's payroll number);
        a number seen with two such IDs is left out, as it cannot be matched safely."""
        row = WorkerSnapshotRow
        wanted = list(swe_numbers)
        found: dict[str, set[str]] = {}
        for start in range(0, len(wanted), 500):
            pairs = (
                select(row.swe_number, row.employee_id)
                .where(row.swe_number.in_(wanted[start : start + 500]), row.employee_id != row.swe_number)
                .distinct()
            )
            for swe, employee_id in self.session.execute(pairs):
                if swe is not None:
                    found.setdefault(swe, set()).add(employee_id)
        return {swe: ids.pop() for swe, ids in found.items() if len(ids) == 1}

    def rekey(self, ids: Mapping[str, str]) -> int:
        """Rows keyed by their own SWE number take the worker's employee ID from an HR file; the rows changed."""
        changed = 0
        for swe, employee_id in ids.items():
            result = self.session.execute(
                update(WorkerSnapshotRow)
                .where(WorkerSnapshotRow.employee_id == swe, WorkerSnapshotRow.swe_number == swe)
                .values(employee_id=employee_id)
            )
            changed += result.rowcount  # type: ignore[attr-defined]
            for model in (AbsenceRow, CensusItemRow, PersonalDetailRow):
                self.session.execute(update(model).where(model.employee_id == swe).values(employee_id=employee_id))
        if ids:  # the latest-row pointers follow: one worker now, under the HR file's ID
            moved = self.latest_in_effect(list(ids.values()))
            self.set_pointers({**dict.fromkeys(ids), **{k: moved.get(k) for k in ids.values()}})
        return changed

    def snapshot(self, as_of: date) -> dict[str, WorkerRecord]:
        """Every worker in the snapshot dated `as_of` as it stands: its active import with its corrections."""
        import_ids = self._month_imports(as_of)
        if not import_ids:
            return {}
        w = WorkerSnapshotRow
        query = select(w.import_id, *RECORD_COLUMNS).where(w.import_id.in_(import_ids), w.in_effect)
        rows_of, *columns = fetch_columns(self.session, query)
        absences = self._absences(import_ids)
        keys = zip(rows_of, columns[EMPLOYEE_ID], strict=True)
        records = worker_records(columns, map(absences.get, keys, repeat(())))
        return {record.employee_id: record for record in records}

    def set_in_effect(self, keys: Iterable[tuple[int, str]], value: bool) -> None:
        rows = [(value, import_id, employee_id) for import_id, employee_id in keys]
        if not rows:
            return
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        sql = f"UPDATE worker_snapshots SET in_effect = {mark} WHERE import_id = {mark} AND employee_id = {mark}"
        for start in range(0, len(rows), BATCH):
            connection.exec_driver_sql(sql, rows[start : start + BATCH])

    def carried_from(self, employee_id: str, as_of: date) -> date | None:
        """When a partial import rejected this worker's row for `as_of`: the date of the facts it kept instead."""
        w = WorkerSnapshotRow
        months = self._month_imports(as_of)
        query = select(w.carried_from).where(w.import_id.in_(months), w.employee_id == employee_id, w.in_effect)
        return self.session.scalar(query)

    def carried_reasons(self, as_of: date) -> dict[str, str]:
        """The workers of this month whose facts were carried forward, and why."""
        w = WorkerSnapshotRow
        query = select(w.employee_id, w.carried_reason).where(
            w.import_id.in_(self._month_imports(as_of)), w.in_effect, w.carried_from.is_not(None)
        )
        return {str(e): str(r or "rejected") for e, r in self.session.execute(query)}

    def timeline(self, until: date | None = None) -> list[TimelineRow]:
        """The few facts the workforce indicators need, from every active snapshot (dated on or before `until`),
        oldest first."""
        w = WorkerSnapshotRow
        query = (
            select(w.as_of, w.employee_id, w.start_date, w.leaving_date, w.fte, w.contract_type, w.team, w.caseload)
            .where(w.in_effect)
            .order_by(w.as_of, w.employee_id)
        )
        if until is not None:
            query = query.where(w.as_of <= until)
        # At 60 months of 40,000 workers this is millions of rows: read as columns, each value converted once.
        as_of, worker, start, leaving, fte, contract, team, caseload = fetch_columns(
            self.session, query, shared_text=True
        )
        fte = each_distinct(Decimal, fte)
        contract = each_distinct(ContractType, contract)
        columns = (as_of, worker, start, leaving, fte, contract, team, caseload)
        return list(map(TimelineRow._make, zip(*columns, strict=True)))

    def count_workers(self) -> int:
        """Workers ever seen in a snapshot in effect."""
        return self.session.scalar(select(func.count()).select_from(WorkerLatestRow)) or 0

    def _month_imports(self, as_of: date) -> list[int]:
        return month_imports(self.session, as_of)

    def _absences(self, import_ids: list[int]) -> dict[tuple[int, str], tuple[Absence, ...]]:
        """Absences by (import, employee), each worker's in the order they start (two on the same day: as stored)."""
        a = AbsenceRow
        found: dict[tuple[int, str], tuple[Absence, ...]] = {}
        for first in range(0, len(import_ids), 500):
            query = select(a.import_id, a.employee_id, a.start_date, a.end_date, a.absence_type)
            found.update(self._absences_from(query.where(a.import_id.in_(import_ids[first : first + 500]))))
        return found


class TimelineRow(NamedTuple):
    """A worker's facts in one month, as the indicators read them: a row per worker per month, over a million at 60
    months of a national workforce, so a tuple built by C from the columns read (a frozen dataclass's constructor
    was a fifth of the read)."""

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


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    actor: str | None
    action: str
    subject: str | None
    details: dict[str, Any] | None


class AuditRepository:
    """The audit trail: appended to, never changed."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, at: datetime, actor: str | None, action: str, subject: str | None,
               details: dict[str, Any] | None) -> None:  # fmt: skip
        self._session.add(AuditEventRow(at=at, actor=actor, action=action, subject=subject, details=details))
        self._session.flush()

    def since(self, start: datetime | None = None) -> list[AuditEvent]:
        query = select(AuditEventRow).order_by(AuditEventRow.at, AuditEventRow.id)
        if start is not None:
            query = query.where(AuditEventRow.at >= start)
        return [
            AuditEvent(row.id, row.at, row.actor, row.action, row.subject, row.details)
            for row in self._session.scalars(query)
        ]

    def database_user(self) -> str | None:
        """The connected database role on PostgreSQL (what the server enforces); None elsewhere."""
        if self._session.get_bind().dialect.name != "postgresql":
            return None
        return str(self._session.execute(select(func.current_user())).scalar_one())
