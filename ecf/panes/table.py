"""A read-only table for tens of thousands of rows: it draws only the lines on screen.

Textual's DataTable measures and stores every row it is given (over 8 s for 40,000), so a filter keystroke cannot
redraw it. This table holds the rows as plain tuples of text, measures the columns once, and shows a list of row
indices: filtering or sorting swaps that list and repaints the visible lines, whatever the size of the workforce.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ecf.presentation.table import Column, fit_columns
from ecf.presentation.text import clean

Row = tuple[str, ...]
MAX_WIDTH = 48  # a long explanation (or a 46-character surname) is cut here; the worker screen shows it whole
GAP = 2  # spaces between columns


def sort_key(cell: str) -> tuple[int, object]:
    """Numbers as numbers, dd/mm/yyyy as dates, the rest as text (blanks last)."""
    if not cell:
        return (3, "")
    try:
        return (0, float(cell.replace(",", "").lstrip("£")))
    except ValueError:
        pass
    if len(cell) == 10 and cell[2] == "/" and cell[5] == "/":
        return (1, cell[6:] + cell[3:5] + cell[:2])
    return (2, cell.lower())


def measure(columns: Sequence[str], rows: Sequence[Row]) -> list[int]:
    """Each column's width: its longest cell or heading, up to MAX_WIDTH."""
    longest = [max(map(len, cells)) for cells in zip(*rows, strict=True)] if rows else [0] * len(columns)
    return [min(MAX_WIDTH, max(cell_len(heading), width)) for heading, width in zip(columns, longest, strict=True)]


