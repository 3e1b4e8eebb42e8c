"""Projection: pick a scenario (and one to compare) and the years; totals by financial year, a cost chart comparing
the scenarios, and Export to Excel. The projection runs in a worker thread; nothing here computes a figure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static
from textual_plotext import PlotextPlot

from ecf.presentation.formats import pounds, year_labels
from ecf.presentation.text import clean, plain
from ecf.services import comparison
from ecf.services import projection as service
from ecf.services.context import App as EcfApp
from payscales.sensitivity import Sensitivity

NONE = "(none)"
COLUMNS = ("Scenario", "Financial year", "Total", "Salary", "Agency", "Leavers", "FTE", "Employer NI", "Pension",
           "Levy")  # the totals first: what an 80-column window shows without scrolling  # fmt: skip
AMOUNTS = ("total", "salary", "agency", "leavers", "fte", "employer_ni", "pension", "levy")


def _cells(scenario: str, labels: dict[str, str], row: dict[str, Any]) -> tuple[str, ...]:
    year = str(row["financial_year"])
    money = (pounds(row[c]) for c in ("total", "salary", "agency"))
    on_costs = (pounds(row[c]) for c in ("employer_ni", "pension", "levy"))
    return (clean(scenario), labels.get(year, year), *money, f"{row['leavers']:.1f}", f"{row['fte']:.1f}", *on_costs)


def _fill(table: DataTable[Any], rows: list[tuple[str, ...]]) -> None:
    """Columns as wide as their widest value, set before the rows arrive: a sum of money is never cut."""
    table.clear(columns=True)
    for i, heading in enumerate(COLUMNS):
        width = max([len(heading), *(len(row[i]) for row in rows)])
        table.add_column(heading, width=width)
    for row in rows:
        table.add_row(*map(plain, row))  # a scenario's name comes from a file: text, not markup


class ProjectionPane(VerticalScroll):
    """Scenario, a scenario to compare and years; totals by financial year and a cost chart; Export to Excel. The tab
    scrolls (arrow keys) where the terminal is too small for the table and the chart together."""

    def __init__(self, ecf: EcfApp, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf
        self.projected = False
        self.offered: list[str] = []

    def compose(self) -> ComposeResult:
        names = sorted(service.paybook(self.ecf).scenarios)
        self.offered = names
        with Horizontal(id="projection-controls"):
            yield Label("Scenario")
            yield Select([(n, n) for n in names], value="baseline", allow_blank=False, id="scenario")
            yield Label("Compare")
            yield Select([(NONE, NONE), *((n, n) for n in names)], value=NONE, allow_blank=False, id="compare")
            yield Label("Years")
            yield Input(value="5", id="years", restrict=r"\d*", max_length=2)
        with Horizontal(id="projection-actions"):
            yield Button("Project", variant="primary", id="project")
            yield Button("Export to Excel", id="export")
            yield Checkbox("Pseudonymise", id="pseudonymise", tooltip="Workers as codes (W…) instead of names and IDs")
        with Horizontal(id="projection-analysis"):
            yield Button("Compare inputs", id="compare-inputs", compact=True,  # one line: more rows at 80x24
                         tooltip="Every input of the two scenarios side by side")  # fmt: skip
            yield Button("Sensitivity", id="sensitivity", compact=True,
                         tooltip="Which assumptions matter: each moved one at a time")  # fmt: skip
        yield Static("Projecting the baseline…", id="projection-status")
        yield DataTable(id="projection-table", cursor_type="none")
        yield PlotextPlot(id="projection-chart")

    def on_mount(self) -> None:
        table = self.query_one("#projection-table", DataTable)
        table.can_focus = False  # nothing to pick in it; the tab itself takes the arrow keys and scrolls to the chart

    def _columns(self, table: DataTable[Any], names: tuple[str, ...]) -> None:
        """The table shows a comparison of inputs or a sensitivity: each with its own columns (a projection's are
        laid by _fill)."""
        if tuple(str(c.label) for c in table.columns.values()) != names:
            table.clear(columns=True)
            table.add_columns(*names)

    def on_show(self) -> None:
        """The baseline is projected the first time the tab is opened: finance sees figures at once. The scenarios
        offered are the ones in force, stored ones included (read again each time, so an import shows up)."""
        self._offer(sorted(service.paybook(self.ecf).scenarios))
        if not self.projected:
            self.projected = True
            self._project()

    def _offer(self, names: list[str]) -> None:
        if names == self.offered:
            return
        self.offered = names
        for ident, extra in (("#scenario", []), ("#compare", [(NONE, NONE)])):
            select = self.query_one(ident, Select)
            value = select.value
            options = [*extra, *((n, n) for n in names)]
            select.set_options(options)
            select.value = value if value in names or value == NONE else options[0][1]

    def _choice(self) -> tuple[list[str], int]:
        scenario = str(self.query_one("#scenario", Select).value)
        compare = str(self.query_one("#compare", Select).value)
        text = self.query_one("#years", Input).value or "5"
        years = min(max(int(text), 1), 10)
        return [scenario, *([compare] if compare not in (NONE, scenario) else [])], years

    @on(Select.Changed, "#scenario")
    @on(Select.Changed, "#compare")
    def _chosen(self) -> None:
        """Choosing a scenario or one to compare projects again at once (and shows the difference rows)."""
        if self.projected:
            self._project()

    @on(Button.Pressed, "#project")
    def _project(self) -> None:
        names, years = self._choice()
        self.query_one("#projection-status", Static).update(f"Projecting {' and '.join(names)} for {years} years…")
        self._run(names, years)

    @work(thread=True, exclusive=True, group="projection")
    def _run(self, names: list[str], years: int) -> None:
        today: date = self.app.today  # type: ignore[attr-defined]
        try:
            results = [service.run_projection(self.ecf, service.ProjectionRequest(n, years, today)) for n in names]
        except (service.UnknownName, service.PayDataError, ValueError) as exc:
            self.app.call_from_thread(self.app.notify, clean(exc), title="Projection failed", severity="error",
                                      markup=False)  # fmt: skip
            return
        self.app.call_from_thread(self._show, results, years)

    def _show(self, results: list[service.Projection], years: int) -> None:
        plot = self.query_one("#projection-chart", PlotextPlot).plt
        plot.clear_figure()  # ticks too: the chart shows years, or assumptions (tornado)
        years_shown: list[str] = []
        bars: list[list[float]] = []
        monthly = results[0].totals("month")
        labels = year_labels(zip(monthly["financial_year"], monthly["month"], strict=True))
        rows: list[tuple[str, ...]] = []
        by_year = []
        for result in results:
            totals = result.totals("financial_year")
            by_year.append(totals.set_index("financial_year"))
            rows += [_cells(result.scenario.id, labels, row) for row in totals.to_dict("records")]
            years_shown = list(totals["financial_year"])
            bars.append([t / 1e6 for t in totals["total"]])
        if len(results) == 2:  # what the second scenario costs or saves against the first, year by year
            difference = (by_year[1][list(AMOUNTS)] - by_year[0][list(AMOUNTS)]).reset_index()
            label = f"{results[1].scenario.id} − {results[0].scenario.id}"
            rows += [_cells(label, labels, row) for row in difference.to_dict("records")]
        _fill(self.query_one("#projection-table", DataTable), rows)
        # side by side, one colour per scenario (a single bar series when there is nothing to compare)
        names = [r.scenario.id for r in results]
        plot.multiple_bar(years_shown, bars, labels=names)  # type: ignore[call-arg]  # the stub says label; plotext: labels
        plot.title("Total cost by financial year (£m)")
        self.query_one("#projection-chart", PlotextPlot).refresh()
        calibration = results[0].calibration
        self.query_one("#projection-status", Static).update(
            f"{years} years from today · leaving hazard {calibration.under_5:.1%} under 5 years' service, "
            f"{calibration.five_plus:.1%} from 5 years ({calibration.method})"
        )

    @on(Button.Pressed, "#export")
    def export(self) -> None:
        """The finance workbook for the scenarios and years chosen here (also the app's `x` key); a new file each
        time, so an earlier export is never overwritten."""
        names, years = self._choice()
        self.app.notify(f"Writing the finance workbook for {' and '.join(names)}…", title="Export to Excel")
        self._write(names, years, self.query_one("#pseudonymise", Checkbox).value)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, names: list[str], years: int, pseudonymise: bool) -> None:
        today: date = self.app.today  # type: ignore[attr-defined]
        folder = getattr(self.app, "export_folder", None) or Path.cwd()
        stem = f"ecf-projection-{'-'.join(names)}-{today:%Y-%m-%d}"
        target, number = folder / f"{stem}.xlsx", 1
        while target.exists():
            number += 1
            target = folder / f"{stem}-{number}.xlsx"
        requests = [service.ProjectionRequest(n, years, today) for n in names]
        try:
            written = service.export_workbook(self.ecf, requests, target, datetime.now(), pseudonymise=pseudonymise)
        except (service.ExportError, service.PayDataError, ValueError) as exc:
            self.app.call_from_thread(self.app.notify, clean(exc), title="Export failed", severity="error",
                                      markup=False)  # fmt: skip
            return
        self.app.call_from_thread(self.app.notify, f"Wrote {clean(written)}", title="Finance workbook",
                                  markup=False)  # fmt: skip

    # --- inputs side by side, and sensitivity --------------------------------------------------------------------

    @on(Button.Pressed, "#compare-inputs")
    def compare_inputs(self) -> None:
        names, years = self._choice()
        if len(names) < 2:
            self.app.notify("Choose a scenario to compare first.", title="Compare inputs", severity="warning")
            return
        self.query_one("#projection-status", Static).update(f"Comparing {' and '.join(names)}…")
        self._run_compare(names, years)

    @work(thread=True, exclusive=True, group="projection")
    def _run_compare(self, names: list[str], years: int) -> None:
        today: date = self.app.today  # type: ignore[attr-defined]
        try:
            found = comparison.compare(self.ecf, names, years, today)
        except (service.UnknownName, service.PayDataError, ValueError) as exc:
            self.app.call_from_thread(self.app.notify, clean(exc), title="Compare failed", severity="error",
                                      markup=False)  # fmt: skip
            return
        self.app.call_from_thread(self._show_comparison, found)

    def _show_comparison(self, found: comparison.Comparison) -> None:
        """Every input, the ones that differ in bold yellow; then each year's total and the difference."""
        table = self.query_one("#projection-table", DataTable)
        self._columns(table, ("", "Input", *found.names))
        table.clear()
        for row in found.settings:
            style = "bold yellow" if row.differs else ""
            cells = (Text(clean(v), style) for v in row.values)
            table.add_row("*" if row.differs else "", Text(clean(row.label), style), *cells)
        for index, year in enumerate(found.years):
            table.add_row("", f"Total {year}", *(pounds(found.totals[n][index]) for n in found.names))
            table.add_row(
                "", f"  ± {found.names[0]}", "", *(pounds(found.difference(n)[index]) for n in found.names[1:])
            )
        plot = self.query_one("#projection-chart", PlotextPlot).plt
        plot.clear_figure()  # ticks too: the chart shows years, or assumptions (tornado)
        bars = [[float(t) / 1e6 for t in found.totals[n]] for n in found.names]
        plot.multiple_bar(found.years, bars, labels=found.names)  # type: ignore[call-arg]
        plot.title("Total cost by financial year (£m)")
        self.query_one("#projection-chart", PlotextPlot).refresh()
        differ = sum(1 for row in found.settings if row.differs)
        self.query_one("#projection-status", Static).update(
            f"{' and '.join(found.names)}: {differ} inputs differ (marked *), then the totals by financial year"
        )

    @on(Button.Pressed, "#sensitivity")
    def sensitivity(self) -> None:
        names, years = self._choice()
        self.query_one("#projection-status", Static).update(f"Moving each assumption of {names[0]} one at a time…")
        self._run_sensitivity(names[0], years)

    @work(thread=True, exclusive=True, group="projection")
    def _run_sensitivity(self, name: str, years: int) -> None:
        today: date = self.app.today  # type: ignore[attr-defined]
        try:
            found = comparison.sensitivity(self.ecf, name, years, today)
        except (service.UnknownName, service.PayDataError, ValueError) as exc:
            self.app.call_from_thread(self.app.notify, clean(exc), title="Sensitivity failed",
                                      severity="error", markup=False)  # fmt: skip
            return
        self.app.call_from_thread(self._show_sensitivity, found)

    def _show_sensitivity(self, found: Sensitivity) -> None:
        """The ranking and a tornado chart: each assumption's effect on the total, moved down and up."""
        table = self.query_one("#projection-table", DataTable)
        self._columns(table, ("#", "Assumption", "Value: low / high", "If low", "If high", "Step"))
        table.clear()
        for rank, effect in enumerate(found.effects, start=1):
            table.add_row(str(rank), effect.step.label, f"{effect.base}: {effect.low} / {effect.high}",
                          pounds(effect.effect_low), pounds(effect.effect_high), effect.step.note)  # fmt: skip
        plot = self.query_one("#projection-chart", PlotextPlot).plt
        plot.clear_figure()  # ticks too: the chart shows years, or assumptions (tornado)
        shown = list(reversed(found.effects))  # plotext draws the first bar at the bottom: the largest goes on top
        labels = [e.step.label for e in shown]
        lows, highs = [float(e.effect_low) / 1e3 for e in shown], [float(e.effect_high) / 1e3 for e in shown]
        plot.multiple_bar(labels, [lows, highs], labels=["moved down", "moved up"], orientation="horizontal")  # type: ignore[call-arg]
        plot.title(f"Tornado: change in the {found.years}-year total (£k)")
        self.query_one("#projection-chart", PlotextPlot).refresh()
        self.query_one("#projection-status", Static).update(
            f"{found.scenario}: {pounds(found.total)} over {found.years} years; each assumption moved one at a time, "
            "largest effect first"
        )
