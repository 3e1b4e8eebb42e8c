"""Replacing leavers: a vacated post is covered by agency for the scenario's vacancy period, then filled by a new hire
at the bottom of the grade (an NQSW post at the next ASYE intake), who may leave and be replaced in turn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Protocol

import numpy as np

from ecf.domain.worker import ContractType
from ecf.progression.calendar import add_months
from ecf.progression.facts import Stage
from payscales.marginals import SOURCES, Marginals
from payscales.pay import FloatArray, IntArray, MonthGrid, pennies
from payscales.rules import Grade, Grades, Scenario
from payscales.worker_columns import COMPONENTS, HIRED, NEW_HIRE, C, PayFacts, WorkerColumns, worker_columns


class _Costing(Protocol):
    """What replacing leavers needs of the projection model."""

    grades: Grades
    grid: MonthGrid
    months: int
    scenario: Scenario
    team_index: dict[str, int]
    grade_index: dict[str, int]
    chains: dict[tuple[str, int], FloatArray]

    def _agency_month(self, role: str | None) -> float: ...

    def _staff(self, cols: WorkerColumns) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]: ...

    def _chain(self, grade: Grade, role: str, vacancy: int) -> FloatArray: ...

    def _covered(self, grade: Grade, flows: FloatArray) -> FloatArray: ...

    def _entry_grade(self) -> Grade: ...

    def _hire_month(self, left: int, vacancy: int, grade: Grade) -> int: ...

    def _hire_matrix(self, grade: Grade) -> FloatArray: ...

    def _hire_workers(self, grade: Grade) -> list[PayFacts]: ...


class Replacements:
    """The projection model's costing of replacements (mixed into it)."""

    def _refill(self: _Costing, marginals: Marginals, posts: Posts, vacancy: int) -> None:
        """Add the cost of refilling posts: each (team, grade) post's leaving flow through the chain for its grade."""
        if not posts.keys:
            return
        flows, heads = posts.arrays(self.months)
        by_grade: dict[str, list[int]] = {}
        for row, (_, grade) in enumerate(posts.keys):
            by_grade.setdefault(grade.grade, []).append(row)
        for rows in by_grade.values():
            grade = posts.keys[rows[0]][1]
            if self.scenario.replacement.policy == "agency":
                values = self._covered(grade, flows[rows])
            else:
                hired_as = self._entry_grade() if self.scenario.replacement.policy == "asye_intake" else grade
                chain = self._chain(hired_as, grade.roles[0] if grade.roles else grade.grade, vacancy)
                values = np.zeros((HIRED, len(rows), self.months))
                # New hires earn no grant and reach no experienced status in the model: only the first seven count.
                values[:] = np.tensordot(flows[rows], chain[:HIRED], axes=([1], [1])).transpose(1, 0, 2)
                values[C["leavers"]] = heads[rows] @ chain[C["leavers"]]
            teams = np.array([self.team_index[posts.keys[r][0]] for r in rows])
            grades = np.full(len(rows), self.grade_index[grade.grade])
            marginals.add_posts(values, teams, grades, SOURCES.index("replacement"))
            marginals.sums["stage"][: len(values), NEW_HIRE, :] += values.sum(axis=1)

    def _covered(self: _Costing, grade: Grade, flows: FloatArray) -> FloatArray:
        """Agency-only policy: every vacated post stays covered by agency from the month after it was left."""
        covered = np.concatenate([np.zeros((len(flows), 1)), np.cumsum(flows, axis=1)[:, :-1]], axis=1)
        values = np.zeros((len(COMPONENTS), len(flows), self.months))
        values[C["agency"]] = (
            covered * pennies(np.array([self._agency_month(grade.roles[0] if grade.roles else None)]))[0]
        )
        values[C["fte"]] = covered
        return values

    def _chain(self: _Costing, grade: Grade, role: str, vacancy: int) -> FloatArray:
        """chain[c, s, m]: the expected cost in month m of a post whose holder left in month s: agency cover for
        the vacancy, then a new hire at the bottom of the grade, who may leave and be replaced in turn."""
        key = (grade.grade, vacancy)
        cached = self.chains.get(key)
        if cached is not None:
            return cached
        months = self.months
        hires = self._hire_matrix(grade)  # [c, t, m]: a hire starting in month t, without replacement
        leave = hires[C["leavers"]]  # [t, s]
        cover_cost = pennies(np.array([self._agency_month(role)]))[0]
        chain = np.zeros((len(COMPONENTS), months, months))
        renewal = np.zeros((len(COMPONENTS), months, months))  # renewal[c, t, m]: hire in t, with replacements
        starts = [self._hire_month(s, vacancy, grade) for s in range(months)]
        for s in range(months - 1, -1, -1):
            hire = starts[s]
            cover_end = min(hire, months)
            chain[C["agency"], s, s + 1 : cover_end] = cover_cost
            chain[C["fte"], s, s + 1 : cover_end] = 1.0
            if hire < months:
                chain[:, s, :] += renewal[:, hire, :]
            # renewal for a hire in month s: their own months, plus each of their leaving months' chains
            renewal[:, s, :] = hires[:, s, :] + np.einsum("k,ckm->cm", leave[s], chain)
        self.chains[key] = chain
        return chain

    def _entry_grade(self: _Costing) -> Grade:
        """The grade newly qualified workers start on (marked `asye` in the grade structure)."""
        return next((g for g in self.grades.grades if g.asye), self.grades.grades[0])

    def _hire_month(self: _Costing, left: int, vacancy: int, grade: Grade) -> int:
        month = left + 1 + vacancy
        intake = self.scenario.replacement.asye_intake_months
        if grade.asye and intake:
            while month < self.months and self.grid.starts[month].month not in intake:
                month += 1
        return month

    def _hire_matrix(self: _Costing, grade: Grade) -> FloatArray:
        """[c, t, m] for a full-time hire at the bottom of the grade starting in month t (no replacement)."""
        workers = self._hire_workers(grade)
        values, _, _, _ = self._staff(worker_columns(workers, [grade] * self.months, self.grid.starts[0], self.months))
        return values

    def _hire_workers(self: _Costing, grade: Grade) -> list[PayFacts]:
        """One full-time hire at the bottom of the grade for each month of the grid, as if starting that month."""
        return [
            PayFacts(
                employee_id=f"hire{t}",
                team=None,
                grade=grade.grade,
                point=grade.points[0],
                fte=Decimal(1),
                contract_type=ContractType.PERMANENT,
                role=grade.roles[0] if grade.roles else None,
                start_date=self.grid.starts[t],
                leaving_date=None,
                stages=_hire_stages(self.grid.starts[t], grade.asye),
                programme_end=add_months(self.grid.starts[t], 12) if grade.asye else None,
            )
            for t in range(self.months)
        ]


