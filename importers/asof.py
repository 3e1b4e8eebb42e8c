"""The as-of date of a monthly file, read from its name when not given: 'hr_2026-10-31.xlsx', 'HR Oct 2026.xlsx'."""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
_ISO_DAY = re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_UK_DAY = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.](20\d{2})(?!\d)")
_ISO_MONTH = re.compile(r"(?<!\d)(20\d{2})[-_.](0[1-9]|1[0-2])(?!\d)")
_NAMED_MONTH = re.compile(r"(?<![a-z])([a-z]{3,9})[-_. ]?(20\d{2})(?!\d)")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def as_of_from_name(name: str) -> date | None:
    """A full date in the name is the as-of date; a month alone ('2026-10', 'Oct2026') means its last day."""
    text = name.lower()
    for pattern, order in ((_ISO_DAY, "ymd"), (_UK_DAY, "dmy")):
        match = pattern.search(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return date(year, month, day)
            except ValueError:
                continue
    match = _ISO_MONTH.search(text)
    if match:
        return month_end(int(match.group(1)), int(match.group(2)))
    for match in _NAMED_MONTH.finditer(text):
        named = _MONTHS.get(match.group(1))
        if named:
            return month_end(int(match.group(2)), named)
    return None
