"""The finance workbook's long sheets (Workers, By team, By grade and stage), streamed: XlsxWriter writes each one's
headings and first row, and every other row goes straight into the sheet's XML in the saved file, reusing the first
row's cell styles. About ten times faster than a call per cell, and memory stays flat however many rows there are."""

from __future__ import annotations

import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import starmap
from pathlib import Path
from string import Formatter
from typing import IO, Any

import numpy as np
import numpy.typing as npt
from xlsxwriter.utility import xl_col_to_name

from ecf import files
from ecf.handoff import quick_handoff


def sheet_part(position: int) -> str:
    """The file in the saved workbook holding the sheet added `position`-th (from 1), as XlsxWriter names them."""
    return f"xl/worksheets/sheet{position}.xml"


_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML


@dataclass(frozen=True)
class Block:
    """Rows as columns: text columns, then number columns, then optionally one formula column (`formula` with
    `{row}` for each row's number, e.g. "SUM(D{row}:H{row})", and `results` its cached values). `pennies` are the
    positions among `numbers` of money already rounded to the penny: written as whole pennies with an exponent
    (123456E-2 for 1234.56), the same number to any reader, but made without Python's float repr -- most of the time
    a national Workers sheet takes to write."""

    texts: list[npt.NDArray[Any]]
    numbers: list[npt.NDArray[np.float64]]
    formula: str | None = None
    results: npt.NDArray[np.float64] | None = None
    pennies: frozenset[int] = frozenset()

    @property
    def rows(self) -> int:
        return len(self.texts[0]) if self.texts else 0


STREAM_ROWS = 5000  # Workers rows turned into XML at a time: memory stays flat however many rows there are


def splice(path: Path, pending: dict[str, list[Block]]) -> None:
    """Stream every row after the first of each sheet's blocks into the sheet XML XlsxWriter wrote, reusing its cell
    styles, a few thousand rows at a time; `pending` maps a sheet's part (sheet_part) to its blocks. Text goes in as
    inline strings, never formulas; formulas only as the blocks give them, with their values cached."""
    pending = {part: blocks for part, blocks in pending.items() if sum(block.rows for block in blocks) > 1}
    if not pending:
        return
    with zipfile.ZipFile(path) as source:
        streams = {part: _Stream.of(source.read(part).decode("utf-8"), blocks) for part, blocks in pending.items()}
        spliced = files.new_temporary(path)
        try:
            _write_spliced(source, spliced, streams)
        except BaseException:
            files.discard(spliced)
            raise
    files.publish(spliced, path)


@dataclass(frozen=True)
class _Stream:
    """One sheet's XML around its rows, and what to put between."""

    head: str
    tail: str
    blocks: list[Block]
    letters: list[str]
    styles: list[str]

    @classmethod
    def of(cls, sheet: str, blocks: list[Block]) -> _Stream:
        template = re.search(r'<row r="2"[^>]*>(.*?)</row>', sheet)
        assert template is not None, "the sheet has its first data row"
        # by column letter: a cell XlsxWriter left out (an empty text with no format) has no style
        found = {m.group(1): m.group(2) or "" for m in re.finditer(r'<c r="([A-Z]+)2"( s="\d+")?', template.group(1))}
        width = len(blocks[0].texts) + len(blocks[0].numbers) + (blocks[0].formula is not None)
        letters = [xl_col_to_name(c) for c in range(width)]
        styles = [found.get(letter, "") for letter in letters]
        head, tail = sheet.split("</sheetData>")
        last = 1 + sum(block.rows for block in blocks)
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{letters[-1]}{last}"/>', head)
        return cls(head, tail, blocks, letters, styles)


def _write_spliced(source: zipfile.ZipFile, spliced: Path, streams: dict[str, _Stream]) -> None:
    """Copy the workbook's other parts; write the streamed sheets (low compression: they are the big ones)."""
    with zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            stream = streams.get(info.filename)
            if stream is None:
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as out:
                out.write(stream.head.encode("utf-8"))
                _compress_beside(out, _rows(stream.blocks, stream.letters, stream.styles))
                out.write(("</sheetData>" + stream.tail).encode("utf-8"))


