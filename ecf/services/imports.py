"""The monthly HR import as one use case: read, validate, and store a dated snapshot in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from itertools import pairwise
from pathlib import Path

from ecf.domain.changes import Change, diff_snapshots
from ecf.domain.worker import WorkerRecord
from ecf.progression.calendar import uk
from ecf.services import audit
from ecf.services.context import App, collector_paused
from ecf.storage.repository import ImportInfo, IssueRecord, NewImport
from ecf.storage.unit_of_work import UnitOfWork
from importers.asof import as_of_from_name
from importers.issues import Issue
from importers.mapping import MappingProfile, ProfileError, load_profile, map_columns, profile_from_toml
from importers.profiles.apply import apply_profile, summarise_absent
from importers.profiles.builtin import BUILTIN_NAMES, builtin_profile
from importers.readers import UnreadableFile, read_table
from importers.report import write_report
from importers.validation import ValidatedFile, validate_table

Progress = Callable[[str, int, int], None]


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
    """A profile is a TOML file path, the name of one saved with `ecf profile save`, or a built-in one's name."""
    if name_or_path is None:
        return None
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() == ".toml" or path.exists():
        return load_profile(path)
    with app.unit_of_work() as uow:
        content = uow.profiles.get(name_or_path)
    if content is not None:
        return profile_from_toml(content, f"saved profile '{name_or_path}'")
    if name_or_path in BUILTIN_NAMES:
        return builtin_profile(name_or_path)
    raise ProfileError(
        f"no mapping profile file, saved profile or built-in profile called '{name_or_path}' "
        f"(built in: {', '.join(BUILTIN_NAMES)}; see: ecf profile list)"
    )


def snapshot_date_of(path: Path) -> date | None:
    """The snapshot date a file states: a census return's reference date, else a date in the file name."""
    if path.suffix.lower() == ".xml":
        from importers.census_xml import reference_date

        return reference_date(path)
    return as_of_from_name(path.name)


def import_file(
    app: App, request: ImportRequest, progress: Progress | None = None, now: datetime | None = None
) -> ImportResult:
    with collector_paused():
        return _import_file(app, request, progress, now)


def _import_file(app: App, request: ImportRequest, progress: Progress | None, now: datetime | None) -> ImportResult:
    path = request.path
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    sha256 = sha256_of(path)
    with app.unit_of_work() as uow:
        seen = uow.imports.by_sha256(sha256)
    if seen is not None:
        return ImportResult(Outcome.ALREADY_IMPORTED, path, as_of=seen.as_of, existing=seen)
    as_of = request.as_of or snapshot_date_of(path)
    if as_of is None:
        raise AsOfRequired(f"{path.name}: no date in the file name; give the snapshot date with --as-of DD/MM/YYYY")
    profile = resolve_profile(app, request.profile)
    validated = read_and_validate(path, as_of, profile, progress)
    result = ImportResult(Outcome.IMPORTED, path, as_of=as_of, validated=validated)
    if validated.issues and request.write_report:  # the printed table stops at 40 rows: the rest is here
        result.report = write_report(
            path, validated.table.sheet, validated.issues, validated.rejected, validated.table.headers
        )
    if validated.errors and not request.accept_valid:
        result.outcome = Outcome.REJECTED
        return result
    if not validated.records:
        result.outcome = Outcome.NO_VALID_ROWS
        return result
    _store(app, request, result, sha256, profile, now or datetime.now(UTC), progress)
    return result


def save_report(path: Path, validated: ValidatedFile) -> Path:
    """The row-by-row error report of a file that was checked, beside it (as `import_file` writes it)."""
    return write_report(path, validated.table.sheet, validated.issues, validated.rejected, validated.table.headers)


def read_and_validate(
    path: Path, as_of: date, profile: MappingProfile | None, progress: Progress | None = None
) -> ValidatedFile:
    if path.suffix.lower() == ".xml":
        from importers.census_xml import read_census

        table, profile = read_census(path), profile or builtin_profile("csww")
    else:
        lookup = profile.header_lookup() if profile else None
        table = read_table(path, lookup, profile.sheet if profile else None, profile.header_row if profile else None)
    where = f"{path.name}" + (f", sheet '{table.sheet}', row {table.header_row}" if table.sheet else "")
    if profile is None:
        columns = map_columns(table.headers, profile, where)
    else:
        table, columns = apply_profile(table, profile, where)
    total = len(table.rows)
    tick = (lambda done: progress("Validating", done, total)) if progress else None
    validated = validate_table(table, columns, as_of, profile, tick)
    if profile is not None:
        summarise_absent(validated, profile)
    return validated


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
        if progress:
            progress("Storing", 0, len(validated.records))
        dates = [d for d in uow.imports.active_dates() if d != as_of]
        result.previous_as_of = max((d for d in dates if d < as_of), default=None)
        result.newer_as_of = min((d for d in dates if d > as_of), default=None)
        _match_by_swe(uow, validated, import_id)
        previous = uow.snapshots.snapshot(result.previous_as_of) if result.previous_as_of else None
        carried = _carried_forward(validated, previous or {})
        rows = [*validated.records, *carried]
        carried_from = [None] * len(validated.records) + [result.previous_as_of] * len(carried)
        uow.snapshots.add(import_id, as_of, rows, carried_from)
        uow.census.add(import_id, validated.census)
        result.carried_forward = len(carried)
        uow.imports.add_issues(import_id, (_issue_record(issue) for issue in validated.issues))
        uow.imports.add_rejected(import_id, ((row.row, row.values) for row in validated.rejected))
        if existing is not None:
            uow.imports.supersede(existing.id, import_id)
            result.replaced = existing
        uow.commit()
        if progress:
            progress("Storing", len(validated.records), len(validated.records))
    result.import_id = import_id
    if previous is not None:
        current: dict[str, WorkerRecord] = {record.employee_id: record for _, record in rows}
        result.changes = diff_snapshots(previous, current, as_of)


def _match_by_swe(uow: UnitOfWork, validated: ValidatedFile, import_id: int) -> None:
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
            audit.record(uow, "import.match_swe", f"import #{import_id}", {"matched": len(known)})
        return
    stored = uow.snapshots.swe_keyed()
    if not stored:
        return
    ids = {r.swe_number: r.employee_id for _, r in records if r.swe_number in stored and r.employee_id != r.swe_number}
    if ids:  # earlier census rows of these workers take this file's IDs
        changed = uow.snapshots.rekey(ids)
        audit.record(uow, "import.match_swe", f"import #{import_id}", {"matched": len(ids), "rows": changed})


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
    return IssueRecord(issue.row, issue.column, issue.code, issue.severity.value, issue.message, issue.value)


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
