"""Validate a mapped sheet row by row and across fields, with pydantic, into accepted records and rejected rows.

A big monthly file is checked a whole column at a time, and the row model only sees the rows those checks cannot clear;
the findings are the model's either way."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from importers.date_order import DateOrder
from importers.dates import choose_order
from importers.fields import CENSUS_FIELDS, FIELDS_BY_NAME, MAX_EXTRA_ABSENCES, SENSITIVE_FIELDS, Kind
from importers.issues import Issue
from importers.mapping import ColumnMap, MappingProfile
from importers.parsing import CellError, all_already_parsed, already_parsed, cell_text, is_blank, parser_for
from importers.readers import RawTable
from importers.values import screen_column

SWE_PATTERN = r"^SW[1-9][0-9]{0,5}$"  # R1: 'SW' then up to six digits, no leading zero
EARLIEST_DATE = date(1940, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_ABSENCE_GROUPS = [("absence_start", "absence_end", "absence_type")] + [
    (f"absence{n}_start", f"absence{n}_end", f"absence{n}_type") for n in range(2, MAX_EXTRA_ABSENCES + 2)
]

Text = Annotated[str, Field(min_length=1, max_length=200)]  # the database columns hold 200
EmployeeId = Annotated[str, Field(min_length=1, max_length=40)]  # the database column holds 40
MAX_CASELOAD = 500  # cases held by one worker: far above any real caseload, far below what storage holds


class AbsenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    start: date
    end: date | None = None
    absence_type: AbsenceType


class WorkerRow(BaseModel):
    """One sheet row after cell parsing: field constraints, then the date-order rules across fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    employee_id: EmployeeId
    # Required when the sheet has the column (a blank cell is refused below); a source that lacks it altogether (a
    # census return, a payroll extract) leaves it out, and such workers are left out of milestones.
    date_qualified: date | None = None
    start_date: date
    fte: Annotated[Decimal, Field(ge=0, le=1)]  # 0 only for a leaver (the census's leavers): check_chronology
    contract_type: ContractType
    surname: Text | None = None
    forename: Text | None = None
    swe_number: Annotated[str, Field(pattern=SWE_PATTERN)] | None = None
    leaving_date: date | None = None
    leaving_reason: Text | None = None
    grade: Text | None = None
    spinal_point: Annotated[int, Field(ge=0, le=99)] | None = None
    team: Text | None = None
    line_manager: Text | None = None
    role: Text | None = None
    caseload: Annotated[int, Field(ge=0, le=MAX_CASELOAD)] | None = None
    asye_start_date: date | None = None
    asye_status: AsyeStatus | None = None
    asye_review_3m: date | None = None
    asye_review_6m: date | None = None
    asye_review_9m: date | None = None
    asye_review_final: date | None = None
    prior_pqe_months: Annotated[int, Field(ge=0, le=720)] | None = None
    market_supplement: Annotated[Decimal, Field(ge=0, le=100000)] | None = None
    allowances: Annotated[Decimal, Field(ge=0, le=100000)] | None = None
    # Programme steps a council may track, and the apprentice flag (issue #14).
    support_agreement_date: date | None = None
    ecf_year_two_assessment: date | None = None
    ecf_year_three_review: date | None = None
    ecf_year_four_review: date | None = None
    ecf_year_five_assessment: date | None = None
    apprentice: bool | None = None
    absences: tuple[AbsenceIn, ...] = ()

    @field_validator("date_qualified")
    @classmethod
    def _given_when_the_column_is(cls, value: date | None) -> date | None:
        if value is None:
            raise PydanticCustomError("missing", "Field required")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self, info: ValidationInfo) -> WorkerRow:
        check_chronology(self, info)
        return self

    def to_record(self) -> WorkerRecord:
        values = self.__dict__
        if self.absences:
            absences = tuple(Absence(Period(a.start, a.end), a.absence_type) for a in self.absences)
            values = {**values, "absences": absences}
        # pydantic builds the frozen domain dataclass in Rust, about twice as fast as calling its __init__.
        return _RECORD.validate_python(values)


