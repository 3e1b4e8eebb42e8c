"""Expected figures summed by one dimension at a time (team, grade, stage, source), and the costs set against the
whole pay bill (the levy allowance, the LGPS fund's lump sum) spread back over every cut."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from payscales.pay import FloatArray, IntArray, MonthGrid
from payscales.rules import OnCosts
from payscales.worker_columns import COMPONENTS, STAGES, C

DIMENSIONS = ("team", "grade", "stage", "source")
SOURCES = ("staff", "agency", "replacement")


@dataclass
class Marginals:
    """Expected figures summed by one dimension at a time: [component, label, month] for team, grade, stage and
    source. Every cut a finance table needs is one of these (and each sums to the same total)."""

    labels: dict[str, list[str]]
    sums: dict[str, FloatArray]

    @classmethod
    def empty(cls, teams: list[str], grades: list[str], months: int) -> Marginals:
        labels = {"team": teams, "grade": grades, "stage": list(STAGES), "source": list(SOURCES)}
        return cls(labels, {d: np.zeros((len(COMPONENTS), len(labels[d]), months)) for d in DIMENSIONS})

    def add(self, values: FloatArray, index: dict[str, IntArray]) -> None:
        """values[c, n, m]; index[dimension] gives each row's label ([n], or [n, m] for a stage that changes)."""
        count, months = values.shape[1], values.shape[2]
        for dimension in DIMENSIONS:
            labels = index[dimension]
            target = self.sums[dimension]
            if labels.ndim == 1 and bool(np.all(labels[1:] >= labels[:-1])):
                # Rows already grouped by label (a run per label): one reduceat, no scatter.
                starts = np.flatnonzero(np.concatenate([[True], labels[1:] != labels[:-1]]))
                target[:, labels[starts], :] += np.add.reduceat(values, starts, axis=1)
                continue
            size = len(self.labels[dimension])
            flat = (labels if labels.ndim == 2 else np.repeat(labels[:, None], months, axis=1)) * months
            flat = (flat + np.arange(months)[None, :]).ravel()
            for c in range(values.shape[0]):
                target[c] += np.bincount(flat, values[c].reshape(count * months), size * months).reshape(size, months)

    def add_posts(self, post_sums: FloatArray, teams: IntArray, grades: IntArray, source: int) -> None:
        """Sums already made per post (team, grade) for the first components: spread them to the team, grade and
        source marginals."""
        count = post_sums.shape[0]
        for dimension, labels in (("team", teams), ("grade", grades)):
            if bool(np.all(labels[1:] > labels[:-1])):
                # One post per label (the replacements of one grade: a post per team): nothing to sum. reduceat over
                # a thousand one-row groups of a middle axis costs ten times a copy.
                self.sums[dimension][:count, labels, :] += post_sums
                continue
            if bool(np.all(labels[1:] >= labels[:-1])):  # posts come sorted by team: no reordered copy to sum
                ordered, grouped = labels, post_sums
            else:
                order = np.argsort(labels, kind="stable")
                ordered, grouped = labels[order], post_sums[:, order, :]
            starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
            self.sums[dimension][:count, ordered[starts], :] += np.add.reduceat(grouped, starts, axis=1)
        self.sums["source"][:count, source, :] += post_sums.sum(axis=1)

    def add_events(
        self, component: int, teams: IntArray, grades: IntArray, stages: IntArray, source: int, months: IntArray,
        amounts: FloatArray,
    ) -> None:  # fmt: skip
        """Single-month amounts (grant income, a worker becoming experienced) into every marginal."""
        for dimension, labels in (("team", teams), ("grade", grades), ("stage", stages)):
            np.add.at(self.sums[dimension][component], (labels, months), amounts)
        np.add.at(self.sums["source"][component, source], months, amounts)

    def add_stages(self, values: FloatArray, stage: IntArray) -> None:
        """values[c, n, m] with each row's stage month by month, for the first components."""
        count, months = values.shape[1], values.shape[2]
        size = len(self.labels["stage"])
        flat = (stage * months + np.arange(months)[None, :]).ravel()
        for c in range(values.shape[0]):
            self.sums["stage"][c] += np.bincount(flat, values[c].reshape(count * months), size * months).reshape(
                size, months
            )


def whole_bill(
    marginals: Marginals,
    worker_sums: FloatArray | None,
    oncosts: OnCosts,
    grid: MonthGrid,
    year_edges: list[int],
    warnings: list[str],
) -> None:
    """Costs set against the whole pay bill rather than each worker, spread back over every cut in proportion:
    the levy allowance (used as payroll does: a twelfth a month, carried forward within the tax year) and the LGPS
    fund's secondary contribution given as a yearly lump sum (a twelfth a month)."""
    factors: list[tuple[int, FloatArray]] = []
    source = marginals.sums["source"]
    levy = source[C["levy"]].sum(axis=0)
    if oncosts.levy.apply_allowance and oncosts.levy.annual_allowance > 0:
        after = levy_after_allowance(levy, grid, float(oncosts.levy.annual_allowance))
        factors.append((C["levy"], np.divide(after, levy, out=np.ones_like(levy), where=levy > 0)))
        warnings.append(
            f"apprenticeship levy: the £{oncosts.levy.annual_allowance:,.0f} allowance is set against this pay bill "
            "(levy.apply_allowance)"
        )
    lump = oncosts.pension.secondary_annual
    if lump > 0:
        pension = source[C["pension"]].sum(axis=0)
        monthly = float((lump / 12).quantize(Decimal("0.01")))
        factors.append((C["pension"], np.divide(pension + monthly, pension, out=np.ones_like(pension),
                                                where=pension > 0)))  # fmt: skip
        warnings.append(f"LGPS secondary contribution £{lump:,.2f} a year, spread as £{monthly:,.2f} a month")
    for component, factor in factors:
        for sums in marginals.sums.values():
            sums[component] *= factor[None, :]
        if worker_sums is not None:
            before = np.add.reduceat(source[component] / factor[None, :], year_edges, axis=1).sum(axis=0)
            after_year = np.add.reduceat(source[component], year_edges, axis=1).sum(axis=0)
            ratio = np.divide(after_year, before, out=np.ones_like(before), where=before > 0)
            worker_sums[component] *= ratio[None, :]


def levy_after_allowance(levy: FloatArray, grid: MonthGrid, annual_allowance: float) -> FloatArray:
    """Each month's levy after the allowance, as payroll works it (gov.uk, Pay Apprenticeship Levy: the £15,000 is
    spread over the tax year, £1,250 a month, cumulatively): levy due to date = 0.5% of the pay bill to date less a
    twelfth of the allowance for each month of the tax year so far, never below nil, less what earlier months paid.
    A grid starting mid-year is taken to have used the earlier months' twelfths."""
    due = np.zeros_like(levy)
    gross = allowance = paid = 0.0
    for month, day in enumerate(grid.starts):
        if day.month == 4 or month == 0:
            gross = allowance = paid = 0.0
        gross += float(levy[month])
        allowance += annual_allowance / 12
        owed = max(gross - allowance, 0.0)
        due[month] = round(max(owed - paid, 0.0), 2)
        paid = max(paid, owed)
    return due
