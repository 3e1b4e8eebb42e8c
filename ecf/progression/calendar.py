"""Calendar arithmetic with the edge cases written down: month ends, 29 February, UK years.

`add_months` follows python-dateutil: 31/01 + 1 month = 28/02 (29/02 in a leap year), never 03/03; 29/02/2024 + 12
months = 28/02/2025. Adding months to a month end keeps the day where it can, so a 31/01 start reaches 30/04 after three
months and 31/07 after six.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months, clamped to the month's last day (dateutil's relativedelta, without building
    one: a national workforce asks this tens of thousands of times)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    last = 29 if month == 2 and _leap(year) else _DAYS_IN_MONTH[month - 1]
    return date(year, month, day.day if day.day <= last else last)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def whole_months_between(start: date, end: date) -> int:
    """Completed calendar months from `start` to `end` (0 if `end` is before `start`), as dateutil's relativedelta
    counts them (31/01 to 28/02 is one month, matching `add_months`), without building a relativedelta."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


@lru_cache(maxsize=65536)
def uk(day: date | None) -> str:
    """dd/mm/yyyy, the way every screen and explanation shows a date (cached: the same dates recur)."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def academic_year(day: date) -> str:
    """The academic year (1 September – 31 August) a day falls in, as `2025/26`: how councils name ASYE intakes."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def financial_year(day: date) -> str:
    """The financial year (1 April – 31 March) a day falls in, as `2026/27`."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def financial_year_start(label: str) -> date:
    return date(int(label[:4]), 4, 1)


def academic_year_start(label: str) -> date:
    return date(int(label[:4]), 9, 1)
