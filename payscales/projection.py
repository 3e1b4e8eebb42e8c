"""The pay and retention projection: expected cost month by month for every worker, their replacements and agency
cover, under one scenario. Vectorised over workers x months (numpy); floats inside, each pay period rounded to the
penny as payroll rounds it, totals summed from those pennies.

Expected values: each worker's month counts with the probability they are still here (survival under the leaving
hazard). A leaver's post is covered by agency for the scenario's vacancy period, then filled by a new hire at the
bottom of the grade (an NQSW post at the next ASYE intake), who may leave and be replaced in turn
(payscales.replacements).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ecf.domain.worker import ContractType
from ecf.progression.facts import Stage
from payscales.calibration import Calibration
from payscales.marginals import SOURCES, Marginals, whole_bill
from payscales.pay import (
    FloatArray,
    IntArray,
    MonthGrid,
    PeriodRates,
    pennies,
    period_costs,
    point_path,
    regrade,
    salary_matrix,
)
from payscales.replacements import Posts, Replacements
from payscales.results import Projection
from payscales.rules import Grade, PayBook, Scenario
from payscales.worker_columns import COMPONENTS, DENSE, STAGES, C, PayFacts, WorkerColumns, worker_columns

CHUNK = 1024  # workers costed at a time: bounds memory at national scale


def project(
    workers: Sequence[PayFacts],
    book: PayBook,
    scenario: Scenario,
    as_of: date,
    years: int,
    calibration: Calibration,
    lgps_rate: Decimal | None = None,
    per_worker: bool = False,
) -> Projection:
    """The projection; `per_worker` also keeps each worker's figures by financial year (for the Workers sheet)."""
    if not 1 <= years <= 10:
        raise ValueError("a projection runs for 1 to 10 years")
    grid = MonthGrid.after(as_of, years * 12)
    model = _Model(book, scenario, grid, calibration, lgps_rate)
    model.per_worker = per_worker
    return model.run(workers, as_of)


