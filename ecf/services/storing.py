"""Storing a checked file, under the database's lock for changes to the snapshots: a month's import (new, or
replacing the one stored) or a correction of it. Every decision that depends on what is stored (already imported, a
conflict, the shrinking-month guard, who a rejected row stands for) is made inside that lock, in the transaction that
stores the result."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date
from decimal import Decimal

from ecf.domain.changes import diff_snapshots
from ecf.domain.matching import RowClues, carry_rejected, shrinkage
from ecf.domain.months import missing_months
from ecf.domain.worker import WorkerRecord
from ecf.services import audit
from ecf.services.context import App
from ecf.services.import_result import ImportRequest, ImportResult, Outcome, Progress
from ecf.services.months import refresh_month
from ecf.storage.repository import ImportInfo, IssueRecord, NewImport
from ecf.storage.unit_of_work import UnitOfWork
from importers.issues import Issue
from importers.parsing import CellError, parse_date
from importers.validation import ValidatedFile
from importers.values import storable

STORE_STEP = 20_000  # rows stored between two progress ticks, at least


def seen_result(uow: UnitOfWork, result: ImportResult, seen: ImportInfo) -> ImportResult:
    """This file, read this way, is stored: nothing to do while it is in effect, else it can be restored."""
    base = uow.imports.get(seen.base_id) if seen.base_id else None
    in_effect = seen.active and (base is None or base.active)
    result.outcome = Outcome.ALREADY_IMPORTED if in_effect else Outcome.NOT_ACTIVE
    result.existing, result.as_of = seen, seen.as_of
    return result


def max_vanished_share(app: App) -> Decimal:
    from ecf.services.progression import rulebook  # the rules engine only when a file is stored

    return rulebook(app).council.max_vanished_share


def store(app: App, request: ImportRequest, result: ImportResult, header: NewImport, progress: Progress | None) -> None:
    share = max_vanished_share(app) if not request.correct else Decimal(1)
    validated = result.validated
    assert validated is not None
    with app.unit_of_work(write=True) as uow:
        seen = uow.imports.by_identity(header.sha256, header.read_key)
        if seen is not None:
            seen_result(uow, result, seen)
            return
        if progress:
            progress("Storing", 0, len(validated.records))
        if request.correct:
            _store_correction(uow, result, validated, header)
        else:
            _store_month(uow, request, result, validated, header, share, progress)
        if result.outcome is not Outcome.IMPORTED:
            return
        assert result.import_id is not None
        audit.record(uow, header.kind, f"import {result.import_id}", _audit_details(result, header))
        result.missing_months = missing_months(uow.imports.active_dates())
        uow.commit()
        if progress:
            progress("Storing", len(validated.records), len(validated.records))


def _audit_details(result: ImportResult, header: NewImport) -> dict[str, object]:
    details: dict[str, object] = {
        "file": header.file_name, "sha256": header.sha256, "as_of": header.as_of.isoformat(),
        "rows_accepted": header.rows_accepted, "rows_rejected": header.rows_rejected,
    }  # fmt: skip
    if result.replaced is not None:
        details["replaced"] = result.replaced.id
    if result.correction and result.existing is not None:
        details.update(corrects=result.existing.id, workers_replaced=result.corrected)
    if result.carried_forward:
        details["carried_forward"] = result.carried_forward
    return details


def _store_month(
    uow: UnitOfWork, request: ImportRequest, result: ImportResult, validated: ValidatedFile, header: NewImport,
    share: Decimal, progress: Progress | None = None,
) -> None:  # fmt: skip
    as_of = header.as_of
    existing = uow.imports.active_for(as_of)
    if existing is not None and not request.replace:
        result.outcome, result.existing = Outcome.CONFLICT, existing
        return
    match_by_swe(uow, validated, f"snapshot {as_of.isoformat()}")
    dates = [d for d in uow.imports.active_dates() if d != as_of]
    result.previous_as_of = max((d for d in dates if d < as_of), default=None)
    result.newer_as_of = min((d for d in dates if d > as_of), default=None)
    previous = uow.snapshots.snapshot(result.previous_as_of) if result.previous_as_of else {}
    accepted = {record.employee_id for _, record in validated.records}
    carried = carry_rejected(rejected_clues(validated), previous, accepted)
    present = accepted | carried.workers.keys()
    checks = [shrinkage(previous, result.previous_as_of, present)] if result.previous_as_of else []
    if existing is not None:
        checks.append(shrinkage(uow.snapshots.snapshot(as_of), as_of, present))
    refused = next((check for check in checks if check.exceeds(share)), None)
    if refused is not None and not request.allow_drop:
        result.outcome, result.shrinkage, result.max_share = Outcome.TOO_MANY_VANISH, refused, share
        return
    possible: tuple[str, ...] = ()
    if carried.unmatched_rows and checks:
        possible = tuple(e for e in checks[0].vanished if e not in present)
    rows, carried_from, reasons = _month_rows(validated, previous, carried.by_id, carried.matched, possible)
    if existing is not None:
        uow.imports.set_status(existing.id, "superseded")  # first: the database allows one active import a date
    import_id = uow.imports.add(header)
    if existing is not None:
        uow.imports.supersede(existing.id, import_id)
        result.replaced = existing
    carried_on = [result.previous_as_of if c else None for c in carried_from]
    step = max(len(rows) // 20, STORE_STEP)  # in steps, so the progress bar moves while a big month is stored
    for start in range(0, len(rows), step):
        if progress:
            progress("Storing", start, len(rows))
        part = slice(start, start + step)
        uow.snapshots.add(import_id, as_of, rows[part], carried_on[part], reasons[part])
    uow.census.add(import_id, validated.census)
    _store_findings(uow, import_id, validated)
    refresh_month(uow, as_of, fresh=import_id)
    result.import_id = import_id
    result.carried_forward = len(carried.by_id) + len(carried.matched)
    result.possibly_rejected = len(possible)
    if previous:
        result.changes = diff_snapshots(previous, {record.employee_id: record for _, record in rows}, as_of)


def _month_rows(
    validated: ValidatedFile, previous: dict[str, WorkerRecord], by_id: dict[str, int], matched: dict[str, int],
    possible: tuple[str, ...],
) -> tuple[list[tuple[int, WorkerRecord]], list[bool], list[str | None]]:  # fmt: skip
    """The file's valid rows, then last month's facts for the workers kept: whose row was rejected (by ID, or matched
    by SWE number or name), and those possibly in a rejected row (row number 0: no row of the file is theirs)."""
    rows = list(validated.records)
    reasons: list[str | None] = [None] * len(rows)
    for kept, reason in ((by_id, "rejected"), (matched, "matched")):
        for employee_id, row in kept.items():
            rows.append((row, previous[employee_id]))
            reasons.append(reason)
    for employee_id in possible:
        rows.append((0, previous[employee_id]))
        reasons.append("possible")
    return rows, [reason is not None for reason in reasons], reasons


def _store_correction(uow: UnitOfWork, result: ImportResult, validated: ValidatedFile, header: NewImport) -> None:
    """Each row of the file replaces its worker's row in the month; no one else changes, and no one leaves."""
    base = uow.imports.active_for(header.as_of)
    if base is None:
        result.outcome = Outcome.NOTHING_TO_CORRECT
        return
    match_by_swe(uow, validated, f"snapshot {header.as_of.isoformat()}")
    before = uow.snapshots.snapshot(header.as_of)
    import_id = uow.imports.add(dataclasses.replace(header, base_id=base.id))
    uow.snapshots.add(import_id, header.as_of, validated.records)
    uow.census.add(import_id, validated.census)
    _store_findings(uow, import_id, validated)
    refresh_month(uow, header.as_of, fresh=import_id)
    after = dict(before)
    after.update((record.employee_id, record) for _, record in validated.records)
    result.import_id, result.existing, result.previous_as_of = import_id, base, header.as_of
    result.corrected = sum(1 for _, record in validated.records if record.employee_id in before)
    result.changes = diff_snapshots(before, after, header.as_of)


