"""Read an HR export (xlsx/xlsm/xls/ods through python-calamine, or csv) into raw rows with spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importers.fields import ALIASES, normalise_header
from importers.limits import LimitExceeded, Limits, check_file_size, check_rows, check_workbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
SCANNED_SUFFIXES = {".xlsx", ".xlsm"}  # their sheets' real extent is measured before reading (importers.limits)
HEADER_SCAN_ROWS = 30
MIN_RECOGNISED_HEADERS = 3
MAX_SHEET_NAME = 255
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
    notes: tuple[str, ...] = ()  # what the reader chose that a person should know (a hidden sheet, decimal commas)

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


def check_path(path: Path) -> None:
    """A regular file that exists: a folder, a pipe or a device is named as such (a pipe would block a read)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        raise UnreadableFile(f"{path}: no such file") from exc
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot be opened ({exc.strerror})") from exc
    if stat.S_ISDIR(mode):
        raise UnreadableFile(f"{path}: is a folder, not a spreadsheet")
    if not stat.S_ISREG(mode):
        raise UnreadableFile(f"{path}: not a regular file (a pipe, socket or device); save the data to a file first")


def read_table(
    path: Path, profile_headers: dict[str, str] | None = None, sheet: str | None = None,
    header_row: int | None = None, limits: Limits | None = None,
) -> RawTable:  # fmt: skip
    """Find the first sheet with a recognisable header row (or the profile's fixed one) and return its rows.
    Raises UnreadableFile."""
    check_path(path)
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    try:
        limits = limits or Limits.from_env()
        if suffix in CSV_SUFFIXES:
            check_file_size(path, limits)
            table = _read_csv(path, profile_headers, limits, header_row)
        elif suffix in SPREADSHEET_SUFFIXES:
            check_workbook(path, limits)
            if suffix in SCANNED_SUFFIXES:
                table = _read_workbook(path, profile_headers, sheet, limits, header_row)
            else:  # no extent scan for these formats: read in a process with a memory and time limit
                table = _read_in_worker(path, profile_headers, sheet, limits, header_row)
        else:
            raise UnreadableFile(
                f"{path}: not a spreadsheet (expected .xlsx, .xls, .ods or .csv, got '{suffix or 'none'}')"
            )
    except LimitExceeded as exc:
        raise UnreadableFile(str(exc)) from exc
    except PermissionError as exc:
        raise UnreadableFile(f"{path}: permission denied; you cannot read this file") from exc
    except MemoryError as exc:
        raise UnreadableFile(f"{path}: too big to read in the memory available") from exc
    if not table.rows or not any(any(not _empty(cell) for cell in row) for row in table.rows):
        raise UnreadableFile(f"{path}: a header on row {table.header_row} but no rows of data below it")
    return table


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


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
    path: Path, extra: dict[str, str] | None, wanted_sheet: str | None, limits: Limits, fixed: int | None = None
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
    too_long = next((name for name in names if len(name) > MAX_SHEET_NAME), None)
    if too_long is not None:  # Excel allows 31 characters; the database keeps 255
        raise UnreadableFile(
            f"{path.name}: a sheet name of {len(too_long):,} characters (Excel allows 31); not a workbook Excel wrote"
        )
    if wanted_sheet is not None and wanted_sheet not in names:
        raise UnreadableFile(f"{path}: no sheet named '{wanted_sheet}' (sheets: {', '.join(names)})")
    near = "no header was recognised"
    passed_over: list[str] = []
    for name in [wanted_sheet] if wanted_sheet else names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            _check_declared_extent(path, name, sheet, limits)
            # skip_empty_area=False keeps leading blank rows, so row numbers match what Excel shows.
            rows = sheet.to_python(skip_empty_area=False)
        except (UnreadableFile, MemoryError):
            raise
        except Exception as exc:
            raise UnreadableFile(f"{path}: sheet '{name[:40]}' cannot be read ({exc})") from exc
        check_rows(path, rows, limits, name)
        header_index = _find_header(rows, extra, fixed)
        if header_index is not None:
            table = _table(path, name, rows, header_index)
            return _note_hidden(table, workbook, name, passed_over)
        passed_over.append(name)
        near = recognised_near_miss(rows, extra)
    sheets = ", ".join(f"'{n}'" for n in names) or "none"
    raise UnreadableFile(
        f"{path}: no recognisable header row in the first {HEADER_SCAN_ROWS} rows of any sheet "
        f"(sheets: {sheets}; {near}); expected headers such as 'Employee ID', 'Date qualified', 'FTE'. "
        f"For another system's headers, try: ecf profile suggest {path.name}"
    )