class RowChronology(BaseModel):
    """The date-order rules on their own, for a row where some other field failed (pydantic skips a model's
    after-validators once a field fails, and the person fixing the row should see every problem at once)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date_qualified: date | None = None
    start_date: date | None = None
    leaving_date: date | None = None
    asye_start_date: date | None = None
    fte: Decimal | None = None
    absences: tuple[AbsenceIn, ...] = ()

    @model_validator(mode="after")
    def _dates_in_order(self, info: ValidationInfo) -> RowChronology:
        check_chronology(self, info)
        return self


FTE_ZERO_MESSAGE = "FTE 0 is outside (0, 1]; give 0.6, 60% or hours such as '22.2 hours'"


def check_chronology(row: WorkerRow | RowChronology, info: ValidationInfo) -> None:
    """The rules across fields, shared by both models: raises one error carrying every finding. A new rule here needs
    its column-wise twin in _may_break_date_order, which picks the rows that must meet the model."""
    as_of: date | None = (info.context or {}).get("as_of")
    findings: list[tuple[str, str, str]] = []
    if row.leaving_date and row.start_date and row.leaving_date < row.start_date:
        findings.append(
            (
                "leaving-before-start",
                "leaving_date",
                f"leaving date {_uk(row.leaving_date)} is before the start date {_uk(row.start_date)}",
            )
        )
    if as_of is not None and row.date_qualified and row.date_qualified > as_of:
        findings.append(
            (
                "qualified-in-future",
                "date_qualified",
                f"date qualified {_uk(row.date_qualified)} is after the as-of date {_uk(as_of)}",
            )
        )
    if row.asye_start_date and row.date_qualified and row.asye_start_date < row.date_qualified:
        findings.append(
            (
                "asye-before-qualified",
                "asye_start_date",
                f"ASYE start {_uk(row.asye_start_date)} is before qualifying on {_uk(row.date_qualified)}",
            )
        )
    if row.fte is not None and row.fte == 0 and row.leaving_date is None:
        findings.append(("fte-out-of-range", "fte", FTE_ZERO_MESSAGE))  # a leaver's FTE may be 0, no one else's
    for number, absence in enumerate(row.absences):
        if absence.end is not None and absence.end < absence.start:
            findings.append(
                (
                    "absence-end-before-start",
                    f"absence_end#{number}",
                    f"absence ends {_uk(absence.end)} before it starts {_uk(absence.start)}",
                )
            )
    if findings:
        raise PydanticCustomError("cross_field", "{summary}", {"summary": findings[0][2], "findings": findings})


_RECORD: TypeAdapter[WorkerRecord] = TypeAdapter(WorkerRecord)


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# pydantic error types -> our stable codes, per field where the meaning depends on the field.
_PYDANTIC_CODES: dict[tuple[str, str], str] = {
    ("fte", "greater_than"): "fte-out-of-range",
    ("fte", "greater_than_equal"): "fte-out-of-range",
    ("fte", "less_than_equal"): "fte-out-of-range",
    ("swe_number", "string_pattern_mismatch"): "invalid-swe-number",
    ("contract_type", "enum"): "unknown-contract-type",
    ("asye_status", "enum"): "unknown-asye-status",
    ("spinal_point", "less_than_equal"): "invalid-number",
    ("prior_pqe_months", "less_than_equal"): "invalid-number",
    ("market_supplement", "less_than_equal"): "invalid-number",
    ("allowances", "less_than_equal"): "invalid-number",
}


def _pydantic_code(name: str, error_type: str) -> str:
    if error_type == "missing":
        return "missing-value"
    if error_type in ("greater_than_equal", "greater_than") and name != "fte":
        return "negative-number"
    if error_type == "string_too_long":
        return "text-too-long"
    return _PYDANTIC_CODES.get(
        (name, error_type), "missing-value" if error_type == "string_too_short" else "invalid-number"
    )


def _pydantic_message(name: str, error: Any, value: str) -> str:
    label = FIELDS_BY_NAME[name].label if name in FIELDS_BY_NAME else name
    kind = error["type"]
    if kind == "missing":
        return f"{label} is required"
    if name == "fte":
        return f"FTE {value} is outside (0, 1]; give 0.6, 60% or hours such as '22.2 hours'"
    if name == "swe_number":
        return f"'{value}' is not a Social Work England number (SW then digits, no leading zero, e.g. SW104233)"
    return f"{label}: {error['msg']}"


@dataclass(frozen=True)
class RejectedRow:
    row: int
    values: dict[str, str]
    issues: list[Issue]
    employee_id: str | None = None  # when the row's ID itself could be read


@dataclass
class ValidatedFile:
    """The importer's whole answer for one file: what can be stored, what cannot, and every finding."""

    table: RawTable
    columns: ColumnMap
    records: list[tuple[int, WorkerRecord]] = field(default_factory=list)
    # The census items of each accepted row, by employee ID: only the items the row gives (issue 17).
    census: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    blank_rows: int = 0
    month_first: list[str] = field(default_factory=list)  # date columns whose values proved them month-first

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def data_rows(self) -> int:
        return len(self.records) + len(self.rejected)