def _store_findings(uow: UnitOfWork, import_id: int, validated: ValidatedFile) -> None:
    uow.imports.add_issues(import_id, (_issue_record(issue) for issue in validated.issues))
    uow.imports.add_rejected(import_id, ((row.row, _storable_cells(row.values)) for row in validated.rejected))


def _issue_record(issue: Issue) -> IssueRecord:
    column = storable(issue.column[:255] if issue.column else issue.column)  # the column holds 255
    message, value = storable(issue.message) or "", storable(issue.value)
    return IssueRecord(issue.row, column, issue.code, issue.severity.value, message, value)


def _storable_cells(cells: dict[str, str]) -> dict[str, str]:
    """A rejected row's cells as JSON any database takes (PostgreSQL's refuses NUL)."""
    if not any("\x00" in key or "\x00" in value for key, value in cells.items()):
        return cells
    return {storable(key) or "": storable(value) or "" for key, value in cells.items()}


def rejected_clues(validated: ValidatedFile) -> list[RowClues]:
    """What each rejected row still says about whose it is, read leniently from its cells as HR typed them."""
    headers = validated.columns.headers

    def text(values: dict[str, str], name: str) -> str | None:
        value = values.get(headers.get(name, ""), "").strip()
        return value or None

    def day(values: dict[str, str]) -> date | None:
        raw = text(values, "date_qualified")
        try:
            return parse_date(raw, headers.get("date_qualified") in validated.month_first) if raw else None
        except CellError:
            return None

    return [
        RowClues(
            row.row,
            row.employee_id,
            any(issue.code == "duplicate-employee-id" for issue in row.issues),
            text(row.values, "swe_number"),
            text(row.values, "surname"),
            text(row.values, "forename"),
            day(row.values),
        )
        for row in validated.rejected
    ]


def match_by_swe(uow: UnitOfWork, validated: ValidatedFile, subject: str) -> None:
    """A census return keys workers by SWE number, an HR file by its own ID: the two are matched by SWE number, so
    one worker's history stays one. Rows keyed by an SWE number that an HR file knows take that file's ID (both when
    the census comes first and when it comes after)."""
    records = validated.records
    keyed = {r.swe_number for _, r in records if r.swe_number and r.employee_id == r.swe_number}
    if keyed:  # this file is keyed by SWE number: take the IDs HR files gave these workers
        known = uow.snapshots.ids_by_swe(keyed)
        if known:
            validated.records = [
                (row, replace(r, employee_id=known[r.employee_id]) if r.employee_id in known else r)
                for row, r in records
            ]
            audit.record(uow, "import.match_swe", subject, {"matched": len(known)})
        return
    stored = uow.snapshots.swe_keyed()
    if not stored:
        return
    ids = {r.swe_number: r.employee_id for _, r in records if r.swe_number in stored and r.employee_id != r.swe_number}
    if ids:  # earlier census rows of these workers take this file's IDs
        changed = uow.snapshots.rekey(ids)
        audit.record(uow, "import.match_swe", subject, {"matched": len(ids), "rows": changed})
