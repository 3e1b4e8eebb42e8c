"""The census return as use cases: build it from the stored snapshots, check its readiness, write the XML and the
"to complete" csv, and compare the published figures with the year before. The CLI and the terminal UI both call
these."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from importlib import resources
from pathlib import Path

from ecf.census.build import CensusReturn, LaLevel, Spell, SpellsSeen, build_return
from ecf.census.checks import Readiness, readiness
from ecf.census.figures import (
    Comparison,
    Figures,
    compare,
    figures_from_indicators,
    figures_from_return,
    figures_from_xml,
    reference_date_of,
)
from ecf.census.items import CensusItems
from ecf.census.spec import CensusSpec, available_years, census_year_for, load_spec
from ecf.census.xml import return_xml, validation_errors
from ecf.domain.period import Period
from ecf.domain.worker import WorkerRecord
from ecf.progression.engine import Engine
from ecf.progression.facts import RecordedCompletion, WorkerFacts
from ecf.progression.indicators import indicators
from ecf.progression.rules import RuleBook
from ecf.services import audit
from ecf.services.context import App
from ecf.services.progression import recorded_by_worker, rulebook
from ecf.storage.repository import TimelineRow
from importers.fields import FIELDS_BY_NAME, MAX_EXTRA_ABSENCES

NO_ESTABLISHMENT = "no establishment, so no NumberOfVacancies: give [council.establishment_fte] by team"


class CensusError(ValueError):
    """The return cannot be written (the message says why); nothing was written."""


@dataclass(frozen=True)
class CensusBuild:
    census: CensusReturn
    readiness: Readiness
    figures: Figures
    indicator_figures: Figures | None  # `ecf indicators` on the reference date, for the same year
    previous: Figures | None
    records: dict[str, WorkerRecord]  # each worker's newest row in the return (for the "to complete" csv)

    @property
    def comparison(self) -> list[Comparison]:
        return compare(self.figures, self.previous)


def build_census(
    app: App,
    year: int,
    *,
    la_code: str | None = None,
    rules_file: Path | None = None,
    previous_return: Path | None = None,
) -> CensusBuild:
    """The return for the census year ending 30 September `year`, from the active snapshots."""
    spec = load_spec(year)
    book = rulebook(app, rules_file)
    ref = spec.reference_date
    with app.unit_of_work() as uow:
        dates = [d for d in uow.imports.active_dates() if d <= ref]
        before = [d for d in dates if d < spec.year_start]
        wanted = before[-1:] + [d for d in dates if d >= spec.year_start]  # the year's, after the last before it
        seen = SpellsSeen(spec)
        for day in wanted:  # a month at a time, oldest first: only each spell's newest record is kept
            seen.add(day, uow.snapshots.snapshot(day))
        # Items that do not change (SWE number, date of birth, qualification…) are often completed late: the newest
        # snapshot that gives one counts, even one after the reference date.
        items = uow.census.latest(until=date.max)
        spells = seen.spells()
        # A row without an SWE number takes the worker's newest one: read for those workers only
        newest = uow.snapshots.latest_swe_numbers([s.last.employee_id for s in spells if not s.last.swe_number])
        spells_by_worker = uow.snapshots.spells(returners_only=True)  # anyone else's one spell is their record's
        events = uow.events.current()
        timeline = uow.snapshots.timeline(until=ref)  # the return's figures, and last year's, are on or before it
    spells = [_with_swe_number(spell, newest) for spell in spells]
    stages = _stages(book, spells, spells_by_worker, recorded_by_worker(events), ref)
    found = indicators(timeline, ref, book.council.establishment_fte)
    measured = found[0] if found else None
    la_level = LaLevel(
        measured.vacancy_fte if measured else None,
        measured.agency_fte if measured else Decimal(0),
        measured.agency_headcount if measured else 0,
    )
    reference_snapshot = max(dates, default=None)
    census = build_return(
        spec, book.council.census, spells, items, stages, la_level, reference_snapshot, la_code or None
    )
    previous = _previous(book.council.establishment_fte, year, timeline, previous_return)
    return CensusBuild(
        census,
        readiness(census),
        figures_from_return(census),
        figures_from_indicators(year, measured) if measured else None,
        previous,
        {s.last.employee_id: s.last for s in spells},
    )


def _with_swe_number(spell: Spell, newest: dict[str, str | None]) -> Spell:
    if spell.last.swe_number or not newest.get(spell.last.employee_id):
        return spell
    return replace(spell, last=replace(spell.last, swe_number=newest[spell.last.employee_id]))


def _stages(
    book: RuleBook,
    spells: list[Spell],
    all_spells: dict[str, list[Period]],
    recorded: dict[str, list[RecordedCompletion]],
    ref: date,
) -> dict[str, str]:
    """Each worker's progression stage at the reference date, or on their last day for a leaver. A worker without a
    qualification date (imported from a census return) has none: CFKSS then comes from the role."""
    engine = Engine(book)
    stages = {}
    for spell in spells:
        record = spell.last
        if not record.has_qualified_date:
            continue
        day = ref if spell.left_on is None else max(record.start_date, spell.left_on - timedelta(days=1))
        earlier = tuple(sorted(p for p in all_spells.get(record.employee_id, ()) if p.start < record.start_date))
        facts = WorkerFacts(record, earlier, tuple(recorded.get(record.employee_id, ())))
        stages[record.employee_id] = engine.assess(facts, day).stage.value
    return stages


def _previous(
    establishment: dict[str, Decimal], year: int, timeline: list[TimelineRow], previous_return: Path | None
) -> Figures | None:
    """Last year's figures: from an earlier return's XML when given, else from the snapshots when they reach back to
    last year's reference date."""
    if previous_return is not None:
        try:
            data = previous_return.read_bytes()
        except OSError as exc:
            raise CensusError(f"cannot read {previous_return}: {exc.strerror or exc}") from exc
        return figures_from_xml(data, previous_return.name)
    ref = reference_date_of(year - 1)
    found = indicators([row for row in timeline if row.as_of <= ref], ref, establishment)
    return figures_from_indicators(year - 1, found[0]) if found else None


