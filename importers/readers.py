"""Read an HR export (xlsx/xlsm/xls/ods through python-calamine, or csv) into raw rows with spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importers.fields import ALIASES, normalise_header

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
HEADER_SCAN_ROWS = 30
MIN_RECOGNISED_HEADERS = 3
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


class UnreadableFile(Exception):
    """The file cannot be imported at all; the message is one line a person can act on."""


@dataclass(frozen=True)
class RawTable:
    """Cells as read, before any mapping. `rows[i]` is spreadsheet row `first_row + i`."""

    path: Path
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[list[Any]]
    first_row: int

    def row_number(self, index: int) -> int:
        return self.first_row + index


def count_recognised(cells: Sequence[object], extra: dict[str, str] | None = None) -> int:
    """How many cells of a row are headers we know (built-in spellings or a profile's own)."""
    known = 0
    for cell in cells:
        if cell is None or cell == "":
            continue
        key = normalise_header(cell)
        if key in ALIASES or (extra is not None and key in extra):
            known += 1
    return known


def read_table(
    path: Path, profile_headers: dict[str, str] | None = None, sheet: str | None = None, header_row: int | None = None
) -> RawTable:
    """Find the first sheet with a recognisable header row (or the profile's fixed one) and return its rows.
    Raises UnreadableFile."""
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if path.is_dir():
        raise UnreadableFile(f"{path}: is a folder, not a spreadsheet")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, profile_headers, header_row)
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_workbook(path, profile_headers, sheet, header_row)
    raise UnreadableFile(f"{path}: not a spreadsheet (expected .xlsx, .xls, .ods or .csv, got '{suffix or 'none'}')")


def _find_header(rows: list[list[Any]], extra: dict[str, str] | None, fixed: int | None = None) -> int | None:
    if fixed is not None:
        return fixed - 1 if fixed <= len(rows) else None
    best_index, best_count = None, MIN_RECOGNISED_HEADERS - 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        count = count_recognised(row, extra)
        if count > best_count:
            best_index, best_count = index, count
    return best_index


def recognised_near_miss(rows: list[list[Any]], extra: dict[str, str] | None) -> str:
    """For the 'no header row' message: the row that came closest, and the headers on it that were recognised."""
    best: tuple[int, list[str]] = (0, [])
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        known = [str(cell).strip() for cell in row if cell not in (None, "") and count_recognised([cell], extra)]
        if len(known) > len(best[1]):
            best = (index + 1, known)
    if not best[1]:
        return "no header was recognised"
    return f"recognised only {', '.join(repr(h) for h in best[1])} on row {best[0]}"


def _read_workbook(
    path: Path, extra: dict[str, str] | None, wanted_sheet: str | None, fixed: int | None = None
) -> RawTable:
    from python_calamine import CalamineWorkbook, PasswordError

    head = _head(path)
    if head.startswith(_OLE_MAGIC) and path.suffix.lower() != ".xls":
        raise UnreadableFile(f"{path}: the workbook is password-protected or encrypted; save an unprotected copy")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise UnreadableFile(f"{path}: the workbook is password-protected; save an unprotected copy") from exc
    except Exception as exc:  # calamine raises several error types for files that are not workbooks
        if head.startswith(_OLE_MAGIC) and _ENCRYPTION_STREAM in path.read_bytes():
            raise UnreadableFile(f"{path}: the workbook is password-protected; save an unprotected copy") from exc
        raise UnreadableFile(f"{path}: not a readable spreadsheet ({type(exc).__name__}: {exc})") from exc
    names = workbook.sheet_names
    if wanted_sheet is not None and wanted_sheet not in names:
        raise UnreadableFile(f"{path}: no sheet named '{wanted_sheet}' (sheets: {', '.join(names)})")
    near = "no header was recognised"
    for name in [wanted_sheet] if wanted_sheet else names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            # skip_empty_area=False keeps leading blank rows, so row numbers match what Excel shows.
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnreadableFile(f"{path}: sheet '{name}' cannot be read ({exc})") from exc
        header_index = _find_header(rows, extra, fixed)
        if header_index is not None:
            return _table(path, name, rows, header_index)
        near = recognised_near_miss(rows, extra)
    sheets = ", ".join(f"'{n}'" for n in names) or "none"
    raise UnreadableFile(
        f"{path}: no recognisable header row in the first {HEADER_SCAN_ROWS} rows of any sheet "
        f"(sheets: {sheets}; {near}); expected headers such as 'Employee ID', 'Date qualified', 'FTE'. "
        f"For another system's headers, try: ecf profile suggest {path.name}"
    )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4096)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(_OLE_MAGIC) or data[:4] == b"PK\x03\x04":
        raise UnreadableFile(f"{path}: this is a workbook, not a csv file; rename it to .xlsx")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{path}: text encoding not recognised (expected UTF-8 or Windows-1252)")


def _read_csv(path: Path, extra: dict[str, str] | None, fixed: int | None = None) -> RawTable:
    text = _decode(path, path.read_bytes())
    if "\x00" in text:
        raise UnreadableFile(f"{path}: not a text csv file (it contains binary data)")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = list(csv.reader(io.StringIO(text, newline=""), dialect))
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise UnreadableFile(f"{path}: the file has no data")
    header_index = _find_header(rows, extra, fixed)
    if header_index is None:
        raise UnreadableFile(
            f"{path}: no recognisable header row in the first {HEADER_SCAN_ROWS} lines "
            f"({recognised_near_miss(rows, extra)}); expected headers such as 'Employee ID', 'Date qualified', 'FTE'. "
            f"For another system's headers, try: ecf profile suggest {path.name}"
        )
    return _table(path, None, rows, header_index)


def _table(path: Path, sheet: str | None, rows: list[list[Any]], header_index: int) -> RawTable:
    headers = ["" if cell is None else str(cell).strip() for cell in rows[header_index]]
    return RawTable(path, sheet, header_index + 1, headers, rows[header_index + 1 :], header_index + 2)
