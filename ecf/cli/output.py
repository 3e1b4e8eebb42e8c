"""The `--format csv|json|table` convention every listing command keeps.

csv and json are for machines: ISO dates, full columns. table is for people: dd/mm/yyyy, the columns that fit.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


console = Console()
errors = Console(stderr=True)


def human(value: Any) -> str:
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
    if isinstance(value, list | tuple):
        return "; ".join(human(v) for v in value)
    return str(value)


def machine(value: Any) -> Any:
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


def _csv_cell(value: Any) -> Any:
    value = machine(value)
    if isinstance(value, list):
        return _safe_text("; ".join(str(_csv_cell(v)) for v in value))
    if isinstance(value, dict):
        return _safe_text(" ".join(f"{k}={'' if v is None else v}" for k, v in value.items()))
    if isinstance(value, str):
        return _safe_text(value)
    return "" if value is None else value


def _safe_text(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe: names from HR sheets can
    never become formulas in a csv opened in Excel. Numbers are written as numbers and never touched."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    title: str | None = None,
    table_columns: Sequence[str] | None = None,
    empty: str = "Nothing to show.",
) -> None:
    if fmt is Format.JSON:
        json.dump([{c: machine(row.get(c)) for c in columns} for row in rows], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if fmt is Format.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(row.get(c)) for c in columns] for row in rows])
        return
    if not rows:
        console.print(empty)
        return
    shown = list(table_columns or columns)
    table = Table(title=title, header_style="bold", title_justify="left")
    for column in shown:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(human(row.get(c)) for c in shown))
    console.print(table)
