"""The Workers sheet's rows streamed column by column are exactly the XML written cell by cell (issue #20)."""

from __future__ import annotations

import numpy as np
import pytest

from ecf.exports import workers_sheet
from ecf.exports.workers_sheet import _ESCAPE, _NOT_XML, Block, _worker_rows


def cell_by_cell(blocks: list[Block], letters: list[str], styles: list[str]) -> str:
    """The plain way: every cell on its own."""
    rows, number = [], 2
    for position, block in enumerate(blocks):
        for index in range(1 if position == 0 else 0, block.rows):
            number += 1
            cells = []
            for col, values in enumerate(block.texts):
                text = _NOT_XML.sub("", str(values[index])).translate(_ESCAPE)
                cells.append(f'<c r="{letters[col]}{number}"{styles[col]} t="inlineStr"><is><t xml:space="preserve">'
                             f"{text}</t></is></c>")  # fmt: skip
            for offset, amounts in enumerate(block.numbers):
                col = len(block.texts) + offset
                cells.append(f'<c r="{letters[col]}{number}"{styles[col]}><v>{float(amounts[index])!r}</v></c>')
            rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(rows)


@pytest.mark.parametrize("chunk", [3, 5000])
def test_streamed_rows_equal_cell_by_cell_rows_with_awkward_text_and_numbers(monkeypatch, chunk):
    monkeypatch.setattr(workers_sheet, "STREAM_ROWS", chunk)
    names = np.array(["A & B", "<script>", "O'Neil\x07", "Team", "Team", None, "=SUM(A1)", "1"], dtype=object)
    teams = np.array(["North", "North", "South", "South", "North", "", "North", "South"], dtype=object)
    money = np.array([0.0, -0.0, 1234.5, 0.1 + 0.2, -17.25, 1e-7, 3.0, 99999999.99])
    first = Block([names, teams], [money])
    second = Block([names[::-1].copy(), teams], [money[::-1].copy()])
    letters, styles = ["A", "B", "C"], ["", ' s="3"', ' s="4"']
    streamed = "".join(_worker_rows([first, second], letters, styles))
    assert streamed == cell_by_cell([first, second], letters, styles)
    assert "<v>-0.0</v>" in streamed and "A &amp; B" in streamed and "\x07" not in streamed
