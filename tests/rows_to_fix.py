"""HR's corrections to the messy sample month's "Rows to fix" sheet, as a person would make them in Excel."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

FIXES = {  # the sheet's column -> (wrong value -> right value), for each fault planted in the messy month
    "Date Left": {"08/08/2025": ""},
    "FTE": {"1.2": "1"},
    "Qualified Date": {"15/07/2027": "15/07/2017"},
    "Contract": {"Casual": "Permanent"},
    "SWE Reg No.": {"SW0123": "SW123", "12345": "SW12345"},
    "Start date": {"31/02/2024": "28/02/2024"},
}


def fix_rows(report: Path, ids_by_swe: Mapping[str, str]) -> Path:
    """Correct every rejected row of the report in place (a duplicated or blank ID is looked up by SWE number, as HR
    would in their system) and save it under the same name."""
    import openpyxl

    book = openpyxl.load_workbook(report)
    sheet = book["Rows to fix"]
    headers = [cell.value for cell in sheet[1]]
    column = {header: index for index, header in enumerate(headers)}
    for row in sheet.iter_rows(min_row=2):
        for header, changes in FIXES.items():
            cell = row[column[header]]
            if cell.value in changes:
                cell.value = changes[cell.value] or None
                if header == "Date Left":
                    row[column["Reason for Leaving"]].value = None
        swe = row[column["SWE Reg No."]].value
        if swe in ids_by_swe:
            row[column["EMPLOYEE  ID"]].value = ids_by_swe[swe]
    book.save(report)
    return report
