"""Every worker's milestones as a listing, due date first: rows for the milestones screen, and the same milestones a
column per field for the command line's listing (a national workforce's is hundreds of thousands of cells)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ecf.domain.frozen import stored_at_once
from ecf.domain.worker import full_name
from ecf.progression.facts import Milestone, MilestoneStatus
from ecf.progression.rules import RuleBook

if TYPE_CHECKING:
    from ecf.services.progression import Assessed, Progress


@stored_at_once
@dataclass(frozen=True)
class MilestoneRow:
    employee_id: str
    surname: str | None
    forename: str | None
    team: str | None
    line_manager: str | None
    stage: str
    milestone: Milestone
    ends_programme: bool = False  # the step an outcome (passed or failed) is recorded on

    @property
    def name(self) -> str:
        return full_name(self.forename, self.surname)


def milestone_rows(
    progress: Progress, statuses: Iterable[MilestoneStatus] | None = None, framework: str | None = None
) -> list[MilestoneRow]:
    """Every worker's milestones, due date first, filtered by status and framework."""
    ending = programme_endings(progress.book)
    rows = []
    for item, milestones in _listed(progress, statuses, framework):
        record, stage = item.state.record, item.assessment.stage.value
        for milestone in milestones:
            ends = (milestone.framework, milestone.key) in ending
            rows.append(MilestoneRow(record.employee_id, record.surname, record.forename, record.team,
                                     record.line_manager, stage, milestone, ends))  # fmt: skip
    rows.sort(key=lambda r: (r.milestone.due_date or date.max, r.employee_id))
    return rows


# The listing's fields, in the order milestone_columns holds them.
LISTING_FIELDS = (
    "employee_id", "name", "team", "line_manager", "stage", "framework", "milestone", "milestone_name", "due_date",
    "status", "completed_date", "completed_source", "explanation",
)  # fmt: skip
_ID = LISTING_FIELDS.index("employee_id")


def milestone_columns(
    progress: Progress, statuses: Iterable[MilestoneStatus] | None = None, framework: str | None = None,
    manager: str | None = None,
) -> dict[str, list[Any]]:  # fmt: skip
    """milestone_rows' milestones in its order (of one line manager's team members, case ignored, if given), a list
    per field of LISTING_FIELDS. A worker's own fields are worked out once, however many milestones they have, and
    no object is built per row: at national scale those cost more than the listing's output."""
    managed = manager.strip().lower() if manager is not None else None
    rows: list[tuple[Any, ...]] = []
    for item, milestones in _listed(progress, statuses, framework):
        record = item.state.record
        if managed is not None and (record.line_manager or "").lower() != managed:
            continue
        who = (record.employee_id, record.name, record.team, record.line_manager, item.assessment.stage.value)
        rows += [
            (m.due_date or date.max, *who, m.framework, m.key, m.name, m.due_date, m.status, m.completed_date,
             m.completed_source, m.explanation)
            for m in milestones
        ]  # fmt: skip
    # milestone_rows' order, due date then ID, each tie as listed: two stable sorts on fields (the ID, then the due
    # date leading each row), without a key tuple built per row
    rows.sort(key=itemgetter(1 + _ID))
    rows.sort(key=itemgetter(0))
    if not rows:
        return {name: [] for name in LISTING_FIELDS}
    columns = list(zip(*rows, strict=True))[1:]  # the leading due date was for sorting only
    return dict(zip(LISTING_FIELDS, map(list, columns), strict=True))


def _listed(
    progress: Progress, statuses: Iterable[MilestoneStatus] | None, framework: str | None
) -> Iterator[tuple[Assessed, tuple[Milestone, ...]]]:
    """Each worker with milestones, and those of theirs with a wanted status and framework, in the workers' order."""
    wanted = set(statuses) if statuses else None
    for item in progress.workers:
        milestones = item.assessment.milestones
        if not milestones:
            continue  # most of a national workforce: no programme, no milestones
        if wanted is not None or framework is not None:
            milestones = tuple(
                m for m in milestones
                if (wanted is None or m.status in wanted) and (framework is None or m.framework == framework)
            )  # fmt: skip
        if milestones:
            yield item, milestones


def programme_endings(book: RuleBook) -> set[tuple[str, str]]:
    """(framework, milestone) of each programme's final step and the steps that follow it (the moderation panel):
    where a person records the outcome."""
    ending = set()
    for rule in book.programmes:
        final = rule.final_milestone
        ending |= {(rule.id, m.key) for m in rule.milestones if m.key == final or m.after == final}
    return ending
