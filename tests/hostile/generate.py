"""A hostile corpus: files crafted to break an importer (huge extents, zip bombs, giant cells, values that pass a
naive check and break storage, control characters, markup, not-files). Each is written small and fast.

    python -m tests.hostile.generate FOLDER

Every file is named with a snapshot date, so `ecf import FILE` needs no --as-of; `EXPECTED` says what each must give:
exit 2 (refused as a whole) or 1 (rows with errors), and never anything stored.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

HEADERS = ["Employee ID", "Surname", "Forename", "Date qualified", "Start date", "FTE", "Contract type", "Caseload",
           "Allowances", "Spinal column point"]  # fmt: skip
GOOD = ["004512", "Okafor", "Ada", "30/06/2019", "01/09/2020", "1", "Permanent", "12", "0", "30"]
DATE = "2026-10-31"


def _row(**changes: str) -> list[str]:
    row = dict(zip(HEADERS, GOOD, strict=True))
    row.update({key.replace("_", " "): value for key, value in changes.items()})
    return [row[h] for h in HEADERS]


# --- a minimal xlsx, written by hand so nothing tidies the hostile parts -------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}{strings}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _col(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cells_xml(rows: Iterable[tuple[int, list[str]]]) -> Iterable[str]:
    for number, cells in rows:
        inner = "".join(
            f'<c r="{_col(c)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(cells, 1)
        )
        yield f'<row r="{number}">{inner}</row>'


Chunks = Callable[[], Iterable[str]]


def raw_xlsx(
    path: Path,
    sheets: list[tuple[str, Chunks, str]],  # name, the sheetData's rows, state ("visible" or "hidden")
    shared_strings: Chunks | None = None,
    extra_parts: dict[str, bytes] | None = None,
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        types = "".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        book.writestr(
            "[Content_Types].xml", _CONTENT_TYPES.format(sheets=types, strings=_STRINGS_TYPE if shared_strings else "")
        )
        book.writestr("_rels/.rels", _ROOT_RELS)
        listed = "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" state="{state}" r:id="rId{n}"/>'
            for n, (name, _, state) in enumerate(sheets, 1)
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_RNS}><sheets>{listed}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        if shared_strings:
            rels += (
                '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/sharedStrings" Target="sharedStrings.xml"/>'
            )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for n, (_, rows, _) in enumerate(sheets, 1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'.encode())
                _stream(out, rows())
                out.write(b"</sheetData></worksheet>")
        if shared_strings:
            with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>'.encode())
                _stream(out, shared_strings())
                out.write(b"</sst>")
        for name, content in (extra_parts or {}).items():
            book.writestr(name, content)
    return path


def _stream(out: object, chunks: Iterable[str]) -> None:
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size > 1 << 20:
            out.write("".join(batch).encode())  # type: ignore[attr-defined]
            batch, size = [], 0
    out.write("".join(batch).encode())  # type: ignore[attr-defined]


def _sheet(*rows: list[str]) -> Chunks:
    return lambda: cells_xml(enumerate([HEADERS, *rows], start=1))


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    import csv
    import io

    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows([HEADERS, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


# --- the corpus ----------------------------------------------------------------------------------------------------


def far_cell(folder: Path) -> Path:
    """One cell at XFD1048576: a dense reader allocates 17 billion cells."""

    def rows() -> Iterable[str]:
        yield from cells_xml([(1, HEADERS), (2, GOOD)])
        yield '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'

    return raw_xlsx(folder / f"far_cell_{DATE}.xlsx", [("Staff", rows, "visible")])


def moved_far_cell(folder: Path) -> Path:
    """The far cell again, its worksheet moved out of xl/worksheets/ under another name (as the relationships say)."""
    source = far_cell(folder)
    with zipfile.ZipFile(source) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    source.unlink()
    parts["xl/elsewhere/data.bin"] = parts.pop("xl/worksheets/sheet1.xml")
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        parts[name] = parts[name].replace(b"worksheets/sheet1.xml", b"elsewhere/data.bin")
    path = folder / f"moved_far_cell_{DATE}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    return path


def shared_string_bomb(folder: Path) -> Path:
    """A 400 MB shared string in a file of a few hundred KB."""

    def strings() -> Iterable[str]:
        yield "<si><t>"
        block = "A" * (1 << 20)
        for _ in range(400):
            yield block
        yield "</t></si>"

    def rows() -> Iterable[str]:
        yield from cells_xml([(1, HEADERS)])
        yield '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'

    return raw_xlsx(folder / f"string_bomb_{DATE}.xlsx", [("Staff", rows, "visible")], strings)


def two_million_rows(folder: Path) -> Path:
    def rows() -> Iterable[str]:
        yield from cells_xml([(1, HEADERS)])
        for n in range(2, 2_000_002):
            yield f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'

    return raw_xlsx(folder / f"two_million_rows_{DATE}.xlsx", [("Staff", rows, "visible")])


def wide_row(folder: Path) -> Path:
    """16,384 columns on one row, each cell present."""

    def rows() -> Iterable[str]:
        yield from cells_xml([(1, HEADERS), (2, GOOD)])
        yield '<row r="3">' + "".join(f'<c r="{_col(c)}3"><v>1</v></c>' for c in range(1, 16385)) + "</row>"

    return raw_xlsx(folder / f"wide_row_{DATE}.xlsx", [("Staff", rows, "visible")])


def rows_without_numbers(folder: Path) -> Path:
    """Rows and cells with no r attributes (allowed by the standard): the extent is counted, not read."""

    def rows() -> Iterable[str]:
        yield from cells_xml([(1, HEADERS)])
        for _ in range(300_000):
            yield "<row><c><v>1</v></c></row>"

    return raw_xlsx(folder / f"unnumbered_rows_{DATE}.xlsx", [("Staff", rows, "visible")])


def huge_surname_xlsx(folder: Path) -> Path:
    return raw_xlsx(folder / f"huge_surname_{DATE}.xlsx", [("Staff", _sheet(_row(Surname="S" * 5_000_000)), "visible")])


def huge_surname_csv(folder: Path) -> Path:
    return _csv(folder / f"huge_surname_{DATE}.csv", [_row(Surname="S" * 5_000_000)])


def field_over_128k(folder: Path) -> Path:
    return _csv(folder / f"long_field_{DATE}.csv", [_row(Forename="T" * 140_000)])


def unclosed_quote(folder: Path) -> Path:
    path = folder / f"unclosed_quote_{DATE}.csv"
    lines = [",".join(HEADERS), ",".join(GOOD), '004513,"Never closed,Ada,30/06/2019,01/09/2020,1,Permanent,1,0,30']
    lines += [",".join(GOOD)] * 5000
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ratio_bomb_part(folder: Path) -> Path:
    """An unused part that unpacks 1000 to 1."""
    return raw_xlsx(
        folder / f"ratio_bomb_{DATE}.xlsx",
        [("Staff", _sheet(GOOD), "visible")],
        extra_parts={"docProps/custom.xml": b"\0" * (64 << 20)},
    )


def billion_laughs(folder: Path) -> Path:
    entities = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10)
        )
        + "]>"
    )

    def strings() -> Iterable[str]:
        yield "<si><t>&lol9;</t></si>"

    path = raw_xlsx(
        folder / f"billion_laughs_{DATE}.xlsx",
        [
            (
                "Staff",
                lambda: iter([*cells_xml([(1, HEADERS)]), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>']),
                "visible",
            )
        ],
        strings,
    )
    # put the DOCTYPE in front of the shared strings
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
        b"?><sst", b"?>" + entities.encode() + b"<sst"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    return path


def truncated_zip(folder: Path) -> Path:
    source = raw_xlsx(folder / "whole.xlsx", [("Staff", _sheet(GOOD), "visible")])
    path = folder / f"truncated_{DATE}.xlsx"
    path.write_bytes(source.read_bytes()[:700])
    source.unlink()
    return path


def not_a_zip(folder: Path) -> Path:
    path = folder / f"not_a_zip_{DATE}.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    return path


def long_sheet_name(folder: Path) -> Path:
    return raw_xlsx(folder / f"long_sheet_name_{DATE}.xlsx", [("S" * 300, _sheet(GOOD), "visible")])


def header_only(folder: Path) -> Path:
    return _csv(folder / f"header_only_{DATE}.csv", [])


def a_folder(folder: Path) -> Path:
    path = folder / f"a_folder_{DATE}.xlsx"
    path.mkdir()
    return path


def a_fifo(folder: Path) -> Path:
    path = folder / f"a_fifo_{DATE}.csv"
    os.mkfifo(path)
    return path


def binary_csv(folder: Path) -> Path:
    path = folder / f"binary_{DATE}.csv"
    path.write_bytes(os.urandom(4000))
    return path


# Rows that must be refused one by one (exit 1): values that pass a naive check and break later.
BAD_VALUES: dict[str, dict[str, str]] = {
    "fte_1e30": {"FTE": "1e30"},
    "fte_1e999999": {"FTE": "1e999999"},
    "allowance_1e30": {"Allowances": "1e30"},
    "allowance_1e999999": {"Allowances": "1e999999"},
    "caseload_1e30": {"Caseload": "1e30"},
    "caseload_1e999999": {"Caseload": "1e999999"},
    "caseload_over_2_31": {"Caseload": str(2**31 + 5)},
    "spinal_point_huge": {"Spinal column point": "9" * 5000},
    "id_41_characters": {"Employee ID": "1" * 41},
    "id_true": {"Employee ID": "TRUE"},
    "id_fraction": {"Employee ID": "900001.0000001"},
    "name_nul": {"Surname": "Ok\x00afor"},
    "name_fffe": {"Surname": "Ok\ufffeafor"},
    "name_ffff": {"Surname": "Ok\uffffafor"},
    "name_escape_clear_screen": {"Surname": "\x1b[2J\x1b[HOkafor"},
    "name_title_osc": {"Surname": "\x1b]0;pwned\x07Okafor"},
    "name_clipboard_osc52": {"Forename": "\x1b]52;c;ZXZpbA==\x07Ada"},
    "name_markup_close": {"Surname": "[/]", "FTE": "2"},
    "name_markup_link": {"Surname": "[link=http://evil]click[/link]", "FTE": "2"},
    "formula_injection": {"Surname": '=HYPERLINK("http://evil","x")', "FTE": "2"},
    "date_far_future": {"Start date": "31/12/9999"},
    "dates_huge_serial": {"Date qualified": "99999999999999999999"},
}


def bad_value_files(folder: Path) -> list[Path]:
    made = []
    for name, changes in BAD_VALUES.items():
        row = _row(**{k.replace(" ", "_"): v for k, v in changes.items()})
        if "\x00" in "".join(row):  # a csv with NUL is refused as binary: put it in a workbook's cell instead
            text = "".join(row).replace("\x00", "_x0000_")
            made.append(
                raw_xlsx(
                    folder / f"{name}_{DATE}.xlsx",
                    [("Staff", _sheet([c.replace("\x00", "_x0000_") for c in row]), "visible")],
                )
            )
            del text
            continue
        made.append(_csv(folder / f"{name}_{DATE}.csv", [row, GOOD[:0] or _row(Employee_ID="004513")]))
        made.append(raw_xlsx(folder / f"{name}_{DATE}.xlsx", [("Staff", _sheet(row), "visible")]))
    return made


def invisible_duplicate(folder: Path) -> Path:
    """The same ID twice, one with a zero-width space inside: a duplicate all the same."""
    return _csv(folder / f"zero_width_duplicate_{DATE}.csv", [_row(), _row(Employee_ID="0045\u200b12")])


def markup_header(folder: Path) -> Path:
    row = _row(FTE="5")
    return raw_xlsx(
        folder / f"markup_header_{DATE}.xlsx",
        [("Staff", lambda: cells_xml([(1, [*HEADERS, "[/]Notes[link=x]"]), (2, [*row, "[/]"])]), "visible")],
    )


def markup_file_name(folder: Path) -> Path:
    return _csv(folder / f"[bold]x[-]y[{DATE}].csv", [_row(FTE="7")])


def escape_in_file_name(folder: Path) -> Path:
    return _csv(folder / f"esc\x1b[2Jname_{DATE}.csv", [_row(FTE="7")])


def markup_sheet_name(folder: Path) -> Path:
    return raw_xlsx(folder / f"markup_sheet_{DATE}.xlsx", [("[/]Staff\x1b[2J", _sheet(_row(FTE="3")), "visible")])


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods_row(cells: list[str], rows_repeated: int = 1, columns_repeated: int = 1) -> str:
    repeat = f' table:number-rows-repeated="{rows_repeated}"' if rows_repeated > 1 else ""
    across = f' table:number-columns-repeated="{columns_repeated}"' if columns_repeated > 1 else ""
    inner = "".join(
        f'<table:table-cell{across} office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
        for c in cells
    )
    return f"<table:table-row{repeat}>{inner}</table:table-row>"


def raw_ods(path: Path, rows: list[str]) -> Path:
    """A minimal OpenDocument spreadsheet, one sheet called Staff."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
        f'<office:spreadsheet><table:table table:name="Staff">{"".join(rows)}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
        book.writestr("META-INF/manifest.xml", _MANIFEST)
    return path


