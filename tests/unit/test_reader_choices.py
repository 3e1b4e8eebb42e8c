"""What the reader chooses, said: a hidden sheet behind a visible decoy, decimal commas in a semicolon csv, UTF-16
text; and what it refuses in one line: a header with no rows, a folder, a pipe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importers.readers import UnreadableFile, read_table
from tests.hostile.generate import GOOD, HEADERS, cells_xml, raw_xlsx


def test_data_on_a_hidden_sheet_behind_a_visible_decoy_is_named(tmp_path: Path):
    decoy = lambda: cells_xml([(1, ["Northmoor Council staff list"]), (2, ["see the Staff sheet"])])  # noqa: E731
    data = lambda: cells_xml([(1, HEADERS), (2, GOOD)])  # noqa: E731
    path = raw_xlsx(tmp_path / "hr.xlsx", [("Summary", decoy, "visible"), ("Staff", data, "hidden")])
    table = read_table(path)
    assert table.sheet == "Staff" and table.rows == [GOOD]
    assert table.notes == (
        "the data was read from the hidden sheet 'Staff'; the visible sheet(s) 'Summary' have no recognisable header",
    )


def test_a_visible_sheet_gives_no_note(tmp_path: Path):
    path = raw_xlsx(tmp_path / "hr.xlsx", [("Staff", lambda: cells_xml([(1, HEADERS), (2, GOOD)]), "visible")])
    assert read_table(path).notes == ()


def test_a_semicolon_csv_reads_decimal_commas_and_says_so(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text(
        "Employee ID;Date qualified;Start date;FTE;Contract type\n004512;30/06/2019;01/09/2020;0,6;Permanent\n"
        "004513;30/06/2019;01/09/2020;1,0;Permanent\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert [row[3] for row in table.rows] == ["0.6", "1.0"]
    assert table.notes and "decimal comma" in table.notes[0]
    assert [row[0] for row in table.rows] == ["004512", "004513"]


def test_a_comma_csv_keeps_its_commas(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text('Employee ID,Date qualified,Start date,FTE,Contract type,Allowances\n'
                    '004512,30/06/2019,01/09/2020,1,Permanent,"1,000"\n', encoding="utf-8")  # fmt: skip
    table = read_table(path)
    assert table.rows[0][5] == "1,000" and table.notes == ()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_text_is_read(tmp_path: Path, encoding: str):
    path = tmp_path / "hr.csv"
    text = (
        "Employee ID\tSurname\tDate qualified\tStart date\tFTE\tContract type\n"
        "004512\tOkafor\t30/06/2019\t01/09/2020\t1\tPermanent\n"
    )
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    table = read_table(path)
    assert table.rows == [["004512", "Okafor", "30/06/2019", "01/09/2020", "1", "Permanent"]]


def test_a_header_with_no_rows_is_unreadable_not_a_data_error(tmp_path: Path):
    path = tmp_path / "hr.csv"
    path.write_text(",".join(HEADERS) + "\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="a header on row 1 but no rows of data below it"):
        read_table(path)


def test_a_folder_and_a_pipe_are_named_as_such(tmp_path: Path):
    folder = tmp_path / "hr.xlsx"
    folder.mkdir()
    with pytest.raises(UnreadableFile, match="is a folder"):
        read_table(folder)
    pipe = tmp_path / "hr.csv"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_table(pipe)
    with pytest.raises(UnreadableFile, match="no such file"):
        read_table(tmp_path / "missing.csv")
