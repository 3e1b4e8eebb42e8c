"""The workbook's long sheets streamed column by column are exactly the XML written cell by cell (issue #20)."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest

from ecf.exports import streamed
from ecf.exports.streamed import _ESCAPE, _NOT_XML, Block, _rows
from ecf.handoff import HANDOFF_SECONDS


def cell_by_cell(blocks: list[Block], letters: list[str], styles: list[str]) -> str:
    """The plain way: every cell on its own."""
    rows, number = [], 2
    for position, block in enumerate(blocks):
        for index in range(1 if position == 0 else 0, block.rows):
            number += 1
            cells = []
            for col, values in enumerate(block.texts):
                value = values[index]
                text = _NOT_XML.sub("", "" if value is None else str(value)).translate(_ESCAPE)
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                cells.append(f'<c r="{letters[col]}{number}"{styles[col]} t="inlineStr"><is><t{space}>{text}</t></is>'
                             "</c>")  # fmt: skip
            for offset, amounts in enumerate(block.numbers):
                col = len(block.texts) + offset
                cells.append(f'<c r="{letters[col]}{number}"{styles[col]}><v>{float(amounts[index])!r}</v></c>')
            if block.formula is not None and block.results is not None:
                col = len(block.texts) + len(block.numbers)
                formula = block.formula.format(row=number)
                cells.append(f'<c r="{letters[col]}{number}"{styles[col]}><f>{formula}</f>'
                             f"<v>{float(block.results[index])!r}</v></c>")  # fmt: skip
            rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(rows)


@pytest.mark.parametrize("chunk", [3, 5000])
def test_streamed_rows_equal_cell_by_cell_rows_with_awkward_text_and_numbers(monkeypatch, chunk):
    monkeypatch.setattr(streamed, "STREAM_ROWS", chunk)
    names = np.array(["A & B", "<script>", "O'Neil\x07", " Team", "Team\n", None, "=SUM(A1)", "1"], dtype=object)
    teams = np.array(["North", "North", "South", "South", "North", "", "North", "South"], dtype=object)
    money = np.array([0.0, -0.0, 1234.5, 0.1 + 0.2, -17.25, 1e-7, 3.0, 99999999.99])
    first = Block([names, teams], [money])
    second = Block([names[::-1].copy(), teams], [money[::-1].copy()])
    letters, styles = ["A", "B", "C"], ["", ' s="3"', ' s="4"']
    written = "".join(_rows([first, second], letters, styles))
    assert written == cell_by_cell([first, second], letters, styles)
    assert "<v>-0.0</v>" in written and "A &amp; B" in written and "\x07" not in written
    assert ">None<" not in written  # no value is an empty cell, as XlsxWriter writes it
    assert '<t xml:space="preserve"> Team</t>' in written and "<t>A &amp; B</t>" in written  # marked where needed


@pytest.mark.parametrize("chunk", [2, 5000])
def test_a_formula_column_has_each_rows_own_formula_and_its_value(monkeypatch, chunk):
    monkeypatch.setattr(streamed, "STREAM_ROWS", chunk)
    years = np.array(["2026/27", "2027/28", "2028/29"], dtype=object)
    pay = np.array([100.0, 200.5, 300.25])
    block = Block([years], [pay, pay], "SUM(B{row}:C{row})", np.array([200.0, 401.0, 600.5]))
    letters, styles = ["A", "B", "C", "D"], ["", ' s="2"', ' s="2"', ' s="5"']
    written = "".join(_rows([block], letters, styles))
    assert written == cell_by_cell([block], letters, styles)
    assert '<c r="D4" s="5"><f>SUM(B4:C4)</f><v>600.5</v></c></row>' in written


def test_a_failing_write_stops_the_stream_and_is_raised_not_hung():
    class FullDisk:
        def __init__(self) -> None:
            self.written: list[bytes] = []

        def write(self, data: bytes) -> int:
            if self.written:
                raise OSError(28, "No space left on device")
            self.written.append(data)
            return len(data)

    made: list[int] = []

    def chunks():
        for n in range(1000):
            made.append(n)
            yield f"<row r='{n}'/>"

    out = FullDisk()
    with pytest.raises(OSError, match="No space left"):
        streamed._compress_beside(out, chunks())  # type: ignore[arg-type]
    assert out.written == [b"<row r='0'/>"]
    assert len(made) < 1000  # the builder stopped soon after the failure


def test_chunks_arrive_whole_and_in_order():
    class Sink:
        def __init__(self) -> None:
            self.data = b""

        def write(self, data: bytes) -> int:
            self.data += data
            return len(data)

    out = Sink()
    streamed._compress_beside(out, (f"<c>{n}</c>" for n in range(500)))  # type: ignore[arg-type]
    assert out.data.decode() == "".join(f"<c>{n}</c>" for n in range(500))


def test_the_compressor_gets_the_interpreter_back_quickly_while_streaming_and_the_interval_is_put_back():
    seen: list[float] = []

    class Sink:
        def write(self, data: bytes) -> int:
            seen.append(sys.getswitchinterval())
            return len(data)

    before = sys.getswitchinterval()
    streamed._compress_beside(Sink(), (f"<c>{n}</c>" for n in range(3)))  # type: ignore[arg-type]
    assert seen and all(interval == pytest.approx(HANDOFF_SECONDS) for interval in seen)
    assert sys.getswitchinterval() == before

    class Broken:
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        streamed._compress_beside(Broken(), iter(["<c/>"]))  # type: ignore[arg-type]
    assert sys.getswitchinterval() == before


def test_money_to_the_penny_is_written_as_whole_pennies_that_read_back_as_the_same_number():
    # each amount as worker_years gives it: rounded to the penny, so the nearest float to its pennies / 100
    money = np.round(np.array([0.0, -0.0, 1234.5, 0.1 + 0.2, -17.25, 0.07, 22497.01, 99999999.99, 1e-9]), 2)
    fte = np.array([0.489929793129671, 1.0, 0.5, 0.25, 1.0, 0.8, 0.6, 0.4, 0.2])
    block = Block([np.array(["x"] * len(money), dtype=object)], [fte, money], pennies=frozenset({1}))
    written = "".join(_rows([block, block], ["A", "B", "C"], ["", "", ""]))
    assert '<c r="C4"><v>123450E-2</v></c>' in written and "<v>2249701E-2</v>" in written
    assert '<c r="B4"><v>0.5</v></c>' in written  # a count keeps Python's own shortest form
    cells = [float(v) for v in re.findall(r'<c r="C\d+"><v>([^<]+)</v>', written)]
    assert cells == money.tolist()[1:] + money.tolist()  # every amount reads back as exactly the same float


def test_a_money_cell_that_is_not_a_number_is_refused():
    block = Block([np.array(["x", "y", "z"], dtype=object)], [np.array([1.0, float("nan"), 2.0])],
                  pennies=frozenset({0}))  # fmt: skip
    with pytest.raises(ValueError, match="not a finite amount"):
        "".join(_rows([block], ["A", "B"], ["", ""]))
