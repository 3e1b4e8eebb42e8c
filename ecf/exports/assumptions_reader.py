"""Reading the Assumptions sheet of a workbook ecf exported and finance edited: found by its defined names (ECF_AWARD,
...) wherever rows and columns moved, one column per scenario, every cell checked against what the input allows.
Nothing here stores anything; a problem names the sheet, the cell and what is allowed."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from payscales.assumptions import Input, Value

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


class WorkbookProblem(ValueError):
    """The workbook's assumptions cannot be used: every problem found, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Column:
    """One scenario column as edited: each input's cell reference and value (None for a blank cell)."""

    letter: str
    cells: dict[str, tuple[str, Value | None]]

    def ref(self, key: str) -> str:
        return self.cells[key][0]

    def value(self, key: str) -> Value | None:
        return self.cells[key][1]


def read_columns(path: Path, items: Sequence[Input]) -> list[Column]:
    """The filled columns of the Assumptions sheet (an empty column is left out), each cell parsed; raises
    WorkbookProblem with every problem found."""
    import openpyxl
    from openpyxl.utils.cell import column_index_from_string, get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    label = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not an Excel workbook (.xlsx)"
        raise WorkbookProblem([f"{label}: cannot read it: {reason}"]) from exc
    try:
        names = {name.upper(): defined for name, defined in book.defined_names.items()}
        if not any(name.startswith("ECF_") for name in names):
            raise WorkbookProblem([f"{label}: no ecf assumptions in it (named cells ECF_...): edit a workbook that "
                                   "ecf export wrote"])  # fmt: skip
        problems: list[str] = []
        places: dict[str, tuple[str, int, int, int]] = {}  # key -> sheet, row, first column, last column
        for item in items:
            defined = names.get(item.name)
            if defined is None:
                problems.append(f"{label}: the named cell {item.name} ({item.label}) is missing: restore the row or "
                                "export the workbook again")  # fmt: skip
                continue
            place = _place(defined, column_index_from_string)
            if place is None:
                problems.append(f"{label}: the named cell {item.name} ({item.label}) no longer points at a row of "
                                "cells (was it deleted?)")  # fmt: skip
                continue
            places[item.key] = place
        known = {item.name for item in items}
        for name in sorted(n for n in names if n.startswith("ECF_") and n not in known):
            problems.append(f"{label}: the named cell {name} is not an input the pay settings in force have")
        if problems:
            raise WorkbookProblem(problems)
        sheet_name, _, first, last = places[items[0].key]
        for item in items:
            if places[item.key][0] != sheet_name or places[item.key][2:] != (first, last):
                problems.append(f"{label}: the named cell {item.name} does not cover the same columns as the scenario "
                                "names: restore it")  # fmt: skip
        if sheet_name not in book.sheetnames:
            problems.append(f"{label}: sheet '{sheet_name}' is missing")
        if problems:
            raise WorkbookProblem(problems)
        sheet = book[sheet_name]
        rows = sorted({places[item.key][1] for item in items})
        grid: dict[tuple[int, int], Any] = {}
        for found in sheet.iter_rows(min_row=rows[0], max_row=rows[-1], min_col=first, max_col=last):
            for cell in found:
                if hasattr(cell, "column") and cell.row in rows:
                    grid[cell.row, cell.column] = cell
        columns = []
        for col in range(first, last + 1):
            letter = get_column_letter(col)
            raw = {item.key: grid.get((places[item.key][1], col)) for item in items}
            if all(_blank(cell) for cell in raw.values()):
                continue
            cells: dict[str, tuple[str, Value | None]] = {}
            for item in items:
                ref = f"{sheet_name}!{letter}{places[item.key][1]}"
                try:
                    cells[item.key] = (ref, parse(item, raw[item.key]))
                except ValueError as exc:
                    problems.append(f"{label}, sheet {sheet_name}, cell {letter}{places[item.key][1]} "
                                    f"({item.label}): {exc}; allowed: {item.allowed}")  # fmt: skip
            columns.append(Column(letter, cells))
        if problems:
            raise WorkbookProblem(problems)
        return columns
    finally:
        book.close()


def _place(defined: Any, column_index: Any) -> tuple[str, int, int, int] | None:
    """A defined name's sheet, row and columns; None when it points nowhere (a deleted row gives #REF!)."""
    try:
        destinations = list(defined.destinations)
    except (AttributeError, ValueError, TypeError):
        return None
    if len(destinations) != 1:
        return None
    sheet, reference = destinations[0]
    match = RANGE.match(reference.replace("'", ""))
    if "#REF" in reference.upper() or match is None:
        return None
    first, row, last, last_row = match.groups()
    if last_row is not None and last_row != row:
        return None
    return sheet, int(row), column_index(first), column_index(last or first)


def _blank(cell: Any) -> bool:
    return cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


def parse(item: Input, cell: Any) -> Value | None:
    """A cell's value for an input: None when blank; ValueError saying what is wrong."""
    if _blank(cell):
        return None
    value = cell.value
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")
                                                   and getattr(cell, "data_type", None) != "s"):  # fmt: skip
        raise ValueError("it holds a formula; type the value itself")
    if item.kind in ("name", "based_on"):
        text = _text(value)
        if not NAME.match(text):
            raise ValueError(f"'{_short(text)}' is not a scenario name")
        return text
    if item.kind == "text":
        text = _text(value)
        if len(text) > int(item.high):
            raise ValueError(f"the text is {len(text)} characters long")
        return text
    if item.kind == "choice":
        text = _text(value)
        if text not in item.choices:
            raise ValueError(f"'{_short(text)}' is not one of the choices")
        return text
    number = _number(value)
    if not item.low <= number <= item.high:
        raise ValueError(f"{_short(str(value))} is out of range")
    if item.kind == "months":
        if number != number.to_integral_value():
            raise ValueError(f"{_short(str(value))} is not a whole number")
        return int(number)
    return number


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{_short(str(value))}' is text, not a number" if isinstance(value, str) else
                         f"{_short(str(value))} is not a number")  # fmt: skip
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{_short(str(value))} is not a number") from exc
    # Excel keeps 15 significant digits: 0.04 typed is 0.04, not a float's tail.
    return Decimal(f"{number:.12g}") if number else Decimal(0)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{_short(str(value))} is a number, not text")
    return value.strip()


def _short(text: str) -> str:
    """A cell's value quoted in a message: short, and one line."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."
