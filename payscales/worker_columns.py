"""What the projection knows about each worker, one object each (PayFacts) and then as arrays (WorkerColumns), the
form every step of the projection works on."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from ecf.domain.worker import ContractType
from ecf.progression.facts import Stage
from payscales.pay import FloatArray, IntArray
from payscales.rules import Grade

# The components of a projection, per worker and month. The first six are dense (every worker, every month); the
# last three are sparse (agency is zero for staff, grants and new experienced practitioners are single months), so
# the heavy sums run over the first six only.
COMPONENTS = ("fte", "salary", "employer_ni", "pension", "levy", "leavers", "agency", "grant_income", "experienced")
DENSE = 6
HIRED = 7
MONEY = ("salary", "employer_ni", "pension", "levy", "agency", "grant_income")
C = {name: i for i, name in enumerate(COMPONENTS)}
STAGES = [*(s.value for s in Stage), "new_hire"]
NEW_HIRE = STAGES.index("new_hire")
STAGE_INDEX = {stage: STAGES.index(stage.value) for stage in Stage}
NO_MONTH = -(10**6)  # a month index for "none": before any grid
NO_LEAVING = 10**7  # a day ordinal for "no leaving date": after any grid


class PayFacts(NamedTuple):
    """What the projection needs about one worker, from their record and their progression assessment. A named
    tuple, not a dataclass: a national workforce builds forty thousand of them per projection."""

    employee_id: str
    team: str | None
    grade: str | None
    point: int | None
    fte: Decimal
    contract_type: ContractType
    role: str | None
    start_date: date
    leaving_date: date | None
    stages: tuple[tuple[date, Stage], ...]  # the stage on the as-of date first, then each change
    programme_end: date | None = None
    experienced_from: date | None = None
    grants: tuple[tuple[date, Decimal], ...] = ()
    supplements: Decimal = Decimal(0)  # market supplement + allowances, a year full-time: paid with salary
    apprentice: bool = False  # a degree apprentice under 25: employer NI from the apprentice threshold (category H)


@dataclass(frozen=True)
class WorkerColumns:
    """Workers' facts as arrays (months are indices into the grid; NO_MONTH for none)."""

    fte: FloatArray
    start: IntArray
    leave: IntArray
    top: IntArray
    first_point: IntArray
    start_month: IntArray
    start_day: IntArray
    start_calendar_month: IntArray
    programme_end: IntArray
    experienced: IntArray
    stage_months: IntArray
    stage_values: IntArray
    supplements: FloatArray
    event_component: IntArray
    event_row: IntArray
    event_month: IntArray
    event_amount: FloatArray
    apprentice: npt.NDArray[np.bool_]

    def take(self, begin: int, end: int) -> WorkerColumns:
        """Rows begin..end (a chunk), with their events renumbered from 0."""
        pick = (self.event_row >= begin) & (self.event_row < end)
        return WorkerColumns(
            self.fte[begin:end], self.start[begin:end], self.leave[begin:end], self.top[begin:end],
            self.first_point[begin:end], self.start_month[begin:end], self.start_day[begin:end],
            self.start_calendar_month[begin:end], self.programme_end[begin:end], self.experienced[begin:end],
            self.stage_months[begin:end], self.stage_values[begin:end], self.supplements[begin:end],
            self.event_component[pick],
            self.event_row[pick] - begin, self.event_month[pick], self.event_amount[pick], self.apprentice[begin:end],
        )  # fmt: skip


