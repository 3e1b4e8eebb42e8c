"""A csv listing joins its own lines (issue #20): exactly what the csv module writes, cell for cell."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from enum import StrEnum

from hypothesis import given
from hypothesis import strategies as st

from ecf.presentation.formats import csv_column, csv_column_fields, csv_fields, csv_lines

CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t=-+@\x00é')), max_size=8),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000),
)


def by_the_csv_module(columns: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(zip(*columns, strict=True))
    return out.getvalue()


@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=6)))
def test_joined_lines_equal_the_csv_modules(rows):
    width = len(rows[0]) if rows else 1
    columns = [csv_column([row[c] for row in rows]) for c in range(width)]
    assert csv_lines([csv_fields(column) for column in columns]) == by_the_csv_module(columns)


def test_the_awkward_cells_by_name():
    cells = ['say "hi"', "a,b", "two\nlines", "cr\ronly", "", None, 0.1, -0.0, Decimal("1.50"), date(2026, 4, 3)]
    cells.append("=1+1")
    column = csv_column(cells)
    assert csv_fields(column) == ['"say ""hi"""', '"a,b"', '"two\nlines"', "cr\ronly", "", "", "0.1", "-0.0", "1.5",
                                  "2026-04-03", "'=1+1"]  # fmt: skip
    assert csv_lines([csv_fields(["", "x"])]) == '""\nx\n'  # a lone empty field is written "", as the csv module does
    assert csv_lines([[]]) == ""


class _Status(StrEnum):
    DUE = "due"
    SAY = '"=due"'


@given(
    st.lists(st.one_of(CELLS, st.sampled_from(list(_Status)), st.text(alphabet="\x1b[31m,", max_size=4)), max_size=8),
    st.booleans(),
)
def test_a_column_goes_to_its_fields_in_one_step_as_in_two(values, to_screen):
    assert csv_column_fields(values, to_screen) == csv_fields(csv_column(values, to_screen))
