"""How big an input may be, checked before and while reading it, so no file can hang or exhaust the machine.

A 7 KB xlsx with one cell at XFD1048576 makes a dense reader allocate hundreds of gigabytes; a 400 KB zip can hold
a 400 MB string. So the zip's own sizes are checked before anything is decompressed, and each worksheet's real
extent (the cells it holds, not the extent it declares) is measured by streaming its XML a megabyte at a time,
before the spreadsheet reader sees it. Each limit is a setting: `ECF_LIMIT_<NAME>` in the environment (e.g.
`ECF_LIMIT_MAX_ROWS=500000`) overrides its default. A refusal is one line naming the limit and the value.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

CHUNK = 1 << 20
_LONGEST_TAG = 1 << 16  # a start tag longer than this is not a spreadsheet's


class LimitExceeded(Exception):
    """The file is over one of the limits; the message names the limit and the value (one line)."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 100 * 1024 * 1024  # the file as stored
    max_unzipped_bytes: int = 1024 * 1024 * 1024  # all the parts of an xlsx/ods, decompressed
    max_part_bytes: int = 400 * 1024 * 1024  # one part (a worksheet, the shared strings), decompressed
    max_ratio: int = 200  # decompressed / compressed, for parts over RATIO_FROM bytes
    max_parts: int = 10_000
    max_rows: int = 250_000  # a national workforce is about 40,000
    max_columns: int = 1_000
    max_cells: int = 15_000_000  # rows x used columns: what a dense reader allocates
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_seconds: int = 120  # wall time to read one xls, xlsb or ods file (read in a worker process)
    max_read_bytes: int = 768 * 1024 * 1024  # memory for that worker process

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, with any `ECF_LIMIT_<NAME>` the environment sets."""
        changes: dict[str, int] = {}
        for spec in fields(cls):
            text = os.environ.get(f"ECF_LIMIT_{spec.name.upper()}")
            if text:
                try:
                    changes[spec.name] = int(text.replace("_", ""))
                except ValueError as exc:
                    raise LimitExceeded(f"ECF_LIMIT_{spec.name.upper()}={text!r} is not a whole number") from exc
        return replace(cls(), **changes)


RATIO_FROM = 4 * 1024 * 1024


def _n(value: int) -> str:
    return f"{value:,}"


def check_file_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise LimitExceeded(
            f"{path.name}: the file is {_n(size)} bytes, over the limit of {_n(limits.max_file_bytes)} "
            "(ECF_LIMIT_MAX_FILE_BYTES)"
        )


def check_workbook(path: Path, limits: Limits) -> None:
    """An xlsx/xlsm/ods (a zip): its parts' sizes, then each worksheet's real extent. Other formats: size only."""
    check_file_size(path, limits)
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            _check_parts(path, archive, limits)
            for info in archive.infolist():
                name = info.filename
                if name == "xl/sharedStrings.xml" or name == "content.xml":
                    _drain(path, archive, info, limits)  # the real size, whatever the header says
                elif not name.endswith(".rels"):
                    # any part may be a worksheet, whatever its name: the workbook's relationships can put one anywhere
                    _check_sheet_extent(path, archive, info, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise LimitExceeded(f"{path.name}: a damaged or unsupported zip inside the workbook ({exc})") from exc


def _check_parts(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise LimitExceeded(
            f"{path.name}: {_n(len(infos))} parts in the workbook, over the limit of {_n(limits.max_parts)}"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_bytes:
            raise LimitExceeded(
                f"{path.name}: part {info.filename[:60]} unpacks to {_n(info.file_size)} bytes, over the limit of "
                f"{_n(limits.max_part_bytes)} (ECF_LIMIT_MAX_PART_BYTES)"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"{path.name}: part {info.filename[:60]} is compressed {_n(ratio)} to 1, over the limit of "
                f"{_n(limits.max_ratio)} to 1 (ECF_LIMIT_MAX_RATIO); a zip bomb?"
            )
    if total > limits.max_unzipped_bytes:
        raise LimitExceeded(
            f"{path.name}: the workbook unpacks to {_n(total)} bytes, over the limit of "
            f"{_n(limits.max_unzipped_bytes)} (ECF_LIMIT_MAX_UNZIPPED_BYTES)"
        )


def _chunks(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> Iterator[bytes]:
    """The part's bytes as decompressed, a megabyte at a time, stopping at the part limit whatever its header says."""
    seen = 0
    with archive.open(info) as stream:
        while block := stream.read(CHUNK):
            seen += len(block)
            if seen > limits.max_part_bytes:
                raise LimitExceeded(
                    f"{path.name}: part {info.filename[:60]} unpacks to more than {_n(limits.max_part_bytes)} bytes "
                    "(ECF_LIMIT_MAX_PART_BYTES)"
                )
            yield block


