"""Drop-downs whose choices come from the data."""

from __future__ import annotations

from collections.abc import Sequence

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