Parser = Callable[[Any], Any]
Column = Sequence[Any]

# The row model's own rules for each field, to check all the distinct values of a column in one call. (The types are
# built at run time from the model's fields, which mypy cannot follow.)
_FIELD_RULES: dict[str, TypeAdapter[list[Any]]] = {
    name: TypeAdapter(list[Annotated[info.annotation, info]])  # type: ignore[name-defined]
    for name, info in WorkerRow.model_fields.items()
}
_REQUIRED = [name for name, info in WorkerRow.model_fields.items() if info.is_required()] + ["date_qualified"]
_ABSENCE_FIELDS = frozenset(name for group in _ABSENCE_GROUPS for name in group)
_ENUM_FIELDS: dict[str, type[StrEnum]] = {"contract_type": ContractType, "asye_status": AsyeStatus}
_EMPTY_CELLS = frozenset({None, ""})
_CENSUS_NAMES = tuple(f.name for f in CENSUS_FIELDS)


@dataclass
class _Sheet:
    """The rows that are not blank, column by column: each mapped field's cells as read and their parsed values."""

    rows: list[list[Any]]
    row_numbers: list[int]
    cells: dict[str, Column] = field(default_factory=dict)
    values: dict[str, list[Any]] = field(default_factory=dict)  # None where the cell is blank or unreadable
    distinct: dict[str, Collection[Any]] = field(default_factory=dict)  # each column's values once

    def column(self, name: str) -> Column:
        """A field's values; all None when the sheet has no column for it."""
        return self.values.get(name) or [None] * len(self.rows)

    def cell_text(self, name: str, position: int) -> str:
        return cell_text(self.cells[name][position]) if name in self.cells else ""


def validate_table(
    table: RawTable,
    columns: ColumnMap,
    as_of: date,
    profile: MappingProfile | None = None,
    progress: Callable[[int], None] | None = None,
    dates: DateOrder = DateOrder.AUTO,
) -> ValidatedFile:
    """Parse and check the sheet a whole column at a time, and run the row model (WorkerRow) on the rows those checks
    cannot clear. Every finding still comes from the model and the rules below, as it did row by row: a row the
    column checks clear is one the model accepts without a word, so skipping the model there changes nothing."""
    result = ValidatedFile(table, columns)
    filled = _filled_rows(table.rows, probe=columns.columns["contract_type"])  # required, so rarely blank
    result.blank_rows = len(table.rows) - len(filled)
    if progress is not None:
        progress(0)
    if filled:
        sheet, issues = _parse_sheet(table, filled, columns, profile, dates, result.month_first, progress)
        fields, disagreeing = _model_columns(sheet)
        suspect = _rows_for_the_model(sheet, fields, set(issues) | disagreeing, as_of)
        models = _run_model(sheet, sorted(suspect), columns, as_of, issues, progress)
        _add_warnings(sheet, columns, as_of, issues)
        _flag_duplicates(sheet, columns, issues)
        _collect(result, sheet, fields, issues, models)
        result.issues[:0] = [_month_first_note(header) for header in result.month_first]
    if progress is not None:
        progress(len(table.rows))
    return result


def _month_first_note(header: str) -> Issue:
    message = ("read month-first (mm/dd/yyyy) for the whole column: it has dates only valid that way, such as "
               "09/13/2015, and none only valid day-first (--dates dmy to read it day-first)")  # fmt: skip
    return Issue("month-first-dates", message, None, header, "")


