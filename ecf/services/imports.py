"""The monthly HR import as one use case: read, validate, and store a dated snapshot in one transaction."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from ecf.services.context import App, collector_paused
from ecf.services.import_history import changes_since, import_findings, list_imports
from ecf.services.import_result import AsOfRequired, ImportRequest, ImportResult, Outcome, Progress
from ecf.services.storing import seen_result, store
from ecf.storage.errors import waiting_for_lock
from ecf.storage.repository import NewImport
from importers.asof import as_of_from_name
from importers.date_order import DateOrder
from importers.mapping import MappingProfile, ProfileError, load_profile, map_columns, profile_from_toml
from importers.profiles.apply import apply_profile, summarise_absent
from importers.profiles.builtin import BUILTIN_NAMES, builtin_profile
from importers.readers import check_path, read_table
from importers.report import ReportNotSaved, write_report
from importers.validation import ValidatedFile, validate_table

ROWS_TO_FIX = "Rows to fix"  # the error report's sheet of rejected rows (importers.report)
__all__ = [
    "AsOfRequired", "ImportRequest", "ImportResult", "Outcome", "Progress", "changes_since", "import_file",
    "import_findings", "list_imports",
]  # fmt: skip


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


def read_key(profile: MappingProfile | None, dates: DateOrder) -> str:
    """What besides the file's bytes decides what is stored: the mapping profile (its content, not its name) and a
    date order chosen by hand. Empty for the plain reading, so imports stored before it keep their identity."""
    if profile is None and dates is DateOrder.AUTO:
        return ""
    text = (profile.to_toml() if profile else "") + f"\ndates={dates.value}"
    return hashlib.sha256(text.encode()).hexdigest()


def seen_before(app: App, path: Path, sha256: str, key: str) -> ImportResult | None:
    """This file, read this way, is stored already: nothing to do if it is in effect, else say how to restore it."""
    with app.unit_of_work() as uow:
        seen = uow.imports.by_identity(sha256, key)
        return seen_result(uow, ImportResult(Outcome.ALREADY_IMPORTED, path), seen) if seen is not None else None


def _import_file(app: App, request: ImportRequest, progress: Progress | None, now: datetime | None) -> ImportResult:
    path = request.path
    check_path(path)
    sha256 = sha256_of(path)
    profile = resolve_profile(app, request.profile)
    key = read_key(profile, request.dates)
    seen = seen_before(app, path, sha256, key)
    if seen is not None:
        return seen
    as_of = request.as_of or snapshot_date_of(path)
    if as_of is None:
        raise AsOfRequired(f"{path.name}: no date in the file name; give the snapshot date with --as-of DD/MM/YYYY")
    validated = read_and_validate(path, as_of, profile, progress, request.dates)
    result = ImportResult(Outcome.IMPORTED, path, as_of=as_of, validated=validated, correction=request.correct)
    if validated.table.sheet == ROWS_TO_FIX and not request.correct:
        result.outcome = Outcome.NEEDS_CORRECT
        return result
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
    header = _new_import(request, validated, as_of, sha256, key, profile, now or datetime.now(UTC))
    waiting = (lambda waited, limit: progress("Waiting", int(waited), int(limit))) if progress else None
    try:
        waiting_for_lock(lambda: store(app, request, result, header, progress), waiting)
    except IntegrityError:
        # The database's constraints caught what the lock should have kept out (one active import per date, each
        # file once): say what is there now.
        return seen_before(app, path, sha256, key) or _conflict(app, result)
    return result


def _conflict(app: App, result: ImportResult) -> ImportResult:
    assert result.as_of is not None
    with app.unit_of_work() as uow:
        result.existing = uow.imports.active_for(result.as_of)
    result.outcome = Outcome.CONFLICT
    return result


def _new_import(
    request: ImportRequest, validated: ValidatedFile, as_of: date, sha256: str, key: str,
    profile: MappingProfile | None, now: datetime,
) -> NewImport:  # fmt: skip
    return NewImport(
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
        kind="correction" if request.correct else "import",
        read_key=key,
    )


def save_report(path: Path, validated: ValidatedFile) -> Path:
    """The row-by-row error report of a file that was checked, beside it (as `import_file` writes it)."""
    return write_report(path, validated.table.sheet, validated.issues, validated.rejected, validated.table.headers)


def read_and_validate(
    path: Path,
    as_of: date,
    profile: MappingProfile | None,
    progress: Progress | None = None,
    dates: DateOrder = DateOrder.AUTO,
) -> ValidatedFile:
    if progress:  # reading a big file takes seconds before there is a row count: say so
        progress("Reading", 0, path.stat().st_size)
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
    validated = validate_table(table, columns, as_of, profile, tick, dates)
    if profile is not None:
        summarise_absent(validated, profile)
    return validated
