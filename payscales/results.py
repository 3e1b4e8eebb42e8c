"""A projection's result: its marginals as finance tables (by month, financial year, team, grade, stage or source),
money apportioned to the penny so every cut adds up to the same totals, and each worker's own figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecf.progression.calendar import financial_year
from payscales.calibration import Calibration
from payscales.marginals import DIMENSIONS, Marginals
from payscales.pay import FloatArray, MonthGrid
from payscales.rules import Scenario
from payscales.worker_columns import COMPONENTS, MONEY


@dataclass
class Projection:
    scenario: Scenario
    as_of: date
    grid: MonthGrid
    marginals: Marginals
    calibration: Calibration
    worker_ids: list[str] = field(default_factory=list)
    worker_teams: list[str] = field(default_factory=list)
    worker_grades: list[str] = field(default_factory=list)
    worker_sums: FloatArray | None = None  # [component, worker, financial year]
    warnings: list[str] = field(default_factory=list)

    def rows(self, dimension: str = "source") -> pd.DataFrame:
        """One row per label and month of one dimension, with every component."""
        labels = self.marginals.labels[dimension]
        sums = self.marginals.sums[dimension]
        months = len(self.grid)
        frame = pd.DataFrame({
            "month": np.tile(np.array(self.grid.starts, dtype=object), len(labels)),
            "financial_year": np.tile(self.grid.financial_years, len(labels)),
            dimension: np.repeat(labels, months),
        })  # fmt: skip
        for c, name in enumerate(COMPONENTS):
            frame[name] = sums[c].reshape(-1)
        return frame

    def totals(self, *keys: str) -> pd.DataFrame:
        """Components summed by `keys` (month and/or financial_year, and at most one of team, grade, stage, source),
        with `total` = pay + on-costs + agency and `net_total` = total less grant income; money to the penny."""
        dimensions = [k for k in keys if k in DIMENSIONS]
        if len(dimensions) > 1:
            raise ValueError(f"one of {', '.join(DIMENSIONS)} at a time, not {' and '.join(dimensions)}")
        rows = self.rows(dimensions[0] if dimensions else "source")
        if dimensions:
            rows = rows[rows[list(COMPONENTS)].abs().sum(axis=1) > 0]
        dimension = dimensions[0] if dimensions else "source"
        detail = rows.groupby(["month", "financial_year", dimension], sort=True)[list(COMPONENTS)].sum().reset_index()
        # Each month is rounded to the penny first, apportioned so the parts add up to the month's rounded total;
        # longer periods are sums of those pennies. Every cut (team, grade, stage) then adds to the same totals, and
        # a year is exactly the sum of its months as shown, as a spreadsheet adds them up.
        detail = _apportioned(detail)
        monthly = [*keys, *(k for k in ("month", "financial_year") if k not in keys)]
        table = finish(detail.groupby(monthly, sort=True, dropna=False)[list(COMPONENTS)].sum().reset_index())
        if "month" in keys:
            return table
        grouped = table.groupby(list(keys), sort=True, dropna=False)
        summed = grouped[[*COMPONENTS, "total", "net_total"]].sum().reset_index()
        in_grid = Counter(financial_year(m) for m in self.grid.starts)  # once, not once per group
        spans = _months_spanned(table, list(keys), in_grid)
        summed["fte"] = summed["fte"] / spans  # FTE over a period is the average of its months, not their sum
        return finish(summed)

    def worker_years(self) -> pd.DataFrame:
        """Each worker here on the as-of date, by financial year: their own expected figures."""
        if self.worker_sums is None:
            return pd.DataFrame(columns=["employee_id", "team", "grade", "financial_year", *COMPONENTS])
        years = sorted(set(self.grid.financial_years))
        count = len(self.worker_ids)
        # as object arrays from the start: a list repeated as it is becomes fixed-width text, which pandas then turns
        # back into a new Python string for every one of a national sheet's 240,000 rows
        frame = pd.DataFrame({
            "employee_id": np.repeat(np.asarray(self.worker_ids, dtype=object), len(years)),
            "team": np.repeat(np.asarray(self.worker_teams, dtype=object), len(years)),
            "grade": np.repeat(np.asarray(self.worker_grades, dtype=object), len(years)),
            "financial_year": np.tile(np.asarray(years, dtype=object), count),
        })  # fmt: skip
        for c, name in enumerate(COMPONENTS):
            sums = self.worker_sums[c].reshape(-1)
            frame[name] = np.round(sums, 2) if name in MONEY else sums  # money shown and exported: to the penny, once
        # FTE over a financial year is the average of its months in the projection, not their sum.
        months = [sum(1 for m in self.grid.financial_years if m == year) for year in years]
        frame["fte"] = frame["fte"] / np.tile(months, count)
        return frame


def _months_spanned(table: pd.DataFrame, keys: list[str], in_grid: Counter[str]) -> npt.NDArray[np.float64]:
    """Months of the grid each group of `table` by `keys` spans (in groupby's order): the months of every financial
    year it has a row in -- a financial year's months, or the whole horizon."""
    years = table[list(dict.fromkeys([*keys, "financial_year"]))].drop_duplicates()
    years = years.assign(months=years["financial_year"].map(in_grid).astype(int))
    spans: npt.NDArray[np.float64] = years.groupby(keys, sort=True, dropna=False)["months"].sum().to_numpy(dtype=float)
    return spans


def _apportioned(detail: pd.DataFrame) -> pd.DataFrame:
    """Money to whole pennies per row such that each month's rows add up to that month's total rounded to the penny
    (largest remainder: the pennies left over go to the rows that lost the most in rounding down)."""
    detail = detail.copy()
    cents = pd.DataFrame({column: detail[column].to_numpy() * 100 for column in MONEY}, index=detail.index)
    floor = np.floor(cents + 1e-6)
    remainder = cents - floor
    month = detail["month"]  # one grouping for every column: each groupby works its groups out again
    target = cents.groupby(month).transform("sum").round()
    short = target - floor.groupby(month).transform("sum")
    rank = (-remainder).groupby(month).rank(method="first")
    for column in MONEY:
        detail[column] = (floor[column].to_numpy() + (rank[column].to_numpy() <= short[column].to_numpy())) / 100
    return detail


def finish(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for column in MONEY:
        table[column] = table[column].round(2)
    table["total"] = table[["salary", "employer_ni", "pension", "levy", "agency"]].sum(axis=1).round(2)
    table["net_total"] = (table["total"] - table["grant_income"]).round(2)
    for column in ("fte", "leavers", "experienced"):
        table[column] = table[column].round(4)
    return table