def worker_items(app: App, employee_id: str) -> CensusItems | None:
    """One worker's census items, special-category ones included: for the one-worker view only."""
    with app.unit_of_work() as uow:
        return uow.census.latest(until=date.max, employee_id=employee_id.strip()).get(employee_id.strip())


def coming_year(today: date) -> int:
    """The census year whose return is being prepared: the one just ended until its collection closes, then the
    current one; the latest year with a specification if that one has none yet."""
    years = available_years()
    year = census_year_for(today)
    if year - 1 in years and today <= load_spec(year - 1).closes:
        return year - 1
    earlier = [y for y in years if y <= year]
    return year if year in years or not earlier else earlier[-1]


def census_reminder(app: App, today: date) -> CensusBuild | None:
    """The return due this autumn, from 1 September until its collection closes (for the dashboard); else None."""
    if today.month < 9 or today.year not in available_years() or today > load_spec(today.year).closes:
        return None
    return build_census(app, today.year)


def reminder_line(app: App, today: date) -> str | None:
    """The dashboard's line about the return due this autumn (see census_reminder), or None out of season."""
    from ecf.census.presentation import deadline_line

    reminder = census_reminder(app, today)
    return None if reminder is None else deadline_line(reminder.readiness, today)


def schema_bytes(spec: CensusSpec) -> bytes:
    return (resources.files("ecf.census") / "spec" / spec.schema_file).read_bytes()


def check_before_writing(
    app: App, out: Path, *, la_code: str | None = None, rules_file: Path | None = None, force: bool = False
) -> None:
    """What `write_return` would refuse for want of a setting, or because the file is there, found before the return
    is built (reading the census year's snapshots takes seconds for a big workforce): the LA code, the establishment
    and the output file."""
    council = rulebook(app, rules_file).council
    _check_la_code(la_code or council.census.la_code)
    if not council.establishment_fte:
        raise CensusError(NO_ESTABLISHMENT)
    if out.exists() and not force:
        raise CensusError(f"{out} exists; pass --force to replace it")


