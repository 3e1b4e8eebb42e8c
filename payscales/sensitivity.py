"""One-at-a-time sensitivity: each main assumption moved down and up by a stated step from a scenario's value, the
rest held, so finance sees which assumptions matter. Pure: it builds the scenarios; the caller projects them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from payscales.assumptions import Input, Value, inputs, rebuilt, shown, values
from payscales.rules import PayBook, Scenario


@dataclass(frozen=True)
class Step:
    """How far one assumption is moved each way, and why that far."""

    key: str  # an input (payscales.assumptions), or AGENCY_RATES for every agency rate at once
    label: str
    step: Decimal
    relative: bool = False  # a share of the value (agency rates +-10%) rather than points or months
    note: str = ""


# The stated steps: a setting with a default, shown with every result. Chosen as a plausible year-to-year move.
STEPS = (
    Step("AWARD", "Pay award", Decimal("0.01"), note="1 percentage point: the spread of recent NJC awards"),
    Step("TURNOVER", "Turnover", Decimal("0.02"), note="2 points: the national rate moved 15.9% to 13.8% in a year"),
    Step("AGENCY_REDUCTION", "Agency share turned permanent", Decimal("0.10"), note="10 points a year"),
    Step("AGENCY_RATES", "Agency charge rates", Decimal("0.10"), relative=True, note="10% on every role's rate"),
    Step("VACANCY_MONTHS", "Vacancy months", Decimal(1), note="1 month of agency cover"),
    Step("LGPS", "LGPS employer rate", Decimal("0.01"), note="1 point: funds' rates differ by more at a valuation"),
)


@dataclass(frozen=True)
class Variant:
    step: Step
    base: str  # the value in the scenario, as shown
    low: str
    high: str
    low_scenario: Scenario
    high_scenario: Scenario


def variants(book: PayBook, scenario: Scenario, steps: tuple[Step, ...] = STEPS) -> list[Variant]:
    """For each step, the scenario with that one assumption moved down and up (kept within what it allows)."""
    items = {item.key: item for item in inputs(book)}
    given = values(book, scenario)
    found = []
    for step in steps:
        if step.key == "AGENCY_RATES":
            roles = [item for item in items.values() if item.kind == "money"]
            low = {r.key: _moved(r, given[r.key], -step.step, True) for r in roles}
            high = {r.key: _moved(r, given[r.key], step.step, True) for r in roles}
            base_text, low_text, high_text = "as set", f"-{step.step:.0%}", f"+{step.step:.0%}"
        else:
            item = items[step.key]
            low = {step.key: _moved(item, given[step.key], -step.step, step.relative)}
            high = {step.key: _moved(item, given[step.key], step.step, step.relative)}
            base_text = shown(item, given[step.key])
            low_text, high_text = shown(item, low[step.key]), shown(item, high[step.key])
        found.append(Variant(step, base_text, low_text, high_text, _built(book, scenario, low),
                             _built(book, scenario, high)))  # fmt: skip
    return found


def _moved(item: Input, value: Value, step: Decimal, relative: bool) -> Value:
    number = Decimal(value)
    moved = number * (1 + step) if relative else number + step
    moved = min(max(moved, item.low), item.high)
    return int(moved) if item.kind == "months" else moved.quantize(Decimal("0.0001")).normalize()


def _built(book: PayBook, scenario: Scenario, edited: dict[str, Value]) -> Scenario:
    return Scenario.model_validate(rebuilt(book, scenario, edited))


@dataclass(frozen=True)
class Effect:
    step: Step
    base: str
    low: str
    high: str
    total_low: Decimal
    total_high: Decimal
    effect_low: Decimal  # against the scenario's own total
    effect_high: Decimal

    @property
    def swing(self) -> Decimal:
        return abs(self.effect_high - self.effect_low)


@dataclass(frozen=True)
class Sensitivity:
    scenario: str
    years: int
    as_of: date
    total: Decimal
    effects: list[Effect]  # largest swing first