class VirtualTable(ScrollView, can_focus=True):
    """Rows of text under a fixed header; a row cursor; Enter or a click on the cursor row selects it; a click on a
    heading asks for a sort."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vtable--header", "vtable--cursor", "vtable--even-row", "vtable--odd-row",
    }  # fmt: skip
    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .vtable--header { text-style: bold; background: $panel; color: $foreground; }
        & > .vtable--even-row { background: $surface-lighten-1 50%; }
        & > .vtable--odd-row { }
        & > .vtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .vtable--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:dark > .vtable--even-row { background: $surface-darken-1 40%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowSelected(Message):
        """Enter (or a click) on a row: `index` is the row's position in the rows given to `set_rows`."""

        def __init__(self, table: VirtualTable, index: int, cells: Row) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.cells = cells

        @property
        def control(self) -> VirtualTable:
            return self.table

    class HeaderSelected(Message):
        def __init__(self, table: VirtualTable, column: int) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[str] = (),
        *,
        right: Sequence[int] = (),
        keep: Sequence[int] = (),
        atomic: Sequence[int] = (),
        drop: Sequence[int] = (),
        **kwargs: object,
    ) -> None:
        """`right`: numbers and money, aligned right (and never shortened); `atomic`: other columns never shortened
        (IDs, dates); `keep`: key columns, always on screen; `drop`: the columns to leave out first when the window
        is narrow (then the rightmost). The rest are shortened with an ellipsis to fit, as the CLI's tables are."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.columns: tuple[str, ...] = tuple(columns)
        self.right = frozenset(right)  # columns aligned right (numbers, money)
        self.keep, self.atomic, self.drop = frozenset(keep), frozenset(atomic) | self.right, tuple(drop)
        self.rows: list[Row] = []
        self.shown: Sequence[int] = ()
        self.natural: list[int] = [cell_len(c) for c in self.columns]
        self.on_screen: list[int] = list(range(len(self.columns)))  # the columns on screen, fitted to the width
        self.widths: list[int] = list(self.natural)  # their widths
        self.sorted_by: tuple[int, bool] | None = None

    # -- data --------------------------------------------------------------------------------------------------------

    def set_rows(
        self, rows: Sequence[Row], widths: list[int] | None = None, columns: Sequence[str] | None = None
    ) -> None:
        """All the rows there are; every one is shown until `show` narrows them. `widths` from `measure` (which a
        worker thread can call), or measured here; `columns` replaces the headings."""
        if columns is not None:
            self.columns = tuple(columns)
        self.rows = list(rows)
        self.natural = widths or measure(self.columns, rows)
        self.sorted_by = None
        self.fit()
        self.show(range(len(rows)))

    def fit(self) -> None:
        """Choose the columns and widths for the window's width: key columns stay, text is shortened, the least
        important columns go (they are on the worker screen, or in a wider window)."""
        specs = [
            Column(heading, i in self.atomic, i in self.right, i in self.keep,
                   len(self.drop) - self.drop.index(i) if i in self.drop else 0)
            for i, heading in enumerate(self.columns)
        ]  # fmt: skip
        inside = self.scrollable_content_region.width  # less the vertical scrollbar
        room = inside - 1 if inside > 1 else None  # a leading space; before the first layout, every column
        chosen = fit_columns(specs, self.natural, room)
        self.on_screen, self.widths = chosen.shown, chosen.widths

    def on_resize(self, event: events.Resize) -> None:
        self.fit()
        self.show(self.shown)

    def _watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar appearing takes columns from the rows: fit them again. Rows set before it showed (the
        Workers rows while the full read goes on) would otherwise keep their first widths until the next set_rows,
        then shift sideways."""
        self.fit()
        self.show(self.shown)

    def show(self, indices: Sequence[int]) -> None:
        """Show these rows (indices into the rows), in this order."""
        self.shown = indices
        width = sum(self.widths) + GAP * max(0, len(self.widths) - 1)
        self.virtual_size = Size(width, len(indices) + 1)
        self.cursor_row = min(self.cursor_row, max(0, len(indices) - 1))
        self.refresh()

    def sort(self, column: int, descending: bool) -> list[int]:
        """Reorder all the rows by one column; returns the new order (old index at each new position)."""
        order = sorted(range(len(self.rows)), key=lambda i: sort_key(self.rows[i][column]), reverse=descending)
        self.rows = [self.rows[i] for i in order]
        self.sorted_by = (column, descending)
        return order

    @property
    def row_count(self) -> int:
        return len(self.shown)

    def get_row_at(self, position: int) -> Row:
        return self.rows[self.shown[position]]

    @property
    def cursor_index(self) -> int | None:
        """The row under the cursor, as an index into the rows (None when nothing is shown)."""
        return self.shown[self.cursor_row] if self.shown else None

    # -- drawing -----------------------------------------------------------------------------------------------------

    def _line(self, cells: Row) -> str:
        """One line of the visible columns; text from the data is cleaned here, as it is drawn (escape sequences and
        control characters would otherwise reach the terminal)."""
        parts = []
        for column, width in zip(self.on_screen, self.widths, strict=True):
            cell = clean(cells[column]) if column < len(cells) else ""
            text = cell if cell_len(cell) <= width else set_cell_size(cell, width - 1) + "…"
            parts.append(text.rjust(width) if column in self.right else set_cell_size(text, width))
        return (" " * GAP).join(parts)

    def _heading(self) -> str:
        labels = list(self.columns)
        if self.sorted_by is not None:
            column, descending = self.sorted_by
            labels[column] += " ▼" if descending else " ▲"
        return self._line(tuple(labels))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            text, style = self._heading(), base + self.get_component_rich_style("vtable--header")
        else:
            position = scroll_y + y - 1
            if position >= len(self.shown):
                return Strip.blank(width, base)
            text, style = self._line(self.rows[self.shown[position]]), base + self._row_style(position)
        strip = Strip([Segment(" " + text, style)])
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _row_style(self, position: int) -> Style:
        if position == self.cursor_row:
            return self.get_component_rich_style("vtable--cursor")
        return self.get_component_rich_style("vtable--even-row" if position % 2 == 0 else "vtable--odd-row")

    # -- moving ------------------------------------------------------------------------------------------------------

    def watch_cursor_row(self, row: int) -> None:
        visible = max(1, self.size.height - 1)  # the header takes a line
        if row < self.scroll_y:
            self.scroll_to(y=row, animate=False)
        elif row >= self.scroll_y + visible:
            self.scroll_to(y=row - visible + 1, animate=False)
        self.refresh()

    def _move_to(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.shown) - 1))

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        self._move_to(len(self.shown) - 1 if where < 0 else 0)

    def action_select(self) -> None:
        if self.shown:
            index = self.shown[self.cursor_row]
            self.post_message(self.RowSelected(self, index, self.rows[index]))

    async def _on_click(self, event: events.Click) -> None:
        scroll_x, scroll_y = self.scroll_offset
        if event.y == 0:
            column = self._column_at(event.x + scroll_x - 1)
            if column is not None:
                self.post_message(self.HeaderSelected(self, column))
            return
        position = scroll_y + event.y - 1
        if position >= len(self.shown):
            return
        if position == self.cursor_row or event.chain > 1:
            self.action_select()
        self.cursor_row = position

    def _column_at(self, x: int) -> int | None:
        left = 0
        for column, width in zip(self.on_screen, self.widths, strict=True):
            if left <= x < left + width + GAP:
                return column
            left += width + GAP
        return None
