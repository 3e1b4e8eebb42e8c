"""Dashboard: headcount and FTE by stage, due and overdue milestones, indicators with their trend."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Sparkline, Static

from ecf.cli.output import human, percent
from ecf.services.context import App as EcfApp
from ecf.services.dashboard import Dashboard


class DashboardPane(Vertical):
    def __init__(self, ecf: EcfApp, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf

    def compose(self) -> ComposeResult:
        yield Static(id="dashboard-headline")
        with Horizontal(id="dashboard-row"):
            yield DataTable(id="stages", cursor_type="none")
            yield DataTable(id="indicators", cursor_type="none")
        yield Static("Turnover over the snapshots", id="trend-label")
        yield Sparkline([], id="turnover-trend")

    def on_mount(self) -> None:
        self.query_one("#stages", DataTable).add_columns("Stage", "Headcount", "FTE")
        self.query_one("#indicators", DataTable).add_columns("Indicator", "Value")
        self.query_one("#dashboard-headline", Static).update("Working out stages and milestones…")

    def show(self, found: Dashboard) -> None:
        data = human(found.data_as_of) or "no data yet"
        self.query_one("#dashboard-headline", Static).update(
            f"Data as of {data} · assessed {human(found.as_of)} · milestones due {found.due}, overdue "
            f"{found.overdue} · becoming experienced in the next 12 months: {found.becoming_experienced}"
        )
        stages = self.query_one("#stages", DataTable)
        stages.clear()
        for line in found.stages:
            stages.add_row(line.label, str(line.headcount), human(line.fte))
        table = self.query_one("#indicators", DataTable)
        table.clear()
        latest = found.trend[-1] if found.trend else None
        if latest is not None:
            for label, value in (
                ("Turnover (12 months)", percent(latest.turnover)),
                ("Agency rate", percent(latest.agency_rate)),
                ("Vacancy rate", percent(latest.vacancy_rate) or "no establishment given"),
                ("Early leavers (< 2 years)", str(latest.early_leavers)),
                ("Caseload", human(latest.caseload)),
                ("2+ years' service", percent(latest.service_2_plus)),
                ("5+ years' service", percent(latest.service_5_plus)),
                ("8+ years' service", percent(latest.service_8_plus)),
            ):
                table.add_row(label, value)
        self.query_one("#turnover-trend", Sparkline).data = [float(i.turnover or 0) for i in found.trend]
