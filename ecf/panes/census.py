"""Census: readiness of the coming workforce census return (CSWW): what each item lacks by team, the checks the return
would fail, and the council's published figures against last year. Opened with `s` or from the command palette."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ecf.census.presentation import deadline_line, failing_rows, figure_rows, missing_rows
from ecf.census.spec import SpecError
from ecf.services.census import CensusBuild, build_census, coming_year
from ecf.services.context import App as EcfApp


class CensusScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, ecf: EcfApp, today: date) -> None:
        super().__init__()
        self.ecf = ecf
        self.today = today

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("Building the census return…", id="census-status")
            yield DataTable(id="census-missing", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="census-failing", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="census-figures", cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#census-missing", DataTable).add_columns("Item missing", "Records", "Teams (most first)")
        self.query_one("#census-failing", DataTable).add_columns("Check failing", "Records", "Teams (most first)")
        self.query_one("#census-figures", DataTable).add_columns("Published figure", "This year", "Last year", "Change")
        year = coming_year(self.today)
        self.title = f"Census {year}"
        try:
            built = build_census(self.ecf, year)
        except SpecError as exc:
            self.query_one("#census-status", Static).update(escape(str(exc)))
            return
        self.show(built)

    def show(self, built: CensusBuild) -> None:
        ready = built.readiness
        lines = [deadline_line(ready, self.today), *(f"! {line}" for line in ready.return_level)]
        lines.append("`ecf census --check --to-complete FILE.csv` writes what HR must fill in; `--out` the return.")
        self.query_one("#census-status", Static).update(escape("\n".join(lines)))
        missing = self.query_one("#census-missing", DataTable)
        for row in missing_rows(ready):
            missing.add_row(str(row["label"]), str(row["records"]), str(row["by_team"]))
        failing = self.query_one("#census-failing", DataTable)
        for row in failing_rows(ready):
            failing.add_row(str(row["rule"]), str(row["records"]), str(row["by_team"]))
        # A ready return has nothing missing and nothing failing: the line above says so, not two empty headings.
        missing.display, failing.display = missing.row_count > 0, failing.row_count > 0
        figures = self.query_one("#census-figures", DataTable)
        for line in figure_rows(built.comparison):
            figures.add_row(line["figure"], line["this_year"], line["last_year"], line["difference"])
