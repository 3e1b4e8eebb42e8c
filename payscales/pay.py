"""Pay building blocks, pure: the month grid, salary tables by financial year (known awards, then the assumed award),
grade point paths with increments and progression, and the employer on-costs of one monthly pay period."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

from ecf.progression.calendar import add_months, financial_year
from payscales.rules import OnCosts, Scale

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class MonthGrid:
    """The projection's months: whole calendar months from the one after the as-of date. Each month is one pay
    period, paid on its last day, so the NI rules in force on that day apply (6 April starts a tax year)."""

    starts: tuple[date, ...]

    @classmethod
    def after(cls, as_of: date, months: int) -> MonthGrid:
        first = add_months(date(as_of.year, as_of.month, 1), 1)
        return cls(tuple(add_months(first, i) for i in range(months)))

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def ends(self) -> tuple[date, ...]:
        return tuple(date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]) for d in self.starts)

    @property
    def financial_years(self) -> list[str]:
        return [financial_year(d) for d in self.starts]

    @property
    def is_april(self) -> npt.NDArray[np.bool_]:
        return np.array([d.month == 4 for d in self.starts])

    def index_of(self, day: date | None) -> int:
        """The month a day falls in (-1 before the grid, len after it, for None)."""
        if day is None:
            return len(self.starts)
        first = self.starts[0]
        offset = (day.year - first.year) * 12 + day.month - first.month
        return max(-1, min(offset, len(self.starts)))


def salary_matrix(scale: Scale, years: list[str], award: Decimal) -> tuple[FloatArray, list[str]]:
    """Annual full-time salary [year, point] for every financial year asked for: the scale's own figures for the
    years it has, then the last known year uprated by the assumed award each year, rounded to the pound as NJC
    tables are. Points not on the scale in a year are NaN."""
    known = scale.years
    if not known:
        raise ValueError(f"scale '{scale.id}' has no salaries")
    wanted = sorted(set(years) | {known[-1]})
    top = max(max(points) for points in scale.table.values())
    matrix = np.full((len(wanted), top + 1), np.nan)
    for row, year in enumerate(wanted):
        for point, salary in salaries_for(scale, year, award).items():
            matrix[row, point] = float(salary)
    return matrix, wanted


def salaries_for(scale: Scale, year: str, award: Decimal) -> dict[int, Decimal]:
    """A financial year's full-time salaries by point: the scale's own, or after its last year that year uprated by
    the assumed award each year; before it starts, its first year (the best known figure)."""
    known = scale.years
    if year in scale.table:
        return scale.table[year]
    if year > known[-1]:
        found = uprated(scale.table[known[-1]], award, int(year[:4]) - int(known[-1][:4]))
        return {p: s for p, s in found.items() if not (p in scale.deleted_points and scale.deleted_points[p] <= year)}
    return scale.table[known[0]]


def uprated(salaries: dict[int, Decimal], award: Decimal, years: int) -> dict[int, Decimal]:
    found = dict(salaries)
    for _ in range(years):
        found = {p: (s * (1 + award)).quantize(Decimal(1), rounding=ROUND_HALF_UP) for p, s in found.items()}
    return found


def point_path(
    start_point: IntArray,
    grade_top: IntArray,
    increment_month: npt.NDArray[np.bool_],
) -> IntArray:
    """Points month by month: one step at each increment month, never above the top of the grade (and never down:
    a worker already above the top keeps their point)."""
    steps = np.cumsum(increment_month, axis=1)
    return np.maximum(np.minimum(start_point[:, None] + steps, grade_top[:, None]), start_point[:, None])


def regrade(
    path: IntArray,
    increment_month: npt.NDArray[np.bool_],
    change_month: IntArray,
    new_bottom: IntArray,
    new_top: IntArray,
) -> IntArray:
    """Move to another grade from `change_month`: at least its bottom point, then increments up to its top."""
    months = path.shape[1]
    column = np.arange(months)[None, :]
    moves = (change_month >= 0) & (change_month < months)
    at = np.clip(change_month, 0, months - 1)
    base = np.maximum(path[np.arange(len(path)), at], new_bottom)
    steps = np.cumsum(increment_month, axis=1)
    since: IntArray = steps - steps[np.arange(len(path)), at][:, None]
    moved = np.minimum(base[:, None] + since, np.maximum(new_top, base)[:, None])
    return np.where(moves[:, None] & (column >= at[:, None]), moved, path)


NI_RATE_SCALE = 1_000_000  # NI rates held as whole millionths (15.05% = 150,500): exact integer arithmetic


@dataclass(frozen=True)
class PeriodRates:
    """Employer NI rate and monthly thresholds for each month of the grid (the rate as whole millionths and the
    thresholds in pence, so a period's NI is worked out exactly, as Decimal would)."""

    ni_rate: IntArray
    ni_threshold: IntArray
    pension: float
    levy: float
    apprentice_threshold: IntArray | None = None

    @classmethod
    def for_grid(
        cls, grid: MonthGrid, oncosts: OnCosts, lgps_rate: Decimal | None = None, origin: str = "oncosts.toml"
    ) -> PeriodRates:
        try:
            periods = [oncosts.ni_on(end) for end in grid.ends]
        except ValueError as exc:
            raise ValueError(f"{exc} (employer_ni in {origin})") from None
        pension = lgps_rate if lgps_rate is not None else oncosts.pension.lgps_rate
        return cls(
            ni_rate=np.array([int(p.rate * NI_RATE_SCALE) for p in periods], dtype=np.int64),
            ni_threshold=np.array([int(p.monthly_threshold * 100) for p in periods], dtype=np.int64),
            pension=float(pension + oncosts.pension.secondary_rate),
            levy=float(oncosts.levy.rate),
            apprentice_threshold=np.array([int(p.apprentice_monthly_threshold * 100) for p in periods], dtype=np.int64),
        )


def pennies(values: FloatArray) -> FloatArray:
    """Round non-negative amounts to the penny, halves up, as payroll rounds a period's figures."""
    scaled = values * 100
    scaled += 0.5
    np.floor(scaled, out=scaled)
    scaled /= 100
    return scaled


def employer_ni(pay: Decimal, rate: Decimal, threshold: Decimal) -> Decimal:
    """One pay period's employer NI: the rate on pay above the threshold, to the penny, half a penny or less
    disregarded (Social Security (Contributions) Regulations 2001 reg 12(1)): 367.875 -> 367.87, 367.876 -> 367.88."""
    return (max(pay - threshold, Decimal(0)) * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_DOWN)


def ni_pennies(
    monthly_pay: FloatArray, rates: PeriodRates, apprentice: npt.NDArray[np.bool_] | None = None
) -> FloatArray:
    """Employer NI for each month's pay, exactly as `employer_ni` works it out but over whole arrays: pay in whole
    pence, the rate in millionths, the product rounded half down in integers. An apprentice under 25 (category H)
    pays from the apprentice upper secondary threshold instead of the secondary threshold."""
    pay = np.rint(monthly_pay * 100).astype(np.int64)
    threshold = np.broadcast_to(rates.ni_threshold[None, :], pay.shape)
    if apprentice is not None and apprentice.any() and rates.apprentice_threshold is not None:
        threshold = np.where(apprentice[:, None], rates.apprentice_threshold[None, :], threshold)
    above = pay - threshold
    np.maximum(above, 0, out=above)
    product = above * rates.ni_rate[None, :]  # pence x millionths: at most ~10^13, exact in int64
    # ceil(x - 1/2) for x = product / SCALE: the nearest penny, a half rounded down.
    ni_pence = -((NI_RATE_SCALE - 2 * product) // (2 * NI_RATE_SCALE))
    result: FloatArray = ni_pence / 100
    return result


def period_costs(
    monthly_pay: FloatArray, rates: PeriodRates, apprentice: npt.NDArray[np.bool_] | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Employer NI (above the monthly secondary threshold), LGPS and levy on each month's pay, each to the penny."""
    ni = ni_pennies(monthly_pay, rates, apprentice)
    pension = pennies(monthly_pay * rates.pension)
    levy = pennies(monthly_pay * rates.levy)
    return ni, pension, levy
