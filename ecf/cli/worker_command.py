"""`ecf worker ID`: one worker's whole timeline, as the worker screen shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ecf.cli.common import fail, open_app
from ecf.cli.lazy import lazy
from ecf.cli.output import Format, clean, console, human, markup, render, show_table
from ecf.cli.progression_commands import AsOfOption, FormatOption, RulesOption, as_of_or_today, vars_of
from ecf.presentation.formats import value_words
from ecf.progression.calendar import uk
from ecf.progression.vocabulary import STAGE_LABELS

if TYPE_CHECKING:
    from ecf.services import progression as service
else:  # the progression engine and its storage load when the command runs, not for `ecf --help`
    service = lazy("ecf.services.progression")


def _census_items(employee_id: str) -> dict[str, object] | None:
    from dataclasses import asdict

    from ecf.services.census import worker_items

    items = worker_items(open_app(), employee_id)
    return None if items is None else asdict(items)


def _census_line(employee_id: str) -> str:
    from ecf.census.presentation import census_items_line
    from ecf.census.spec import latest_spec
    from ecf.services.census import worker_items

    return census_items_line(worker_items(open_app(), employee_id), latest_spec())


def worker(
    employee_id: Annotated[str, typer.Argument(help="Employee ID as on the HR sheet.")],
    as_of: AsOfOption = None,
    rules: RulesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One worker's full timeline: facts, programme and why, milestones, stage, eligibility, grants, alerts."""
    try:
        detail = service.worker_detail(open_app(), employee_id, as_of_or_today(as_of), rules)
    except service.UnknownWorker as exc:
        raise fail(str(exc)) from exc
    assessment = detail.assessed.assessment
    if fmt is not Format.TABLE:
        rows = [
            {
                "employee_id": assessment.employee_id,
                "as_of": assessment.as_of,
                "snapshot": detail.assessed.state.last_seen,
                "facts_from": detail.assessed.state.facts_from or detail.assessed.state.last_seen,
                "programme": assessment.programme,
                "programme_reason": assessment.programme_reason,
                "stage": assessment.stage,
                "pqe_months": assessment.pqe_months,
                "stage_changes": [{"on": c.on, "stage": c.stage} for c in assessment.stage_changes],
                "milestones": [vars_of(m) for m in assessment.milestones],
                "experienced": vars_of(assessment.experienced),
                "agency": [vars_of(e) for e in assessment.agency],
                "grants": [vars_of(g) for g in assessment.grants],
                "alerts": [vars_of(a) for a in assessment.alerts],
                "census": _census_items(employee_id),  # special-category data: this view and the census only
            }
        ]
        render(rows, list(rows[0]), fmt)
        return
    _show_worker(detail)


def _say(text: str) -> None:
    """A line of prose whose data parts are already passed through `markup`."""
    console.print(text, highlight=False, soft_wrap=False)


def _show_worker(detail: service.WorkerDetail) -> None:
    assessment = detail.assessed.assessment
    state = detail.assessed.state
    record = state.record
    name = markup(record.name or record.employee_id)
    _say(f"[bold]{name}[/] ({markup(record.employee_id)}) - {markup(record.role or 'role not given')}, "
         f"{markup(record.team or 'no team')}")  # fmt: skip
    if state.facts_from is not None:
        _say(f"[yellow]The {uk(state.last_seen)} import rejected this worker's row: the facts below are "
             f"those of {uk(state.facts_from)} until it is fixed.[/]")  # fmt: skip
    _say(f"Facts from the snapshot of {uk(state.last_seen)} ({human(state.status)}); qualified "
         f"{uk(record.date_qualified)}, here since {uk(record.start_date)}, {human(record.fte)} FTE, "
         f"{human(record.contract_type)}")  # fmt: skip
    _say(f"Programme: {markup(human(assessment.programme) or 'none')} - {markup(assessment.programme_reason)}")
    changes = "; ".join(f"{STAGE_LABELS[c.stage]} from {uk(c.on)}" for c in assessment.stage_changes) or "none ahead"
    _say(f"Stage on {uk(assessment.as_of)}: [bold]{STAGE_LABELS[assessment.stage]}[/]; next: {changes}")
    _say(f"PQE on {uk(assessment.as_of)}: {assessment.pqe_months} months")
    console.print(clean(_census_line(record.employee_id)), highlight=False, markup=False)
    rows = []
    for m in assessment.milestones:
        done = uk(m.completed_date) or ("date not recorded" if m.completed_source else "")
        done += f" ({m.completed_source})" if m.completed_source else ""
        rows.append({"framework": m.framework, "milestone": m.name, "due": m.due_date, "status": m.status,
                     "completed": done, "how": m.explanation})  # fmt: skip
    if not rows:
        _say("Milestones: none.")
    else:
        show_table(rows, ["framework", "milestone", "due", "status", "completed", "how"], title="Milestones",
                   keep=("milestone", "due", "status"), atomic=("status",), drop=("how", "framework"),
                   headers={"how": "How the date was worked out"})  # fmt: skip
    for item in (assessment.experienced, *assessment.agency):
        when = f"eligible from {uk(item.eligible_from)}" if item.eligible_from else "not eligible"
        flag = "yes" if item.eligible else "no"
        _say(markup(f"{item.name} [{value_words(item.status)}]: {flag} - {when}. {item.explanation}"))
    for claim in assessment.grants:
        _say(markup(f"Grant: {claim.claim} £{claim.amount:,.2f} claimable from {uk(claim.claimable_from)} "
                    f"(FY {claim.financial_year}) - {claim.explanation}"))  # fmt: skip
    for alert in assessment.alerts:
        _say(f"[yellow]Alert[/] {markup(alert.code)}: {markup(alert.message)}")
    for event in detail.events:
        what = f"completed {uk(event.completed_on)}" if event.completed_on else "record withdrawn"
        outcome = f" - {event.outcome}" if event.outcome else ""
        _say(markup(f"Recorded {human(event.recorded_at)}: {event.framework}.{event.milestone} {what}{outcome}"))
