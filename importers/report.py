"""The error report saved beside the input: `<name>.errors.xlsx` (or `.errors.csv` for a csv input).

Every cell value from HR's sheet is written as text, never as a formula: a name such as '=HYPERLINK(...)' must not
run in the workbook of whoever opens the report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ecf import files
from importers.issues import Issue
from importers.validation import RejectedRow

COLUMNS = ("file", "sheet", "row", "column", "value", "severity", "code", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def report_path(source: Path) -> Path:
    suffix = ".csv" if source.suffix.lower() in (".csv", ".txt") else ".xlsx"
    return source.with_name(f"{source.stem}.errors{suffix}")


def issue_rows(source: Path, sheet: str | None, issues: Sequence[Issue]) -> list[list[object]]:
    ordered = sorted(issues, key=lambda i: (i.row or 0, i.severity != "error", i.column or ""))
    return [
        [source.name, sheet or "", i.row, i.column or "", i.value or "", i.severity.value, i.code, i.message]
        for i in ordered
    ]


class ReportNotSaved(OSError):
    """Neither beside the input nor in the data folder: the message says why, in one line."""


def reports_folder() -> Path:
    """Where a report goes when the input's folder cannot take it (read-only, someone else's, full)."""
    return files.private_folder(files.data_folder() / "reports")


def write_report(
    source: Path, sheet: str | None, issues: Sequence[Issue], rejected: Sequence[RejectedRow], headers: list[str]
) -> Path:
    """Beside the input if that folder takes it, else in the user's data folder (the path returned says which). The
    report repeats cells of HR's file: it is private to its owner (0600), written whole or not at all, and never
    through a link planted where it goes."""
    target = report_path(source)
    rows = issue_rows(source, sheet, issues)
    try:
        return _write(target, rows, rejected, headers)
    except OSError as beside:
        try:
            return _write(reports_folder() / target.name, rows, rejected, headers)
        except OSError as exc:
            raise ReportNotSaved(
                f"the error report could not be saved beside the input ({_reason(beside)}) nor in your data folder "
                f"({_reason(exc)})"
            ) from exc


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _write(target: Path, rows: list[list[object]], rejected: Sequence[RejectedRow], headers: list[str]) -> Path:
    if target.suffix == ".csv":
        with files.open_private(target, "w", newline="", encoding="utf-8-sig") as handle:
            _write_csv(handle, rows)
    else:
        with files.open_private(target, "wb") as handle:
            _write_xlsx(handle, rows, rejected, headers)
    return target


_NOT_IN_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Characters XML cannot hold (U+FFFE, U+FFFF, lone surrogates) as U+FFFD, so the workbook opens."""
    return _NOT_IN_XML.sub("\ufffd", text) if _NOT_IN_XML.search(text) else text


def _csv_safe(value: object) -> object:
    # A csv opened in Excel runs '=...' too; a leading apostrophe keeps it text (OWASP's advice for csv injection).
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(handle: IO[str], rows: list[list[object]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    writer.writerows([[_csv_safe(v) for v in row] for row in rows])


def _write_xlsx(handle: IO[Any], rows: list[list[object]], rejected: Sequence[RejectedRow], headers: list[str]) -> None:
    import xlsxwriter

    # Into the open private file, assembled in memory: no temporary copies of the cells anywhere else.
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}
    workbook = xlsxwriter.Workbook(handle, options)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    error = workbook.add_format({"font_color": "#9C0006"})
    findings = workbook.add_worksheet("Findings")
    findings.write_row(0, 0, [c.title() for c in COLUMNS], bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int):
                findings.write_number(r, c, value)
            elif value is not None:
                findings.write_string(r, c, _xml_safe(str(value)), error if row[5] == "error" and c == 7 else None)
    findings.freeze_panes(1, 0)
    findings.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
    for c, width in enumerate((28, 12, 6, 24, 24, 9, 24, 80)):
        findings.set_column(c, c, width)
    if rejected:
        _write_rejected(workbook, bold, rejected, [h for h in headers if h])
    workbook.close()


def _write_rejected(workbook: object, bold: object, rejected: Sequence[RejectedRow], headers: list[str]) -> None:
    """The rows left out, as they were, with an Errors column: fix them here and import this sheet again."""
    sheet = workbook.add_worksheet("Rows to fix")  # type: ignore[attr-defined]
    sheet.write_row(0, 0, ["Row", *map(_xml_safe, headers), "Errors"], bold)
    for r, row in enumerate(rejected, start=1):
        sheet.write_number(r, 0, row.row)
        for c, header in enumerate(headers, start=1):
            sheet.write_string(r, c, _xml_safe(row.values.get(header, "")))
        messages = "; ".join(f"{i.column}: {i.message}" for i in row.issues if i.is_error)
        sheet.write_string(r, len(headers) + 1, _xml_safe(messages))
    sheet.freeze_panes(1, 1)
