"""Use cases over the pay model: the scales and scenarios loaded, and the projection of the stored workforce."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ecf.exports.errors import ExportError
from ecf.progression.calendar import add_months, add_years, financial_year
from ecf.progression.indicators import leavers_between
from ecf.services import pay_settings
from ecf.services.context import App
from ecf.services.progression import Assessed, assess_workforce
from payscales.calibration import Calibration, calibrate, calibrate_own
from payscales.loader import PayDataError
from payscales.montecarlo import MonteCarlo, simulate
from payscales.pay import salaries_for
from payscales.projection import project
from payscales.results import Projection
from payscales.rules import PayBook, Scale, Scenario, in_force
from payscales.sensitivity import Sensitivity
from payscales.worker_columns import PayFacts


class UnknownName(LookupError):
    pass


def paybook(app: App | None = None, pay_file: Path | None = None) -> PayBook:
    """The pay data in force for this database (the stored pay file and scenarios); shipped only without an app."""
    return pay_settings.paybook(app, pay_file)


def scale(book: PayBook, name: str) -> Scale:
    found = book.scales.get(name)
    if found is None:
        raise UnknownName(f"no pay scale '{name}' (loaded: {', '.join(sorted(book.scales))})")
    return found


def scenario(book: PayBook, name: str) -> Scenario:
    found = book.scenarios.get(name)
    if found is None:
        raise UnknownName(f"no scenario '{name}' (loaded: {', '.join(sorted(book.scenarios))})")
    return found


@dataclass(frozen=True)
class ProjectionRequest:
    scenario: str
    years: int
    as_of: date
    calibration: str = "national"  # or "own": the council's own snapshots
    lgps_rate: Decimal | None = None
    pay_file: Path | None = None
    rules_file: Path | None = None


def run_projection(app: App, request: ProjectionRequest, book: PayBook | None = None) -> Projection:
    """The scenario projected with the pay settings in force (its own LGPS rate, turnover and agency rates where it
    sets them)."""
    book = book or paybook(app, request.pay_file)
    chosen = scenario(book, request.scenario)
    effective = in_force(book, chosen)
    progress = assess_workforce(app, request.as_of, rules_file=request.rules_file)
    workers = [pay_facts(item, request.as_of) for item in progress.workers]
    hazards = _calibration(app, effective, progress.workers, request)
    return project(workers, effective, chosen, request.as_of, request.years, hazards, request.lgps_rate)


def project_scenarios(
    app: App, book: PayBook, scenarios: list[Scenario], as_of: date, years: int, calibration: str = "national",
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Projection]:  # fmt: skip
    """Several scenarios (stored, or built on the fly as the sensitivity does) over one assessment of the workforce;
    `on_progress(projections done, projections)` after each."""
    progress = assess_workforce(app, as_of)
    workers = [pay_facts(item, as_of) for item in progress.workers]
    found = []
    for chosen in scenarios:
        effective = in_force(book, chosen)
        request = ProjectionRequest(chosen.id, years, as_of, calibration)
        hazards = _calibration(app, effective, progress.workers, request)
        found.append(project(workers, effective, chosen, as_of, years, hazards))
        if on_progress is not None:
            on_progress(len(found), len(scenarios))
    return found


def run_monte_carlo(
    app: App, request: ProjectionRequest, runs: int, seed: int, on_progress: Callable[[int, int], None] | None = None
) -> MonteCarlo:
    """`runs` random runs of the scenario; `on_progress(runs done, runs)` as they go (a national workforce's hundred
    runs take a quarter of a minute)."""
    book = paybook(app, request.pay_file)
    chosen = scenario(book, request.scenario)
    effective = in_force(book, chosen)
    progress = assess_workforce(app, request.as_of, rules_file=request.rules_file)
    workers = [pay_facts(item, request.as_of) for item in progress.workers]
    hazards = _calibration(app, effective, progress.workers, request)
    return simulate(
        workers, effective, chosen, request.as_of, request.years, hazards, runs, seed, request.lgps_rate, on_progress
    )


def export_workbook(
    app: App, requests: list[ProjectionRequest], path: Path, produced: datetime, pseudonymise: bool = False,
    force: bool = False, sensitivity: Sensitivity | None = None,
) -> Path:  # fmt: skip
    """The finance workbook for one scenario or two compared. Reads the database, never writes to it."""
    from ecf.exports.workbook import ExportInput, write_workbook  # XlsxWriter: loaded by the export alone

    book = paybook(app, requests[0].pay_file)
    first = requests[0]
    progress = assess_workforce(app, first.as_of, rules_file=first.rules_file)
    workers = [pay_facts(item, first.as_of) for item in progress.workers]
    projections = []
    for r in requests:
        chosen = scenario(book, r.scenario)
        effective = in_force(book, chosen)
        hazards = _calibration(app, effective, progress.workers, r)
        projections.append(project(workers, effective, chosen, r.as_of, r.years, hazards, r.lgps_rate, per_worker=True))
    records = [w.state.record for w in progress.workers]
    names = {} if pseudonymise else {r.employee_id: r.name for r in records}
    codes = {r.employee_id: pseudonym(r.employee_id) for r in records} if pseudonymise else {}
    council = progress.book.council.name  # the rules the assessment used
    content = ExportInput(council, projections, book, progress.data_as_of, produced, names, codes, sensitivity)
    return write_workbook(path, content, force)


__all__ = ["ExportError", "PayDataError", "Projection"]


@dataclass(frozen=True)
class WorkerPay:
    first_month: date  # the first day of the first month projected
    last_month: date  # the first day of the last
    years: pd.DataFrame  # by financial year; the first and last may be part years


def worker_pay(assessed: Assessed, as_of: date, years: int = 3, app: App | None = None) -> WorkerPay:
    """One worker's expected pay and on-costs by financial year under the baseline (the worker screen already has
    them assessed, so nothing is read again but the pay settings in force)."""
    book = paybook(app)
    book = in_force(book, book.scenarios["baseline"])
    facts = pay_facts(assessed, as_of)
    calibration = calibrate(book.hazards, [(as_of - facts.start_date).days / 365.25])
    result = project([facts], book, book.scenarios["baseline"], as_of, years, calibration, per_worker=True)
    return WorkerPay(result.grid.starts[0], result.grid.starts[-1], result.worker_years())


@dataclass(frozen=True)
class PayNow:
    financial_year: str
    point: int
    full_time: Decimal  # the spine point's annual full-time salary
    paid: Decimal  # a year at their FTE, with market supplement and allowances
    assumed_award: Decimal | None  # set when the year's award is not published: the scenario's assumption


def pay_now(assessed: Assessed, as_of: date, app: App | None = None) -> PayNow | None:
    """A worker's annual pay on the as-of date under the baseline scale (None without a spine point on it)."""
    book = paybook(app)
    baseline = book.scenarios["baseline"]
    scale = book.scales[baseline.scale]
    record = assessed.state.record
    if record.spinal_point is None:
        return None
    year = financial_year(as_of)
    if year < scale.years[0]:  # before the scale: no year of it to quote
        return None
    known = salaries_for(scale, year, baseline.pay_award_assumption).get(record.spinal_point)
    if known is None:
        return None
    assumed = baseline.pay_award_assumption if year not in scale.table else None
    extras = (record.market_supplement or Decimal(0)) + (record.allowances or Decimal(0))
    paid = (known * record.fte + extras * record.fte).quantize(Decimal("0.01"))
    return PayNow(year, record.spinal_point, known, paid, assumed)


