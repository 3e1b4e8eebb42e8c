"""Rows held column by column: a long listing (a national workforce's milestones, hundreds of thousands of cells) is
built a field at a time, one list per column, where a dict per row costs more than writing the csv."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload


class Columns(Sequence[Mapping[str, Any]]):
    """Equal-length columns by name. Read as a sequence, each row is a dict of every column (for the table and
    json); a csv writer takes `column(name)` as it is."""

    def __init__(self, columns: Mapping[str, Sequence[Any]]) -> None:
        lengths = {len(values) for values in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self.columns = dict(columns)
        self.length = lengths.pop() if lengths else 0

    def column(self, name: str) -> Sequence[Any]:
        """One column's values; None in every row for a name not held (as a dict row's get gives)."""
        found = self.columns.get(name)
        return [None] * self.length if found is None else found

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if not -self.length <= index < self.length:
            raise IndexError(index)
        return {name: values[index] for name, values in self.columns.items()}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        names = list(self.columns)
        for values in zip(*self.columns.values(), strict=True):
            yield dict(zip(names, values, strict=True))
