"""Validate a mapped sheet row by row and across fields, with pydantic, into accepted records and rejected rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from importers.fields import FIELDS_BY_NAME, MAX_EXTRA_ABSENCES
from importers.issues import Issue
from importers.mapping import ColumnMap, MappingProfile
from importers.parsing import CellError, cell_text, is_blank, parser_for
from importers.readers import RawTable

SWE_PATTERN = r"^SW[1-9][0-9]{0,5}$"  # R1: 'SW' then up to six digits, no leading zero
EARLIEST_DATE = date(1940, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_ABSENCE_GROUPS = [("absence_start", "absence_end", "absence_type")] + [
    (f"absence{n}_start", f"absence{n}_end", f"absence{n}_type") for n in range(2, MAX_EXTRA_ABSENCES + 2)
]

Text = Annotated[str, Field(min_length=1, max_length=200)]


class AbsenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    start: date
    end: date | None = None
    absence_type: AbsenceType


class WorkerRow(BaseModel):
    """One sheet row after cell parsing: field constraints, then the date-order rules across fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    employee_id: Text
    date_qualified: date
    start_date: date
    fte: Annotated[Decimal, Field(gt=0, le=1)]
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
    caseload: Annotated[int, Field(ge=0)] | None = None
    asye_start_date: date | None = None
    asye_status: AsyeStatus | None = None
    asye_review_3m: date | None = None
    asye_review_6m: date | None = None
    asye_review_9m: date | None = None
    asye_review_final: date | None = None
    prior_pqe_months: Annotated[int, Field(ge=0, le=720)] | None = None
    absences: tuple[AbsenceIn, ...] = ()

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
    absences: tuple[AbsenceIn, ...] = ()

    @model_validator(mode="after")
    def _dates_in_order(self, info: ValidationInfo) -> RowChronology:
        check_chronology(self, info)
        return self


_CROSS_FIELD_CODES = {
    "leaving-before-start",
    "qualified-in-future",
    "asye-before-qualified",
    "absence-end-before-start",
}


def check_chronology(row: WorkerRow | RowChronology, info: ValidationInfo) -> None:
    """The rules across fields, shared by both models: raises one error carrying every finding."""
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
    ("fte", "less_than_equal"): "fte-out-of-range",
    ("swe_number", "string_pattern_mismatch"): "invalid-swe-number",
    ("contract_type", "enum"): "unknown-contract-type",
    ("asye_status", "enum"): "unknown-asye-status",
    ("spinal_point", "less_than_equal"): "invalid-number",
    ("prior_pqe_months", "less_than_equal"): "invalid-number",
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


@dataclass
class ValidatedFile:
    """The importer's whole answer for one file: what can be stored, what cannot, and every finding."""

    table: RawTable
    columns: ColumnMap
    records: list[tuple[int, WorkerRecord]] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    blank_rows: int = 0

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


@dataclass
class _Pending:
    row_number: int
    model: WorkerRow | None
    issues: list[Issue]
    cells: list[Any]


class _ColumnParser:
    """Parses one column with a cache: HR sheets repeat the same dates, teams and grades thousands of times."""

    def __init__(self, parse: Parser) -> None:
        self.parse = parse
        self.cache: dict[Any, tuple[Any, CellError | None]] = {None: (None, None), "": (None, None)}

    def __call__(self, raw: Any) -> tuple[Any, CellError | None]:
        try:
            hit = self.cache.get(raw)
        except TypeError:  # an unhashable cell (no reader gives one today): parse it uncached
            return self._parse(raw)
        if hit is None:
            hit = self.cache[raw] = self._parse(raw)
        return hit

    def _parse(self, raw: Any) -> tuple[Any, CellError | None]:
        if is_blank(raw):  # 'N/A', '-', spaces: blank, whatever the column
            return None, None
        try:
            value = self.parse(raw)
        except CellError as error:
            return None, error
        if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
            return None, CellError(
                "implausible-date", f"{_uk(value)} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}"
            )
        return value, None


def validate_table(
    table: RawTable,
    columns: ColumnMap,
    as_of: date,
    profile: MappingProfile | None = None,
    progress: Callable[[int], None] | None = None,
) -> ValidatedFile:
    hours = profile.hours_per_week if profile else Decimal(37)
    plan = [
        (name, index, columns.headers[name],
         _ColumnParser(parser_for(FIELDS_BY_NAME[name].kind, hours, _value_map(profile, name))))
        for name, index in columns.columns.items()
    ]  # fmt: skip
    result = ValidatedFile(table, columns)
    # all() stops at the first filled cell, usually the first: cheap for the rows that are not blank.
    kept = [(index, cells) for index, cells in enumerate(table.rows) if not all(is_blank(c) for c in cells)]
    result.blank_rows = len(table.rows) - len(kept)
    names = [name for name, *_ in plan]
    parsed_columns, cell_issues = _parse_columns(plan, kept, table)
    rows_by_id: dict[str, list[int]] = defaultdict(list)
    pending: list[_Pending] = []
    context = {"as_of": as_of}
    for position, parsed in enumerate(zip(*parsed_columns, strict=True) if parsed_columns else ()):
        if progress is not None and position % 1000 == 0:
            progress(position)
        index, cells = kept[position]
        row_number = table.row_number(index)
        issues = cell_issues.get(position, [])
        values = _assemble(dict(zip(names, parsed, strict=True)), columns, row_number, issues)
        model, model_issues = _validate_row(values, row_number, columns, context, cells)
        issues += model_issues
        issues += _row_warnings(values, row_number, columns, as_of, cells)
        if values.get("employee_id") is not None:
            rows_by_id[values["employee_id"]].append(len(pending))
        pending.append(_Pending(row_number, model, issues, cells))
    _flag_duplicates(rows_by_id, pending, columns)
    for row in pending:
        result.issues.extend(row.issues)
        if row.model is None or (row.issues and any(issue.is_error for issue in row.issues)):
            result.rejected.append(RejectedRow(row.row_number, _raw_values(row.cells, table.headers), row.issues))
        else:
            result.records.append((row.row_number, row.model.to_record()))
    if progress is not None:
        progress(len(table.rows))
    return result


