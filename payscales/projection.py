"""The pay and retention projection: expected cost month by month for every worker, their replacements and agency
cover, under one scenario. Vectorised over workers x months (numpy); floats inside, each pay period rounded to the
penny as payroll rounds it, totals summed from those pennies.

Expected values: each worker's month counts with the probability they are still here (survival under the leaving
hazard). A leaver's post is covered by agency for the scenario's vacancy period, then filled by a new hire at the
bottom of the grade (an NQSW post at the next ASYE intake), who may leave and be replaced in turn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecf.domain.worker import ContractType
from ecf.progression.calendar import add_months, financial_year
from ecf.progression.facts import Stage
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
from payscales.rules import Grade, Hazards, OnCosts, PayBook, Scenario

# The first six are dense (every worker, every month); the last three are sparse (agency is zero for staff, grants
# and new experienced practitioners are single months), so the heavy sums run over the first six only.
COMPONENTS = ("fte", "salary", "employer_ni", "pension", "levy", "leavers", "agency", "grant_income", "experienced")
DENSE = 6
HIRED = 7
MONEY = ("salary", "employer_ni", "pension", "levy", "agency", "grant_income")
STAGES = [*(s.value for s in Stage), "new_hire"]
NEW_HIRE = STAGES.index("new_hire")
STAGE_INDEX = {stage: STAGES.index(stage.value) for stage in Stage}
C = {name: i for i, name in enumerate(COMPONENTS)}


@dataclass(frozen=True)
class PayFacts:
    """What the projection needs about one worker, from their record and their progression assessment."""

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
class Calibration:
    """Yearly leaving hazard by years of service, and where it came from."""

    under_5: float
    five_plus: float
    method: str
    turnover: float
    share_under_5: float
    in_post_under_5: int
    in_post_5_plus: int
    source: str


def calibrate(hazards: Hazards, service_years: Sequence[float]) -> Calibration:
    """Hazards that reproduce the national turnover and the share of leavers with under 5 years' service on this
    workforce: h_under5 = share x T x N / n_under5 and h_5plus = (1 - share) x T x N / n_5plus."""
    n_under = sum(1 for years in service_years if years < 5)
    n_over = len(service_years) - n_under
    turnover, share = float(hazards.turnover), float(hazards.share_of_leavers_under_5_years)
    total = turnover * len(service_years)
    under = min(share * total / n_under, 0.95) if n_under else turnover
    over = min((1 - share) * total / n_over, 0.95) if n_over else turnover
    return Calibration(
        under, over, "national", turnover, share, n_under, n_over,
        f"{hazards.source.title} ({hazards.source.reference})",
    )  # fmt: skip


def calibrate_own(leavers_under_5: int, leavers_5_plus: int, in_post_under_5: int, in_post_5_plus: int) -> Calibration:
    """Hazards from the council's own snapshots: leavers in the last 12 months over those in post, by band."""
    under = leavers_under_5 / in_post_under_5 if in_post_under_5 else 0.0
    over = leavers_5_plus / in_post_5_plus if in_post_5_plus else 0.0
    total = in_post_under_5 + in_post_5_plus
    leavers = leavers_under_5 + leavers_5_plus
    return Calibration(
        min(under, 0.95), min(over, 0.95), "own", leavers / total if total else 0.0,
        leavers_under_5 / leavers if leavers else 0.0, in_post_under_5, in_post_5_plus,
        "this council's snapshots: leavers in the 12 months to the latest snapshot, by years of service",
    )  # fmt: skip


CHUNK = 1024  # workers costed at a time: bounds memory at national scale
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
            order = np.argsort(labels, kind="stable")
            ordered = labels[order]
            starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
            self.sums[dimension][:count, ordered[starts], :] += np.add.reduceat(post_sums[:, order, :], starts, axis=1)
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
        spans = grouped["month"].agg(lambda seen: _months_in(seen, in_grid)).to_numpy(dtype=float)
        summed["fte"] = summed["fte"] / spans  # FTE over a period is the average of its months, not their sum
        return finish(summed)

    def worker_years(self) -> pd.DataFrame:
        """Each worker here on the as-of date, by financial year: their own expected figures."""
        if self.worker_sums is None:
            return pd.DataFrame(columns=["employee_id", "team", "grade", "financial_year", *COMPONENTS])
        years = sorted(set(self.grid.financial_years))
        count = len(self.worker_ids)
        frame = pd.DataFrame({
            "employee_id": np.repeat(self.worker_ids, len(years)),
            "team": np.repeat(self.worker_teams, len(years)),
            "grade": np.repeat(self.worker_grades, len(years)),
            "financial_year": np.tile(years, count),
        })  # fmt: skip
        for c, name in enumerate(COMPONENTS):
            sums = self.worker_sums[c].reshape(-1)
            frame[name] = np.round(sums, 2) if name in MONEY else sums  # money shown and exported: to the penny, once
        # FTE over a financial year is the average of its months in the projection, not their sum.
        months = [sum(1 for m in self.grid.financial_years if m == year) for year in years]
        frame["fte"] = frame["fte"] / np.tile(months, count)
        return frame


