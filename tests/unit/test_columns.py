"""Rows held column by column read as the rows they hold: the table and json take dicts, csv takes the columns."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import date

import pytest

from ecf.cli.output import Format, render
from ecf.presentation.columns import Columns

COLUMNS = {"employee_id": ["E1", "E2", "E3"], "due_date": [date(2026, 12, 1), None, date(2027, 1, 31)]}
ROWS = [
    {"employee_id": "E1", "due_date": date(2026, 12, 1)},
    {"employee_id": "E2", "due_date": None},
    {"employee_id": "E3", "due_date": date(2027, 1, 31)},
]


def test_columns_read_as_rows() -> None:
    held = Columns(COLUMNS)
    assert len(held) == 3
    assert list(held) == ROWS
    assert held[1] == ROWS[1] and held[-1] == ROWS[2]
    assert held[1:] == ROWS[1:]
    with pytest.raises(IndexError):
        held[3]
    assert held.column("employee_id") == ["E1", "E2", "E3"]
    assert held.column("team") == [None, None, None]  # as a dict row's get gives


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        Columns({"a": [1, 2], "b": [1]})


def test_no_columns_is_no_rows() -> None:
    assert len(Columns({})) == 0 and list(Columns({"a": []})) == []


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_writes_columns_as_it_writes_rows(fmt: Format) -> None:
    def written(rows: object) -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            render(rows, ["employee_id", "due_date", "team"], fmt)  # type: ignore[arg-type]
        return out.getvalue()

    assert written(Columns(COLUMNS)) == written(ROWS)
    assert "2026-12-01" in written(Columns(COLUMNS)) or fmt is Format.TABLE