def _hire_stages(start: date, newly_qualified: bool) -> tuple[tuple[date, Stage], ...]:
    """A new hire's stages for the hazard multipliers: an NQSW follows the early career from the ASYE."""
    if not newly_qualified:
        return ((start, Stage.NOT_EARLY_CAREER),)
    return (
        (start, Stage.ASYE), (add_months(start, 12), Stage.ECF_YEAR_2), (add_months(start, 24), Stage.ECF_YEARS_3_5),
        (add_months(start, 60), Stage.EXPERIENCED),
    )  # fmt: skip


class Posts:
    """Leaving flows by post (team, grade): FTE-weighted for money and FTE, heads for head counts."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, Grade]] = []
        self._index: dict[tuple[str, str], int] = {}
        self._flows: list[FloatArray] = []
        self._heads: list[FloatArray] = []

    def add_runs(self, posts: list[tuple[PayFacts, Grade]], flows: FloatArray, heads: FloatArray) -> None:
        """Flows already summed per post, one row per (team, grade) run."""
        for (worker, grade), flow, head in zip(posts, flows, heads, strict=True):
            key = (worker.team or "", grade.grade)
            if key not in self._index:
                self._index[key] = len(self.keys)
                self.keys.append((worker.team or "", grade))
                self._flows.append(np.zeros(len(flow)))
                self._heads.append(np.zeros(len(flow)))
            row = self._index[key]
            self._flows[row] = self._flows[row] + flow
            self._heads[row] = self._heads[row] + head

    def add_flows(self, workers: list[PayFacts], grades: list[Grade], fte_flows: FloatArray) -> None:
        """Flows one worker at a time (agency conversions): no heads, as nobody leaves the council."""
        self.add_runs(list(zip(workers, grades, strict=True)), fte_flows, np.zeros_like(fte_flows))

    def arrays(self, months: int) -> tuple[FloatArray, FloatArray]:
        return np.array(self._flows).reshape(-1, months), np.array(self._heads).reshape(-1, months)
