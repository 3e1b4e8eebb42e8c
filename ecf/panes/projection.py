"""Projection: pick a scenario (and one to compare) and the years; totals by financial year, a cost chart comparing
the scenarios, and Export to Excel. The projection runs in a worker thread; nothing here computes a figure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static
from textual_plotext import PlotextPlot

from ecf.presentation.formats import pounds, year_labels
from ecf.presentation.text import clean, plain
from ecf.services import projection as service
from ecf.services.context import App as EcfApp

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

    def compose(self) -> ComposeResult:
        names = sorted(service.paybook().scenarios)
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
        yield Static("Projecting the baseline…", id="projection-status")
        yield DataTable(id="projection-table", cursor_type="none")
        yield PlotextPlot(id="projection-chart")

    def on_mount(self) -> None:
        table = self.query_one("#projection-table", DataTable)
        table.can_focus = False  # nothing to pick in it; the tab itself takes the arrow keys and scrolls to the chart


    def on_show(self) -> None:
        """The baseline is projected the first time the tab is opened: finance sees figures at once."""
        if not self.projected:
            self.projected = True
            self._project()

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
        plot.clear_data()
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
        self.app.call_from_thread(self.app.notify, f"Wrote {clean(written)}", title="Finance workbook", markup=False)