class _Model(Replacements):
    def __init__(
        self, book: PayBook, scenario: Scenario, grid: MonthGrid, calibration: Calibration, lgps: Decimal | None
    ) -> None:
        self.book, self.scenario, self.grid, self.calibration = book, scenario, grid, calibration
        self.grades = book.grades[scenario.grades]
        fys = grid.financial_years
        self.fy_labels = sorted(set(fys))
        self.salaries, years = salary_matrix(book.scales[scenario.scale], fys, scenario.pay_award_assumption)
        self.fy_row = np.array([years.index(y) for y in fys])
        self.stage_salaries: FloatArray | None = None
        if scenario.stage_scale is not None:
            matrix, stage_years = salary_matrix(book.scales[scenario.stage_scale], fys, scenario.pay_award_assumption)
            self.stage_salaries = matrix
            self.stage_fy_row = np.array([stage_years.index(y) for y in fys])
        self.rates = PeriodRates.for_grid(grid, book.oncosts, lgps, book.origins.get(book.oncosts.id, "oncosts.toml"))
        self.months = len(grid)
        self.month_ordinal = np.array([d.toordinal() for d in grid.starts])
        self.month_days = np.array([(e - s).days + 1 for s, e in zip(grid.starts, grid.ends, strict=True)])
        self.is_april = grid.is_april
        multipliers = np.ones(len(STAGES))
        for stage, value in scenario.hazard_multipliers.items():
            if stage in STAGES:
                multipliers[STAGES.index(stage)] = float(value)
        self.multipliers = multipliers
        # Two service bands x the stages: the only monthly hazards there are, worked out once.
        yearly = np.array([[self.calibration.under_5], [self.calibration.five_plus]]) * multipliers[None, :]
        self.monthly_hazard = 1 - (1 - np.minimum(yearly, 0.99)) ** (1 / 12)
        self.warnings: list[str] = []
        self.per_worker = False
        agency = book.agency
        for role, cap in agency.caps.items():
            rate = agency.rate_for(role)
            if rate > cap:
                when = f" that applies to new assignments from {agency.caps_from:%d/%m/%Y}" if agency.caps_from else ""
                self.warnings.append(f"agency rate for {role} (£{rate}/h) is above the regional cap (£{cap}/h){when}")
        self.last_events: list[tuple[int, IntArray, IntArray, FloatArray]] = []
        self._grade_cache: dict[tuple[str | None, str | None], Grade | None] = {}
        self._role_cache: dict[tuple[None, str | None], Grade] = {}
        self.chains: dict[tuple[str, int], FloatArray] = {}  # a grade's replacement chain, worked out once

    # --- the whole run -------------------------------------------------------------------------------------------

    def run(self, workers: Sequence[PayFacts], as_of: date) -> Projection:
        staff = [w for w in workers if w.contract_type is not ContractType.AGENCY]
        agency = [w for w in workers if w.contract_type is ContractType.AGENCY]
        found = [self._grade(w) for w in staff]
        missing = sum(1 for g in found if g is None)
        if missing:
            self.warnings.append(f"{missing} workers have no grade or role the grade structure knows: not costed")
        # Sorted by post (team, grade) so each chunk's teams and posts are runs: summed with reduceat, not scatter.
        kept = sorted(
            ((w, g) for w, g in zip(staff, found, strict=True) if g is not None),
            key=lambda p: (p[0].team or "", p[1].grade),
        )
        agency_grades = [self._agency_grade(w) for w in agency]
        teams = sorted({w.team or "" for w in workers})
        conversion_grades = {self._grade_for_role(w.role).grade for w in agency}
        grade_labels = sorted({g.grade for _, g in kept} | set(agency_grades) | conversion_grades)
        self.team_index = {t: i for i, t in enumerate(teams)}
        self.grade_index = {g: i for i, g in enumerate(grade_labels)}
        marginals = Marginals.empty(teams, grade_labels, self.months)
        fys = self.grid.financial_years
        self.year_edges = [0, *[i for i in range(1, self.months) if fys[i] != fys[i - 1]]]
        sums: list[FloatArray] = []
        ids, worker_teams, worker_grades = [], [], []
        posts = Posts()
        everyone = self.columns([w for w, _ in kept], [g for _, g in kept])
        for begin in range(0, len(kept), CHUNK):
            chunk = kept[begin : begin + CHUNK]
            chunk_workers, chunk_grades = [w for w, _ in chunk], [g for _, g in chunk]
            cols = everyone.take(begin, begin + len(chunk))
            values, _, leavers, stage = self._staff(cols)
            keys = [(w.team or "", g.grade) for w, g in chunk]
            starts = [i for i in range(len(keys)) if i == 0 or keys[i] != keys[i - 1]]
            post_sums = np.add.reduceat(values[:DENSE], starts, axis=1)  # [c, post, m]: one pass over the chunk
            team_of = np.array([self.team_index[t] for t, _ in keys])
            grade_of = np.array([self.grade_index[g] for _, g in keys])
            marginals.add_posts(post_sums, team_of[starts], grade_of[starts], SOURCES.index("staff"))
            marginals.add_stages(values[:DENSE], stage)
            for component, rows, months_at, amounts in self.last_events:
                marginals.add_events(component, team_of[rows], grade_of[rows], stage[rows, months_at],
                                     SOURCES.index("staff"), months_at, amounts)  # fmt: skip
            if self.per_worker:
                sums.append(np.add.reduceat(values, self.year_edges, axis=2))
            fte_flows = np.add.reduceat(leavers * cols.fte[:, None], starts, axis=0)
            posts.add_runs([chunk[i] for i in starts], fte_flows, post_sums[C["leavers"]])
            ids += [w.employee_id for w in chunk_workers]
            worker_teams += [w.team or "" for w in chunk_workers]
            worker_grades += [g.grade for g in chunk_grades]
        self._refill(marginals, posts, self.scenario.replacement.vacancy_months)
        if agency:
            values, converted = self._agency(agency)
            stage = np.full(len(agency), STAGES.index(Stage.NOT_EARLY_CAREER.value))
            marginals.add(values, self._index(agency, agency_grades, stage, "agency"))
            if self.per_worker:
                sums.append(np.add.reduceat(values, self.year_edges, axis=2))
            ids += [w.employee_id for w in agency]
            worker_teams += [w.team or "" for w in agency]
            worker_grades += agency_grades
            conversions = Posts()
            conversions.add_flows(agency, [self._grade_for_role(w.role) for w in agency], converted)
            self._refill(marginals, conversions, 0)
        worker_sums = np.concatenate(sums, axis=1) if sums else None
        whole_bill(marginals, worker_sums, self.book.oncosts, self.grid, self.year_edges, self.warnings)
        if not self.per_worker:
            ids, worker_teams, worker_grades = [], [], []
        return Projection(
            self.scenario, as_of, self.grid, marginals, self.calibration, ids, worker_teams, worker_grades,
            worker_sums, self.warnings,
        )  # fmt: skip

    def _index(self, workers: list[PayFacts], grades: list[str], stage: IntArray, source: str) -> dict[str, IntArray]:
        return {
            "team": np.array([self.team_index[w.team or ""] for w in workers]),
            "grade": np.array([self.grade_index[g] for g in grades]),
            "stage": stage,
            "source": np.full(len(workers), SOURCES.index(source)),
        }

    def _agency_grade(self, worker: PayFacts) -> str:
        return worker.grade or self._grade_for_role(worker.role).grade

    def _grade_for_role(self, role: str | None) -> Grade:
        key = (None, role)
        if key not in self._role_cache:
            self._role_cache[key] = (
                self.grades.find(None, role) or self.grades.find("SW", None) or self.grades.grades[0]
            )
        return self._role_cache[key]

    def _grade(self, worker: PayFacts) -> Grade | None:
        key = (worker.grade, worker.role)
        if key not in self._grade_cache:
            self._grade_cache[key] = self.grades.find(worker.grade, worker.role)
        return self._grade_cache[key]

    # --- staff: pay, on-costs, survival ---------------------------------------------------------------------------

    def _present(self, cols: WorkerColumns) -> _Present:
        """Each worker's pay and on-costs for every month they are still here, and their leaving hazard."""
        increments = self._increments(cols)
        path = point_path(cols.first_point, cols.top, increments)
        path = self._progressions(cols, path, increments)
        stage = self._stage_matrix(cols)
        annual = self._annual(path, stage, increments)
        if cols.supplements.any():  # market supplements and allowances are paid with the salary, pro rata
            annual += cols.supplements[:, None]
        fraction = self._employed_fraction(cols.start, cols.leave)
        annual *= fraction
        annual *= cols.fte[:, None] / 12
        pay = pennies(annual)
        ni, pension, levy = period_costs(pay, self.rates, cols.apprentice)
        hazard = self._hazard(cols.start, cols.leave, stage)
        return _Present(cols.fte, fraction, pay, ni, pension, levy, hazard, self._known_leaving(cols.leave), stage)

    def columns(self, workers: Sequence[PayFacts], grades: Sequence[Grade]) -> WorkerColumns:
        """The workers' facts as arrays, in one pass: everything after this is whole-array arithmetic."""
        return worker_columns(workers, grades, self.grid.starts[0], self.months)

    def _staff(self, cols: WorkerColumns) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
        n, months = len(cols.fte), self.months
        present = self._present(cols)
        fte, fraction, pay, hazard, stage = present.fte, present.fraction, present.pay, present.hazard, present.stage
        ni, pension, levy = present.ni, present.pension, present.levy
        leave_known = present.known_leaving
        alive = np.empty_like(hazard)
        alive[:, 0] = 1.0
        np.cumprod(1 - hazard[:, :-1], axis=1, out=alive[:, 1:])
        values = np.zeros((len(COMPONENTS), n, months))
        np.multiply(pay, alive, out=values[C["salary"]])
        np.multiply(ni, alive, out=values[C["employer_ni"]])
        np.multiply(pension, alive, out=values[C["pension"]])
        np.multiply(levy, alive, out=values[C["levy"]])
        np.multiply(fraction, alive, out=values[C["fte"]])
        values[C["fte"]] *= fte[:, None]
        np.multiply(alive, hazard, out=values[C["leavers"]])
        values[C["leavers"]] += leave_known
        leavers = values[C["leavers"]]
        self.last_events = self._events(cols, alive)
        if self.per_worker:  # the marginals take the events directly; only per-worker sums need them in place
            for component, rows, months_at, amounts in self.last_events:
                np.add.at(values[component], (rows, months_at), amounts)
        return values, alive, leavers, stage

    def _increments(self, cols: WorkerColumns) -> npt.NDArray[np.bool_]:
        """Increment months: each April once the worker has the minimum service by 1 April (the first month
        starting on or after start + the minimum), or each anniversary of the start."""
        column = np.arange(self.months)[None, :]
        if self.scenario.increment == "anniversary":
            calendar_month = np.array([d.month for d in self.grid.starts])[None, :]
            anniversary: npt.NDArray[np.bool_] = (calendar_month == cols.start_calendar_month[:, None]) & (
                column > cols.start_month[:, None]
            )
            return anniversary
        eligible = cols.start_month + self.scenario.first_increment_min_months + (cols.start_day > 1)
        april: npt.NDArray[np.bool_] = self.is_april[None, :] & (column >= eligible[:, None])
        return april

    def _progressions(self, cols: WorkerColumns, path: IntArray, increments: npt.NDArray[np.bool_]) -> IntArray:
        for rule in self.scenario.progression:
            target = self.grades.find(rule.to_grade, None)
            if target is None:
                self.warnings.append(f"progression to grade '{rule.to_grade}': no such grade")
                continue
            when = cols.programme_end if rule.when == "programme_passed" else cols.experienced
            # Before the grid: from its first month; after it: never.
            change = np.where(when >= self.months, -1, np.maximum(when, 0))
            change = np.where(when <= -(10**6), -1, change)
            below = path[:, 0] < target.points[0]  # only a move up: nobody is regraded down
            change = np.where(below, change, -1)
            count = len(path)
            path = regrade(path, increments, change, np.full(count, target.points[0]), np.full(count, target.points[1]))
        return path

    def _stage_matrix(self, cols: WorkerColumns) -> IntArray:
        """stage[w, m]: each worker's stage index month by month, from their stage changes."""
        stage = np.zeros((len(cols.fte), self.months), dtype=np.int64)
        column = np.arange(self.months)[None, :]
        for k in range(cols.stage_months.shape[1]):
            stage = np.where(column >= cols.stage_months[:, k : k + 1], cols.stage_values[:, k : k + 1], stage)
        return stage

    def _annual(self, path: IntArray, stage: IntArray, increments: np.ndarray) -> FloatArray:
        points = np.clip(path, 0, self.salaries.shape[1] - 1)
        annual: FloatArray = self.salaries[self.fy_row[None, :], points]
        if self.stage_salaries is not None:
            annual = self._stage_pay(annual, stage, increments)
        if np.isnan(annual).any():
            self.warnings.append("some spinal points are not on the scale for a year: those months are not costed")
            annual = np.nan_to_num(annual)
        return annual

    def _stage_pay(self, annual: FloatArray, stage: IntArray, increments: np.ndarray) -> FloatArray:
        """Early-career workers paid by ECF stage: the stage's first point, one more each increment since the stage
        began, up to its last point. Only the rows ever on a paid stage are worked on."""
        assert self.stage_salaries is not None
        paid = {STAGES.index(name): pay.points for name, pay in self.scenario.stage_pay.items() if name in STAGES}
        rows = np.flatnonzero(np.isin(stage, list(paid)).any(axis=1))
        if not rows.size:
            return annual
        sub, steps = stage[rows], np.cumsum(increments[rows], axis=1)
        changed = np.concatenate([np.ones((len(rows), 1), dtype=bool), sub[:, 1:] != sub[:, :-1]], axis=1)
        entered = np.maximum.accumulate(np.where(changed, np.arange(self.months)[None, :], 0), axis=1)
        since = steps - np.take_along_axis(steps, entered, axis=1)
        part = annual[rows]
        for index, (first, last) in paid.items():
            point = np.clip(np.minimum(first + since, last), 0, self.stage_salaries.shape[1] - 1)
            part = np.where(sub == index, self.stage_salaries[self.stage_fy_row[None, :], point], part)
        annual[rows] = part
        return annual

    def _employed_fraction(self, start: IntArray, leave: IntArray) -> FloatArray:
        """Share of each month employed: 0 before the start and after leaving, the days in part months. Most
        workers are here all through, so only the rows with a start or leaving date inside the grid are worked out."""
        fraction: FloatArray = np.ones((len(start), self.months))
        first_day, last_day = self.month_ordinal[0], self.month_ordinal[-1] + self.month_days[-1] - 1
        rows = np.flatnonzero((start > first_day) | (leave <= last_day))
        if rows.size:
            first = self.month_ordinal[None, :]
            last = first + self.month_days[None, :] - 1
            begins = np.maximum(first, start[rows, None])
            ends = np.minimum(last, leave[rows, None])
            fraction[rows] = np.clip(ends - begins + 1, 0, None) / self.month_days[None, :]
        return fraction

    def _known_leaving(self, leave: IntArray) -> FloatArray:
        """1 in the month of a known leaving date."""
        leaving: FloatArray = np.zeros((len(leave), self.months))
        month = np.searchsorted(self.month_ordinal, leave, side="right") - 1
        last_day = self.month_ordinal[-1] + self.month_days[-1] - 1
        rows = np.flatnonzero((month >= 0) & (leave <= last_day))
        leaving[rows, month[rows]] = 1.0
        return leaving

    def _hazard(self, start: IntArray, leave: IntArray, stage: IntArray) -> FloatArray:
        """Monthly leaving probability: the yearly hazard for the years of service, times the scenario's multiplier
        for the stage. None before a booked start, and none for someone who has already given a leaving date."""
        five_years = (self.month_ordinal[None, :] - start[:, None]) >= 5 * 365.25
        monthly: FloatArray = self.monthly_hazard[five_years.astype(np.int64), stage]
        monthly[leave < 10**7] = 0.0
        booked = np.flatnonzero(start > self.month_ordinal[0])
        if booked.size:
            monthly[booked] = np.where(self.month_ordinal[None, :] >= start[booked, None], monthly[booked], 0.0)
        return monthly

    def _events(self, cols: WorkerColumns, alive: FloatArray) -> list[tuple[int, IntArray, IntArray, FloatArray]]:
        """Single-month figures: reaching experienced practitioner (expected heads) and ASYE grant income."""
        found = []
        for component in (C["experienced"], C["grant_income"]):
            pick = cols.event_component == component
            rows, months = cols.event_row[pick], cols.event_month[pick]
            found.append((component, rows, months, cols.event_amount[pick] * alive[rows, months]))
        return found

    # --- agency cover ----------------------------------------------------------------------------------------------

    def _agency_month(self, role: str | None) -> float:
        rates = self.book.agency
        rate = rates.rate_for(role)
        return float(rate * rates.hours_per_week * rates.weeks_per_year / 12)

    def _agency(self, workers: list[PayFacts]) -> tuple[FloatArray, FloatArray]:
        """Agency workers cost their role's charge rate for the hours they cover; the scenario may turn a share of
        that cover into permanent posts each year."""
        n = len(workers)
        fte = np.array([float(w.fte) for w in workers])
        start = np.array([w.start_date.toordinal() for w in workers])
        leave = np.array([w.leaving_date.toordinal() if w.leaving_date else 10**7 for w in workers])
        monthly = np.array([self._agency_month(w.role) for w in workers])
        fraction = self._employed_fraction(start, leave)
        reduction = float(self.scenario.agency_reduction_per_year)
        per_month = 1 - (1 - reduction) ** (1 / 12)
        remaining = (1 - per_month) ** np.arange(self.months)
        converted = np.outer(np.ones(n), remaining * per_month) * (fraction > 0)
        values = np.zeros((len(COMPONENTS), n, self.months))
        values[C["fte"]] = fte[:, None] * fraction * remaining[None, :]
        values[C["agency"]] = pennies(monthly[:, None] * fte[:, None] * fraction) * remaining[None, :]
        return values, converted * fte[:, None]


@dataclass(frozen=True)
class _Present:
    """Workers' figures for each month they are here (before weighting by the chance they are still here)."""

    fte: FloatArray
    fraction: FloatArray
    pay: FloatArray
    ni: FloatArray
    pension: FloatArray
    levy: FloatArray
    hazard: FloatArray
    known_leaving: FloatArray
    stage: IntArray

    @property
    def cost(self) -> FloatArray:
        total: FloatArray = self.pay + self.ni + self.pension + self.levy
        return total
