"""Monte Carlo runs of the projection: who leaves, and when, drawn at random (seeded), so finance sees a range (p10,
p50, p90) around the expected values. Each post is simulated through its holder leaving, agency cover for the vacancy
and a new hire who may leave in turn. Agency workers' own cover is taken at its expected cost in every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecf.domain.worker import ContractType
from payscales.calibration import Calibration
from payscales.pay import FloatArray, MonthGrid
from payscales.projection import CHUNK, _Model
from payscales.rules import PayBook, Scenario
from payscales.worker_columns import C, PayFacts, WorkerColumns

ORIGINAL, VACANT, HIRED = 0, 1, 2
# runs x posts simulated at a time: each month works on a few arrays of this many cells (2 MB each as floats, kept
# in the processor's cache), so a national workforce's hundred runs need megabytes, not gigabytes
BATCH_CELLS = 250_000


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
    on_progress: Callable[[int, int], None] | None = None,
) -> MonteCarlo:
    """`runs` runs drawn from `seed`, simulated a batch of runs at a time (memory bounded by BATCH_CELLS, whatever the
    runs and workers); `on_progress(runs done, runs)` after each batch. A batch draws exactly the numbers the run
    would draw all at once, so the results depend on the seed alone, never on the batch size."""
    if not 1 <= runs <= 100_000:
        raise ValueError("Monte Carlo runs: 1 to 100,000")
    grid = MonthGrid.after(as_of, years * 12)
    model = _Model(book, scenario, grid, calibration, lgps_rate)
    months = len(grid)
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
    columns = model.columns([w for w, _ in kept], [g for _, g in kept])
    cost, hazard, known_leaving = _holders(model, columns, months)
    grade_names = sorted({g.grade for _, g in kept})
    grade_of = np.array([grade_names.index(g.grade) for _, g in kept])
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
    posts = _Posts(cost, hazard, known_leaving, columns.fte, grade_of, cover, hire_cost, hire_hazard, hire_at)
    batch = max(1, BATCH_CELLS // len(kept))
    for first in range(0, runs, batch):
        count = min(batch, runs - first)
        _simulate_runs(posts, seed, runs, first, count, totals[first : first + count], leavers[first : first + count])
        if on_progress is not None:
            on_progress(first + count, runs)
    return MonteCarlo(runs, seed, grid, totals, leavers)


def _holders(model: _Model, cols: WorkerColumns, months: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Each holder's cost, leaving hazard and known leaving month by month: worked out a chunk of workers at a time
    as the projection does (each figure is the worker's own), so only these three arrays are held whole."""
    count = len(cols.fte)
    cost, hazard, known = np.empty((count, months)), np.empty((count, months)), np.empty((count, months))
    for begin in range(0, count, CHUNK):
        end = min(begin + CHUNK, count)
        present = model._present(cols.take(begin, end))
        cost[begin:end], hazard[begin:end], known[begin:end] = present.cost, present.hazard, present.known_leaving
    return cost, hazard, known


@dataclass(frozen=True)
class _Posts:
    """Each post's holder (cost, leaving hazard, known leaving, FTE, grade by month) and each grade's hires."""

    cost: FloatArray  # [post, month]
    hazard: FloatArray  # [post, month]
    known_leaving: FloatArray  # [post, month]
    fte: FloatArray  # [post]
    grade_of: npt.NDArray[np.int64]  # [post]
    cover: FloatArray  # [grade]: agency cover a month, full time
    hire_cost: FloatArray  # [grade, hire month, month]
    hire_hazard: FloatArray  # [grade, hire month, month]
    hire_at: npt.NDArray[np.int64]  # [grade, month left]: the month the vacancy is filled


def _simulate_runs(
    posts: _Posts, seed: int, runs: int, first: int, count: int, totals: FloatArray, leavers: FloatArray
) -> None:
    """Runs first .. first + count - 1 of `runs`, into `totals` and `leavers` ([count, month]).

    All runs at once draw, each month, a [runs, posts] block of uniform numbers from one PCG64 stream (one 64-bit draw
    each). This batch's rows of each month's block are a run of that stream: reached by advancing a copy of the
    seeded generator to where they begin, so every batch size gives the numbers, and the results, of one batch."""
    months = totals.shape[1]
    width = len(posts.fte)
    grade_of, fte = posts.grade_of, posts.fte
    kind = np.zeros((count, width), dtype=np.int8)
    since = np.zeros((count, width), dtype=np.int64)  # VACANT: the hire month; HIRED: the month they started
    for month in range(months):
        starting = (kind == VACANT) & (since == month)
        kind[starting] = HIRED
        cost = np.where(kind == ORIGINAL, posts.cost[:, month][None, :], 0.0)
        cost += np.where(kind == VACANT, (posts.cover[grade_of] * fte)[None, :], 0.0)
        hired = kind == HIRED
        started = np.minimum(since, months)  # a vacancy's hire month may lie beyond the horizon
        cost += np.where(hired, posts.hire_cost[grade_of[None, :], started, month] * fte[None, :], 0.0)
        totals[:, month] += cost.sum(axis=1)
        chance = np.where(kind == ORIGINAL, posts.hazard[:, month][None, :], 0.0)
        chance = np.where(hired, posts.hire_hazard[grade_of[None, :], started, month], chance)
        stream = np.random.PCG64(seed)
        stream.advance((month * runs + first) * width)
        leaving = np.random.Generator(stream).random(chance.shape) < chance
        leaving |= (kind == ORIGINAL) & (posts.known_leaving[:, month] > 0)[None, :]
        leavers[:, month] += leaving.sum(axis=1)
        kind[leaving] = VACANT
        since[leaving] = np.broadcast_to(posts.hire_at[grade_of, month][None, :], leaving.shape)[leaving]