def _check_la_code(code: str | None) -> None:
    if not code:
        raise CensusError("no LA code: give --la CODE, or la_code under [council.census] in the council's rules")
    if not re.fullmatch(r"\d{3}", code):
        raise CensusError(f"LA code '{code}' is not the DfE's three-digit number")


def write_return(app: App, built: CensusBuild, out: Path, produced_at: datetime, force: bool = False) -> int:
    """Write the XML return to `out` (private to the owner), once it meets the schema. Returns the records written."""
    census = built.census
    _check_la_code(census.la_code)
    if census.la_level.vacancies is None:
        raise CensusError(NO_ESTABLISHMENT)
    if not census.workers:
        raise CensusError(f"no workers in the census year ending {census.spec.reference_date:%d/%m/%Y}")
    if out.exists() and not force:
        raise CensusError(f"{out} exists; pass --force to replace it")
    unnumbered = sum(1 for worker in census.workers if "SWENo" not in worker.items)
    if unnumbered:
        raise CensusError(f"{unnumbered} records have no Social Work England number, which every record needs")
    xml = return_xml(census, produced_at)
    problems = validation_errors(xml, schema_bytes(census.spec))
    if problems:
        raise CensusError(f"the return does not meet the schema ({len(problems)} problems), first: {problems[0]}")
    _write_private(out, xml)
    with app.unit_of_work() as uow:  # who wrote special-category data out, and when (no names, no values)
        audit.record(uow, "census_export", f"census {census.spec.year}", {"records": len(census.workers)})
        uow.commit()
    return len(census.workers)


# The "to complete" csv: for each item, the import field HR fills in (its label is a header the importer knows).
FILLABLE = {
    "SWENo": "swe_number", "PersonBirthDate": "date_of_birth", "GenderCurrent": "gender", "Ethnicity": "ethnicity",
    "QualInst": "qual_institution", "QualLevel": "qual_level", "StepUpGrad": "step_up_grad",
    "OrgRole": "role", "StartOrigin": "start_origin", "RoleEndDate": "leaving_date",
    "LeaverDestination": "leaver_destination", "ReasonLeave": "leaving_reason", "Cases30": "caseload",
    "FrontlineGrad": "frontline_grad", "ReasonAbsence": "reason_for_absence",
}  # fmt: skip


# The worker's facts in a "to complete" row, as the importer's fields: a correction replaces the worker's row in its
# month, so the row carries everything that row holds, not only the items to fill in.
FACTS = tuple(f.name for f in fields(WorkerRecord) if f.name in FIELDS_BY_NAME)
ABSENCE_COLUMNS = (  # a sheet's row holds up to this many absences, so a stored row's all fit
    ("absence_start", "absence_end", "absence_type"),
    *((f"absence{n}_start", f"absence{n}_end", f"absence{n}_type") for n in range(2, MAX_EXTRA_ABSENCES + 2)),
)