def _filled_rows(rows: list[list[Any]], probe: int) -> list[int]:
    """The indexes of the rows with a filled cell. The probe, a column that is rarely blank, settles most rows with
    one test per distinct cell; only the rows blank there are tested cell by cell."""
    probe_cells = [row[probe] if probe < len(row) else None for row in rows]
    try:
        blank = {cell for cell in set(probe_cells) if is_blank(cell)}
    except TypeError:  # an unhashable cell (no reader gives one today): test every row cell by cell
        return [index for index, cells in enumerate(rows) if not all(map(is_blank, cells))]
    return [
        index
        for index, (cells, probed) in enumerate(zip(rows, probe_cells, strict=True))
        if probed not in blank or not all(map(is_blank, cells))  # all() stops at the first filled cell
    ]


def _value_map(profile: MappingProfile | None, name: str) -> dict[str, str] | None:
    if profile is None:
        return None
    kind = FIELDS_BY_NAME[name].kind.value
    if kind in ("contract_type", "asye_status", "absence_type"):
        return profile.value_lookup(kind)  # type: ignore[arg-type]
    return None


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _parse_sheet(
    table: RawTable,
    filled: list[int],
    columns: ColumnMap,
    profile: MappingProfile | None,
    dates: DateOrder = DateOrder.AUTO,
    month_first: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[_Sheet, defaultdict[int, list[Issue]]]:
    """Parse the filled rows column by column. Returns the sheet and each row's findings so far (cells that did not
    parse), by row position, in column order within a row. Each date column is read in one order (importers.dates);
    the headers of those read month-first are added to `month_first`."""
    hours = profile.hours_per_week if profile else Decimal(37)
    row_numbers = [table.first_row + index for index in filled]  # table.row_number(index), without a call per row
    sheet = _Sheet([table.rows[index] for index in filled], row_numbers)
    by_index = _transpose(sheet.rows, max(columns.columns.values()) + 1)
    issues: defaultdict[int, list[Issue]] = defaultdict(list)
    for number, (name, index) in enumerate(columns.columns.items()):
        if progress is not None:  # parsing is the first half of validating: a column at a time
            progress(len(table.rows) * number // (2 * len(columns.columns)))
        kind = FIELDS_BY_NAME[name].kind
        cells = by_index[index]
        flipped = kind is Kind.DATE and choose_order(cells, dates, columns.headers[name], table.path.name)
        if flipped and month_first is not None and dates is DateOrder.AUTO:
            month_first.append(columns.headers[name])
        parse = parser_for(kind, hours, _value_map(profile, name), month_first=flipped)
        values, distinct, errors = _parse_column(cells, kind, parse)
        values, screened, warnings = screen_column(name, cells, values, distinct)
        if screened or warnings:
            errors = {**errors, **screened}
            distinct = set(values)
        for position, error in sorted({**warnings, **errors}.items()):
            row_number = sheet.row_numbers[position]
            value = "" if name in SENSITIVE_FIELDS else cell_text(cells[position])  # special-category: never shown
            issues[position].append(Issue(error.code, error.message, row_number, columns.headers[name], value))
        sheet.cells[name], sheet.values[name], sheet.distinct[name] = cells, values, distinct
    return sheet, issues


def _transpose(rows: list[list[Any]], width: int) -> list[tuple[Any, ...]]:
    """Rows to columns in one zip; a row that stops short (csv) is padded with empty cells first."""
    width = max(width, max(map(len, rows)))
    if min(map(len, rows)) < width:
        rows = [row + [None] * (width - len(row)) for row in rows]
    return list(zip(*rows, strict=False))  # all one width now: strict would only check that again


def _parse_column(cells: Column, kind: Kind, parse: Parser) -> tuple[list[Any], Collection[Any], dict[int, CellError]]:
    """Parse each distinct cell once (HR sheets repeat the same dates, teams and grades thousands of times), and skip
    the parser for cells already in parsed form. Returns the values, the distinct values (None among them if a cell
    is blank or unreadable) and the cells that did not parse, by position."""
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell (no reader gives one today): parse cell by cell
        parsed = [_parse_cell(cell, parse) for cell in cells]
        values = [value for value, _ in parsed]
        return values, set(values), {p: error for p, (_, error) in enumerate(parsed) if error is not None}
    empty = distinct & _EMPTY_CELLS
    distinct -= empty
    if all_already_parsed(kind, distinct):  # clean or empty, every cell: nothing to look up
        if not empty:
            return list(cells), distinct, {}
        distinct.add(None)
        return [cell or None for cell in cells], distinct, {}
    clean = already_parsed(kind, distinct)
    if kind is Kind.DATE and clean and not EARLIEST_DATE <= min(clean) <= max(clean) <= LATEST_DATE:
        clean = [day for day in clean if EARLIEST_DATE <= day <= LATEST_DATE]  # the rest: _parse_cell's error
    known: dict[Any, Any] = dict.fromkeys(empty)  # None, as _parse_cell would say
    known.update(zip(clean, clean, strict=True))
    errors: dict[Any, CellError] = {}
    for cell in distinct.difference(known):
        known[cell], error = _parse_cell(cell, parse)
        if error is not None:
            errors[cell] = error
    values = list(map(known.__getitem__, cells))
    if not errors:
        return values, set(known.values()), {}
    return values, set(known.values()), {p: errors[cell] for p, cell in enumerate(cells) if cell in errors}


def _parse_cell(raw: Any, parse: Parser) -> tuple[Any, CellError | None]:
    if is_blank(raw):  # 'N/A', '-', spaces: blank, whatever the column
        return None, None
    try:
        value = parse(raw)
    except CellError as error:
        return None, error
    if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        return None, CellError("implausible-date", f"{_uk(value)} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
    return value, None


def _model_columns(sheet: _Sheet) -> tuple[dict[str, Column], set[int]]:
    """The columns of the model's fields, with FTE taken from contracted hours where its own cell is blank (as
    _assemble does per row). Also returns the rows where both are given and disagree, which _assemble warns about."""
    fields: dict[str, Column] = {name: sheet.values[name] for name in sheet.values if name in WorkerRow.model_fields}
    hours = sheet.values.get("weekly_hours")
    if hours is None:
        return fields, set()
    pairs = list(zip(sheet.column("fte"), hours, strict=True))
    fields["fte"] = [given if given is not None else from_hours for given, from_hours in pairs]
    return fields, {
        p for p, (given, from_hours) in enumerate(pairs) if None not in (given, from_hours) and given != from_hours
    }


def _rows_for_the_model(sheet: _Sheet, fields: dict[str, Column], flagged: set[int], as_of: date) -> set[int]:
    """The rows the model must see: `flagged` ones, and any row that could break a rule of the model or of _assemble.
    Every other row passes them without a finding."""
    suspect = set(flagged)
    for name in _REQUIRED:
        if name not in fields:
            return set(range(len(sheet.rows)))
    for name, column in fields.items():
        # The distinct values parsing found, unless the column is not the sheet's own (FTE folded from hours).
        distinct = sheet.distinct[name] if column is sheet.values.get(name) else set(column)
        if name in _REQUIRED and None in distinct:
            suspect.update(_positions_of_none(column))
        failing = _failing_values(name, distinct)
        if failing:
            suspect.update(position for position, value in enumerate(column) if value in failing)
    suspect.update(_may_break_date_order(fields, as_of, len(sheet.rows)))
    for name in _ABSENCE_FIELDS & sheet.values.keys():  # absences are assembled and checked row by row
        if any(value is not None for value in sheet.distinct[name]):
            suspect.update(position for position, value in enumerate(sheet.values[name]) if value is not None)
    return suspect


def _positions_of_none(column: Column) -> list[int]:
    return [position for position, value in enumerate(column) if value is None]


def _failing_values(name: str, distinct: Collection[Any]) -> set[Any]:
    """The values that break the model's rules for the field, all checked by pydantic in one call. A column's
    distinct values stand for all its cells: values that compare equal pass or fail together, which holds for every
    rule WorkerRow has."""
    values = list(distinct)
    if None in distinct:
        values.remove(None)
    try:
        _FIELD_RULES[name].validate_python(values)
    except ValidationError as exc:
        return {values[int(error["loc"][0])] for error in exc.errors()}  # loc: (index in the list,)
    return set()


def _may_break_date_order(fields: dict[str, Column], as_of: date, rows: int) -> list[int]:
    """The rows check_chronology would refuse, absences aside (a row with one goes to the model anyway)."""
    blank: Column = [None] * rows
    start, leaving = fields.get("start_date", blank), fields.get("leaving_date", blank)
    qualified, asye_start = fields.get("date_qualified", blank), fields.get("asye_start_date", blank)
    fte = fields.get("fte", blank)
    return [
        position
        for position, (started, left, qualified_on, asye_started, share) in enumerate(
            zip(start, leaving, qualified, asye_start, fte, strict=True)
        )
        if (left is not None and started is not None and left < started)
        or (qualified_on is not None and qualified_on > as_of)
        or (asye_started is not None and qualified_on is not None and asye_started < qualified_on)
        or (share is not None and share == 0 and left is None)
    ]


def _run_model(
    sheet: _Sheet,
    positions: list[int],
    columns: ColumnMap,
    as_of: date,
    issues: defaultdict[int, list[Issue]],
    progress: Callable[[int], None] | None,
) -> dict[int, WorkerRow | None]:
    """Assemble and validate these rows one by one with the model; None for a row it refuses. Adds the findings."""
    context = {"as_of": as_of}
    models: dict[int, WorkerRow | None] = {}
    half = len(sheet.rows) // 2
    for done, position in enumerate(positions):
        if progress is not None and done % 1000 == 0:  # the second half: the rows the model must see
            progress(half + half * done // len(positions))
        row_number, cells, row_issues = sheet.row_numbers[position], sheet.rows[position], issues[position]
        parsed = {name: values[position] for name, values in sheet.values.items()}
        values = _assemble(parsed, columns, row_number, row_issues)
        models[position], model_issues = _validate_row(values, row_number, columns, context, cells)
        row_issues += model_issues
    return models


def _collect(
    result: ValidatedFile,
    sheet: _Sheet,
    fields: dict[str, Column],
    issues: dict[int, list[Issue]],
    models: dict[int, WorkerRow | None],
) -> None:
    """Findings, rejected rows and records into the result, in row order."""
    rejected = {p for p, found in issues.items() if any(issue.is_error for issue in found)}
    rejected.update(p for p, model in models.items() if model is None)
    for position in sorted(issues):
        result.issues.extend(issues[position])
    ids = sheet.column("employee_id")
    # Special-category cells are not kept with a rejected row (nor written to the report): HR fills them in again.
    headers = list(result.table.headers)
    for name in SENSITIVE_FIELDS & result.columns.columns.keys():
        headers[result.columns.columns[name]] = ""
    for position in sorted(rejected):
        cells = _raw_values(sheet.rows[position], headers)
        found = issues.get(position, [])
        result.rejected.append(RejectedRow(sheet.row_numbers[position], cells, found, ids[position]))
    accepted = [p for p in range(len(sheet.rows)) if p not in rejected] if rejected else range(len(sheet.rows))
    # Built for every row at once, field by field; those of rows the model saw or refused are not used.
    built = _records(fields, len(sheet.rows)) if len(models) < len(sheet.rows) else []
    result.records = [
        (sheet.row_numbers[p], model.to_record() if (model := models.get(p)) is not None else built[p])
        for p in accepted
    ]
    _collect_census(result, sheet, accepted)


def _collect_census(result: ValidatedFile, sheet: _Sheet, accepted: Collection[int]) -> None:
    """Each accepted row's census items (those it gives), kept apart from the worker's record."""
    given = [(name, sheet.values[name]) for name in _CENSUS_NAMES if name in sheet.values]
    if not given:
        return
    ids = sheet.column("employee_id")
    for position in accepted:
        items = {name: values[position] for name, values in given if values[position] is not None}
        if items:
            result.census[ids[position]] = items


def _records(fields: dict[str, Column], rows: int) -> list[WorkerRecord]:
    """A record per row, built a field at a time from the model's columns.

    For a row the model did not need to see, the values passed its field rules, so they already are what the model
    would make of them, enums aside. The frozen dataclass's slots are filled directly, all rows at once
    (WorkerRecord has no __post_init__ to miss): a constructor call per row would take twice as long.
    """
    records = list(map(object.__new__, repeat(WorkerRecord, rows)))
    for spec in dataclass_fields(WorkerRecord):
        # A field the sheet has no column for takes its default (a required one always has a column here).
        values = fields[spec.name] if spec.name in fields else [spec.default] * rows
        enum = _ENUM_FIELDS.get(spec.name)
        if enum is not None:
            members = {value: enum(value) for value in set(values) - {None}}
            values = list(map(members.get, values))
        deque(map(getattr(WorkerRecord, spec.name).__set__, records, values), maxlen=0)  # deque: run the map
    return records


def _assemble(parsed: dict[str, Any], columns: ColumnMap, row_number: int, issues: list[Issue]) -> dict[str, Any]:
    """Fold derived inputs into model fields: hours into FTE, numbered absence columns into absences. The census
    items are not the model's: they are collected apart (_collect_census)."""
    for name in _CENSUS_NAMES:
        parsed.pop(name, None)
    hours_fte = parsed.pop("weekly_hours", None)
    if parsed.get("fte") is None and hours_fte is not None:
        parsed["fte"] = hours_fte
    elif hours_fte is not None and parsed.get("fte") != hours_fte:
        issues.append(
            Issue(
                "fte-from-hours",
                f"FTE {parsed['fte']} but contracted hours give {hours_fte}",
                row_number,
                columns.headers["fte"],
                str(parsed["fte"]),
            )
        )
    absences = []
    for start, end, kind in _ABSENCE_GROUPS:
        begin, finish, what = parsed.pop(start, None), parsed.pop(end, None), parsed.pop(kind, None)
        if begin is None:
            if (finish is not None or what is not None) and start in columns.columns:
                issues.append(
                    Issue(
                        "absence-incomplete",
                        "an absence end or type is given without a start date",
                        row_number,
                        columns.headers[start],
                        "",
                    )
                )
            continue
        if what is None and not any(issue.column == columns.headers.get(kind) for issue in issues):
            issues.append(
                Issue(
                    "absence-type-missing",
                    "absence with no type; recorded as 'other'",
                    row_number,
                    columns.headers.get(kind, kind),
                    "",
                )
            )
            what = AbsenceType.OTHER.value
        absences.append({"start": begin, "end": finish, "absence_type": what})
    if absences:
        parsed["absences"] = tuple(absences)
    return parsed


def _validate_row(
    values: dict[str, Any], row_number: int, columns: ColumnMap, context: dict[str, Any], cells: list[Any]
) -> tuple[WorkerRow | None, list[Issue]]:
    try:
        return WorkerRow.model_validate(values, context=context), []
    except ValidationError as exc:
        issues = list(_issues_from(exc, row_number, columns, cells))
        crossed = any(error["type"] == "cross_field" for error in exc.errors())
    if not crossed:
        # A field failed, so WorkerRow never reached its date-order rules: check them on their own.
        try:
            RowChronology.model_validate(values, context=context)
        except ValidationError as exc:
            issues.extend(_issues_from(exc, row_number, columns, cells))
    return None, issues


def _issues_from(exc: ValidationError, row_number: int, columns: ColumnMap, cells: list[Any]) -> Iterator[Issue]:
    for error in exc.errors():
        loc = error["loc"]
        if error["type"] == "cross_field":
            for code, finding_field, message in error["ctx"]["findings"]:
                name = _absence_field(finding_field, columns, cells)
                yield Issue(code, message, row_number, columns.headers.get(name, name), _raw_text(cells, columns, name))
            continue
        name = str(loc[0]) if loc else ""
        if name in ("absences", "weekly_hours") or name not in FIELDS_BY_NAME:
            name = {"absences": "absence_start"}.get(name, name)
        header = columns.headers.get(name)
        value = _raw_text(cells, columns, name)
        kind = "missing" if error["type"] == "missing" or error.get("input", ...) is None else error["type"]
        if kind == "missing" and not is_blank(value):
            continue  # the cell was there but did not parse: already reported by its parser
        if name == "fte" and "fte" not in columns.headers:
            header = columns.headers.get("weekly_hours")
        error = {**error, "type": kind}
        yield Issue(
            _pydantic_code(name, kind),
            _pydantic_message(name, error, value),
            row_number,
            header or FIELDS_BY_NAME.get(name, FIELDS_BY_NAME["employee_id"]).label,
            value,
        )


def _absence_field(name: str, columns: ColumnMap, cells: list[Any]) -> str:
    """'absence_end#1' -> the end column of the second absence group that has a start date on this row."""
    if "#" not in name:
        return name
    part, number = name.split("#")
    present = [group for group in _ABSENCE_GROUPS if _has_value(cells, columns, group[0])]
    group = present[int(number)] if int(number) < len(present) else _ABSENCE_GROUPS[0]
    return group[1] if part == "absence_end" else group[0]


def _raw_text(cells: list[Any], columns: ColumnMap, name: str) -> str:
    index = columns.columns.get(name)
    if index is None and name == "fte":
        index = columns.columns.get("weekly_hours")
    return cell_text(_cell(cells, index)) if index is not None else ""


_ASYE_UNDER_WAY = frozenset({"in_progress", "passed", "failed", "extended"})


def _add_warnings(sheet: _Sheet, columns: ColumnMap, as_of: date, issues: defaultdict[int, list[Issue]]) -> None:
    """The warnings, a whole column at a time and in this order within a row. They come from the parsed values, so
    they are the same whether or not the model saw the row."""

    def warn(code: str, name: str, position: int, message: str) -> None:
        row_number, value = sheet.row_numbers[position], sheet.cell_text(name, position)
        issues[position].append(
            Issue(code, message, row_number, columns.headers.get(name, FIELDS_BY_NAME[name].label), value)
        )

    # A test that needs a whole column runs only when the column's distinct values say it can find something.
    start, qualified = sheet.column("start_date"), sheet.column("date_qualified")
    if any(started is not None and started > as_of for started in sheet.distinct.get("start_date", ())):
        for position, started in enumerate(start):
            if started is not None and started > as_of:
                message = f"start date {_uk(started)} is after the as-of date {_uk(as_of)}"
                warn("start-in-future", "start_date", position, message)
    for position, (started, on) in enumerate(zip(start, qualified, strict=True)):
        if started is not None and on is not None and started < on:
            message = f"started {_uk(started)}, before qualifying on {_uk(on)} (e.g. as a social work assistant)"
            warn("started-before-qualified", "start_date", position, message)
    if None in sheet.distinct.get("swe_number", {None}):
        for position in _positions_of_none(sheet.column("swe_number")):
            if "swe_number" not in sheet.cells or is_blank(sheet.cells["swe_number"][position]):  # not unreadable
                warn("missing-swe-number", "swe_number", position, "no Social Work England registration number")
    if not _ASYE_UNDER_WAY.isdisjoint(sheet.distinct.get("asye_status", ())):
        for position, (status, asye_start) in enumerate(
            zip(sheet.column("asye_status"), sheet.column("asye_start_date"), strict=True)
        ):
            if status in _ASYE_UNDER_WAY and asye_start is None:
                warn("asye-start-missing", "asye_status", position, f"ASYE status '{status}' but no ASYE start date")


def _has_value(cells: list[Any], columns: ColumnMap, name: str) -> bool:
    index = columns.columns.get(name)
    return index is not None and not is_blank(_cell(cells, index))


def _flag_duplicates(sheet: _Sheet, columns: ColumnMap, issues: defaultdict[int, list[Issue]]) -> None:
    ids = sheet.column("employee_id")
    distinct = sheet.distinct.get("employee_id", {None})
    if len(distinct) - (None in distinct) == len(ids) - ids.count(None):  # each ID once: the usual case
        return
    repeated = {employee_id for employee_id, count in Counter(ids).items() if count > 1 and employee_id is not None}
    positions_by_id: defaultdict[str, list[int]] = defaultdict(list)
    for position, employee_id in enumerate(ids):
        if employee_id in repeated:
            positions_by_id[employee_id].append(position)
    for employee_id, positions in positions_by_id.items():
        row_numbers = [sheet.row_numbers[p] for p in positions]
        for position, row_number in zip(positions, row_numbers, strict=True):
            others = ", ".join(str(n) for n in row_numbers if n != row_number)
            issues[position].append(
                Issue(
                    "duplicate-employee-id",
                    f"employee ID {employee_id} is also on row {others}",
                    row_number,
                    columns.headers["employee_id"],
                    employee_id,
                )
            )


def _raw_values(cells: list[Any], headers: list[str]) -> dict[str, str]:
    return {header: cell_text(_cell(cells, i)) for i, header in enumerate(headers) if header}
