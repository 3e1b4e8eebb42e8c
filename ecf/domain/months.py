"""Months without a snapshot between the ones stored (pure)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date


def missing_months(dates: Iterable[date]) -> list[date]:
    """The month ends between the first and the last snapshot date that have no snapshot in their month."""
    months = sorted({(d.year, d.month) for d in dates})
    if len(months) < 2:
        return []
    have = set(months)
    missing: list[date] = []
    year, month = months[0]
    while (year, month) < months[-1]:
        if (year, month) not in have:
            missing.append(date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return missing
