"""The as-of date of a monthly file, read from its name."""

from __future__ import annotations

from datetime import date

import pytest

from importers.asof import as_of_from_name, month_end


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("northmoor_hr_2026-10-31.xlsx", date(2026, 10, 31)),
        ("hr 31-10-2026.csv", date(2026, 10, 31)),
        ("HR_20261031.xlsx", date(2026, 10, 31)),
        ("hr_31.10.2026.xlsx", date(2026, 10, 31)),
        ("hr_2026-09-15.xlsx", date(2026, 9, 15)),
    ],
)
def test_a_full_date_in_the_name_is_the_as_of_date(name, expected):
    assert as_of_from_name(name) == expected


def test_a_year_and_month_means_the_last_day_of_that_month():
    assert as_of_from_name("hr_2026-10.xlsx") == date(2026, 10, 31)


def test_a_named_month_means_its_last_day():
    assert as_of_from_name("HR Oct 2026.xlsx") == date(2026, 10, 31)


def test_a_full_month_name_run_into_the_year_in_a_leap_february():
    assert as_of_from_name("staff_february2024.xlsx") == date(2024, 2, 29)


def test_sept_is_september():
    assert as_of_from_name("HR Sept 2026.xlsx") == date(2026, 9, 30)


def test_a_name_without_a_date_gives_none():
    assert as_of_from_name("staff.xlsx") is None


def test_a_word_that_is_not_a_month_gives_none():
    assert as_of_from_name("export 2026.xlsx") is None


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2024, 2, date(2024, 2, 29)), (2023, 2, date(2023, 2, 28)), (2026, 4, date(2026, 4, 30))],
)
def test_month_end(year, month, expected):
    assert month_end(year, month) == expected
