"""Drop-downs whose choices come from the data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.widgets import Select


def offer(select: Select[str], values: Sequence[str]) -> None:
    """Offer these values; keep the one already chosen if it is still among them (a refresh keeps the narrowing)."""
    chosen = select.value
    select.set_options((value, value) for value in values)
    if chosen in values:
        select.value = chosen


def words(text: str) -> list[str]:
    """What someone typed into a search, as the words every match must contain (in any order): `patel final`."""
    return text.lower().split()


def has_all(key: str, wanted: Sequence[str]) -> bool:
    return all(word in key for word in wanted)


def chosen(drop_downs: Iterable[tuple[Select[str], Sequence[str]]]) -> list[tuple[Sequence[str], str]]:
    """(column values, value wanted) for each drop-down with a value picked; the column is one value per row."""
    return [(column, select.value) for select, column in drop_downs if isinstance(select.value, str)]


def narrowed(keys: Sequence[str], wanted: Sequence[str], picked: Sequence[tuple[Sequence[str], str]]) -> Sequence[int]:
    """The positions whose search key holds every wanted word and whose columns hold every chosen (column, value)."""
    if not wanted and not picked:
        return range(len(keys))
    if len(wanted) == 1 and not picked:  # the usual case, kept to one test per row for 40,000 rows
        word = wanted[0]
        return [i for i, key in enumerate(keys) if word in key]
    return [i for i, key in enumerate(keys) if has_all(key, wanted) and all(values[i] == v for values, v in picked)]