def _months_in(months_seen: pd.Series, in_grid: Counter[str]) -> int:
    """Months of the grid a group spans: a financial year's months, or the whole horizon."""
    return sum(in_grid[year] for year in {financial_year(m) for m in set(months_seen)}) or 1


def _apportioned(detail: pd.DataFrame) -> pd.DataFrame:
    """Money to whole pennies per row such that each month's rows add up to that month's total rounded to the penny
    (largest remainder: the pennies left over go to the rows that lost the most in rounding down)."""
    detail = detail.copy()
    for column in MONEY:
        cents = detail[column].to_numpy() * 100
        floor = np.floor(cents + 1e-6)
        remainder = cents - floor
        target = detail.assign(c=cents).groupby("month")["c"].transform("sum").round().to_numpy()
        short = target - detail.assign(f=floor).groupby("month")["f"].transform("sum").to_numpy()
        rank = detail.assign(r=-remainder).groupby("month")["r"].rank(method="first").to_numpy()
        detail[column] = (floor + (rank <= short)) / 100
    return detail


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


def finish(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for column in MONEY:
        table[column] = table[column].round(2)
    table["total"] = table[["salary", "employer_ni", "pension", "levy", "agency"]].sum(axis=1).round(2)
    table["net_total"] = (table["total"] - table["grant_income"]).round(2)
    for column in ("fte", "leavers", "experienced"):
        table[column] = table[column].round(4)
    return table


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


class _Model:
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
        posts = _Posts()
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
            conversions = _Posts()
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

    def _present(self, cols: _Columns) -> _Present:
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

    def columns(self, workers: Sequence[PayFacts], grades: Sequence[Grade]) -> _Columns:
        """The workers' facts as arrays, in one pass: everything after this is whole-array arithmetic."""
        origin = self.grid.starts[0].year * 12 + self.grid.starts[0].month
        width = max((len(w.stages) for w in workers), default=1) or 1
        none = -(10**6)
        rows = []
        stage_months = np.full((len(workers), width), self.months, dtype=np.int64)
        stage_values = np.zeros((len(workers), width), dtype=np.int64)
        events: list[tuple[int, int, int, float]] = []
        for row, (w, g) in enumerate(zip(workers, grades, strict=True)):
            start, leaving = w.start_date, w.leaving_date
            end, exp = w.programme_end, w.experienced_from
            rows.append((
                float(w.fte), start.toordinal(), leaving.toordinal() if leaving else 10**7, g.points[1],
                w.point if w.point is not None else g.points[0], start.year * 12 + start.month - origin,
                start.day, start.month, end.year * 12 + end.month - origin if end else none,
                exp.year * 12 + exp.month - origin if exp else none, float(w.supplements),
            ))  # fmt: skip
            for k, (day, value) in enumerate(w.stages):
                stage_months[row, k] = max(day.year * 12 + day.month - origin, 0)
                stage_values[row, k] = STAGE_INDEX[value]
            if exp:
                events.append((C["experienced"], row, exp.year * 12 + exp.month - origin, 1.0))
            for day, amount in w.grants:
                events.append((C["grant_income"], row, day.year * 12 + day.month - origin, float(amount)))
        table = list(zip(*rows, strict=True)) if rows else [()] * 11
        kept = [e for e in events if 0 <= e[2] < self.months]
        return _Columns(
            apprentice=np.array([w.apprentice for w in workers], dtype=bool),
            fte=np.array(table[0], dtype=float), start=np.array(table[1], dtype=np.int64),
            leave=np.array(table[2], dtype=np.int64), top=np.array(table[3], dtype=np.int64),
            first_point=np.array(table[4], dtype=np.int64), start_month=np.array(table[5], dtype=np.int64),
            start_day=np.array(table[6], dtype=np.int64), start_calendar_month=np.array(table[7], dtype=np.int64),
            programme_end=np.array(table[8], dtype=np.int64), experienced=np.array(table[9], dtype=np.int64),
            supplements=np.array(table[10], dtype=float),
            stage_months=stage_months, stage_values=stage_values,
            event_component=np.array([e[0] for e in kept], dtype=np.int64),
            event_row=np.array([e[1] for e in kept], dtype=np.int64),
            event_month=np.array([e[2] for e in kept], dtype=np.int64),
            event_amount=np.array([e[3] for e in kept], dtype=float),
        )  # fmt: skip

    def _staff(self, cols: _Columns) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
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

    def _increments(self, cols: _Columns) -> npt.NDArray[np.bool_]:
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

    def _progressions(self, cols: _Columns, path: IntArray, increments: npt.NDArray[np.bool_]) -> IntArray:
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

    def _stage_matrix(self, cols: _Columns) -> IntArray:
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

    def _events(self, cols: _Columns, alive: FloatArray) -> list[tuple[int, IntArray, IntArray, FloatArray]]:
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

    # --- replacements ----------------------------------------------------------------------------------------------

    def _refill(self, marginals: Marginals, posts: _Posts, vacancy: int) -> None:
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

    def _covered(self, grade: Grade, flows: FloatArray) -> FloatArray:
        """Agency-only policy: every vacated post stays covered by agency from the month after it was left."""
        covered = np.concatenate([np.zeros((len(flows), 1)), np.cumsum(flows, axis=1)[:, :-1]], axis=1)
        values = np.zeros((len(COMPONENTS), len(flows), self.months))
        values[C["agency"]] = (
            covered * pennies(np.array([self._agency_month(grade.roles[0] if grade.roles else None)]))[0]
        )
        values[C["fte"]] = covered
        return values

    def _chain(self, grade: Grade, role: str, vacancy: int) -> FloatArray:
        """chain[c, s, m]: the expected cost in month m of a post whose holder left in month s: agency cover for
        the vacancy, then a new hire at the bottom of the grade, who may leave and be replaced in turn."""
        key = (grade.grade, vacancy)
        cached = self._chains.get(key) if hasattr(self, "_chains") else None
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
        if not hasattr(self, "_chains"):
            self._chains: dict[tuple[str, int], FloatArray] = {}
        self._chains[key] = chain
        return chain

    def _entry_grade(self) -> Grade:
        """The grade newly qualified workers start on (marked `asye` in the grade structure)."""
        return next((g for g in self.grades.grades if g.asye), self.grades.grades[0])

    def _hire_month(self, left: int, vacancy: int, grade: Grade) -> int:
        month = left + 1 + vacancy
        intake = self.scenario.replacement.asye_intake_months
        if grade.asye and intake:
            while month < self.months and self.grid.starts[month].month not in intake:
                month += 1
        return month

    def _hire_matrix(self, grade: Grade) -> FloatArray:
        """[c, t, m] for a full-time hire at the bottom of the grade starting in month t (no replacement)."""
        workers = self._hire_workers(grade)
        values, _, _, _ = self._staff(self.columns(workers, [grade] * self.months))
        return values

    def _hire_workers(self, grade: Grade) -> list[PayFacts]:
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


@dataclass(frozen=True)
class _Columns:
    """Workers' facts as arrays (months are indices into the grid; -10**6 for none)."""

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

    def take(self, begin: int, end: int) -> _Columns:
        """Rows begin..end (a chunk), with their events renumbered from 0."""
        pick = (self.event_row >= begin) & (self.event_row < end)
        return _Columns(
            self.fte[begin:end], self.start[begin:end], self.leave[begin:end], self.top[begin:end],
            self.first_point[begin:end], self.start_month[begin:end], self.start_day[begin:end],
            self.start_calendar_month[begin:end], self.programme_end[begin:end], self.experienced[begin:end],
            self.stage_months[begin:end], self.stage_values[begin:end], self.supplements[begin:end],
            self.event_component[pick],
            self.event_row[pick] - begin, self.event_month[pick], self.event_amount[pick], self.apprentice[begin:end],
        )  # fmt: skip


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


class _Posts:
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