def _value_map(profile: MappingProfile | None, name: str) -> dict[str, str] | None:
    if profile is None:
        return None
    kind = FIELDS_BY_NAME[name].kind.value
    if kind in ("contract_type", "asye_status", "absence_type"):
        return profile.value_lookup(kind)  # type: ignore[arg-type]
    return None


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _parse_columns(
    plan: list[tuple[str, int, str, _ColumnParser]], kept: list[tuple[int, list[Any]]], table: RawTable
) -> tuple[list[list[Any]], dict[int, list[Issue]]]:
    """Parse column by column: each distinct value once (the cache), list comprehensions for the rest.

    Returns one list of typed values per column (None where blank or unreadable) and the cell errors by row position.
    """
    parsed_columns: list[list[Any]] = []
    cell_issues: dict[int, list[Issue]] = defaultdict(list)
    for _name, index, header, parse in plan:
        raws = [cells[index] if index < len(cells) else None for _, cells in kept]
        get = parse.cache.get
        hits = [get(raw) for raw in raws]
        if None in hits:  # parse each value not seen before once, then look every cell up again
            for raw in {raw for raw, hit in zip(raws, hits, strict=True) if hit is None}:
                parse(raw)
            hits = [get(raw) for raw in raws]
        found: list[tuple[Any, CellError | None]] = [hit for hit in hits if hit is not None]
        parsed_columns.append([value for value, _ in found])
        for position, (_, error) in enumerate(found):
            if error is not None:
                row_number = table.row_number(kept[position][0])
                cell_issues[position].append(
                    Issue(error.code, error.message, row_number, header, cell_text(raws[position]))
                )
    return parsed_columns, cell_issues


def _assemble(parsed: dict[str, Any], columns: ColumnMap, row_number: int, issues: list[Issue]) -> dict[str, Any]:
    """Fold derived inputs into model fields: hours into FTE, numbered absence columns into absences."""
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
    if not any(issue.code in _CROSS_FIELD_CODES for issue in issues):
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


def _row_warnings(
    values: dict[str, Any], row_number: int, columns: ColumnMap, as_of: date, cells: list[Any]
) -> list[Issue]:
    warnings: list[Issue] = []

    def warn(code: str, name: str, message: str) -> None:
        warnings.append(
            Issue(
                code,
                message,
                row_number,
                columns.headers.get(name, FIELDS_BY_NAME[name].label),
                _raw_text(cells, columns, name),
            )
        )

    start, qualified = values.get("start_date"), values.get("date_qualified")
    if start is not None and start > as_of:
        warn("start-in-future", "start_date", f"start date {_uk(start)} is after the as-of date {_uk(as_of)}")
    if start is not None and qualified is not None and start < qualified:
        warn(
            "started-before-qualified",
            "start_date",
            f"started {_uk(start)}, before qualifying on {_uk(qualified)} (e.g. as a social work assistant)",
        )
    if values.get("swe_number") is None and not _has_value(cells, columns, "swe_number"):
        warn("missing-swe-number", "swe_number", "no Social Work England registration number")
    status = values.get("asye_status")
    if status in ("in_progress", "passed", "failed", "extended") and values.get("asye_start_date") is None:
        warn("asye-start-missing", "asye_status", f"ASYE status '{status}' but no ASYE start date")
    return warnings


def _has_value(cells: list[Any], columns: ColumnMap, name: str) -> bool:
    index = columns.columns.get(name)
    return index is not None and not is_blank(_cell(cells, index))


def _flag_duplicates(rows_by_id: dict[str, list[int]], pending: list[_Pending], columns: ColumnMap) -> None:
    for employee_id, positions in rows_by_id.items():
        if len(positions) < 2:
            continue
        row_numbers = [pending[p].row_number for p in positions]
        for position in positions:
            row = pending[position]
            others = ", ".join(str(n) for n in row_numbers if n != row.row_number)
            row.issues.append(
                Issue(
                    "duplicate-employee-id",
                    f"employee ID {employee_id} is also on row {others}",
                    row.row_number,
                    columns.headers["employee_id"],
                    employee_id,
                )
            )


def _raw_values(cells: list[Any], headers: list[str]) -> dict[str, str]:
    return {header: cell_text(_cell(cells, i)) for i, header in enumerate(headers) if header}
