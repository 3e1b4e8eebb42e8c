"""One worker: the facts as imported (and from which snapshot), the milestone timeline with the working of each date,
experienced-practitioner and agency eligibility, and pay now and projected."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ecf.presentation.formats import human, pounds
from ecf.presentation.text import clean, markup, plain
from ecf.progression.facts import STAGE_LABELS
from ecf.services.context import App as EcfApp
from ecf.services.progression import UnknownWorker, worker_detail
from ecf.services.projection import PayNow, pay_now, worker_pay


class WorkerScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, ecf: EcfApp, employee_id: str) -> None:
        super().__init__()
        self.ecf = ecf
        self.employee_id = employee_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="worker-facts")
            yield DataTable(id="worker-milestones", cursor_type="row", zebra_stripes=True)
            yield Static(id="worker-eligibility")
            yield Static(id="worker-pay-now")
            yield DataTable(id="worker-pay", cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        today: date = self.app.today  # type: ignore[attr-defined]
        try:
            detail = worker_detail(self.ecf, self.employee_id, today)
        except UnknownWorker as exc:  # e.g. a census worker without a qualification date yet
            self.app.notify(str(exc), title="Worker", severity="warning")
            self.app.pop_screen()
            return
        record, assessment = detail.assessed.state.record, detail.assessed.assessment
        name = record.name or record.employee_id
        self.title = clean(f"{name} ({record.employee_id})")
        changes = "; ".join(f"{STAGE_LABELS[c.stage]} from {human(c.on)}" for c in assessment.stage_changes)
        self.query_one("#worker-facts", Static).update(
            f"[b]{markup(name)}[/b] · {markup(record.role or 'no role')} · {markup(record.team or 'no team')} · "
            f"{markup(record.grade or '')} SCP {human(record.spinal_point)} · {human(record.fte)} FTE · "
            f"{human(record.contract_type)}\n"
            f"From the snapshot of {human(detail.assessed.state.last_seen)} ({human(detail.assessed.state.status)}"
            f"{_carried(detail.assessed.state.facts_from)}); "
            f"qualified {human(record.date_qualified)}, here since {human(record.start_date)}\n"
            f"Programme: {markup(human(assessment.programme) or 'none')} - {markup(assessment.programme_reason)}\n"
            f"Stage: [b]{STAGE_LABELS[assessment.stage]}[/b]; next: {changes or 'none ahead'}; "
            f"PQE {assessment.pqe_months} months\n{escape(_census_line(self.ecf, record.employee_id))}"
        )
        table = self.query_one("#worker-milestones", DataTable)
        # Milestone, due and status first, so they are on screen at 80 columns; the rest scrolls right.
        table.add_columns("Milestone", "Due", "Status", "Done", "Framework", "How the date was worked out")
        for m in assessment.milestones:
            done = human(m.completed_date) + (f" ({m.completed_source})" if m.completed_source else "")
            table.add_row(plain(m.name), human(m.due_date), human(m.status), plain(done), plain(m.framework),
                          plain(m.explanation))  # fmt: skip
        lines = []
        for item in (assessment.experienced, *assessment.agency):
            lines.append(markup(f"{item.name}: {_eligibility(item.eligible, item.eligible_from)}"))
        lines += [markup(f"Alert: {a.message}") for a in assessment.alerts]
        self.query_one("#worker-eligibility", Static).update("\n".join(lines))
        projected = worker_pay(detail.assessed, today, app=self.ecf)
        now = pay_now(detail.assessed, today, self.ecf)
        self.query_one("#worker-pay-now", Static).update(
            f"{_pay_now(now)}\nExpected cost from {month_name(projected.first_month)} to "
            f"{month_name(projected.last_month)} by financial year (part years at either end), with the chance of "
            "leaving:"
        )
        pay = self.query_one("#worker-pay", DataTable)
        pay.add_columns("Financial year", "FTE", "Salary", "Employer NI", "Pension", "Levy", "Total")
        for year in projected.years.to_dict("records"):
            cost = sum(year[c] for c in ("salary", "employer_ni", "pension", "levy", "agency"))
            money = (pounds(year[c]) for c in ("salary", "employer_ni", "pension", "levy"))
            pay.add_row(year["financial_year"], f"{year['fte']:.2f}", *money, pounds(cost))


def _census_line(ecf: EcfApp, employee_id: str) -> str:
    """The worker's census items: this view and the census are the only places special-category data is shown."""
    from ecf.census.presentation import census_items_line
    from ecf.census.spec import latest_spec
    from ecf.services.census import worker_items

    return census_items_line(worker_items(ecf, employee_id), latest_spec())


def _carried(facts_from: date | None) -> str:
    if facts_from is None:
        return ""
    return f"; its row was rejected, so these are the facts of {human(facts_from)} until it is fixed"


def _eligibility(eligible: bool, since: date | None) -> str:
    if eligible:
        return f"yes, since {human(since)}" if since else "yes"
    return f"not yet: from {human(since)}" if since else "no"


def month_name(first_day: date) -> str:
    return first_day.strftime("%B %Y")


def _pay_now(now: PayNow | None) -> str:
    if now is None:
        return "Pay now: no spine point on the baseline scale"
    basis = f"assuming a {now.assumed_award:.1%} award" if now.assumed_award is not None else "published rates"
    return (
        f"Pay now: [b]{pounds(now.paid)}[/b] a year (SCP {now.point}: {pounds(now.full_time)} full time, "
        f"{now.financial_year}, {basis})."
    )
