"""Monte Carlo runs of the projection: who leaves, and when, drawn at random (seeded), so finance sees a range (p10,
p50, p90) around the expected values. Each post is simulated through its holder leaving, agency cover for the vacancy
and a new hire who may leave in turn. Agency workers' own cover is taken at its expected cost in every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from ecf.domain.worker import ContractType
from payscales.calibration import Calibration
from payscales.pay import FloatArray, MonthGrid
from payscales.projection import _Model
from payscales.rules import PayBook, Scenario
from payscales.worker_columns import C, PayFacts

ORIGINAL, VACANT, HIRED = 0, 1, 2


@dataclass(frozen=True)
class MonteCarlo:
    runs: int
    seed: int
    grid: MonthGrid
    totals: FloatArray  # [run, month]: pay + on-costs + agency
    leavers: FloatArray  # [run, month]

    def bands(self, by: str = "financial_year") -> pd.DataFrame:
        """p10, p50 and p90 of the total cost and leavers, by month or financial year, with the mean."""
        labels = self.grid.financial_years if by == "financial_year" else [d.isoformat() for d in self.grid.starts]
        order = list(dict.fromkeys(labels))
        index = np.array([order.index(label) for label in labels])
        totals = np.zeros((self.runs, len(order)))
        leavers = np.zeros((self.runs, len(order)))
        np.add.at(totals.T, index, self.totals.T)
        np.add.at(leavers.T, index, self.leavers.T)
        table = pd.DataFrame({by: order})
        for name, values in (("total", totals), ("leavers", leavers)):
            for q in (10, 50, 90):
                table[f"{name}_p{q}"] = np.percentile(values, q, axis=0)
            table[f"{name}_mean"] = values.mean(axis=0)
        money = [c for c in table.columns if c.startswith("total_")]
        table[money] = table[money].round(2)
        return table


def simulate(
    workers: Sequence[PayFacts],
    book: PayBook,
    scenario: Scenario,
    as_of: date,
    years: int,
    calibration: Calibration,
    runs: int,
    seed: int,
    lgps_rate: Decimal | None = None,
) -> MonteCarlo:
    if not 1 <= runs <= 100_000:
        raise ValueError("Monte Carlo runs: 1 to 100,000")
    grid = MonthGrid.after(as_of, years * 12)
    model = _Model(book, scenario, grid, calibration, lgps_rate)
    months = len(grid)
    rng = np.random.default_rng(seed)
    staff = [w for w in workers if w.contract_type is not ContractType.AGENCY]
    found = [model._grade(w) for w in staff]
    kept = [(w, g) for w, g in zip(staff, found, strict=True) if g is not None]
    totals = np.zeros((runs, months))
    leavers = np.zeros((runs, months))
    agency = [w for w in workers if w.contract_type is ContractType.AGENCY]
    if agency:
        values, _ = model._agency(agency)
        totals += values[C["agency"]].sum(axis=0)[None, :]
    if not kept:
        return MonteCarlo(runs, seed, grid, totals, leavers)
    holders = model._present(model.columns([w for w, _ in kept], [g for _, g in kept]))
    grade_names = sorted({g.grade for _, g in kept})
    grade_of = np.array([grade_names.index(g.grade) for _, g in kept])
    fte = holders.fte
    hire_cost = np.zeros((len(grade_names), months + 1, months))
    hire_hazard = np.zeros((len(grade_names), months + 1, months))
    hire_at = np.zeros((len(grade_names), months), dtype=np.int64)
    cover = np.zeros(len(grade_names))
    vacancy = scenario.replacement.vacancy_months
    for index, name in enumerate(grade_names):
        grade = next(g for _, g in kept if g.grade == name)
        hires = model._present(model.columns(model._hire_workers(grade), [grade] * months))
        hire_cost[index, :months] = hires.cost
        hire_hazard[index, :months] = hires.hazard
        hire_at[index] = [model._hire_month(s, vacancy, grade) for s in range(months)]
        cover[index] = model._agency_month(grade.roles[0] if grade.roles else None)
    kind = np.zeros((runs, len(kept)), dtype=np.int8)
    since = np.zeros((runs, len(kept)), dtype=np.int64)  # VACANT: the hire month; HIRED: the month they started
    for month in range(months):
        starting = (kind == VACANT) & (since == month)
        kind[starting] = HIRED
        cost = np.where(kind == ORIGINAL, holders.cost[:, month][None, :], 0.0)
        cost += np.where(kind == VACANT, (cover[grade_of] * fte)[None, :], 0.0)
        hired = kind == HIRED
        started = np.minimum(since, months)  # a vacancy's hire month may lie beyond the horizon
        cost += np.where(hired, hire_cost[grade_of[None, :], started, month] * fte[None, :], 0.0)
        totals[:, month] += cost.sum(axis=1)
        chance = np.where(kind == ORIGINAL, holders.hazard[:, month][None, :], 0.0)
        chance = np.where(hired, hire_hazard[grade_of[None, :], started, month], chance)
        leaving = rng.random(chance.shape) < chance
        leaving |= (kind == ORIGINAL) & (holders.known_leaving[:, month] > 0)[None, :]
        leavers[:, month] += leaving.sum(axis=1)
        kind[leaving] = VACANT
        since[leaving] = np.broadcast_to(hire_at[grade_of, month][None, :], leaving.shape)[leaving]
    return MonteCarlo(runs, seed, grid, totals, leavers)
