"""The Assumptions sheet: every scenario's inputs side by side, one column per scenario, as cells finance can edit and
bring back with `ecf scenario import`.

Each input row is a defined name (ECF_AWARD, ECF_VACANCY_MONTHS, ...) over the scenario columns, so the workbook is
recognised by its names wherever rows or columns move. Input cells are unlocked and validated (rates 0-100%, months
0-24, policies from their choices); the rest of the sheet is protected (no password: it guards against slips, not
people). Empty columns at the right are for new scenarios. Everything from a person (names, titles) is written as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ecf.progression.calendar import uk
from payscales.assumptions import Input, inputs, values
from payscales.results import Projection
from payscales.rules import PayBook, Scenario

SHEET = "Assumptions"
SPARE = 6  # empty columns for new scenarios
FIRST_COLUMN = 4  # E: columns A-D hold the assumption, unit, what is allowed and the source
HEADER_ROW = 3
INSTRUCTIONS = (
    "Yellow cells are inputs, one column per scenario. To make a scenario, copy a column into an empty yellow column, "
    "give it a new name and change what you like (a blank cell keeps the value of the scenario it is based on); or "
    "change a scenario's own column. Bring the workbook back with: ecf scenario import FILE.xlsx. The other sheets "
    "hold the engine's figures for the scenarios projected and do not change when you edit here."
)


def ordered(book: PayBook, projections: Sequence[Projection]) -> list[Scenario]:
    """The scenarios projected first, then every other scenario in force."""
    first = [p.scenario for p in projections]
    chosen = {s.id for s in first}
    return [*first, *(s for name, s in sorted(book.scenarios.items()) if name not in chosen)]


def write_assumptions(workbook: Workbook, sheet: Worksheet, book: PayBook, projections: Sequence[Projection]) -> None:
    """Rows in order, top to bottom (the workbook is written in constant-memory mode)."""
    formats = _formats(workbook)
    scenarios = ordered(book, projections)
    columns = len(scenarios) + SPARE
    last_column = FIRST_COLUMN + columns - 1
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 3, 40)
    sheet.set_column(FIRST_COLUMN, last_column, 16)
    sheet.write_string(0, 0, "Assumptions: the inputs of every scenario", formats["title"])
    sheet.merge_range(1, 0, 1, FIRST_COLUMN + 3, INSTRUCTIONS, formats["note"])  # our own text, never user input
    sheet.set_row(1, 48)
    projected = ", ".join(p.scenario.id for p in projections)
    sheet.write_string(2, 0, f"Projected in this workbook: {projected}", formats["bold"])
    items = inputs(book)
    by_scenario = [values(book, s) for s in scenarios]
    for offset, item in enumerate(items):
        row = HEADER_ROW + offset
        head = formats["heading"] if item.kind == "name" else None
        sheet.write_string(row, 0, item.label, head)
        sheet.write_string(row, 1, item.unit, head)
        sheet.write_string(row, 2, item.allowed, head or formats["small"])
        sheet.write_string(row, 3, _source(book, scenarios, item), head or formats["small"])
        cell = formats[item.kind]
        for col in range(columns):
            where = FIRST_COLUMN + col
            if col < len(scenarios):
                _put(sheet, row, where, by_scenario[col][item.key], item, cell)
            else:
                sheet.write_blank(row, where, None, cell)
        workbook.define_name(item.name, f"={SHEET}!${xl_col_to_name(FIRST_COLUMN)}${row + 1}:"
                                        f"${xl_col_to_name(last_column)}${row + 1}")  # fmt: skip
        sheet.data_validation(row, FIRST_COLUMN, row, last_column, _validation(item, sorted(book.scenarios)))
    row = HEADER_ROW + len(items) + 1
    row = _fixed(sheet, row, book, projections, formats)
    sheet.freeze_panes(HEADER_ROW + 1, FIRST_COLUMN)
    sheet.repeat_rows(HEADER_ROW)
    sheet.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                       "select_unlocked_cells": True})  # fmt: skip


def _put(sheet: Worksheet, row: int, col: int, value: object, item: Input, fmt: Any) -> None:
    if item.kind in ("name", "based_on", "text", "choice"):
        sheet.write_string(row, col, str(value), fmt)  # text, never a formula, whatever it looks like
    else:
        sheet.write_number(row, col, float(Decimal(str(value))), fmt)


def _source(book: PayBook, scenarios: Sequence[Scenario], item: Input) -> str:
    notes = scenarios[0].notes if scenarios else {}
    if item.key == "AWARD":
        return notes.get("pay_award_assumption", "scenario input: an assumption, not a forecast")
    if item.key == "TURNOVER":
        return f"{book.hazards.source.title} ({book.hazards.source.reference})"
    if item.key == "LGPS":
        return book.oncosts.pension.note
    if item.kind == "money":
        return book.agency.notes.get("rates", book.agency.source.title)
    if item.key == "FIRST_INCREMENT_MONTHS":
        return notes.get("first_increment_min_months", "scenario input")
    if item.kind == "multiplier":
        return "times the leaving hazard for workers at this stage (1 = no change)"
    return "scenario input" if item.kind not in ("name", "based_on") else ""


def _validation(item: Input, names: list[str]) -> dict[str, Any]:
    message = {"error_title": item.label[:32], "error_message": f"Allowed: {item.allowed}"[:255]}
    if item.kind in ("rate", "multiplier", "money"):
        return {"validate": "decimal", "criteria": "between", "minimum": float(item.low),
                "maximum": float(item.high), **message}  # fmt: skip
    if item.kind == "months":
        return {"validate": "integer", "criteria": "between", "minimum": int(item.low), "maximum": int(item.high),
                **message}  # fmt: skip
    if item.kind == "choice":
        return {"validate": "list", "source": list(item.choices), **message}
    if item.kind == "based_on" and sum(len(n) + 1 for n in names) < 255:
        return {"validate": "list", "source": names, **message}
    limit = 40 if item.kind == "name" else int(item.high) if item.kind == "text" else 255
    return {"validate": "length", "criteria": "between", "minimum": 0, "maximum": limit, **message}


def _fixed(
    sheet: Worksheet, row: int, book: PayBook, projections: Sequence[Projection], formats: dict[str, Any]
) -> int:
    """The figures every scenario shares (set in the council's pay file) and the leaving hazards worked out: shown,
    not edited here."""
    sheet.write_string(row, 0, "The same for every scenario (set them in the council's pay file: ecf pay set)",
                       formats["bold"])  # fmt: skip
    row += 1
    lines: list[tuple[str, str, float, str, Any]] = []
    for projection in projections:
        cal = projection.calibration
        lines += [
            (f"Leaving hazard, under 5 years' service ({projection.scenario.id})", "a year", cal.under_5, cal.source,
             formats["percent"]),
            (f"Leaving hazard, 5 years and over ({projection.scenario.id})", "a year", cal.five_plus, cal.source,
             formats["percent"]),
        ]  # fmt: skip
    oncosts, agency = book.oncosts, book.agency
    pension = oncosts.pension
    lines.append(("LGPS secondary contribution (rate)", "of pay", float(pension.secondary_rate),
                  pension.secondary_note, formats["percent"]))  # fmt: skip
    lines.append(("LGPS secondary contribution (lump sum)", "£ a year", float(pension.secondary_annual),
                  pension.secondary_note, formats["fixed_money"]))  # fmt: skip
    allowance = oncosts.levy.annual_allowance if oncosts.levy.apply_allowance else 0
    lines.append(("Apprenticeship levy allowance", "£ a year", float(allowance), oncosts.levy.note,
                  formats["fixed_money"]))  # fmt: skip
    lines.append(("Apprenticeship levy", "of pay", float(oncosts.levy.rate), oncosts.levy.note, formats["percent"]))
    for period in oncosts.employer_ni:
        when = f"from {uk(period.from_)}"
        lines.append((f"Employer NI rate {when}", "above threshold", float(period.rate),
                      period.note or oncosts.source.title, formats["percent"]))  # fmt: skip
        lines.append((f"NI secondary threshold {when}", "£ a month", float(period.monthly_threshold),
                      oncosts.source.title, formats["fixed_money"]))  # fmt: skip
    lines.append(("Agency hours a week", "hours", float(agency.hours_per_week), agency.source.title, None))
    lines.append(("Agency weeks a year", "weeks", float(agency.weeks_per_year),
                  agency.notes.get("weeks_per_year", ""), None))  # fmt: skip
    for label, unit, value, source, fmt in lines:
        sheet.write_string(row, 0, label)
        sheet.write_string(row, 1, unit)
        sheet.write_string(row, 3, source, formats["small"])
        sheet.write_number(row, FIRST_COLUMN, value, fmt)
        row += 1
    return row


def _formats(workbook: Workbook) -> dict[str, Any]:
    edit = {"locked": False, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 16}),
        "bold": workbook.add_format({"bold": True}),
        "note": workbook.add_format({"text_wrap": True, "valign": "top", "italic": True}),
        "small": workbook.add_format({"font_size": 9, "text_wrap": True, "valign": "top"}),
        "heading": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "fixed_money": workbook.add_format({"num_format": "£#,##0"}),
        "name": workbook.add_format({**edit, "bold": True}),
        "based_on": workbook.add_format(edit),
        "text": workbook.add_format({**edit, "text_wrap": False}),
        "choice": workbook.add_format(edit),
        "rate": workbook.add_format({**edit, "num_format": "0.0#%"}),
        "months": workbook.add_format({**edit, "num_format": "0"}),
        "multiplier": workbook.add_format({**edit, "num_format": "0.0#"}),
        "money": workbook.add_format({**edit, "num_format": "£#,##0.00"}),
    }
