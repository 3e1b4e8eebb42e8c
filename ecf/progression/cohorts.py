"""Intake cohorts: everyone who started the ASYE or ECDP in one academic year, with their progress and retention."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ecf.domain.worker import AsyeStatus, WorkerRecord
from ecf.progression.calendar import academic_year, add_months
from ecf.progression.facts import Assessment, MilestoneStatus, Stage

RETENTION_MONTHS = (12, 24, 36)
GroupBy = Literal["intake", "team", "manager"]


@dataclass(frozen=True, slots=True)
class CohortMember:
    record: WorkerRecord
    assessment: Assessment
    departed_on: date | None  # leaving date, or the last snapshot they appeared in if they vanished without one


@dataclass(frozen=True, slots=True)
class Retention:
    months: int
    reached: int  # members whose start is at least this many months before the as-of date
    retained: int  # of those, still employed that many months after their start

    @property
    def rate(self) -> float | None:
        return self.retained / self.reached if self.reached else None


@dataclass(frozen=True)
class Cohort:
    intake: str
    group: str | None  # team or manager, when grouped by one
    size: int
    in_post: int
    stages: dict[Stage, int]
    outcomes: dict[str, int]  # passed / failed / in_progress / extended / ...
    milestones_done: int
    milestones_due_so_far: int
    overdue: int
    retention: tuple[Retention, ...]
    members: tuple[str, ...] = field(default=())

    @property
    def progress(self) -> float | None:
        return self.milestones_done / self.milestones_due_so_far if self.milestones_due_so_far else None


def cohorts(members: Iterable[CohortMember], as_of: date, by: GroupBy = "intake") -> list[Cohort]:
    """One cohort per intake year (and team or manager), newest intake first."""
    groups: dict[tuple[str, str | None], list[CohortMember]] = defaultdict(list)
    for member in members:
        start = member.record.asye_start_date
        if start is None or start > as_of:
            continue
        group = None if by == "intake" else (member.record.team if by == "team" else member.record.line_manager)
        groups[(academic_year(start), group or ("" if by == "intake" else "(none)"))].append(member)
    found = [
        _cohort(intake, None if by == "intake" else group, people, as_of) for (intake, group), people in groups.items()
    ]
    found.sort(key=lambda c: c.group or "")
    found.sort(key=lambda c: c.intake, reverse=True)  # stable: newest intake first, groups A-Z within it
    return found


def _cohort(intake: str, group: str | None, people: Sequence[CohortMember], as_of: date) -> Cohort:
    stages = Counter(member.assessment.stage for member in people)
    outcomes = Counter(_outcome(member.record) for member in people)
    done = due_so_far = overdue = 0
    for member in people:
        for milestone in member.assessment.milestones:
            if milestone.due_date is None or milestone.due_date > as_of:
                continue
            if milestone.status is MilestoneStatus.NOT_APPLICABLE:
                continue
            due_so_far += 1
            done += milestone.status is MilestoneStatus.COMPLETE
            overdue += milestone.status is MilestoneStatus.OVERDUE
    return Cohort(
        intake=intake,
        group=group,
        size=len(people),
        in_post=sum(1 for m in people if m.departed_on is None or m.departed_on > as_of),
        stages=dict(stages),
        outcomes=dict(outcomes),
        milestones_done=done,
        milestones_due_so_far=due_so_far,
        overdue=overdue,
        retention=tuple(_retention(people, months, as_of) for months in RETENTION_MONTHS),
        members=tuple(sorted(m.record.employee_id for m in people)),
    )


def _outcome(record: WorkerRecord) -> str:
    return (record.asye_status or AsyeStatus.IN_PROGRESS).value


def _retention(people: Sequence[CohortMember], months: int, as_of: date) -> Retention:
    reached = retained = 0
    for member in people:
        start = member.record.asye_start_date
        assert start is not None
        mark = add_months(start, months)
        if mark > as_of:
            continue
        reached += 1
        retained += member.departed_on is None or member.departed_on >= mark
    return Retention(months, reached, retained)