def _compress_beside(out: IO[bytes], chunks: Iterator[str]) -> None:
    """Write the chunks as they are made, compressing each in a second thread while the next is built: zlib lets go
    of the interpreter while it compresses, so on two cores the sheet costs about what building its XML costs (with
    the interpreter handed back quickly: at the usual 5 ms the compressor waited on the builder at every block, and a
    national Workers sheet took 1.22 s, not 0.92). At most two chunks wait, so memory stays flat."""
    waiting: queue.Queue[str | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def write() -> None:
        try:
            while (chunk := waiting.get()) is not None:
                out.write(chunk.encode("utf-8"))
        except BaseException as exc:  # a full disk, say: the builder stops and the caller sees it
            failed.append(exc)
            while waiting.get() is not None:  # let the builder finish putting
                pass

    writer = threading.Thread(target=write, name="xlsx-compress", daemon=True)
    with quick_handoff():
        writer.start()
        try:
            for chunk in chunks:
                if failed:
                    break
                waiting.put(chunk)
        finally:
            waiting.put(None)
            writer.join()
    if failed:
        raise failed[0]


def _rows(blocks: list[Block], letters: list[str], styles: list[str]) -> Iterator[str]:
    """The rows' XML a few thousand at a time, each row one call of a template made for the sheet: a text column
    repeats its values (teams, grades, stages), so each distinct one is escaped once; numbers are written as
    Python's shortest repr."""
    number = 2
    texts_done = [_Escaped() for _ in styles]
    for position, block in enumerate(blocks):
        row = _compiled(_row_template(block, letters, styles))
        for begin in range(1 if position == 0 else 0, block.rows, STREAM_ROWS):
            end = min(begin + STREAM_ROWS, block.rows)
            # the row number as text: every cell of the row repeats it
            columns: list[Iterable[Any]] = [map(str, range(number + 1, number + 1 + end - begin))]
            number += end - begin
            for col, values in enumerate(block.texts):
                columns.append(map(texts_done[col].__getitem__, values[begin:end].tolist()))
            columns += [
                _in_pennies(amounts[begin:end]) if col in block.pennies else amounts[begin:end].tolist()
                for col, amounts in enumerate(block.numbers)
            ]
            if block.formula is not None and block.results is not None:
                columns.append(block.results[begin:end].tolist())
            yield "".join(starmap(row, zip(*columns, strict=True)))


def _in_pennies(amounts: npt.NDArray[np.float64]) -> list[int]:
    """Amounts rounded to the penny as whole pennies: exact, as each is the nearest float to its pennies / 100."""
    if not np.all(np.isfinite(amounts)):
        raise ValueError("a money cell is not a finite amount")
    pennies: list[int] = np.rint(amounts * 100).astype(np.int64).tolist()
    return pennies


def _compiled(template: str) -> Callable[..., str]:
    """`template.format` as a function of its fields that need not read the template again on every call: an
    f-string, the template's text held as constants beside it. A third less time for a national Workers sheet, whose
    rows are each most of a kilobyte of XML."""
    namespace: dict[str, Any] = {}
    pieces, fields = [], 0
    for place, (text, field, spec, conversion) in enumerate(Formatter().parse(template)):
        if text:
            namespace[f"_text{place}"] = text
            pieces.append(f"{{_text{place}}}")
        if field is not None:
            assert field.isdigit() and not spec, "positional fields without a format spec, as _row_template writes"
            pieces.append(f"{{field{field}{'!' + conversion if conversion else ''}}}")
            fields = max(fields, int(field) + 1)
    source = f"def row({', '.join(f'field{i}' for i in range(fields))}):\n    return f'{''.join(pieces)}'\n"
    # compiled first: exec of text would leave CPython thinking a Ctrl-C landing here went unhandled (see
    # ecf.domain.frozen.stored_at_once)
    exec(compile(source, "<streamed row>", "exec"), namespace)
    row: Callable[..., str] = namespace["row"]
    return row


def _row_template(block: Block, letters: list[str], styles: list[str]) -> str:
    """A row's XML with {0} for its number and a field for each cell's value, in the block's column order."""
    cells = []
    for col in range(len(block.texts)):
        cells.append(f'<c r="{letters[col]}{{0}}"{styles[col]} t="inlineStr"><is>{{{col + 1}}}</is></c>')
    for offset in range(len(block.numbers)):
        col = len(block.texts) + offset
        value = f"{{{col + 1}}}E-2" if offset in block.pennies else f"{{{col + 1}!r}}"
        cells.append(f'<c r="{letters[col]}{{0}}"{styles[col]}><v>{value}</v></c>')
    if block.formula is not None:
        col = len(block.texts) + len(block.numbers)
        # the formula's own braces (none in the formulas written here) kept as text, {row} as the row's number
        formula = block.formula.translate(_ESCAPE).replace("{row}", "\0").replace("{", "{{").replace("}", "}}")
        formula = formula.replace("\0", "{0}")
        cells.append(f'<c r="{letters[col]}{{0}}"{styles[col]}><f>{formula}</f><v>{{{col + 1}!r}}</v></c>')
    return '<row r="{0}">' + "".join(cells) + "</row>"


class _Escaped(dict[Any, str]):
    """A text cell's <t> element, for each distinct value of a column: worked out the first time. Marked to keep its
    spaces only where it starts or ends with one, as XlsxWriter marks its own: a sixth of a national Workers sheet's
    XML was the mark on every cell."""

    def __missing__(self, value: Any) -> str:
        text = "" if value is None else str(value)
        if _NOT_XML.search(text):
            text = _NOT_XML.sub("", text)
        escaped = text.translate(_ESCAPE)
        spaced = bool(text) and (text[0].isspace() or text[-1].isspace())
        self[value] = element = f'<t xml:space="preserve">{escaped}</t>' if spaced else f"<t>{escaped}</t>"
        return element
