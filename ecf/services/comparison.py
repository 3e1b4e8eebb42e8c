"""Scenarios side by side (every input, the differences marked, then the financial-year totals) and the one-at-a-time
sensitivity of the horizon's total to each main assumption."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ecf.services.context import App
from ecf.services.projection import paybook, project_scenarios, scenario
from payscales.assumptions import inputs, shown, values
from payscales.results import Projection
from payscales.sensitivity import STEPS, Effect, Sensitivity, variants


@dataclass(frozen=True)
class SettingRow:
    label: str
    unit: str
    values: list[str]  # one per scenario, as a person reads it
    differs: bool


@dataclass(frozen=True)
class Comparison:
    names: list[str]
    settings: list[SettingRow]
    years: list[str]  # financial years
    totals: dict[str, list[Decimal]]  # scenario -> total cost by financial year, to the penny

    def difference(self, name: str) -> list[Decimal]:
        """A scenario's totals less the first scenario's."""
        first = self.totals[self.names[0]]
        return [a - b for a, b in zip(self.totals[name], first, strict=True)]


def compare(app: App, names: list[str], years: int, as_of: date, calibration: str = "national") -> Comparison:
    if len(names) < 2:
        raise ValueError("compare needs two scenarios or more")
    book = paybook(app)
    chosen = [scenario(book, name) for name in names]
    by_scenario = [values(book, s) for s in chosen]
    rows = []
    for item in inputs(book):
        if item.key in ("SCENARIO", "BASED_ON", "DESCRIPTION"):
            continue
        texts = [shown(item, v[item.key]) for v in by_scenario]
        rows.append(SettingRow(item.label, item.unit, texts, len(set(texts)) > 1))
    projections = project_scenarios(app, book, chosen, as_of, years, calibration)
    fy = projections[0].totals("financial_year")["financial_year"].tolist()
    totals = {p.scenario.id: _money(p.totals("financial_year")["total"].tolist()) for p in projections}
    return Comparison(names, rows, fy, totals)


def _money(figures: list[float]) -> list[Decimal]:
    return [Decimal(str(f)).quantize(Decimal("0.01")) for f in figures]


def _total(projection: Projection) -> Decimal:
    """The horizon's total cost: the sum of its monthly pennies."""
    return sum(_money(projection.totals("month")["total"].tolist()), Decimal(0))


def sensitivity(
    app: App, name: str, years: int, as_of: date, calibration: str = "national",
    on_progress: Callable[[int, int], None] | None = None,
) -> Sensitivity:  # fmt: skip
    """Each main assumption moved down and up by its stated step, one at a time; ranked by the swing in the total.
    `on_progress(projections done, projections)` as each is done (a national workforce's thirteen take seconds)."""
    book = paybook(app)
    base = scenario(book, name)
    # With the council's own leavers, the national turnover is not used: moving it would show a setting doing nothing.
    steps = tuple(s for s in STEPS if not (calibration == "own" and s.key == "TURNOVER"))
    found = variants(book, base, steps)
    runs = [base, *(s for v in found for s in (v.low_scenario, v.high_scenario))]
    projections = project_scenarios(app, book, runs, as_of, years, calibration, on_progress)
    total = _total(projections[0])
    effects = []
    for index, variant in enumerate(found):
        low, high = _total(projections[1 + 2 * index]), _total(projections[2 + 2 * index])
        effects.append(Effect(variant.step, variant.base, variant.low, variant.high, low, high, low - total,
                              high - total))  # fmt: skip
    effects.sort(key=lambda e: (-e.swing, e.step.label))
    return Sensitivity(name, years, as_of, total, effects)
