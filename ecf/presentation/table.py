"""One table renderer for every listing people read, in the CLI (and its layout rules for the terminal UI).

A number, date, ID or sum of money is never broken across lines or shortened: its column is as wide as its widest
value. Text (names, teams, explanations) is shortened with an ellipsis to fit. When even that does not fit, the
least important columns (the rightmost that are not key columns) are left out, and a footer names them and says how
to see them. Headers wrap between words, never inside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size
from rich.text import Text

GAP = 2  # spaces between columns
TEXT_MIN = 10  # a text column is not shortened below this (or its longest header word)
ATOMIC_TEXT = 20  # a column of single words no longer than this (IDs, codes, 2026/27) is kept whole
ELLIPSIS = "…"
KEY_TEXT = 24  # a key text column (a name) gets this much before a column that is not key is shown


@dataclass(frozen=True)
class Column:
    header: str
    atomic: bool = False  # never shortened: numbers, dates, IDs, money
    right: bool = False  # aligned right: numbers and money
    keep: bool = False  # a key column: never left out
    drop_rank: int = 0  # columns with a higher rank are left out first (then the rightmost first)


@dataclass
class Layout:
    shown: list[int]
    widths: list[int]
    dropped: list[int] = field(default_factory=list)


def looks_atomic(values: Sequence[str]) -> bool:
    """Single short words (IDs, codes, financial years) read wrong when cut."""
    return all(" " not in v and cell_len(v) <= ATOMIC_TEXT for v in values)


def _header_words(column: Column) -> list[str]:
    return column.header.split() or [""]


def _minimum(column: Column, longest: int) -> int:
    word = max(cell_len(w) for w in _header_words(column))
    if column.atomic:
        return max(longest, word)
    return max(word, min(longest, TEXT_MIN))


def _natural(column: Column, longest: int) -> int:
    return max(longest, cell_len(column.header))


def layout(columns: Sequence[Column], cells: Sequence[Sequence[str]], width: int | None) -> Layout:
    """Which columns to show and how wide, to fit `width` (None: every column at its natural width)."""
    longest = [max((cell_len(row[i]) for row in cells), default=0) for i in range(len(columns))]
    return fit_columns(columns, longest, width)


def fit_columns(columns: Sequence[Column], longest: Sequence[int], width: int | None) -> Layout:
    """`layout` from each column's longest value (the terminal UI measures its rows once, off the screen's
    thread, and fits them again whenever the window changes size)."""
    natural = [_natural(c, n) for c, n in zip(columns, longest, strict=True)]
    shown = list(range(len(columns)))
    if width is None:
        return Layout(shown, natural)
    minimum = [_minimum(c, n) for c, n in zip(columns, longest, strict=True)]

    def needed(indices: list[int]) -> int:
        return sum(minimum[i] for i in indices) + GAP * max(0, len(indices) - 1)

    dropped: list[int] = []
    while needed(shown) > width:
        spare = [i for i in reversed(shown) if not columns[i].keep]
        if not spare:
            break  # the key columns alone are wider: the lines run long rather than split a value
        least = max(spare, key=lambda i: columns[i].drop_rank)  # max keeps the first (rightmost) of equals
        shown.remove(least)
        dropped.append(least)
    # Key text (names, milestones) at a readable width comes before columns that are not key: leave those out
    # while a key column would otherwise be shortened below KEY_TEXT.
    while True:
        spare = [i for i in reversed(shown) if not columns[i].keep]
        wanted = sum(max(minimum[i], min(natural[i], KEY_TEXT)) if columns[i].keep else minimum[i] for i in shown)
        if not spare or wanted + GAP * max(0, len(shown) - 1) <= width:
            break
        least = max(spare, key=lambda i: columns[i].drop_rank)
        shown.remove(least)
        dropped.append(least)
    widths = {i: minimum[i] for i in shown}
    room = width - needed(shown)
    # Text gains most from room: share it a character at a time to the narrowest text column still shortened.
    while room > 0:
        short = [i for i in shown if not columns[i].atomic and widths[i] < natural[i]]
        if not short:
            break
        narrowest = min(short, key=lambda i: (widths[i], i))
        widths[narrowest] += 1
        room -= 1
    # Then a header on one line where it fits whole; what is left stays unused (the table is narrower).
    for i in shown:
        grow = natural[i] - widths[i]
        if 0 < grow <= room:
            widths[i] += grow
            room -= grow
    return Layout(shown, [widths[i] for i in shown], sorted(dropped))


def fit(cell: str, width: int, right: bool) -> str:
    if cell_len(cell) > width:
        cell = set_cell_size(cell, width - 1) + ELLIPSIS
    return " " * (width - cell_len(cell)) + cell if right else set_cell_size(cell, width)


def _wrap_header(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split() or [""]:
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def lines(columns: Sequence[Column], cells: Sequence[Sequence[str]], chosen: Layout) -> list[Text]:
    """The header (bold, wrapped between words), a rule, and one line per row."""
    heads = [_wrap_header(columns[i].header, w) for i, w in zip(chosen.shown, chosen.widths, strict=True)]
    depth = max((len(h) for h in heads), default=1)
    out = []
    for level in range(depth):
        parts = []
        for i, width, head in zip(chosen.shown, chosen.widths, heads, strict=True):
            word = head[level - (depth - len(head))] if level >= depth - len(head) else ""
            parts.append(fit(word, width, columns[i].right))
        out.append(Text((" " * GAP).join(parts).rstrip(), style="bold"))
    out.append(Text((" " * GAP).join("─" * w for w in chosen.widths), style="dim"))
    for row in cells:
        parts = [fit(row[i], w, columns[i].right) for i, w in zip(chosen.shown, chosen.widths, strict=True)]
        out.append(Text((" " * GAP).join(parts).rstrip()))
    return out


def footer(columns: Sequence[Column], chosen: Layout, width: int | None) -> str | None:
    if not chosen.dropped:
        return None
    names = ", ".join(columns[i].header for i in chosen.dropped)
    return (
        f"Not shown at {width} columns: {names}. See them with --wide (or --width N), "
        "or every field with --format csv or --format json."
    )
