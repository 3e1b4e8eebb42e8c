"""The `--format csv|json|table` convention every listing command keeps.

csv and json are for machines: ISO dates, numbers as numbers, every column. table is for people: dd/mm/yyyy, £1,234,
12.3%, headers in words, fitted to the terminal (80 columns when piped) by the one renderer in ecf.presentation.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from typing import Any

from rich.console import Console
from rich.text import Text

from ecf.presentation import table as layout
from ecf.presentation.columns import Columns
from ecf.presentation.formats import (
    csv_column_fields,
    csv_fields,
    csv_lines,
    header,
    human,
    machine,
    percent,
    pounds,
    value_words,
)
from ecf.presentation.text import clean, markup

__all__ = ["Format", "clean", "console", "errors", "human", "machine", "markup", "percent", "pounds", "render"]


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


console = Console()
errors = Console(stderr=True)
LONGEST = 400  # characters of one cell a table shows, even with --wide (csv and json give it whole)
# --width N and --wide (set by the main callback): how wide tables are drawn. None: the terminal's, 80 when piped.
view: dict[str, int | bool | None] = {"width": None, "wide": False}


def table_width() -> int | None:
    """The width tables are fitted to; None with --wide (every column, each at its natural width)."""
    if view["wide"]:
        return None
    chosen = view["width"]
    if isinstance(chosen, int) and not isinstance(chosen, bool):
        return chosen
    return console.size.width if console.is_terminal else 80


def _kind(key: str, values: Sequence[Any], money: Collection[str], ratio: Collection[str]) -> tuple[bool, bool]:
    """(atomic, right-aligned) for a column from its values: numbers, money and percentages are both; dates and
    IDs are atomic; text is atomic only when it is single short words."""
    if key in money or key in ratio:
        return True, True
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        return True, True
    if present and all(isinstance(v, date) for v in present):
        return True, False
    return key == "id" or key.endswith("_id"), False


def _cell(value: Any, money: bool, ratio: bool, words: bool) -> str:
    if value is None or value == "":
        return ""
    if money:
        return pounds(value)
    if ratio:
        return percent(value)
    if isinstance(value, str) and len(value) > LONGEST:
        value = value[: LONGEST - 1] + "…"  # a 5 MB cell from a hostile file is not measured or printed whole
    if words and isinstance(value, str):
        return value_words(clean(value))
    return human(value)


def show_table(
    rows: Sequence[Mapping[str, Any]],
    shown: Sequence[str],
    *,
    title: str | None = None,
    keep: Collection[str] = (),
    money: Collection[str] = (),
    ratio: Collection[str] = (),
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    atomic: Collection[str] = (),
    drop: Sequence[str] = (),
    words: Collection[str] = (),
) -> None:
    """Rows for people: the renderer's columns fitted to the width; the footer names any left out.

    `keep`: key columns, never left out (default the first); `drop`: the columns to leave out first, in order;
    `atomic`: text never shortened; `words`: machine names shown in words (`in_force` as "in force")."""
    names = headers or {}
    cells = [[_cell(row.get(k), k in money, k in ratio, k in words) for k in shown] for row in rows]
    columns = []
    for i, key in enumerate(shown):
        whole, right = _kind(key, [row.get(key) for row in rows], money, ratio)
        whole = whole or key in atomic or layout.looks_atomic([row[i] for row in cells])
        keep_it = key in keep or (not keep and i == 0)
        rank = len(drop) - drop.index(key) if key in drop else 0
        columns.append(layout.Column(names.get(key) or header(key), whole, right, keep_it, rank))
    width = table_width()
    chosen = layout.layout(columns, cells, width)
    if title:
        console.print(clean(title), markup=False, highlight=False)
    # One print for the whole table: Rich's per-call overhead is most of the time a listing takes to show.
    console.print(Text("\n").join(layout.lines(columns, cells, chosen)), soft_wrap=True, highlight=False)
    note = layout.footer(columns, chosen, width)
    for extra in (caption, note):
        if extra:
            console.print(extra, markup=False, highlight=False, style="dim")


def _column(rows: Sequence[Mapping[str, Any]], name: str, plain: bool) -> Sequence[Any]:
    """One column of the rows (None where a row lacks it): as held for Columns; for plain dicts, the usual rows,
    without a call per row."""
    if isinstance(rows, Columns):
        return rows.column(name)
    if plain:
        return list(map(dict.get, rows, repeat(name)))  # type: ignore[arg-type]
    return [row.get(name) for row in rows]


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    title: str | None = None,
    table_columns: Sequence[str] | None = None,
    empty: str = "Nothing to show.",
    keep: Collection[str] = (),
    money: Collection[str] = (),
    ratio: Collection[str] = (),
    drop: Sequence[str] = (),
    words: Collection[str] = (),
    headers: Mapping[str, str] | None = None,
    atomic: Collection[str] = (),
) -> None:
    """A listing in the chosen format, from rows (mappings) or Columns. `money` columns hold Decimal pounds and
    `ratio` columns Decimal ratios: the table shows £1,234 and 12.3%, csv and json the numbers."""
    if fmt is Format.JSON:
        import json

        json.dump([{c: machine(row.get(c)) for c in columns} for row in rows], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if fmt is Format.CSV:
        to_screen = sys.stdout.isatty()  # a terminal would obey escape sequences in the data; a file keeps them
        plain = not isinstance(rows, Columns) and set(map(type, rows)) <= {dict}
        fields = [csv_column_fields(_column(rows, c, plain), to_screen) for c in columns]
        sys.stdout.write(csv_lines([[name] for name in csv_fields(list(columns))]))  # the heading: one row
        sys.stdout.write(csv_lines(fields))
        return
    if not rows:
        console.print(clean(empty), markup=False, highlight=False)
        return
    show_table(rows, list(table_columns or columns), title=title, keep=keep, money=money, ratio=ratio, drop=drop,
               words=words, headers=headers, atomic=atomic)  # fmt: skip
