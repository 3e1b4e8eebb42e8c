"""What a workforce lead sees first: headcount and FTE by early-career stage, this month's due and overdue milestones,
and the workforce indicators with their trend over the snapshots."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ecf.domain.months import missing_months
from ecf.progression.facts import STAGE_LABELS, MilestoneStatus, Stage
from ecf.progression.indicators import Indicators
from ecf.services.context import App
from ecf.services.progression import Progress, assess_workforce, indicator_trend


@dataclass(frozen=True)
class StageLine:
    stage: Stage
    label: str
    headcount: int
    fte: Decimal


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    data_as_of: date | None
    stages: list[StageLine]
    due: int
    overdue: int
    becoming_experienced: int  # in the 12 months from the as-of date
    trend: list[Indicators]
    missing_months: list[date] = field(default_factory=list)  # months without a snapshot between stored ones


def dashboard(app: App, as_of: date, progress: Progress | None = None) -> Dashboard:
    """The dashboard; `progress` reuses an assessment already made (the terminal UI makes one for two panes)."""
    return with_trend(app, at_a_glance(app, as_of, progress))


def at_a_glance(app: App, as_of: date, progress: Progress | None = None) -> Dashboard:
    """The dashboard but its trend (left empty): the stages and milestones come from the assessment alone, while the
    trend reads every snapshot stored (seconds, for years of monthly imports of a national workforce), so the terminal
    UI shows these first."""
    progress = progress or assess_workforce(app, as_of)
    heads: Counter[Stage] = Counter()
    fte: dict[Stage, Decimal] = defaultdict(Decimal)
    statuses: Counter[MilestoneStatus] = Counter()
    soon = 0
    horizon = date(as_of.year + 1, as_of.month, min(as_of.day, 28))
    for item in progress.workers:
        stage = item.assessment.stage
        heads[stage] += 1
        fte[stage] += item.state.record.fte
        statuses.update(m.status for m in item.assessment.milestones)
        reached = item.assessment.experienced_from
        soon += reached is not None and as_of < reached <= horizon
    order = [s for s in Stage if s is not Stage.LEFT]
    lines = [StageLine(s, STAGE_LABELS[s], heads[s], fte[s]) for s in order if heads[s]]
    return Dashboard(
        as_of, progress.data_as_of, lines, statuses[MilestoneStatus.DUE], statuses[MilestoneStatus.OVERDUE], soon,
        [], _missing_months(app),
    )  # fmt: skip


def with_trend(app: App, found: Dashboard, trend: list[Indicators] | None = None) -> Dashboard:
    """The dashboard with the indicators on every snapshot date up to its as-of date (`trend`: read already, as
    indicator_trend(app, as_of=found.as_of) gives them)."""
    return replace(found, trend=indicator_trend(app, as_of=found.as_of) if trend is None else trend)


def _missing_months(app: App) -> list[date]:
    with app.unit_of_work() as uow:
        return missing_months(uow.imports.active_dates())