def pseudonym(employee_id: str) -> str:
    """A stable code for a worker: the same ID always gives the same code, and the code does not give the ID away."""
    return "W" + hashlib.sha256(f"ecf-tracker:{employee_id}".encode()).hexdigest()[:8].upper()


NONE = Decimal(0)


def pay_facts(item: Assessed, as_of: date) -> PayFacts:
    """What the projection needs about one worker. Built for every worker of a national workforce, so the common
    case (no stage change ahead, no grant, no supplement) takes the short way."""
    record, assessment = item.state.record, item.assessment
    changes, grants = assessment.stage_changes, assessment.grants
    now = (as_of, assessment.stage)
    stages = (now, *((c.on, c.stage) for c in changes)) if changes else (now,)
    supplement, allowances = record.market_supplement, record.allowances
    return PayFacts(
        record.employee_id, record.team, record.grade, record.spinal_point, record.fte, record.contract_type,
        record.role, record.start_date, record.leaving_date, stages, assessment.programme_end,
        assessment.experienced_from, tuple((g.claimable_from, g.amount) for g in grants) if grants else (),
        (supplement or NONE) + (allowances or NONE) if supplement or allowances else NONE, bool(record.apprentice),
    )  # fmt: skip


def _calibration(app: App, book: PayBook, workers: list[Assessed], request: ProjectionRequest) -> Calibration:
    staff = [w.state.record for w in workers if w.state.record.contract_type.value != "agency"]
    if request.calibration == "national":
        service = [(request.as_of - r.start_date).days / 365.25 for r in staff]
        return calibrate(book.hazards, service)
    if request.calibration != "own":
        raise ValueError("calibration must be 'national' or 'own'")
    with app.unit_of_work() as uow:
        timeline = uow.snapshots.timeline()
    if not timeline:
        raise PayDataError("no snapshots to calibrate on: import the monthly files first, or use national")
    latest = max(row.as_of for row in timeline)
    leavers = leavers_between(timeline, add_months(latest, -12), latest)
    under = sum(1 for leaver in leavers if leaver.left_on < add_years(leaver.start_date, 5))
    in_under = sum(1 for r in staff if add_years(r.start_date, 5) > latest)
    return calibrate_own(under, len(leavers) - under, in_under, len(staff) - in_under)
