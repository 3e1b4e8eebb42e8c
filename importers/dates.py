"""One date order per column. HR sheets saved by a spreadsheet set to US settings write dates month first; read day
first, 04/07/2015 would be stored as 4 July instead of 7 April. A column is read day-first unless its values prove it
month-first (some only valid month-first, such as 09/13/2015, and none only valid day-first); a column with both
kinds is refused. Real date cells, serial numbers and ISO text are not affected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from importers.date_order import DateOrder
from importers.parsing import DMY_PATTERN
from importers.readers import UnreadableFile

EXAMPLES = 2


class MixedDateOrder(UnreadableFile):
    """A column holds dates only valid day-first and others only valid month-first: no single reading fits."""


@dataclass(frozen=True)
class ColumnOrder:
    month_first: bool
    day_first_only: tuple[str, ...]  # examples of values only valid day-first
    month_first_only: tuple[str, ...]


def column_order(cells: Iterable[Any]) -> ColumnOrder:
    """Which order the column's d/m/y-shaped text values prove (examples of each kind, a few of them)."""
    day_first: list[str] = []
    month_first: list[str] = []
    for cell in cells:
        if not isinstance(cell, str):
            continue
        match = DMY_PATTERN.match(cell.strip())
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second >= 1:
            day_first.append(cell.strip())
        elif second > 12 >= first >= 1:
            month_first.append(cell.strip())
    return ColumnOrder(bool(month_first) and not day_first, tuple(day_first[:EXAMPLES]), tuple(month_first[:EXAMPLES]))


def choose_order(cells: Iterable[Any], mode: DateOrder, header: str, where: str) -> bool:
    """True when the column is to be read month-first. Raises MixedDateOrder for a column of both kinds (auto)."""
    if mode is not DateOrder.AUTO:
        return mode is DateOrder.MDY
    found = column_order(set(cells) if _hashable(cells) else cells)
    if found.day_first_only and found.month_first_only:
        raise MixedDateOrder(
            f"{where}: column '{header}' mixes day-first dates (e.g. {', '.join(found.day_first_only)}) and "
            f"month-first dates (e.g. {', '.join(found.month_first_only)}); correct the column, or give the order "
            "with --dates dmy or --dates mdy"
        )
    return found.month_first


def _hashable(cells: Iterable[Any]) -> bool:
    try:
        set(cells)
    except TypeError:
        return False
    return True