def _drain(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    for _ in _chunks(path, archive, info, limits):
        pass


_PREFIX = re.compile(rb"<(\w+:)?sheetData\b")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_CELL_REF = re.compile(rb'\sr="([A-Za-z]{1,4})\d*"')


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@dataclass
class _Extent:
    rows: int = 0  # rows with an end tag: the rows that hold cells
    last_row: int = 0  # the highest row number seen
    last_column: int = 0  # the highest column number seen


def _check_sheet_extent(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Walk the sheet's rows a megabyte at a time: the last row number and the last cell of each row give the area
    a dense reader would allocate. Only the end of each row is looked at, so this costs little on a real sheet."""
    extent, tail, prefix = _Extent(), b"", None
    for block in _chunks(path, archive, info, limits):
        data = tail + block
        if prefix is None:
            found = _PREFIX.search(data)
            if found is None:
                tail = data[-_LONGEST_TAG:]
                continue
            prefix = found.group(1) or b""
        cut = data.rfind(b"</" + prefix + b"row>")
        if cut < 0:
            if len(data) > _LONGEST_TAG * 16 and data.rfind(b"<" + prefix + b"c") < 0:
                raise LimitExceeded(f"{path.name}: sheet {info.filename[14:]} is not a worksheet this tool can read")
            tail = data
            if len(tail) > limits.max_part_bytes // 4:
                raise LimitExceeded(f"{path.name}: a row of more than {_n(len(tail))} bytes")
            continue
        cut += len(prefix) + 6
        _scan_rows(data[:cut], prefix, extent)
        tail = data[cut:]
        _check_extent(path, extent, limits)
    if prefix is not None and tail:
        _scan_rows(tail, prefix, extent)
        _check_extent(path, extent, limits)


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """As Excel and every library write a sheet (each row's and cell's reference first, after one space), with
    literal prefixes the regex engine finds at C speed: row numbers; any row or cell written otherwise; and the
    letters of cell references from column AA on."""
    tag = re.escape(prefix)
    return (
        re.compile(rb"<" + tag + rb'row r="(\d+)"'),
        re.compile(rb"<" + tag + rb'(?:row|c)(?:>|/>|[\t\n\r]| (?!r="))'),
        re.compile(rb' r="([A-Za-z]{2,4})\d'),
    )


def _scan_rows(data: bytes, prefix: bytes, extent: _Extent) -> None:
    """Whole rows: counted, and their highest row number and column found with a few searches at C speed. A sheet
    written otherwise (references not first, or missing, as the standard allows) is walked row by row instead."""
    rows_pattern, written_otherwise, wide_pattern = _patterns(prefix)
    if written_otherwise.search(data) is not None:
        _scan_rows_one_by_one(data, prefix, extent)
        return
    numbers = rows_pattern.findall(data)
    extent.rows += len(numbers)
    extent.last_row = max(extent.last_row, max(map(int, numbers), default=0))
    wide = set(wide_pattern.findall(data))
    columns = max(map(column_number, wide)) if wide else (26 if numbers else 0)  # single letters: up to Z
    extent.last_column = max(extent.last_column, columns)


def _scan_rows_one_by_one(data: bytes, prefix: bytes, extent: _Extent) -> None:
    row_tag, row_end, cell_tag = b"<" + prefix + b"row", b"</" + prefix + b"row>", b"<" + prefix + b"c"
    position = 0
    while (end := data.find(row_end, position)) >= 0:
        start = data.rfind(row_tag, position, end)
        if start >= 0:
            extent.rows += 1
            tag_end = data.find(b">", start, end)
            number = _ROW_NUMBER.search(data, start, tag_end) if tag_end > 0 else None
            extent.last_row = int(number.group(1)) if number else extent.last_row + 1
            last_cell = _last_cell(data, cell_tag, start, end)
            if last_cell >= 0:
                cell_end = data.find(b">", last_cell, end)
                ref = _CELL_REF.search(data, last_cell, cell_end) if cell_end > 0 else None
                columns = column_number(ref.group(1)) if ref else _count_cells(data, cell_tag, start, end)
                extent.last_column = max(extent.last_column, columns)
        position = end + len(row_end)


def _last_cell(data: bytes, cell_tag: bytes, start: int, end: int) -> int:
    """Where the row's last cell starts (`<c` followed by a space or `>`, so not `<col`), or -1."""
    position = end
    while (found := data.rfind(cell_tag, start, position)) >= 0:
        after = data[found + len(cell_tag) : found + len(cell_tag) + 1]
        if after in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            return found
        position = found
    return -1


def _count_cells(data: bytes, cell_tag: bytes, start: int, end: int) -> int:
    return data.count(cell_tag + b" ", start, end) + data.count(cell_tag + b">", start, end)


def _check_extent(path: Path, extent: _Extent, limits: Limits) -> None:
    rows = max(extent.rows, extent.last_row)
    if rows > limits.max_rows:
        raise LimitExceeded(
            f"{path.name}: a sheet reaches row {_n(rows)}, over the limit of {_n(limits.max_rows)} rows "
            "(ECF_LIMIT_MAX_ROWS)"
        )
    if extent.last_column > limits.max_columns:
        raise LimitExceeded(
            f"{path.name}: a sheet uses {_n(extent.last_column)} columns, over the limit of "
            f"{_n(limits.max_columns)} (ECF_LIMIT_MAX_COLUMNS)"
        )
    if rows * extent.last_column > limits.max_cells:
        raise LimitExceeded(
            f"{path.name}: a sheet spans {_n(rows)} rows by {_n(extent.last_column)} columns, over the limit of "
            f"{_n(limits.max_cells)} cells (ECF_LIMIT_MAX_CELLS)"
        )


def check_rows(path: Path, rows: Sequence[Sequence[object]], limits: Limits, sheet: str | None = None) -> None:
    """After reading: the row and column counts and each text cell's length (32,767 characters, as Excel allows)."""
    where = f"{path.name}" + (f", sheet '{sheet[:40]}'" if sheet else "")
    if len(rows) > limits.max_rows:
        raise LimitExceeded(
            f"{where}: {_n(len(rows))} rows, over the limit of {_n(limits.max_rows)} (ECF_LIMIT_MAX_ROWS)"
        )
    cap = limits.max_cell_chars
    for number, row in enumerate(rows, start=1):
        if len(row) > limits.max_columns:
            raise LimitExceeded(
                f"{where}, row {number}: {_n(len(row))} columns, over the limit of {_n(limits.max_columns)} "
                "(ECF_LIMIT_MAX_COLUMNS)"
            )
        for column, cell in enumerate(row, start=1):
            if type(cell) is str and len(cell) > cap:
                raise LimitExceeded(
                    f"{where}, row {number}, column {column_letters(column)}: a cell of {_n(len(cell))} characters, "
                    f"over the limit of {_n(cap)} (ECF_LIMIT_MAX_CELL_CHARS)"
                )


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