def ods_repeated_cells(folder: Path) -> Path:
    """An 800-byte ods whose repeated rows and columns ask for 16 billion cells."""
    return raw_ods(
        folder / f"ods_repeat_bomb_{DATE}.ods",
        [ods_row(HEADERS), ods_row(["x"], rows_repeated=1_000_000, columns_repeated=16_000)],
    )


def ods_under_the_readers_own_cap(folder: Path) -> Path:
    """90 million cells: under the reader's own cap of 100 million, and gigabytes to hold."""
    return raw_ods(
        folder / f"ods_ninety_million_{DATE}.ods",
        [ods_row(HEADERS), ods_row(["x"], rows_repeated=9_000, columns_repeated=10_000)],
    )


GENERATORS: list[Callable[[Path], Path]] = [
    far_cell, moved_far_cell, shared_string_bomb, two_million_rows, wide_row, rows_without_numbers, huge_surname_xlsx,
    huge_surname_csv, field_over_128k, unclosed_quote, ratio_bomb_part, billion_laughs, truncated_zip, not_a_zip,
    long_sheet_name, header_only, a_folder, a_fifo, binary_csv, invisible_duplicate, markup_header, markup_file_name,
    escape_in_file_name, markup_sheet_name, ods_repeated_cells, ods_under_the_readers_own_cap,
]  # fmt: skip


def generate(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = [make(folder) for make in GENERATORS]
    made += bad_value_files(folder)
    return made


if __name__ == "__main__":
    for made in generate(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")):
        print(made)
