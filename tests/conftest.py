"""Fixtures shared by the service and CLI tests. Set ECF_TEST_DATABASE_URL to run them against PostgreSQL."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from ecf.services.context import App
from ecf.storage.database import resolve

PG_URL = os.environ.get("ECF_TEST_DATABASE_URL")

HEADERS = [
    "Employee ID", "Surname", "Forename", "SWE Registration Number", "Date Qualified", "Start Date", "Leaving Date",
    "Leaving Reason", "FTE", "Contract Type", "Grade", "Spinal Column Point", "Team", "Role", "ASYE Start Date",
    "ASYE Status", "Absence Start", "Absence End", "Absence Type",
]  # fmt: skip


def worker(employee_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid row; tests override only the cells the rule under test is about."""
    row: dict[str, Any] = {
        "Employee ID": employee_id, "Surname": f"Surname{employee_id}", "Forename": "Alex",
        "SWE Registration Number": f"SW{int(employee_id) + 100000}", "Date Qualified": date(2019, 6, 30),
        "Start Date": date(2020, 9, 1), "FTE": 1, "Contract Type": "Permanent", "Grade": "SW",
        "Spinal Column Point": 30, "Team": "Child Protection", "Role": "Social Worker",
    }  # fmt: skip
    row.update(overrides)
    return row


def write_xlsx(
    path: Path, rows: Sequence[dict[str, Any]], headers: Sequence[str] = HEADERS, title_rows: int = 0
) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "constant_memory": True})
    sheet = book.add_worksheet("Staff")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r in range(title_rows):
        sheet.write_string(r, 0, f"Council extract line {r + 1}")
    sheet.write_row(title_rows, 0, headers)
    for r, row in enumerate(rows, start=title_rows + 1):
        for c, header in enumerate(headers):
            value = row.get(header)
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return path


def write_csv(path: Path, rows: Sequence[dict[str, Any]], headers: Sequence[str] = HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(headers)
        for row in rows:
            out.writerow(
                [v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else v)
                 for v in (row.get(h) for h in headers)]
            )  # fmt: skip
    return path


def empty_database_url(folder: Path) -> str:
    """A database with nothing in it: PostgreSQL's public schema made anew, or a new SQLite file in `folder`."""
    if PG_URL:
        engine = create_engine(resolve(PG_URL).url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return PG_URL
    return f"sqlite:///{folder / 'ecf.sqlite3'}"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return empty_database_url(tmp_path)


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    opened = App.open(db_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, rows: Sequence[dict[str, Any]], **options: Any) -> Path:
        return write_xlsx(tmp_path / name, rows, **options)

    return make


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
