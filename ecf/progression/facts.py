"""What the engine is given about one worker, and what it gives back. Plain frozen values, no behaviour to speak of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar, overload

from ecf.domain.frozen import stored_at_once
from ecf.domain.period import Period
from ecf.domain.worker import WorkerRecord
from ecf.progression.vocabulary import OPEN_STATUSES as OPEN_STATUSES
from ecf.progression.vocabulary import PRESSING as PRESSING
from ecf.progression.vocabulary import STAGE_LABELS as STAGE_LABELS
from ecf.progression.vocabulary import STATUS_RANK as STATUS_RANK
from ecf.progression.vocabulary import MilestoneStatus as MilestoneStatus
from ecf.progression.vocabulary import Outcome as Outcome
from ecf.progression.vocabulary import Stage as Stage


@dataclass(frozen=True, slots=True)
class RecordedCompletion:
    """A milestone a person recorded as done (in the terminal UI or with `ecf record`): a fact a later HR import
    does not overwrite. `outcome` is given for the step that ends a programme."""

    framework: str
    milestone: str
    completed_on: date
    outcome: Outcome | None = None


@stored_at_once
@dataclass(frozen=True, slots=True)
class WorkerFacts:
    """One worker's latest record, their earlier spells in this council (from older snapshots) and what was recorded."""

    record: WorkerRecord
    earlier_spells: tuple[Period, ...] = ()
    recorded: tuple[RecordedCompletion, ...] = ()


@stored_at_once
@dataclass(frozen=True, slots=True)
class Milestone:
    framework: str
    key: str
    name: str
    due_date: date | None
    status: MilestoneStatus
    completed_date: date | None
    completed_source: str | None  # "import" or "recorded"
    optional: bool
    explanation: str


@stored_at_once
@dataclass(frozen=True, slots=True)
class StageChange:
    on: date
    stage: Stage


@stored_at_once
@dataclass(frozen=True, slots=True)
class Eligibility:
    rule: str
    name: str
    status: str  # in_force / proposed / local
    eligible_from: date | None
    eligible: bool
    explanation: str


@stored_at_once
@dataclass(frozen=True, slots=True)
class GrantClaim:
    grant: str
    claim: str  # registration / completion
    amount: Decimal
    claimable_from: date
    financial_year: str
    explanation: str


@stored_at_once
@dataclass(frozen=True, slots=True)
class Alert:
    code: str
    message: str


class Details(Protocol):
    """Where an assessment's slower parts come from: worked out only when someone reads them."""

    def pqe_months(self) -> int: ...
    def stage_changes(self) -> tuple[StageChange, ...]: ...
    def experienced(self) -> Eligibility: ...
    def agency(self) -> tuple[Eligibility, ...]: ...
    def grants(self) -> tuple[GrantClaim, ...]: ...
    def alerts(self) -> tuple[Alert, ...]: ...


T = TypeVar("T")


class once(Generic[T]):
    """functools.cached_property without the lock Python 3.11 takes on every first read (dropped in 3.12 as useless):
    a projection reads two of these for each of 40,000 assessments, and the lock was a fifth of its set-up. Two
    threads reading at once would both work out the same pure value; either may stay."""

    def __init__(self, work: Callable[[Any], T]) -> None:
        self.work = work
        self.name = work.__name__
        self.__doc__ = work.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> once[T] | T:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.work(instance)  # read from the instance from now on
        return value


@stored_at_once
@dataclass(frozen=True, eq=False)
class Assessment:
    """Where a worker stands on `as_of`. Milestones and stage are worked out at once; eligibility (with its
    explanation), grant claims and alerts when first read, so listing 40,000 workers' milestones stays fast."""

    employee_id: str
    as_of: date
    programme: str | None
    programme_reason: str
    frameworks: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    stage: Stage
    experienced_from: date | None
    details: Details = field(repr=False)
    programme_end: date | None = None  # the day the ASYE/ECDP ends (done, or due); None while it runs overdue

    @property
    def next_milestone(self) -> Milestone | None:
        """The open milestone that falls due first (overdue ones first of all)."""
        open_ = [m for m in self.milestones if m.status in OPEN_STATUSES]
        return min(open_, key=lambda m: (m.due_date or date.max, m.name), default=None)

    @property
    def milestone_status(self) -> MilestoneStatus | None:
        """The most pressing status among the milestones: overdue, then due, upcoming, complete (None: none apply)."""
        statuses = {m.status for m in self.milestones}
        return next((s for s in PRESSING if s in statuses), None)

    @once
    def stage_changes(self) -> tuple[StageChange, ...]:
        """The stages ahead and the days they begin, if the facts stay as they are."""
        return self.details.stage_changes()

    @once
    def pqe_months(self) -> int:
        return self.details.pqe_months()

    @once
    def experienced(self) -> Eligibility:
        return self.details.experienced()

    @once
    def agency(self) -> tuple[Eligibility, ...]:
        return self.details.agency()

    @once
    def grants(self) -> tuple[GrantClaim, ...]:
        return self.details.grants()

    @once
    def alerts(self) -> tuple[Alert, ...]:
        return self.details.alerts()