def worker_columns(
    workers: Sequence[PayFacts], grades: Sequence[Grade], first_month: date, months: int
) -> WorkerColumns:
    """The workers' facts as arrays, a field at a time: each distinct date or amount is converted once (a national
    workforce shares a few thousand start dates and a handful of FTEs), so no per-worker Python work is repeated."""
    origin = first_month.year * 12 + first_month.month

    def month(day: date | None) -> int:
        return NO_MONTH if day is None else day.year * 12 + day.month - origin

    starts = [w.start_date for w in workers]
    stage_months, stage_values = _stage_columns(workers, month, months)
    events = _events(workers, month, months)
    points = [w.point for w in workers]
    return WorkerColumns(
        apprentice=np.array([w.apprentice for w in workers], dtype=bool),
        fte=np.array(_each([w.fte for w in workers], float), dtype=float),
        start=np.array(_each(starts, date.toordinal), dtype=np.int64),
        leave=np.array(_each([w.leaving_date for w in workers], _ordinal_or_never), dtype=np.int64),
        top=np.array([g.points[1] for g in grades], dtype=np.int64),
        first_point=np.array(
            [g.points[0] if p is None else p for p, g in zip(points, grades, strict=True)], dtype=np.int64
        ),
        start_month=np.array(_each(starts, month), dtype=np.int64),
        start_day=np.array([d.day for d in starts], dtype=np.int64),
        start_calendar_month=np.array([d.month for d in starts], dtype=np.int64),
        programme_end=np.array(_each([w.programme_end for w in workers], month), dtype=np.int64),
        experienced=np.array(_each([w.experienced_from for w in workers], month), dtype=np.int64),
        supplements=np.array(_each([w.supplements for w in workers], float), dtype=float),
        stage_months=stage_months,
        stage_values=stage_values,
        event_component=np.array([e[0] for e in events], dtype=np.int64),
        event_row=np.array([e[1] for e in events], dtype=np.int64),
        event_month=np.array([e[2] for e in events], dtype=np.int64),
        event_amount=np.array([e[3] for e in events], dtype=float),
    )


def _stage_columns(
    workers: Sequence[PayFacts], month: Callable[[date | None], int], months: int
) -> tuple[IntArray, IntArray]:
    """stage_months[w, k], stage_values[w, k]: each worker's k-th stage and the month it begins (never before the
    grid's first month); `months` (never) and 0 past a worker's last stage."""
    width = max((len(w.stages) for w in workers), default=1) or 1
    stage_months = np.full((len(workers), width), months, dtype=np.int64)
    stage_values = np.zeros((len(workers), width), dtype=np.int64)
    having = [row for row, worker in enumerate(workers) if worker.stages]
    if having:
        firsts = [workers[row].stages[0] for row in having]
        stage_months[having, 0] = np.maximum(_each([day for day, _ in firsts], month), 0)
        stage_values[having, 0] = [STAGE_INDEX[stage] for _, stage in firsts]
    for row, worker in enumerate(workers):
        if len(worker.stages) > 1:  # only those with stage changes ahead: a few thousand of a national workforce
            for k, (day, stage) in enumerate(worker.stages[1:], start=1):
                stage_months[row, k] = max(month(day), 0)
                stage_values[row, k] = STAGE_INDEX[stage]
    return stage_months, stage_values


def _events(
    workers: Sequence[PayFacts], month: Callable[[date | None], int], months: int
) -> list[tuple[int, int, int, float]]:
    """Single-month figures inside the grid, by worker in order: reaching experienced practitioner, then grants."""
    events: list[tuple[int, int, int, float]] = []
    for row, worker in enumerate(workers):
        if worker.experienced_from is None and not worker.grants:
            continue
        if worker.experienced_from is not None:
            events.append((C["experienced"], row, month(worker.experienced_from), 1.0))
        for day, amount in worker.grants:
            events.append((C["grant_income"], row, month(day), float(amount)))
    return [e for e in events if 0 <= e[2] < months]


def _ordinal_or_never(day: date | None) -> int:
    return NO_LEAVING if day is None else day.toordinal()


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _each(values: list[K], convert: Callable[[K], V]) -> list[V]:
    """convert(value) for each value, worked out once per distinct value."""
    converted = {value: convert(value) for value in set(values)}
    return [converted[value] for value in values]
