"""The error report saved beside the input: findings as text, never formulas, and the rows to fix."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from importers.issues import Issue
from importers.report import COLUMNS, issue_rows, report_path, write_report
from importers.validation import RejectedRow

FORMULA = '=HYPERLINK("http://x","y")'
HEADERS = ["Employee ID", "Surname", "FTE"]
FTE_ISSUE = Issue(
    "fte-out-of-range", "FTE 1.2 is outside (0, 1]; give 0.6, 60% or hours such as '22.2 hours'", 5, "FTE", "1.2"
)
SWE_WARNING = Issue("missing-swe-number", "no Social Work England registration number", 6, "SWE number", "")


def source(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"HR's sheet")
    return path


def read_sheet(path: Path, title: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book[title].iter_rows(values_only=True)]


def test_report_path_is_beside_the_input():
    assert report_path(Path("/hr/northmoor_2026-10-31.xlsx")) == Path("/hr/northmoor_2026-10-31.errors.xlsx")
    assert report_path(Path("/hr/hr.xls")) == Path("/hr/hr.errors.xlsx")
    assert report_path(Path("/hr/hr.CSV")) == Path("/hr/hr.errors.csv")
    assert report_path(Path("/hr/hr.txt")) == Path("/hr/hr.errors.csv")


def test_an_xlsx_source_gets_an_errors_xlsx_with_one_row_per_finding(tmp_path: Path):
    hr = source(tmp_path, "northmoor_hr_2026-10-31.xlsx")
    target = write_report(hr, "Staff", [FTE_ISSUE], [], HEADERS)
    assert target == tmp_path / "northmoor_hr_2026-10-31.errors.xlsx"
    rows = read_sheet(target, "Findings")
    assert rows[0] == ["File", "Sheet", "Row", "Column", "Value", "Severity", "Code", "Message"]
    assert rows[1] == [
        "northmoor_hr_2026-10-31.xlsx",
        "Staff",
        5,
        "FTE",
        "1.2",
        "error",
        "fte-out-of-range",
        "FTE 1.2 is outside (0, 1]; give 0.6, 60% or hours such as '22.2 hours'",
    ]
    assert len(rows) == 2


def test_findings_are_ordered_by_row_with_errors_first(tmp_path: Path):
    later_error = Issue("missing-value", "Employee ID is required", 6, "Employee ID", "")
    rows = issue_rows(Path("hr.xlsx"), None, [SWE_WARNING, later_error, FTE_ISSUE])
    assert [(r[2], r[5], r[6]) for r in rows] == [
        (5, "error", "fte-out-of-range"),
        (6, "error", "missing-value"),
        (6, "warning", "missing-swe-number"),
    ]
    assert rows[0][1] == ""


def test_a_formula_in_a_value_is_stored_as_text(tmp_path: Path):
    hr = source(tmp_path, "hr.xlsx")
    issue = Issue("invalid-date", f"'{FORMULA}' is not a date (use dd/mm/yyyy)", 5, "Start date", FORMULA)
    target = write_report(hr, "Staff", [issue], [], HEADERS)
    cell = openpyxl.load_workbook(target)["Findings"]["E2"]
    assert cell.value == FORMULA
    assert cell.data_type == "s"


def test_the_rows_to_fix_sheet_repeats_the_rejected_row_with_its_errors(tmp_path: Path):
    hr = source(tmp_path, "hr.xlsx")
    rejected = RejectedRow(5, {"Employee ID": "4512", "Surname": FORMULA, "FTE": "1.2"}, [FTE_ISSUE, SWE_WARNING])
    target = write_report(hr, "Staff", [FTE_ISSUE, SWE_WARNING], [rejected], ["", *HEADERS])
    rows = read_sheet(target, "Rows to fix")
    assert rows == [
        ["Row", "Employee ID", "Surname", "FTE", "Errors"],
        [5, "4512", FORMULA, "1.2", "FTE: FTE 1.2 is outside (0, 1]; give 0.6, 60% or hours such as '22.2 hours'"],
    ]
    assert openpyxl.load_workbook(target)["Rows to fix"]["C2"].data_type == "s"


def test_no_rows_to_fix_sheet_when_nothing_was_rejected(tmp_path: Path):
    target = write_report(source(tmp_path, "hr.xlsx"), "Staff", [SWE_WARNING], [], HEADERS)
    assert openpyxl.load_workbook(target).sheetnames == ["Findings"]


def test_a_csv_source_gets_an_errors_csv(tmp_path: Path):
    hr = source(tmp_path, "hr_2026-10-31.csv")
    target = write_report(hr, None, [FTE_ISSUE], [], HEADERS)
    assert target == tmp_path / "hr_2026-10-31.errors.csv"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS)
    assert rows[1] == ["hr_2026-10-31.csv", "", "5", "FTE", "1.2", "error", "fte-out-of-range", FTE_ISSUE.message]


def test_a_csv_value_starting_with_a_formula_character_is_prefixed_with_an_apostrophe(tmp_path: Path):
    hr = source(tmp_path, "hr.csv")
    issues = [
        Issue("invalid-date", "not a date", 5, "Start date", FORMULA),
        Issue("invalid-date", "not a date", 6, "Start date", "+44 1234"),
        Issue("invalid-date", "not a date", 7, "Start date", "@SUM(A1)"),
    ]
    with write_report(hr, None, issues, [], HEADERS).open(encoding="utf-8-sig", newline="") as handle:
        values = [r[4] for r in list(csv.reader(handle))[1:]]
    assert values == ["'" + FORMULA, "'+44 1234", "'@SUM(A1)"]


def test_the_report_is_no_more_readable_than_the_input(tmp_path: Path):
    hr = source(tmp_path, "hr.xlsx")
    hr.chmod(0o600)
    target = write_report(hr, "Staff", [FTE_ISSUE], [], HEADERS)
    assert target.stat().st_mode & 0o777 == 0o600
