"""Values in the words people read (dd/mm/yyyy, £1,234, 12.3%, "pre-ASYE") and as machines read them (ISO dates,
numbers as numbers, snake_case keys). The CLI's tables and the terminal UI use the same words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ecf.presentation.text import clean

# The values whose words differ from their machine names. The stages' labels live with the stages (progression).
VALUE_WORDS = {
    "pre_asye": "pre-ASYE",
    "asye": "ASYE",
    "ecdp": "ECDP",
    "ecf_year_2": "ECF year 2",
    "ecf_years_3_5": "ECF years 3-5",
    "not_early_career": "not early-career",
    "fixed_term": "fixed-term",
    "not_applicable": "not applicable",
    "in_post": "in post",
    "in_force": "in force",
    "in_progress": "in progress",
    "not_started": "not started",
    "shared_parental": "shared parental",
    "contract_type": "contract",
    "fte": "FTE",
}

# Column headers that are not just the key in words ("rows_rejected" is "Rows rejected" without help).
HEADERS = {
    "employee_id": "Employee ID",
    "fte": "FTE",
    "pqe_months": "PQE months",
    "swe_number": "SWE number",
    "sha256": "SHA-256",
    "as_of": "As of",
    "due_date": "Due",
    "completed_date": "Completed",
    "milestone_name": "Milestone",
    "line_manager": "Line manager",
    "spinal_point": "SCP",
    "contract_type": "Contract",
    "start_date": "Start",
    "last_seen": "Last seen",
    "imported_at": "Imported",
    "file_name": "File",
    "employer_ni": "Employer NI",
    "financial_year": "Financial year",
    "service_2_plus": "2+ years' service",
    "service_5_plus": "5+ years' service",
    "service_8_plus": "8+ years' service",
    "agency_fte": "Agency FTE",
    "leavers_fte": "Leavers FTE",
    "establishment_fte": "Establishment FTE",
    "vacancy_fte": "Vacancy FTE",
    "experienced_from": "Experienced from",
    "agency_eligible_from": "Agency-eligible from",
    "pre_asye": "pre-ASYE",
    "asye": "ASYE",
    "ecdp": "ECDP",
    "ecf_year_2": "ECF year 2",
    "ecf_years_3_5": "ECF years 3-5",
    "in_use": "In use",
    "url": "URL",
    "row_number": "Row",
}


def header(key: str) -> str:
    """A column key in words: `rows_rejected` → "Rows rejected", `retention_12m` → "Retention 12m"."""
    if key in HEADERS:
        return HEADERS[key]
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def value_words(name: str) -> str:
    """A machine value (an enum's value) in the words the terminal UI shows."""
    return VALUE_WORDS.get(name, name.replace("_", " "))


def option_key(text: str) -> str:
    """What a person typed for an option, as its machine value: `pre-ASYE`, `pre_asye` and `Pre ASYE` agree."""
    typed = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    for name, words in VALUE_WORDS.items():
        if " ".join(words.lower().replace("-", " ").split()) == typed:
            return name
    return typed.replace(" ", "_")


def human(value: Any) -> str:
    """A value as a person reads it, safe for a terminal."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value_words(value.value)
    if isinstance(value, list | tuple):
        return "; ".join(human(v) for v in value)
    if isinstance(value, Mapping):
        return " ".join(f"{k}={human(v)}" for k, v in value.items())
    return clean(value)


def machine(value: Any) -> Any:
    """A value for csv and json: ISO dates, numbers as numbers, enums as their names."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)  # FTE and counts: exact in their shortest float text (0.6 -> 0.6)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return [machine(v) for v in value]
    if isinstance(value, Mapping):
        return {k: machine(v) for k, v in value.items()}
    return value


def pounds(value: Decimal | float) -> str:
    """Whole pounds the way finance writes them: £1,234 and -£1,234."""
    money = Decimal(str(value)).quantize(Decimal(1))
    return f"-£{-money:,}" if money < 0 else f"£{money:,}"


def percent(value: Decimal | float | None) -> str:
    """A ratio as a percentage to one decimal place; blank when there is none."""
    return "" if value is None else f"{Decimal(str(value)) * 100:.1f}%"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    # The common cells first, by exact type: a national listing writes hundreds of thousands of them.
    kind = type(value)
    if kind is str:
        return value if not value or value[0] not in FORMULA_FIRST else "'" + value
    if value is None:
        return ""
    if kind is date:
        return value.isoformat()
    if kind is int:
        return value
    value = machine(value)
    if isinstance(value, list):
        return formula_safe("; ".join(str(csv_cell(v)) for v in value))
    if isinstance(value, dict):
        return formula_safe(" ".join(f"{k}={'' if v is None else v}" for k, v in value.items()))
    if isinstance(value, str):
        return formula_safe(value)
    return "" if value is None else value


def csv_column(values: Sequence[Any], to_screen: bool = False) -> list[Any]:
    """One column's csv cells. A column repeats its texts and dates (statuses, teams, explanations) thousands of times
    in a national listing, so each distinct one is converted once. Numbers are converted every time: 0.0 and -0.0,
    or Decimal 1 and 1.0, are equal as keys but not as text."""
    if _repeated_kinds(values):  # texts, dates, statuses: the usual
        # a StrEnum member and its text are equal keys with the same cell, so sharing one is right
        converted = {value: _csv_text(value, to_screen) for value in set(values)}
        return list(map(converted.__getitem__, values))
    done: dict[Any, Any] = {}
    cells = []
    for value in values:
        if type(value) in _REPEATED or isinstance(value, StrEnum):  # a StrEnum writes as its text
            cell = done.get(value, _MISSING)
            if cell is _MISSING:
                cell = done[value] = _csv_text(value, to_screen)
        else:
            cell = _csv_text(value, to_screen)
        cells.append(cell)
    return cells


def csv_column_fields(values: Sequence[Any], to_screen: bool = False) -> list[str]:
    """csv_fields(csv_column(values, to_screen)): one column's values as csv fields. For the usual column (texts,
    dates, statuses) each distinct value goes to its field in one step and the column is mapped once, where the two
    steps each went over all of a national listing's rows."""
    if _repeated_kinds(values):
        # csv_cell makes text of every one of these kinds, so each field is that text quoted as csv_fields quotes it
        fields = {value: _csv_field(_csv_text(value, to_screen)) for value in set(values)}
        return list(map(fields.__getitem__, values))
    return csv_fields(csv_column(values, to_screen))


def csv_fields(cells: Sequence[Any]) -> list[str]:
    """One column's cells (as csv_column gives them) as csv.writer writes them in the excel dialect with "\n" line
    ends: quoted when they hold a comma, a quote or a line end, a quote doubled, None empty, anything else its str().
    A listing joins its rows from these itself: each distinct text is looked at once, where the csv module looks at
    every cell of a national listing's hundreds of thousands."""
    if set(map(type, cells)) <= {str}:  # the usual column: every cell is text already
        return list(map(_CsvText().__getitem__, cells))
    return [_csv_field("" if cell is None else str(cell)) for cell in cells]


def csv_lines(columns: Sequence[Sequence[str]]) -> str:
    """Rows of csv_fields columns as csv text, each line ended by "\n"; empty when there are no rows."""
    if len(columns) == 1:  # a row of one empty field is written "" (a blank line would be no row at all)
        columns = [[field or '""' for field in columns[0]]]
    lines = "\n".join(map(",".join, zip(*columns, strict=True)))
    return lines + "\n" if columns and columns[0] else ""


class _CsvText(dict[str, str]):
    def __missing__(self, text: str) -> str:
        self[text] = field = _csv_field(text)
        return field


def _csv_field(text: str) -> str:
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


_REPEATED = frozenset((str, date, type(None)))  # a date and an equal datetime never share a column


def _repeated_kinds(values: Sequence[Any]) -> bool:
    """Whether every value is text, a date, None or a status: kinds a column repeats, each converted once."""
    return all(kind in _REPEATED or issubclass(kind, StrEnum) for kind in set(map(type, values)))


_MISSING = object()


def _csv_text(value: Any, to_screen: bool) -> Any:
    cell = csv_cell(value)
    return clean(cell) if to_screen and isinstance(cell, str) else cell


def formula_safe(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe: names from HR sheets can
    never become formulas in a csv opened in Excel. Numbers are written as numbers and never touched."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def year_labels(months: Iterable[tuple[str, date]]) -> dict[str, str]:
    """Financial years as people should read them beside each other: a year the figures cover only part of says
    which months (`2026/27 (Dec–Mar)`), so it is never compared with a full one unawares. `months` are
    (financial year, first day of a month) pairs, as a projection's monthly totals hold them."""
    spans: dict[str, set[date]] = {}
    for year, month in months:
        spans.setdefault(year, set()).add(month.replace(day=1))
    labels = {}
    for year, covered in spans.items():
        first, last = min(covered), max(covered)
        labels[year] = year if len(covered) >= 12 else f"{year} ({first:%b}–{last:%b})"
    return labels
