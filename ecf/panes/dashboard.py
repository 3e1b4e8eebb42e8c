"""Dashboard: headcount and FTE by stage, due and overdue milestones, indicators with their trend."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from ecf.cli.output import human, percent
from ecf.progression.indicators import Indicators
from ecf.services.context import App as EcfApp
from ecf.services.dashboard import Dashboard

BLOCKS = "▁▂▃▄▅▆▇█"
# (label, the indicator's value, how to show it)
INDICATORS: tuple[tuple[str, Callable[[Indicators], Decimal | int | None], Callable[[Any], str]], ...] = (
    ("Turnover (12m)", lambda i: i.turnover, percent),  # labels and values short: the trend fits at 80 columns
    ("Agency rate", lambda i: i.agency_rate, percent),
    ("Vacancy rate", lambda i: i.vacancy_rate, lambda v: percent(v) or "not set"),  # no establishment
    ("Leavers < 2 years", lambda i: i.early_leavers, str),
    ("Caseload", lambda i: i.caseload, human),
    ("2+ years' service", lambda i: i.service_2_plus, percent),
    ("5+ years' service", lambda i: i.service_5_plus, percent),
    ("8+ years' service", lambda i: i.service_8_plus, percent),
)


def spark(values: list[Decimal | int | None]) -> str:
    """A one-line chart, one block per snapshot, oldest first, scaled between the lowest and highest (blank: none)."""
    known = [float(v) for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    steps = len(BLOCKS) - 1
    scale = (lambda v: round((v - low) / (high - low) * steps)) if high > low else (lambda v: steps // 2)
    return "".join(" " if v is None else BLOCKS[scale(float(v))] for v in values)


class DashboardPane(Vertical):
    def __init__(self, ecf: EcfApp, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf

    def compose(self) -> ComposeResult:
        yield Static(id="dashboard-headline")
        yield Static(id="dashboard-census")
        with Horizontal(id="dashboard-row"):
            yield DataTable(id="stages", cursor_type="none")
            yield DataTable(id="indicators", cursor_type="none")
        yield Static(id="trend-label")

    def on_mount(self) -> None:
        self.query_one("#stages", DataTable).add_columns("Stage", "People", "FTE")
        self.query_one("#indicators", DataTable).add_columns("Indicator", "Value", "Trend")
        self.query_one("#dashboard-headline", Static).update("Working out stages and milestones…")

    def show_census(self, line: str) -> None:
        """The census return due this autumn: its deadline and how many records are complete (from September)."""
        shown = self.query_one("#dashboard-census", Static)
        shown.update(escape(line))
        shown.display = True

    def show(self, found: Dashboard, trend_coming: bool = False) -> None:
        """The dashboard; `trend_coming`: its trend is still being worked out (the indicators come with it)."""
        data = human(found.data_as_of) or "no data yet"
        self.query_one("#dashboard-headline", Static).update(
            f"Data as of {data} · assessed {human(found.as_of)} · milestones due {found.due}, overdue "
            f"{found.overdue} · becoming experienced in the next 12 months: {found.becoming_experienced}"
            + (" · [b]no snapshot for " + ", ".join(f"{d:%m/%Y}" for d in found.missing_months) + "[/b]"
               if found.missing_months else "")
        )  # fmt: skip
        stages = self.query_one("#stages", DataTable)
        stages.clear()
        for line in found.stages:
            stages.add_row(line.label, str(line.headcount), human(line.fte))
        table = self.query_one("#indicators", DataTable)
        table.clear()
        if not found.trend:
            waiting = "Working out the indicators and their trend over the snapshots…" if trend_coming else ""
            self.query_one("#trend-label", Static).update(waiting)
            return
        latest = found.trend[-1]
        for label, value, show in INDICATORS:
            table.add_row(label, show(value(latest)), spark([value(i) for i in found.trend]))
        first = human(found.trend[0].snapshot)
        self.query_one("#trend-label", Static).update(
            f"Trend: one mark per snapshot, {first} to {human(latest.snapshot)}, each scaled to its own range. "
            "Turnover counts the leavers the snapshots have seen, so it builds up over the first year of imports."
        )
