"""`ecf milestones`, `worker`, `stages`, `cohorts`, `indicators`, `grants`, `frameworks`, `record` and `rules`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.lazy import lazy
from ecf.cli.output import Format, clean, console, human, markup, render
from ecf.presentation.columns import Columns
from ecf.presentation.formats import option_key, value_words
from ecf.presentation.text import clean_block
from ecf.progression.calendar import financial_year, uk
from ecf.progression.vocabulary import STAGE_LABELS, MilestoneStatus, Outcome, Stage

if TYPE_CHECKING:
    from ecf.progression.facts import GrantClaim
    from ecf.services import context
    from ecf.services import progression as service
    from ecf.services.progression import Progress
else:  # the progression engine and its storage load when a command runs, not for `ecf --help`
    service, context = lazy("ecf.services.progression"), lazy("ecf.services.context")

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]
AsOfOption = Annotated[
    date | None,
    typer.Option("--as-of", parser=parse_day, metavar="DD/MM/YYYY", help="Assess on this date. Default: today."),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Use this council rules file instead of the stored one (to compare before saving)."),
]
TeamOption = Annotated[str | None, typer.Option("--team", help="Only this team.")]

rules_app = typer.Typer(help="The council's own rules file: settings and overrides over the shipped rules.")


def register(app: typer.Typer) -> None:
    from ecf.cli.worker_command import worker  # beside the listings in `ecf --help`; it imports this module

    for command in (milestones, worker, stages, cohorts, indicators, grants, frameworks, record):
        app.command()(command)
    app.add_typer(rules_app, name="rules")


def as_of_or_today(value: date | None) -> date:
    return value or date.today()  # the interface reads the clock; the engine never does


def _statuses(text: str | None) -> list[MilestoneStatus] | None:
    if not text:
        return None
    found = []
    for part in text.split(","):
        name = option_key(part)  # `not applicable` as the table shows it, or `not_applicable`
        try:
            found.append(MilestoneStatus(name))
        except ValueError:
            choices = ", ".join(value_words(s.value) for s in MilestoneStatus)
            raise typer.BadParameter(f"unknown status '{clean(part.strip())}' (choose from {choices})") from None
    return found


def _caption(progress: Progress) -> str:
    data = f"data as of {uk(progress.data_as_of)}" if progress.data_as_of else "no data imported yet"
    return f"assessed on {uk(progress.as_of)}, {data}"


def milestones(
    as_of: AsOfOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Only these statuses, e.g. due,overdue.", metavar="LIST")
    ] = None,
    team: TeamOption = None,
    manager: Annotated[str | None, typer.Option("--manager", help="Only this line manager's team members.")] = None,
    framework: Annotated[str | None, typer.Option("--framework", help="Only this framework, e.g. asye.")] = None,
    rules: RulesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Every worker's milestones: due date, status, completion and how the date was worked out."""
    wanted = _statuses(status)
    day = as_of_or_today(as_of)
    progress = service.assess_workforce(open_app(), day, team=team, rules_file=rules, on_programme_only=True)
    rows = Columns(service.milestone_columns(progress, wanted, framework, manager))
    columns = ["employee_id", "framework", "milestone", "due_date", "status", "completed_date", "explanation",
               "milestone_name", "completed_source", "name", "team", "line_manager", "stage"]  # fmt: skip
    shown = ["employee_id", "name", "team", "milestone_name", "due_date", "status", "completed_date", "explanation"]
    render(rows, columns, fmt, table_columns=shown, title=f"{len(rows)} milestones, {_caption(progress)}",
           empty="No milestones match.", keep=("employee_id", "name", "milestone_name", "due_date", "status"),
           drop=("explanation", "team", "completed_date"), atomic=("status",))  # fmt: skip
    if progress.without_qualified_date and fmt is Format.TABLE:
        console.print(f"{progress.without_qualified_date} workers have no qualification date yet (their source lacked "
                      "it) and are left out of milestones until an HR import supplies it.")  # fmt: skip


