"""Reading HR exports into raw rows whose numbers match the rows Excel shows, and refusing what cannot be read."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from importers.readers import RawTable, UnreadableFile, read_table

HEADERS = ["Employee ID", "Surname", "Date qualified", "Start date", "FTE", "Contract type"]
ROW = ["004512", "Okafor", "30/06/2019", "01/09/2020", 1, "Permanent"]


def write_xlsx(path: Path, sheets: dict[str, Sequence[tuple[int, Sequence[Any]]]]) -> Path:
    """Each sheet is a list of (Excel row number, cells)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for excel_row, cells in rows:
            for c, value in enumerate(cells):
                if isinstance(value, datetime):
                    sheet.write_datetime(excel_row - 1, c, value, book.add_format({"num_format": "dd/mm/yyyy"}))
                else:
                    sheet.write(excel_row - 1, c, value)
    book.close()
    return path


def csv_text(*lines: str, delimiter: str = ",") -> str:
    return "\r\n".join(line.replace(",", delimiter) for line in lines) + "\r\n"


HEADER_LINE = "Employee ID,Surname,Date qualified,Start date,FTE,Contract type"


# --- where the data is --------------------------------------------------------------------------------------------


def test_header_below_title_rows_is_found_and_row_numbers_match_excel(tmp_path: Path):
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {"Staff": [(1, ["Northmoor Council"]), (2, ["HR extract October 2026"]), (4, HEADERS), (5, ROW)]},
    )
    table = read_table(path)
    assert table.header_row == 4
    assert table.first_row == 5
    assert table.row_number(0) == 5
    assert table.headers == HEADERS
    assert table.rows[0][:2] == ["004512", "Okafor"]