def _read_in_worker(
    path: Path, extra: dict[str, str] | None, wanted_sheet: str | None, limits: Limits, fixed: int | None = None
) -> RawTable:
    """Read an xls, xlsb or ods file in a child process limited to `max_read_bytes` of memory and `max_seconds`:
    a tiny file that asks the reader for billions of cells ends the child, not this process (or the TUI)."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no fork of a process with threads (the TUI's)
    receiver, sender = context.Pipe(duplex=False)
    arguments = (sender, str(path), extra, wanted_sheet, limits, fixed)
    child = context.Process(target=_worker_main, args=arguments, daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.max_seconds):
            raise LimitExceeded(f"{path.name}: reading took longer than {limits.max_seconds} s (ECF_LIMIT_MAX_SECONDS)")
        try:
            kind, payload = receiver.recv()
        except EOFError:
            raise LimitExceeded(
                f"{path.name}: reading it needs more than {limits.max_read_bytes // (1024 * 1024):,} MB of memory "
                "(ECF_LIMIT_MAX_READ_BYTES)"
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if kind == "error":
        raise UnreadableFile(payload)
    table: RawTable = payload
    return table


def _worker_main(
    sender: Any, path: str, extra: dict[str, str] | None, sheet: str | None, limits: Limits, fixed: int | None = None
) -> None:
    import os
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.max_read_bytes, limits.max_read_bytes))
    quiet = os.open(os.devnull, os.O_WRONLY)  # the reader's own panic on running out of memory is not for the user
    os.dup2(quiet, 2)
    try:
        sender.send(("table", _read_workbook(Path(path), extra, sheet, limits, fixed)))
    except (UnreadableFile, LimitExceeded) as exc:
        sender.send(("error", str(exc)))
    except MemoryError:
        sender.send(("error", f"{path}: too big to read in {limits.max_read_bytes // (1024 * 1024):,} MB of memory"))
    except Exception as exc:
        sender.send(("error", f"{path}: not a readable spreadsheet ({type(exc).__name__})"))
    finally:
        sender.close()


def _check_declared_extent(path: Path, name: str, sheet: Any, limits: Limits) -> None:
    """The area the reader will allocate for this sheet (xls and ods have no extent scan before reading)."""
    rows, columns = sheet.total_height, sheet.total_width
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        raise LimitExceeded(
            f"{path.name}: sheet '{name[:40]}' spans {rows:,} rows by {columns:,} columns, over the limits of "
            f"{limits.max_rows:,} rows, {limits.max_columns:,} columns, {limits.max_cells:,} cells "
            "(ECF_LIMIT_MAX_ROWS, ECF_LIMIT_MAX_COLUMNS, ECF_LIMIT_MAX_CELLS)"
        )


def _note_hidden(table: RawTable, workbook: Any, name: str, passed_over: list[str]) -> RawTable:
    """Data on a hidden sheet behind visible ones is read, but the person importing is told which sheet it was."""
    try:
        visible = {meta.name: str(meta.visible).endswith("Visible") for meta in workbook.sheets_metadata}
    except Exception:  # metadata is a nicety: a reader that cannot give it changes nothing
        return table
    if visible.get(name, True):
        return table
    shown = [other for other in passed_over if visible.get(other, False)]
    note = f"the data was read from the hidden sheet '{name[:40]}'"
    if shown:
        note += f"; the visible sheet(s) {', '.join(repr(s[:40]) for s in shown)} have no recognisable header"
    return RawTable(table.path, table.sheet, table.header_row, table.headers, table.rows, table.first_row,
                    (*table.notes, note))  # fmt: skip


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4096)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(_OLE_MAGIC) or data[:4] == b"PK\x03\x04":
        raise UnreadableFile(f"{path}: this is a workbook, not a csv file; rename it to .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with a byte order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"{path}: marked as UTF-16 text but not valid UTF-16") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{path}: text encoding not recognised (expected UTF-8 or Windows-1252)")


def _read_csv(path: Path, extra: dict[str, str] | None, limits: Limits, fixed: int | None = None) -> RawTable:
    text = _decode(path, path.read_bytes())
    if "\x00" in text:
        raise UnreadableFile(f"{path}: not a text csv file (it contains binary data)")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = _csv_rows(path, text, dialect, limits)
    notes: tuple[str, ...] = ()
    if getattr(dialect, "delimiter", ",") == ";" and _decimal_commas(rows):
        notes = ("numbers such as '0,6' were read with a decimal comma (a semicolon-separated file)",)
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise UnreadableFile(f"{path}: the file has no data")
    header_index = _find_header(rows, extra, fixed)
    if header_index is None:
        raise UnreadableFile(
            f"{path}: no recognisable header row in the first {HEADER_SCAN_ROWS} lines "
            f"({recognised_near_miss(rows, extra)}); expected headers such as 'Employee ID', 'Date qualified', 'FTE'. "
            f"For another system's headers, try: ecf profile suggest {path.name}"
        )
    table = _table(path, None, rows, header_index)
    return RawTable(table.path, None, table.header_row, table.headers, table.rows, table.first_row, notes)


def _csv_rows(path: Path, text: str, dialect: Any, limits: Limits) -> list[list[Any]]:
    """The rows, read with the cell and row limits: a field without its closing quote swallows the rest of the file
    into one cell, which the cell limit stops."""
    rows: list[list[Any]] = []
    previous = csv.field_size_limit(limits.max_cell_chars)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise LimitExceeded(f"{path.name}: more than {limits.max_rows:,} rows (ECF_LIMIT_MAX_ROWS)")
            if len(row) > limits.max_columns:
                raise LimitExceeded(
                    f"{path.name}, line {reader.line_num}: {len(row):,} columns, over the limit of "
                    f"{limits.max_columns:,} (ECF_LIMIT_MAX_COLUMNS)"
                )
    except csv.Error as exc:
        raise LimitExceeded(
            f"{path.name}, line {reader.line_num}: a field longer than {limits.max_cell_chars:,} characters "
            "(ECF_LIMIT_MAX_CELL_CHARS), or a quote that is never closed"
            if "field limit" in str(exc)
            else f"{path.name}, line {reader.line_num}: not valid csv ({exc})"
        ) from exc
    finally:
        csv.field_size_limit(previous)
    return rows


_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*%?\s*$")


def _decimal_commas(rows: list[list[Any]]) -> bool:
    """In a semicolon-separated file (a decimal-comma locale's csv), '0,6' is 0.6: rewrite such cells in place."""
    changed = False
    for row in rows:
        for position, cell in enumerate(row):
            if "," in cell and _DECIMAL_COMMA.match(cell):
                row[position] = cell.replace(",", ".")
                changed = True
    return changed


def _table(path: Path, sheet: str | None, rows: list[list[Any]], header_index: int) -> RawTable:
    headers = ["" if cell is None else str(cell).strip() for cell in rows[header_index]]
    return RawTable(path, sheet, header_index + 1, headers, rows[header_index + 1 :], header_index + 2)