def to_complete_csvs(built: CensusBuild) -> dict[date, str]:
    """The "to complete" csv of each snapshot the rows come from (newest first): one row per worker lacking items or
    failing a check, from their newest row in the census (the reference snapshot for those in post, the last one a
    leaver appears in). The employee ID, name and team, then a column for each item to fill in (headed as the importer
    recognises it), what the check found, and the rest of the row as stored. Filled in, each file is imported back as
    a correction of its month (`ecf import FILE_YYYY-MM-DD.csv --correct`, the date in the name): each row replaces
    the worker's row, and blank census items leave the ones stored as they are."""
    ready = built.readiness
    findings = [*ready.missing, *ready.failing]
    fill = [FILLABLE[name] for name in built.census.spec.item_names if name in FILLABLE
            and any(f.item == name for f in findings)]  # fmt: skip
    notes: dict[str, list[str]] = {}
    for finding in findings:
        notes.setdefault(finding.employee_id, []).append(finding.message)
    seen = {w.employee_id: w.spell.last_seen for w in built.census.workers}  # a returner: the newer spell
    absences = max((len(built.records[e].absences) for e in notes if e in built.records), default=0)
    absence_columns = [c for group in ABSENCE_COLUMNS[: max(1, min(absences, len(ABSENCE_COLUMNS)))] for c in group]
    facts = [name for name in FACTS if name not in ("employee_id", "surname", "forename", "team", *fill)]
    columns = ["employee_id", "surname", "forename", "team", *fill]
    header = [FIELDS_BY_NAME[name].label for name in columns] + ["Census check"]
    header += [FIELDS_BY_NAME[name].label for name in (*facts, *absence_columns)]
    files: dict[date, list[list[str]]] = {}
    for employee_id in sorted(notes):
        record = built.records.get(employee_id)
        if record is None or employee_id not in seen:
            continue
        values = _cells(record)
        note = "; ".join(dict.fromkeys(notes[employee_id]))
        row = [values.get(name, "") for name in columns] + [note] + [values.get(name, "") for name in facts]
        row += [values.get(name, "") for name in absence_columns]
        files.setdefault(seen[employee_id], []).append(row)
    found = {}
    for as_of in sorted(files, reverse=True):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(files[as_of])
        found[as_of] = buffer.getvalue()
    return found


def to_complete_csv(built: CensusBuild) -> str:
    """Every row to complete in one csv (each file of `to_complete_csvs` after the first without its header)."""
    texts = list(to_complete_csvs(built).values())
    return "".join(texts[:1] + [text.split("\n", 1)[1] for text in texts[1:]])


def _cells(record: WorkerRecord) -> dict[str, str]:
    """The record's facts as a csv row holds them: ISO dates, plain numbers, codes as words; text kept as text."""
    cells: dict[str, str] = {}
    for name in FACTS:
        value = getattr(record, name)
        if value is None:
            continue
        if isinstance(value, bool):
            cells[name] = "yes" if value else "no"
        elif isinstance(value, date):
            cells[name] = value.isoformat()
        elif isinstance(value, Enum):
            cells[name] = str(value.value)
        elif isinstance(value, str):
            cells[name] = _safe(value)
        else:
            cells[name] = str(value)
    for (start, end, kind), absence in zip(ABSENCE_COLUMNS, record.absences, strict=False):
        cells[start] = absence.period.start.isoformat()
        cells[end] = absence.period.end.isoformat() if absence.period.end else ""
        cells[kind] = absence.absence_type.value
    return cells


def to_complete_path(out: Path, as_of: date) -> Path:
    """FILE.csv -> FILE_2026-09-30.csv: the snapshot date in the name, so the import knows the month it corrects."""
    return out.with_name(f"{out.stem}_{as_of.isoformat()}{out.suffix or '.csv'}")


def write_to_complete(built: CensusBuild, out: Path, force: bool = False) -> list[tuple[Path, date, int]]:
    """Each snapshot's "to complete" csv beside `out`, its date in the name; (path, snapshot date, rows) of each."""
    texts = to_complete_csvs(built)
    paths = {as_of: to_complete_path(out, as_of) for as_of in texts}
    existing = [path for path in paths.values() if path.exists()]
    if existing and not force:
        raise CensusError(f"{existing[0]} exists; pass --force to replace it")
    written = []
    for as_of, text in texts.items():
        _write_private(paths[as_of], text.encode("utf-8"))
        written.append((paths[as_of], as_of, text.count("\n") - 1))
    return written


def _safe(text: str | None) -> str:
    """Text from an HR sheet, kept as text by a spreadsheet (a leading = + - @ would start a formula)."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@" else text


def _write_private(out: Path, data: bytes) -> None:
    """Written beside the target and moved into place, private to the owner (0600): it holds personal data."""
    import os
    import tempfile

    folder = out.resolve().parent
    if not folder.is_dir():
        raise CensusError(f"cannot write {out}: folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o600)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CensusError(f"cannot write {out}: {exc.strerror or exc}") from exc
