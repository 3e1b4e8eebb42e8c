"""The monthly HR import as one use case: read, validate, and store a dated snapshot in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from itertools import pairwise
from pathlib import Path

from ecf.domain.changes import Change, diff_snapshots
from ecf.domain.worker import WorkerRecord
from ecf.progression.calendar import uk
from ecf.services.context import App, collector_paused
from ecf.storage.errors import waiting_for_lock
from ecf.storage.repository import ImportInfo, IssueRecord, NewImport
from importers.asof import as_of_from_name
from importers.issues import Issue
from importers.mapping import MappingProfile, ProfileError, load_profile, map_columns, profile_from_toml
from importers.readers import check_path, read_table
from importers.report import ReportNotSaved, write_report
from importers.validation import ValidatedFile, validate_table
from importers.values import storable

Progress = Callable[[str, int, int], None]
STORE_STEP = 20_000  # rows stored between two progress ticks, at least


class AsOfRequired(Exception):
    """No --as-of and no date in the file name: the interface must ask."""


class Outcome(StrEnum):
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"
    REJECTED = "rejected"
    CONFLICT = "conflict"
    NO_VALID_ROWS = "no_valid_rows"


@dataclass
class ImportResult:
    outcome: Outcome
    path: Path
    as_of: date | None = None
    import_id: int | None = None
    validated: ValidatedFile | None = None
    report: Path | None = None
    previous_as_of: date | None = None
    newer_as_of: date | None = None
    changes: list[Change] = field(default_factory=list)
    existing: ImportInfo | None = None
    replaced: ImportInfo | None = None
    carried_forward: int = 0  # workers whose rejected row left last month's facts in place
    report_problem: str | None = None  # why the error report could not be saved

    @property
    def carried_note(self) -> str:
        if not self.carried_forward:
            return ""
        workers = "worker keeps" if self.carried_forward == 1 else "workers keep"
        return (f"{self.carried_forward} {workers} the facts of {uk(self.previous_as_of)} until their rejected "
                "rows are fixed (not counted as leavers)")  # fmt: skip

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome in (Outcome.IMPORTED, Outcome.ALREADY_IMPORTED) else 1


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    as_of: date | None = None
    profile: str | None = None
    accept_valid: bool = False
    replace: bool = False
    write_report: bool = True


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_profile(app: App, name_or_path: str | None) -> MappingProfile | None:
    """A profile is a TOML file path or the name of one saved with `ecf profile save`."""
    if name_or_path is None:
        return None
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() == ".toml" or path.exists():
        return load_profile(path)
    with app.unit_of_work() as uow:
        content = uow.profiles.get(name_or_path)
    if content is None:
        raise ProfileError(f"no mapping profile file or saved profile called '{name_or_path}' (see: ecf profile list)")
    return profile_from_toml(content, f"saved profile '{name_or_path}'")


def import_file(
    app: App, request: ImportRequest, progress: Progress | None = None, now: datetime | None = None
) -> ImportResult:
    with collector_paused():
        return _import_file(app, request, progress, now)


def _import_file(app: App, request: ImportRequest, progress: Progress | None, now: datetime | None) -> ImportResult:
    path = request.path
    check_path(path)
    sha256 = sha256_of(path)
    with app.unit_of_work() as uow:
        seen = uow.imports.by_sha256(sha256)
    if seen is not None:
        return ImportResult(Outcome.ALREADY_IMPORTED, path, as_of=seen.as_of, existing=seen)
    as_of = request.as_of or as_of_from_name(path.name)
    if as_of is None:
        raise AsOfRequired(f"{path.name}: no date in the file name; give the snapshot date with --as-of DD/MM/YYYY")
    profile = resolve_profile(app, request.profile)
    validated = read_and_validate(path, as_of, profile, progress)
    result = ImportResult(Outcome.IMPORTED, path, as_of=as_of, validated=validated)
    if validated.issues and request.write_report:  # the printed table stops at 40 rows: the rest is here
        try:
            result.report = save_report(path, validated)
        except ReportNotSaved as exc:  # the report is a help, not the import: a full disk does not stop it
            result.report_problem = str(exc)
    if validated.errors and not request.accept_valid:
        result.outcome = Outcome.REJECTED
        return result
    if not validated.records:
        result.outcome = Outcome.NO_VALID_ROWS
        return result
    stamp = now or datetime.now(UTC)
    waiting = (lambda waited, limit: progress("Waiting", int(waited), int(limit))) if progress else None
    waiting_for_lock(lambda: _store(app, request, result, sha256, profile, stamp, progress), waiting)
    return result


def save_report(path: Path, validated: ValidatedFile) -> Path:
    """The row-by-row error report of a file that was checked, beside it (as `import_file` writes it)."""
    return write_report(path, validated.table.sheet, validated.issues, validated.rejected, validated.table.headers)


def read_and_validate(
    path: Path, as_of: date, profile: MappingProfile | None, progress: Progress | None = None
) -> ValidatedFile:
    if progress:  # reading a big file takes seconds before there is a row count: say so
        progress("Reading", 0, path.stat().st_size)
    table = read_table(path, profile.header_lookup() if profile else None, profile.sheet if profile else None)
    where = f"{path.name}" + (f", sheet '{table.sheet}', row {table.header_row}" if table.sheet else "")
    columns = map_columns(table.headers, profile, where)
    total = len(table.rows)
    tick = (lambda done: progress("Validating", done, total)) if progress else None
    return validate_table(table, columns, as_of, profile, tick)


def _store(
    app: App,
    request: ImportRequest,
    result: ImportResult,
    sha256: str,
    profile: MappingProfile | None,
    now: datetime,
    progress: Progress | None,
) -> None:
    validated, as_of = result.validated, result.as_of
    assert validated is not None and as_of is not None
    with app.unit_of_work() as uow:
        existing = uow.imports.active_for(as_of)
        if existing is not None and not request.replace:
            result.outcome, result.existing = Outcome.CONFLICT, existing
            return
        import_id = uow.imports.add(
            NewImport(
                file_name=request.path.name,
                sha256=sha256,
                as_of=as_of,
                imported_at=now,
                sheet=validated.table.sheet,
                header_row=validated.table.header_row,
                profile=profile.name if profile else None,
                rows_total=validated.data_rows,
                rows_accepted=len(validated.records),
                rows_rejected=len(validated.rejected),
                warnings=len(validated.warnings),
                accept_valid=request.accept_valid,
            )
        )
        dates = [d for d in uow.imports.active_dates() if d != as_of]
        result.previous_as_of = max((d for d in dates if d < as_of), default=None)
        result.newer_as_of = min((d for d in dates if d > as_of), default=None)
        previous = uow.snapshots.snapshot(result.previous_as_of) if result.previous_as_of else None
        carried = _carried_forward(validated, previous or {})
        rows = [*validated.records, *carried]
        carried_from = [None] * len(validated.records) + [result.previous_as_of] * len(carried)
        step = max(len(rows) // 20, STORE_STEP)  # in steps, so the progress bar moves while a big month is stored
        for start in range(0, len(rows), step):
            if progress:
                progress("Storing", start, len(rows))
            uow.snapshots.add(import_id, as_of, rows[start : start + step], carried_from[start : start + step])
        result.carried_forward = len(carried)
        uow.imports.add_issues(import_id, (_issue_record(issue) for issue in validated.issues))
        uow.imports.add_rejected(import_id, ((row.row, _storable_cells(row.values)) for row in validated.rejected))
        if existing is not None:
            uow.imports.supersede(existing.id, import_id)
            result.replaced = existing
        uow.commit()
        if progress:
            progress("Storing", len(rows), len(rows))
    result.import_id = import_id
    if previous is not None:
        current: dict[str, WorkerRecord] = {record.employee_id: record for _, record in rows}
        result.changes = diff_snapshots(previous, current, as_of)


def _carried_forward(validated: ValidatedFile, previous: dict[str, WorkerRecord]) -> list[tuple[int, WorkerRecord]]:
    """Workers whose row was rejected but whose ID could be read keep last month's facts in this snapshot: a row HR
    must fix is not a leaver, and counting it as one would inflate turnover. Their rows are kept aside with their
    errors as usual, and a corrected file imported with --replace takes their place."""
    accepted = {record.employee_id for _, record in validated.records}
    carried: dict[str, tuple[int, WorkerRecord]] = {}
    for row in validated.rejected:
        known = previous.get(row.employee_id or "")
        if known is not None and known.employee_id not in accepted:
            carried.setdefault(known.employee_id, (row.row, known))  # a duplicated ID is carried once
    return list(carried.values())


def _issue_record(issue: Issue) -> IssueRecord:
    column = storable(issue.column[:255] if issue.column else issue.column)  # the column holds 255
    message, value = storable(issue.message) or "", storable(issue.value)
    return IssueRecord(issue.row, column, issue.code, issue.severity.value, message, value)


def _storable_cells(cells: dict[str, str]) -> dict[str, str]:
    """A rejected row's cells as JSON any database takes (PostgreSQL's refuses NUL)."""
    if not any("\x00" in key or "\x00" in value for key, value in cells.items()):
        return cells
    return {storable(key) or "": storable(value) or "" for key, value in cells.items()}


def changes_since(app: App, since: date | None = None) -> list[Change]:
    """The changes each snapshot dated on or after `since` showed against the snapshot before it.
    Without `since`: the latest snapshot's changes."""
    with app.unit_of_work() as uow:
        dates = uow.imports.active_dates()
        if since is None:
            if not dates:
                return []
            since = dates[-1]
        changes: list[Change] = []
        for earlier, later in pairwise(dates):
            if later >= since:
                changes.extend(diff_snapshots(uow.snapshots.snapshot(earlier), uow.snapshots.snapshot(later), later))
    return changes


def import_findings(app: App, import_id: int | None = None) -> tuple[ImportInfo, list[IssueRecord]] | None:
    """The findings stored with one import (default: the newest), as the report listed them."""
    with app.unit_of_work() as uow:
        imports = uow.imports.all()
        chosen = (
            next((i for i in imports if i.id == import_id), None)
            if import_id
            else max(imports, key=lambda i: i.id, default=None)
        )
        if chosen is None:
            return None
        return chosen, uow.imports.issues(chosen.id)


def list_imports(app: App) -> list[ImportInfo]:
    with app.unit_of_work() as uow:
        return uow.imports.all()