def test_row_numbers_match_excel_when_the_rows_above_the_header_are_empty(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Staff": [(4, HEADERS), (5, ROW), (7, ROW)]})
    table = read_table(path)
    assert table.header_row == 4
    assert table.row_number(0) == 5
    assert table.row_number(2) == 7
    assert table.rows[0][0] == "004512"
    assert table.rows[2][0] == "004512"


def test_row_numbers_match_excel_when_the_header_starts_in_a_later_column(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Staff": [(3, ["", "", *HEADERS]), (4, ["", "", *ROW])]})
    table = read_table(path)
    assert table.header_row == 3
    assert table.first_row == 4


def test_a_date_cell_is_read_as_a_date(tmp_path: Path):
    row = ["1", "Okafor", datetime(2019, 6, 30), datetime(2020, 9, 1), 0.6, "Permanent"]
    table = read_table(write_xlsx(tmp_path / "hr.xlsx", {"Staff": [(1, HEADERS), (2, row)]}))
    assert table.rows[0][2] == date(2019, 6, 30)
    assert table.rows[0][4] == 0.6


def test_the_first_sheet_without_headers_is_skipped(tmp_path: Path):
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {"Notes": [(1, ["Read me first"]), (2, ["Extract run 31/10/2026"])], "Staff": [(1, HEADERS), (2, ROW)]},
    )
    table = read_table(path)
    assert table.sheet == "Staff"
    assert table.header_row == 1


def test_a_named_sheet_is_read(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Old": [(1, HEADERS), (2, ROW)], "New": [(2, HEADERS), (3, ROW)]})
    table = read_table(path, sheet="New")
    assert table.sheet == "New"
    assert table.header_row == 2


def test_a_named_sheet_that_is_not_there_is_unreadable(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Staff": [(1, HEADERS)]})
    with pytest.raises(UnreadableFile, match=r"hr\.xlsx: no sheet named 'Leavers' \(sheets: Staff\)"):
        read_table(path, sheet="Leavers")


def test_a_profiles_headers_count_towards_finding_the_header_row(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Staff": [(1, ["Person Ref No", "Qual Dt", "Cont Hrs"]), (2, ["1"])]})
    with pytest.raises(UnreadableFile):
        read_table(path)
    extra = {"personrefno": "employee_id", "qualdt": "date_qualified", "conthrs": "weekly_hours"}
    assert read_table(path, profile_headers=extra).header_row == 1


# --- csv ---------------------------------------------------------------------------------------------------------


def test_csv_header_on_row_4_gives_excels_row_numbers(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text(csv_text("Northmoor Council", "", "", HEADER_LINE, "004512,Okafor,30/06/2019,01/09/2020,1,Perm"))
    table = read_table(path)
    assert table.sheet is None
    assert table.header_row == 4
    assert table.row_number(0) == 5
    assert table.rows[0] == ["004512", "Okafor", "30/06/2019", "01/09/2020", "1", "Perm"]


def test_csv_in_utf8_with_a_byte_order_mark(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_text(HEADER_LINE, "1,Zoë,30/06/2019,01/09/2020,1,Perm").encode("utf-8-sig"))
    table = read_table(path)
    assert table.headers[0] == "Employee ID"
    assert table.rows[0][1] == "Zoë"


def test_csv_in_windows_1252(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_text(HEADER_LINE, "1,Zoë,30/06/2019,01/09/2020,1,Perm").encode("cp1252"))
    assert read_table(path).rows[0][1] == "Zoë"


def test_semicolon_delimited_csv(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text(csv_text(HEADER_LINE, "1,Okafor,30/06/2019,01/09/2020,0.6,Perm", delimiter=";"))
    table = read_table(path)
    assert table.headers == HEADERS
    assert table.rows[0] == ["1", "Okafor", "30/06/2019", "01/09/2020", "0.6", "Perm"]


# --- what cannot be read -------------------------------------------------------------------------------------------


def unreadable(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_table(path)
    message = str(caught.value)
    assert path.name in message
    return message


def test_an_empty_file(tmp_path: Path):
    path = tmp_path / "hr.xlsx"
    path.write_bytes(b"")
    assert unreadable(path) == f"{path}: the file is empty"


def test_a_missing_file(tmp_path: Path):
    path = tmp_path / "hr_2026-10-31.xlsx"
    assert unreadable(path) == f"{path}: no such file"


def test_a_folder(tmp_path: Path):
    path = tmp_path / "hr.xlsx"
    path.mkdir()
    assert unreadable(path) == f"{path}: is a folder, not a spreadsheet"


@pytest.mark.parametrize("name", ["hr.pdf", "hr.docx", "hr"])
def test_a_file_that_is_not_a_spreadsheet_by_its_suffix(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7 not a sheet")
    assert "not a spreadsheet (expected .xlsx, .xls, .ods or .csv" in unreadable(path)


def test_a_text_file_renamed_xlsx(tmp_path: Path):
    path = tmp_path / "hr.xlsx"
    path.write_text(csv_text(HEADER_LINE, "1,Okafor,30/06/2019,01/09/2020,1,Perm"))
    assert "not a readable spreadsheet" in unreadable(path)


def test_an_xlsx_without_a_recognisable_header(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Sheet1": [(1, ["Name", "Notes"]), (2, ["Okafor", "x"])]})
    message = unreadable(path)
    assert "no recognisable header row in the first 30 rows of any sheet (sheets: 'Sheet1'; " in message
    assert "no header was recognised" in message and message.endswith("try: ecf profile suggest hr.xlsx")


def test_a_near_miss_header_says_what_was_recognised_and_where(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Sheet1": [(2, ["Ref", "FTE", "Surname"]), (3, ["SW1", "1", "x"])]})
    assert "recognised only 'FTE', 'Surname' on row 2" in unreadable(path)


def test_an_xlsx_whose_header_is_below_row_30_is_not_found(tmp_path: Path):
    path = write_xlsx(tmp_path / "hr.xlsx", {"Staff": [(31, HEADERS), (32, ROW)]})
    assert "no recognisable header row" in unreadable(path)


def test_a_csv_without_a_recognisable_header(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text(csv_text("Name,Notes", "Okafor,x"))
    assert "no recognisable header row in the first 30 lines" in unreadable(path)


def test_a_csv_of_only_commas_has_no_data(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text(",,,\r\n,,\r\n")
    assert unreadable(path) == f"{path}: the file has no data"


def test_a_csv_that_is_really_a_zip(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "hr.csv"
    path.write_bytes(buffer.getvalue())
    assert path.read_bytes().startswith(b"PK\x03\x04")
    assert unreadable(path) == f"{path}: this is a workbook, not a csv file; rename it to .xlsx"


def test_a_password_protected_xlsx(tmp_path: Path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp_path / "plain.xlsx", {"Staff": [(1, HEADERS), (2, ROW)]})
    path = tmp_path / "hr.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("northmoor", target)
    assert "password-protected" in unreadable(path)


def test_an_ole_file_holding_encryption_info_is_password_protected(tmp_path: Path):
    path = tmp_path / "hr.xlsx"
    path.write_bytes(
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    )
    assert "password-protected" in unreadable(path)


def test_raw_table_row_numbers():
    table = RawTable(Path("hr.csv"), None, header_row=4, headers=HEADERS, rows=[[], [], []], first_row=5)
    assert [table.row_number(i) for i in range(3)] == [5, 6, 7]