def stages(
    as_of: AsOfOption = None,
    team: TeamOption = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Only this stage, e.g. asye or experienced.")] = None,
    experienced_in: Annotated[
        str | None,
        typer.Option(
            "--experienced-in",
            metavar="YYYY/YY",
            help="Only those becoming experienced in this financial year, e.g. 2026/27.",
        ),
    ] = None,
    rules: RulesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Who is at which stage, when they become experienced practitioners and agency-eligible, what changes next."""
    if stage is not None:
        stage = option_key(stage)  # `pre-ASYE` as the table shows it, or `pre_asye`
        if stage not in {s.value for s in Stage}:
            choices = ", ".join(STAGE_LABELS[s] for s in Stage)
            raise typer.BadParameter(f"unknown stage '{clean(stage)}' (choose from {choices})")
    progress = service.assess_workforce(open_app(), as_of_or_today(as_of), team=team, rules_file=rules)
    rows = []
    for item in progress.workers:
        a, record = item.assessment, item.state.record
        if stage is not None and a.stage.value != stage:
            continue
        reached = a.experienced.eligible_from
        if experienced_in is not None and (reached is None or financial_year(reached) != experienced_in):
            continue
        in_force = next((e for e in a.agency if e.status == "in_force"), None)
        nxt = a.stage_changes[0] if a.stage_changes else None
        rows.append({
            "employee_id": record.employee_id, "name": record.name, "team": record.team,
            "stage": a.stage, "programme": a.programme, "pqe_months": a.pqe_months,
            "experienced_from": reached, "agency_eligible_from": in_force.eligible_from if in_force else None,
            "next_stage": nxt.stage if nxt else None, "next_stage_on": nxt.on if nxt else None,
        })  # fmt: skip
    columns = ["employee_id", "name", "team", "stage", "programme", "pqe_months", "experienced_from",
               "agency_eligible_from", "next_stage", "next_stage_on"]  # fmt: skip
    render(rows, columns, fmt, title=f"{len(rows)} workers, {_caption(progress)}", empty="No workers match.",
           keep=("employee_id", "name", "stage"), words=("programme",),
           drop=("agency_eligible_from", "programme", "team", "pqe_months"))  # fmt: skip


def cohorts(
    as_of: AsOfOption = None,
    by: Annotated[str, typer.Option("--by", help="intake, team or manager.")] = "intake",
    rules: RulesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Intake cohorts (academic year of ASYE/ECDP start): stage, outcomes, progress and retention so far."""
    by = option_key(by)
    if by not in ("intake", "team", "manager"):
        raise typer.BadParameter("--by must be intake, team or manager")
    progress, found = service.intake_cohorts(open_app(), as_of_or_today(as_of), by, rules)  # type: ignore[arg-type]
    rows = []
    for c in found:
        row: dict[str, Any] = {"intake": c.intake, "group": c.group, "size": c.size, "in_post": c.in_post}
        for s in Stage:
            row[s.value] = c.stages.get(s, 0)
        for outcome in ("in_progress", "passed", "failed", "extended"):
            row[outcome] = c.outcomes.get(outcome, 0)
        row.update(milestones_done=c.milestones_done, milestones_due_so_far=c.milestones_due_so_far,
                   progress=c.progress, overdue=c.overdue)  # fmt: skip
        for r in c.retention:
            row[f"retained_{r.months}m"] = f"{r.retained}/{r.reached}" if r.reached else ""
            row[f"retention_{r.months}m"] = r.rate
        rows.append(row)
    columns = list(rows[0]) if rows else ["intake"]
    stage_columns = [s.value for s in (Stage.ASYE, Stage.ECDP, Stage.ECF_YEAR_2, Stage.ECF_YEARS_3_5)
                     if any(row[s.value] for row in rows)]  # fmt: skip
    shown = ["intake", *(["group"] if by != "intake" else []), "size", "in_post", *stage_columns, "passed",
             "failed", "progress", "overdue", "retention_12m", "retention_24m", "retention_36m"]  # fmt: skip
    ratios = ["progress", *(c for c in columns if c.startswith("retention_"))]
    render(rows, columns, fmt, table_columns=shown, title=f"Intake cohorts, {_caption(progress)}",
           empty="No one has started an ASYE or ECDP yet.", ratio=ratios, keep=("intake", "group", "size"),
           drop=("retention_36m", "retention_24m", "failed", "passed"))  # fmt: skip


def indicators(
    as_of: AsOfOption = None,
    by_team: Annotated[bool, typer.Option("--by-team", help="One row per team as well as the total.")] = False,
    trend: Annotated[bool, typer.Option("--trend", help="The totals on every snapshot date instead.")] = False,
    rules: RulesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Workforce indicators with the DfE census definitions: turnover, agency and vacancy rates, caseload, early
    leavers, years of service. Over the 12 months to the newest snapshot on or before --as-of."""
    app = open_app()
    found = (
        service.indicator_trend(app, rules, as_of_or_today(as_of))
        if trend
        else service.workforce_indicators(app, as_of_or_today(as_of), by_team, rules)
    )
    rows = [
        {
            "scope": i.scope, "snapshot": i.snapshot, "headcount": i.headcount, "fte": i.fte,
            "agency_headcount": i.agency_headcount, "agency_fte": i.agency_fte, "agency_rate": i.agency_rate,
            "leavers": i.leavers, "leavers_fte": i.leavers_fte, "leavers_without_date": i.leavers_without_date,
            "turnover": i.turnover, "early_leavers": i.early_leavers,
            "early_leaver_share": i.early_leaver_share, "establishment_fte": i.establishment_fte,
            "vacancy_fte": i.vacancy_fte, "vacancy_rate": i.vacancy_rate, "caseload": i.caseload,
            "service_2_plus": i.service_2_plus, "service_5_plus": i.service_5_plus,
            "service_8_plus": i.service_8_plus,
        }
        for i in found
    ]  # fmt: skip
    columns = list(rows[0]) if rows else ["scope"]
    shown = ["scope", "snapshot", "fte", "agency_rate", "turnover", "leavers", "early_leavers", "vacancy_rate",
             "caseload", "service_2_plus", "service_5_plus", "service_8_plus"]  # fmt: skip
    ratios = ("agency_rate", "turnover", "early_leaver_share", "vacancy_rate", "service_2_plus", "service_5_plus",
              "service_8_plus")  # fmt: skip
    render(rows, columns, fmt, table_columns=shown, title="Workforce indicators (12 months to the snapshot)",
           empty="No snapshots on or before that date.", ratio=ratios, keep=("scope", "snapshot"),
           headers={"early_leavers": "Leavers under 2 years"})  # fmt: skip


def grants(
    as_of: AsOfOption = None,
    year: Annotated[str | None, typer.Option("--year", metavar="YYYY/YY", help="Only this financial year.")] = None,
    rules: RulesOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """ASYE grant claims (registration and completion) the council can make, for finance."""
    progress = service.assess_workforce(open_app(), as_of_or_today(as_of), include_left=True, rules_file=rules)
    rows = [
        {"employee_id": w.assessment.employee_id, "team": w.state.record.team, "grant": g.grant, "claim": g.claim,
         "amount": g.amount, "claimable_from": g.claimable_from, "financial_year": g.financial_year,
         "explanation": g.explanation}
        for w in progress.workers
        for g in w.assessment.grants
        if year is None or g.financial_year == year
    ]  # fmt: skip
    rows.sort(key=lambda r: (r["claimable_from"], r["employee_id"]))
    total = sum((w.amount for w in _claims(progress, year)), Decimal(0))
    columns = ["employee_id", "team", "grant", "claim", "amount", "claimable_from", "financial_year", "explanation"]
    render(rows, columns, fmt, title=f"{len(rows)} grant claims, £{total:,.2f} in all", empty="No grant claims.",
           money=("amount",), keep=("employee_id", "claim", "amount", "claimable_from"), words=("claim",),
           drop=("explanation", "grant", "team"))  # fmt: skip


def _claims(progress: Progress, year: str | None) -> list[GrantClaim]:
    return [g for w in progress.workers for g in w.assessment.grants if year is None or g.financial_year == year]


def frameworks(rules: RulesOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The rules loaded: frameworks, eligibility rules, grants; the dates they cover, their sources, where from."""
    book = service.rulebook(open_app(), rules)
    rows = [vars_of(info) for info in service.describe_rules(book)]
    columns = ["id", "kind", "name", "status", "applies", "in_use", "confidence", "source", "url", "origin"]
    shown = ["id", "name", "status", "applies", "in_use", "confidence", "origin"]
    council = book.council
    title = f"Rules for {council.name} (five-year ECF {'on' if council.runs_five_year_ecf else 'off'}, due window " \
            f"{council.due_window_days} days)"  # fmt: skip
    render(rows, columns, fmt, table_columns=shown, title=title, keep=("id", "status", "in_use"),
           words=("status", "kind", "confidence"), headers={"id": "Rule"}, atomic=("status",))  # fmt: skip


def record(
    employee_id: Annotated[str, typer.Argument(help="Employee ID.")],
    milestone: Annotated[str, typer.Argument(help="Milestone, e.g. review_3m or asye.review_3m.")],
    on: Annotated[
        date | None, typer.Option("--date", parser=parse_day, metavar="DD/MM/YYYY", help="Date it was completed.")
    ] = None,
    outcome: Annotated[
        Outcome | None, typer.Option("--outcome", help="passed or failed, on the step that ends the programme.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A short note kept with the record.")] = None,
    withdraw: Annotated[bool, typer.Option("--withdraw", help="Withdraw the earlier record instead.")] = False,
) -> None:
    """Record a completed milestone (kept apart from HR imports, which never overwrite it)."""
    if on is None and not withdraw:
        raise typer.BadParameter("give --date DD/MM/YYYY (or --withdraw)")
    try:
        event = service.record_milestone(
            open_app(), employee_id, milestone, None if withdraw else on, recorded_at=datetime.now(UTC),
            outcome=outcome, note=note,
        )  # fmt: skip
    except (service.UnknownWorker, service.BadRecord) as exc:
        raise fail(str(exc)) from exc
    what = f"completed {uk(event.completed_on)}" if event.completed_on else "withdrawn"
    console.print(markup(f"Recorded {event.framework}.{event.milestone} for {event.employee_id}: {what}."))


@rules_app.command("set")
def rules_set(file: Annotated[Path, typer.Argument(help="The council's rules file (TOML).")]) -> None:
    """Check the council's rules file and store it: every user of this database then works to it."""
    book = service.save_rules(open_app(), file, datetime.now(UTC))
    console.print(markup(f"Stored {file.name}: {book.council.name}, {len(book.rules)} rules, five-year ECF "
                         f"{'on' if book.council.runs_five_year_ecf else 'off'}."))  # fmt: skip


@rules_app.command("show")
def rules_show() -> None:
    """Print the stored council rules file."""
    saved = service.stored_rules(open_app())
    if saved is None:
        console.print("No council rules file stored: the shipped rules apply (see ecf frameworks).")
        return
    console.print(f"# {clean(saved.file_name)}, stored {human(saved.saved_at)}", highlight=False, markup=False)
    console.print(clean_block(saved.content or ""), highlight=False, markup=False)


@rules_app.command("clear")
def rules_clear() -> None:
    """Go back to the shipped rules (the stored file stays in the history)."""
    service.clear_rules(open_app(), datetime.now(UTC))
    console.print("Council rules cleared: the shipped rules apply.")


def vars_of(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}
