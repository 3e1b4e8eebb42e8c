"""The finance workbook: a pay projection as an Excel file a budget holder can audit, recalculate and present.

Written with XlsxWriter in constant-memory mode, row by row. Strings are always written as text: nothing that came
from an HR sheet can become a formula. Formulas are written only through `_formula`, on purpose: the summary totals
are SUMIFS over the detail sheets, each with the engine's figure cached so a viewer that does not recalculate still
shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ecf import files
from ecf.exports.assumptions import write_assumptions
from ecf.exports.errors import ExportError
from ecf.exports.printing import Print, set_up
from ecf.exports.sensitivity_sheet import write_sensitivity
from ecf.exports.streamed import Block, sheet_part, splice
from ecf.presentation.formats import year_labels
from ecf.progression.calendar import uk
from payscales.results import Projection
from payscales.rules import PayBook
from payscales.sensitivity import Sensitivity

MONEY_COLUMNS = ("salary", "employer_ni", "pension", "levy", "agency")
HEADINGS = {
    "fte": "FTE", "salary": "Salary", "employer_ni": "Employer NI", "pension": "Employer pension", "levy":
    "Apprenticeship levy", "agency": "Agency", "total": "Total cost", "leavers": "Leavers", "grant_income":
    "ASYE grant income", "net_total": "Net cost", "experienced": "New experienced practitioners",
}  # fmt: skip
DETAIL = ("fte", *MONEY_COLUMNS, "leavers", "grant_income", "experienced")
UNITS = ("fte", "leavers", "experienced")  # counts; every other figure is money
# Charts print whole, two to a landscape A4 page and never beside a table: each is 15 rows high (288 px at 20 px
# a row, and a margin), the second of a page 16 rows below the first, and the third starts a page of its own.
CHART_ROWS = 16
SUMMARY_LABEL_WIDTH = 30  # the Summary's first column (characters): the row labels, and each block's title
EXCEL_ROWS = 1_048_576  # rows a worksheet holds in Excel, the headings' row included
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.0}
CHART_AT = (0, CHART_ROWS, 2 * CHART_ROWS)
CHART_PAGES = (2 * CHART_ROWS,)


@dataclass(frozen=True)
class ExportInput:
    council: str
    projections: Sequence[Projection]
    book: PayBook
    data_as_of: date | None
    produced: datetime
    names: dict[str, str] = field(default_factory=dict)  # employee_id -> name; empty when pseudonymised
    pseudonyms: dict[str, str] = field(default_factory=dict)  # employee_id -> stable code, when pseudonymised
    sensitivity: Sensitivity | None = None  # adds the Sensitivity sheet (after Charts) with its tornado chart


def write_workbook(path: Path, content: ExportInput, force: bool = False) -> Path:
    """Write the workbook next to `path` first, then move it into place: a failure leaves any old file untouched."""
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"{path.name}: the workbook must be an .xlsx file")
    if path.exists() and not force:
        raise ExportError(f"{path} exists already; pass --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    needed = 1 + sum(len(p.worker_ids) * len(set(p.grid.financial_years)) for p in content.projections)
    if needed > EXCEL_ROWS:  # Excel would call the file damaged and drop the rows past its last
        raise ExportError(
            f"the Workers sheet would need {needed:,} rows, more than the {EXCEL_ROWS:,} a sheet holds in Excel: "
            "export one scenario at a time, or fewer years"
        )
    try:  # private (0600), in the target's folder, never through a link; removed on any failure or kill -TERM
        temporary = files.new_temporary(path)
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        with files.scratch_folder() as scratch:  # XlsxWriter's row files hold names: removed with the rest
            _Writer(temporary, content, scratch).write()
        files.publish(temporary, path, overwrite=force)
    except FileExistsError as exc:
        raise ExportError(f"{path} exists already; pass --force to replace it") from exc
    except PermissionError as exc:
        raise ExportError(f"cannot write {path}: it is open in another program or not writable") from exc
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        files.discard(temporary)
    return path


class _Writer:
    def __init__(self, path: Path, content: ExportInput, scratch: Path | None = None) -> None:
        self.content = content
        self.path = path
        self.pending: dict[str, list[Block]] = {}  # a long sheet's rows after its first: streamed in after closing
        self.book: Workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,  # rows go straight to disk: memory does not grow with the row count
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "dd/mm/yyyy",
                "tmpdir": str(scratch) if scratch else None,  # its row files hold names
            },
        )
        self.book.set_properties({"title": f"{content.council}: pay projection", "company": content.council})
        bold = {"bold": True}
        self.formats = {
            "title": self.book.add_format({"bold": True, "font_size": 16}),
            "heading": self.book.add_format({**bold, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
            "bold": self.book.add_format(bold),
            "money": self.book.add_format({"num_format": "£#,##0"}),
            "money_bold": self.book.add_format({"num_format": "£#,##0", **bold}),
            "pence": self.book.add_format({"num_format": "£#,##0.00"}),
            "number": self.book.add_format({"num_format": "#,##0.00"}),
            "percent": self.book.add_format({"num_format": "0.0%"}),
            "date": self.book.add_format({"num_format": "dd/mm/yyyy"}),
            "text": self.book.add_format({"text_wrap": True, "valign": "top"}),
            "label": self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        }
        self.monthly_rows: dict[str, tuple[int, int]] = {}  # scenario -> first and last data row (0-based)
        self.last_rows: dict[str, int] = {}  # a streamed sheet's last row (0-based): its print area ends there

    def write(self) -> None:
        cover = self.book.add_worksheet("Cover")
        assumptions = self.book.add_worksheet("Assumptions")
        summary = self.book.add_worksheet("Summary")
        monthly = self.book.add_worksheet("Monthly")
        teams = self.book.add_worksheet("By team")
        grades = self.book.add_worksheet("By grade and stage")
        workers = self.book.add_worksheet("Workers")
        charts = self.book.add_worksheet("Charts")
        tornado = self.book.add_worksheet("Sensitivity") if self.content.sensitivity else None
        # constant_memory writes a sheet's rows in order, so each sheet is written whole, top to bottom.
        self._cover(cover)
        self._assumptions(assumptions)
        self._monthly(monthly)
        self._summary(summary)
        self._by(teams, "team", "Team")
        self._grades(grades)
        self._workers(workers)
        self._charts(charts)
        if tornado is not None and self.content.sensitivity is not None:
            write_sensitivity(self.book, tornado, self.content.sensitivity)
        as_of = uk(self.content.data_as_of) if self.content.data_as_of else "no data"
        for sheet, layout in (
            (cover, Print()), (assumptions, Print((0, 0))), (summary, Print((0, 1))), (monthly, Print((0, 0))),
            (teams, Print((0, 0), last_row=self.last_rows[teams.name])),
            (grades, Print((0, 0), last_row=self.last_rows[grades.name])),
            (workers, Print((0, 0), personal=True, area=False)),  # IDs or codes for them: personal data either way
            (charts, Print(page_breaks=CHART_PAGES, last_row=CHART_AT[-1] + CHART_ROWS, last_column=11)),
            *([(tornado, Print((0, 0)))] if tornado is not None else []),
        ):  # fmt: skip
            set_up(sheet, as_of, layout)
        self.book.close()
        splice(self.path, self.pending)

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _text(self, sheet: Worksheet, row: int, col: int, value: object, fmt: Any = None) -> None:
        sheet.write_string(row, col, "" if value is None else str(value), fmt)

    def _number(self, sheet: Worksheet, row: int, col: int, value: float | Decimal, fmt: Any = None) -> None:
        sheet.write_number(row, col, float(value), fmt)

    def _formula(self, sheet: Worksheet, row: int, col: int, formula: str, value: float, fmt: Any = None) -> None:
        """The only place a formula is written: always one we built, with the engine's figure cached."""
        sheet.write_formula(row, col, formula, fmt, round(value, 2))

    def _headings(self, sheet: Worksheet, row: int, names: Sequence[str], widths: Sequence[int]) -> None:
        for col, (name, width) in enumerate(zip(names, widths, strict=True)):
            self._text(sheet, row, col, name, self.formats["heading"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(row + 1, 0)
        sheet.repeat_rows(row)

    # --- sheets ----------------------------------------------------------------------------------------------------

    def _cover(self, sheet: Worksheet) -> None:
        content, first = self.content, self.content.projections[0]
        sheet.set_column(0, 0, COVER_WIDTHS[0])
        sheet.set_column(1, 1, COVER_WIDTHS[1])
        self._text(sheet, 0, 0, f"{content.council}: children's social work pay projection", self.formats["title"])
        lines: list[tuple[str, str]] = [
            ("Council", content.council),
            ("Scenarios", "; ".join(f"{p.scenario.name} ({p.scenario.id})" for p in content.projections)),
            ("Data as of", uk(content.data_as_of) if content.data_as_of else "no data"),
            ("Projection", f"{len(first.grid)} months from {uk(first.grid.starts[0])} (expected values)"),
            ("Produced", content.produced.strftime("%d/%m/%Y %H:%M")),
        ]
        for projection in content.projections:
            lines.append((f"Scenario: {projection.scenario.id}", projection.scenario.description))
        for scale in content.book.scales.values():
            lines.append((f"Scale: {scale.name}", f"{scale.source.title} [{scale.source.confidence.value}]"))
        oncosts, hazards, agency = content.book.oncosts, content.book.hazards, content.book.agency
        lines += [
            ("On-costs", f"{oncosts.source.title} [{oncosts.source.confidence.value}]"),
            ("Leaving", f"{first.calibration.source} (method: {first.calibration.method})"),
            ("Hazard data", f"{hazards.source.title} [{hazards.source.confidence.value}]"),
            ("Agency rates", f"{agency.source.title} [{agency.source.confidence.value}]"),
            ("Assumptions in force", "every input is on the Assumptions sheet, with its source"),
            ("Personal data", "names are replaced by stable codes" if content.pseudonyms else
             "names shown; no special-category fields are ever exported"),
        ]  # fmt: skip
        for row, (label, value) in enumerate(lines, start=2):
            sheet.set_row(row, cover_height(label, value))  # wrapped text gets its lines: nothing overlaps in print
            self._text(sheet, row, 0, label, self.formats["label"])
            self._text(sheet, row, 1, value, self.formats["text"])

    def _assumptions(self, sheet: Worksheet) -> None:
        write_assumptions(self.book, sheet, self.content.book, self.content.projections)

    def _monthly(self, sheet: Worksheet) -> None:
        names = ["Scenario", "Month", "Financial year", *(HEADINGS[c] for c in ("fte", *MONEY_COLUMNS)), "Total cost",
                 "Leavers", "ASYE grant income", "Net cost", "New experienced practitioners"]  # fmt: skip
        self._headings(sheet, 0, names, [14, 11, 12, 9, 14, 13, 13, 12, 13, 14, 9, 13, 14, 14])
        row = 1
        for projection in self.content.projections:
            table = projection.totals("month", "financial_year")
            first = row
            for record in table.itertuples(index=False):
                self._text(sheet, row, 0, projection.scenario.id)
                sheet.write_datetime(row, 1, datetime.combine(record.month, datetime.min.time()), self.formats["date"])
                self._text(sheet, row, 2, record.financial_year)
                self._number(sheet, row, 3, record.fte, self.formats["number"])
                for col, name in enumerate(MONEY_COLUMNS, start=4):
                    self._number(sheet, row, col, getattr(record, name), self.formats["pence"])
                self._formula(sheet, row, 9, f"=SUM(E{row + 1}:I{row + 1})", record.total, self.formats["pence"])
                self._number(sheet, row, 10, record.leavers, self.formats["number"])
                self._number(sheet, row, 11, record.grant_income, self.formats["pence"])
                self._formula(sheet, row, 12, f"=J{row + 1}-L{row + 1}", record.net_total, self.formats["pence"])
                self._number(sheet, row, 13, record.experienced, self.formats["number"])
                row += 1
            self.monthly_rows[projection.scenario.id] = (first, row - 1)
        sheet.autofilter(0, 0, max(row - 1, 1), len(names) - 1)

    def _summary(self, sheet: Worksheet) -> None:
        """Totals by financial year as SUMIFS over the Monthly sheet, one block per scenario, then the difference."""
        sheet.set_column(0, 0, SUMMARY_LABEL_WIDTH)
        self._text(sheet, 0, 0, "Summary by financial year (April - March), expected values", self.formats["title"])
        row = 2
        lines = [("fte", "FTE (average)"), *((c, HEADINGS[c]) for c in MONEY_COLUMNS), ("total", "Total cost"),
                 ("leavers", "Leavers"), ("grant_income", "ASYE grant income"), ("net_total", "Net cost"),
                 ("experienced", "New experienced practitioners")]  # fmt: skip
        source = {"fte": "D", "salary": "E", "employer_ni": "F", "pension": "G", "levy": "H", "agency": "I",
                  "leavers": "K", "grant_income": "L", "experienced": "N"}  # fmt: skip
        blocks: list[tuple[str, int, list[str]]] = []
        for projection in self.content.projections:
            table = projection.totals("financial_year").set_index("financial_year")
            years = list(table.index)
            scenario = projection.scenario.id
            first, last = (r + 1 for r in self.monthly_rows[scenario])
            self._block_title(sheet, row, f"{projection.scenario.name} ({scenario})")
            labels = _year_labels(projection)
            for col, year in enumerate(years, start=1):
                self._text(sheet, row, col, labels.get(year, year), self.formats["heading"])
                sheet.set_column(col, col, 17)
            top = row + 1
            for offset, (name, label) in enumerate(lines):
                r = top + offset
                self._text(sheet, r, 0, label)
                for col, year in enumerate(years, start=1):
                    value = float(table.loc[year, name])
                    fmt = self.formats["money"] if name in (*MONEY_COLUMNS, "total", "grant_income", "net_total") else (
                        self.formats["number"])  # fmt: skip
                    if name == "total":
                        cells = [xl_rowcol_to_cell(top + lines.index((c, HEADINGS[c])), col) for c in MONEY_COLUMNS]
                        self._formula(sheet, r, col, "=" + "+".join(cells), value, self.formats["money_bold"])
                    elif name == "net_total":
                        total = xl_rowcol_to_cell(top + 6, col)
                        grant = xl_rowcol_to_cell(top + 8, col)
                        self._formula(sheet, r, col, f"={total}-{grant}", value, fmt)
                    else:
                        column = source[name]
                        where = (f'Monthly!$A${first}:$A${last},"{scenario}",Monthly!$C${first}:$C${last},'
                                 f'"{year}"')  # fmt: skip
                        formula = f"=SUMIFS(Monthly!${column}${first}:${column}${last},{where})"
                        if name == "fte":
                            formula = f"{formula}/COUNTIFS({where})"
                        self._formula(sheet, r, col, formula, value, fmt)
            blocks.append((scenario, top, years))
            row = top + len(lines) + 1
        if len(blocks) == 2:
            (first_id, first_top, years), (second_id, second_top, _) = blocks
            self._block_title(sheet, row, f"Difference: {second_id} less {first_id}")
            labels = _year_labels(self.content.projections[0])
            for col, year in enumerate(years, start=1):
                self._text(sheet, row, col, labels.get(year, year), self.formats["heading"])
            base = self.content.projections[0].totals("financial_year").set_index("financial_year")
            other = self.content.projections[1].totals("financial_year").set_index("financial_year")
            for offset, (name, label) in enumerate(lines):
                r = row + 1 + offset
                self._text(sheet, r, 0, label)
                for col, year in enumerate(years, start=1):
                    a, b = xl_rowcol_to_cell(second_top + offset, col), xl_rowcol_to_cell(first_top + offset, col)
                    value = float(other.loc[year, name] - base.loc[year, name])
                    fmt = self.formats["money"] if name in (*MONEY_COLUMNS, "total", "grant_income", "net_total") else (
                        self.formats["number"])  # fmt: skip
                    self._formula(sheet, r, col, f"={a}-{b}", value, fmt)
        self.summary_blocks = blocks
        self.summary_lines = lines
        sheet.freeze_panes(2, 1)

    def _block_title(self, sheet: Worksheet, row: int, title: str) -> None:
        """A Summary block's title in its first column, beside the year headings: wrapped onto as many lines as it
        takes (a scenario's own name can be long), where the next cell would have cut it off on screen and on paper."""
        self._text(sheet, row, 0, title, self.formats["label"])
        lines = -(-len(title) // (SUMMARY_LABEL_WIDTH - 3))  # bold letters are wider: a little room kept
        if lines > 1:
            sheet.set_row(row, 15.0 * lines)

    def _by(self, sheet: Worksheet, dimension: str, heading: str) -> None:
        names = ["Scenario", "Financial year", heading, *(HEADINGS[c] for c in DETAIL), "Total cost"]
        self._headings(sheet, 0, names, [14, 12, 26, 9, 14, 13, 13, 12, 13, 9, 13, 14, 14])
        blocks = [
            self._detail_block(projection.scenario.id, projection.totals("financial_year", dimension), [dimension])
            for projection in self.content.projections
        ]
        self._stream(sheet, blocks, len(names))

    def _grades(self, sheet: Worksheet) -> None:
        names = ["Scenario", "Financial year", "By", "Grade or stage", *(HEADINGS[c] for c in DETAIL), "Total cost"]
        self._headings(sheet, 0, names, [14, 12, 8, 22, 9, 14, 13, 13, 12, 13, 9, 13, 14, 14])
        blocks = []
        for projection in self.content.projections:
            for dimension in ("grade", "stage"):
                table = projection.totals("financial_year", dimension)
                table.insert(0, "by", dimension)
                blocks.append(self._detail_block(projection.scenario.id, table, ["by", dimension]))
        self._stream(sheet, blocks, len(names))

    def _detail_block(self, scenario: str, table: pd.DataFrame, keys: list[str]) -> Block:
        """A finance table's rows as columns: scenario, year and keys as text, the figures as numbers, and the total
        cost as a SUM over the row's money columns (with the engine's figure cached)."""
        texts = [np.full(len(table), scenario, dtype=object), table["financial_year"].to_numpy(dtype=object)]
        texts += [table[key].to_numpy(dtype=object) for key in keys]
        first_money = len(texts) + DETAIL.index(MONEY_COLUMNS[0])
        money = [xl_col_to_name(first_money + i) for i in range(len(MONEY_COLUMNS))]
        totals = np.array([round(value, 2) for value in table["total"].tolist()], dtype=float)
        numbers = [table[name].to_numpy(dtype=float) for name in DETAIL]
        # totals gives money to the penny
        return Block(texts, numbers, f"SUM({money[0]}{{row}}:{money[-1]}{{row}})", totals, _money(DETAIL))

    def _stream(self, sheet: Worksheet, blocks: list[Block], width: int) -> None:
        """Write the first row of a long sheet with XlsxWriter (so its cell styles exist); the rest is streamed into
        the saved file (ecf.exports.streamed), with the autofilter and print area over every row."""
        blocks = [block for block in blocks if block.rows]
        rows = sum(block.rows for block in blocks)
        if rows:
            first = blocks[0]
            for col, values in enumerate(first.texts):
                self._text(sheet, 1, col, values[0])
            col = len(first.texts)
            for name, amounts in zip(DETAIL, first.numbers, strict=True):
                fmt = self.formats["number"] if name in UNITS else self.formats["pence"]
                self._number(sheet, 1, col, float(amounts[0]), fmt)
                col += 1
            assert first.formula is not None and first.results is not None
            self._formula(sheet, 1, col, "=" + first.formula.format(row=2), float(first.results[0]),
                          self.formats["pence"])  # fmt: skip
            self.pending[sheet_part(sheet.index + 1)] = blocks
        self.last_rows[sheet.name] = rows
        sheet.autofilter(0, 0, max(rows, 1), width - 1)

    def _workers(self, sheet: Worksheet) -> None:
        """One row per worker per financial year: the workers here on the as-of date, their own expected figures.

        Hundreds of thousands of rows at national scale: XlsxWriter writes the headings and the first row (so the
        cell styles exist), and the rest is streamed straight into the sheet's XML after the workbook is closed
        (`ecf.exports.streamed`), about ten times faster than cell-by-cell calls."""
        named = bool(self.content.names) and not self.content.pseudonyms
        who = "Worker" if self.content.pseudonyms else "Employee ID"
        names = [
            "Scenario", who, *(["Name"] if named else []), "Team", "Grade", "Financial year", "FTE",
            *(HEADINGS[c] for c in MONEY_COLUMNS), "Leavers",
        ]  # fmt: skip
        self._headings(sheet, 0, names, [14, 12, *([24] if named else []), 24, 8, 12, 8, 12, 11, 11, 10, 11, 8])
        blocks: list[Block] = []
        for projection in self.content.projections:
            table = projection.worker_years()
            if table.empty:
                continue
            ids = table["employee_id"].to_numpy(dtype=object)
            labels = [self.content.pseudonyms.get(i, i) for i in ids] if self.content.pseudonyms else ids
            texts = [np.full(len(ids), projection.scenario.id, dtype=object), np.asarray(labels, dtype=object)]
            if named:
                texts.append(np.asarray([self.content.names.get(i, "") for i in ids], dtype=object))
            texts += [table[c].to_numpy(dtype=object) for c in ("team", "grade", "financial_year")]
            figures = ("fte", *MONEY_COLUMNS, "leavers")
            numbers = [table[c].to_numpy(dtype=float) for c in figures]
            blocks.append(Block(texts, numbers, pennies=_money(figures)))  # worker_years gives money to the penny
        total = sum(block.rows for block in blocks)
        self.pending[sheet_part(sheet.index + 1)] = blocks
        if total:
            first = blocks[0]
            for col, values in enumerate(first.texts):
                self._text(sheet, 1, col, values[0])
            pence, number = self.formats["pence"], self.formats["number"]
            for offset, amounts in enumerate(first.numbers):
                fmt = number if offset in (0, 6) else pence  # FTE and leavers are counts, the rest money
                sheet.write_number(1, len(first.texts) + offset, float(amounts[0]), fmt)
        sheet.autofilter(0, 0, max(total, 1), len(names) - 1)

    def _charts(self, sheet: Worksheet) -> None:
        """Native charts: total cost by financial year per scenario; FTE over time; cost split by component."""
        blocks, lines = self.summary_blocks, self.summary_lines
        total_row = next(i for i, (name, _) in enumerate(lines) if name == "total")
        by_year = self.book.add_chart({"type": "column"})
        for scenario, top, years in blocks:
            by_year.add_series({
                "name": scenario,
                "categories": ["Summary", top - 1, 1, top - 1, len(years)],
                "values": ["Summary", top + total_row, 1, top + total_row, len(years)],
            })  # fmt: skip
        by_year.set_title({"name": "Total cost by financial year"})
        by_year.set_y_axis({"num_format": "£#,##0"})
        sheet.insert_chart(CHART_AT[0], 0, by_year, CHART_SIZE)
        fte = self.book.add_chart({"type": "line"})
        for scenario, (first, last) in self.monthly_rows.items():
            fte.add_series({"name": scenario, "categories": ["Monthly", first, 1, last, 1],
                            "values": ["Monthly", first, 3, last, 3]})  # fmt: skip
        fte.set_title({"name": "FTE over time"})
        fte.set_x_axis({"date_axis": True, "num_format": "mmm yy"})
        sheet.insert_chart(CHART_AT[1], 0, fte, CHART_SIZE)
        split = self.book.add_chart({"type": "column", "subtype": "stacked"})
        scenario, top, years = blocks[0]
        for offset, (name, label) in enumerate(lines):
            if name in MONEY_COLUMNS:
                split.add_series({"name": label, "categories": ["Summary", top - 1, 1, top - 1, len(years)],
                                  "values": ["Summary", top + offset, 1, top + offset, len(years)]})  # fmt: skip
        split.set_title({"name": f"Cost by component ({scenario})"})
        split.set_y_axis({"num_format": "£#,##0"})
        sheet.insert_chart(CHART_AT[2], 0, split, CHART_SIZE)


COVER_WIDTHS = (34, 96)  # label and text columns: together one landscape A4 page wide


def cover_height(label: str, value: str) -> float:
    """Points for a Cover row: a line (15 pt) for each line its wrapped label or text takes."""
    lines = max(-(-len(label) // (COVER_WIDTHS[0] - 2)), -(-len(value) // (COVER_WIDTHS[1] - 4)), 1)
    return 15.0 * lines


def _year_labels(projection: Projection) -> dict[str, str]:
    """`2026/27 (Dec–Mar)` for a financial year the projection covers only part of."""
    monthly = projection.totals("month")
    return year_labels(zip(monthly["financial_year"], monthly["month"], strict=True))


def _money(figures: tuple[str, ...]) -> frozenset[int]:
    """The positions of the money among a long sheet's figures (streamed as whole pennies)."""
    return frozenset(i for i, name in enumerate(figures) if name not in UNITS)
