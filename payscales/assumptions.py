"""The inputs finance may edit for a scenario: what each is, what is allowed, its value in a scenario (with the pay data
in force), and a scenario built back from edited values. Pure: the workbook writer and reader use it, and so does the
sensitivity analysis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from payscales.rules import PayBook, Scenario, in_force

Kind = Literal["name", "based_on", "text", "rate", "months", "choice", "multiplier", "money"]
HAZARD_STAGES = ("pre_asye", "asye", "ecdp", "ecf_year_2", "ecf_years_3_5", "experienced", "not_early_career")
POLICIES = ("like_for_like", "asye_intake", "agency")
INCREMENTS = ("april", "anniversary")
Value = str | Decimal | int


@dataclass(frozen=True)
class Input:
    key: str  # the workbook's defined name is ECF_<KEY>
    label: str
    unit: str
    kind: Kind
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(1)
    choices: tuple[str, ...] = ()
    role: str | None = None  # an agency rate's role

    @property
    def name(self) -> str:
        return f"ECF_{self.key}"

    @property
    def allowed(self) -> str:
        """What a cell may hold, in words (the workbook shows it and an import error quotes it)."""
        if self.kind == "name":
            return "a name of lower-case letters, digits and _ (up to 40), starting with a letter"
        if self.kind == "based_on":
            return "the name of a scenario in force"
        if self.kind == "text":
            return f"text, up to {int(self.high)} characters"
        if self.kind == "rate":
            return f"a percentage from {self.low:.0%} to {self.high:.0%}"
        if self.kind == "months":
            return f"a whole number of months from {self.low} to {self.high}"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "multiplier":
            return f"a number from {self.low} to {self.high}"
        return f"an amount from £{self.low} to £{self.high}"


def inputs(book: PayBook) -> list[Input]:
    """Every editable input, in the order the sheet lists them; an agency rate for each role the pay data has."""
    found = [
        Input("SCENARIO", "Scenario name", "", "name"),
        Input("BASED_ON", "Based on", "scenario", "based_on"),
        Input("TITLE", "Title", "text", "text", high=Decimal(100)),
        Input("DESCRIPTION", "Description", "text", "text", high=Decimal(500)),
        Input("AWARD", "Pay award a year after the last known award", "a year", "rate"),
        Input("INCREMENT", "When increments are paid", "", "choice", choices=INCREMENTS),
        Input("FIRST_INCREMENT_MONTHS", "Months' service for an April increment", "months", "months", high=Decimal(12)),
        Input("VACANCY_MONTHS", "Vacancy covered by agency before refilling", "months", "months", high=Decimal(24)),
        Input("POLICY", "Replacement policy", "", "choice", choices=POLICIES),
        Input("AGENCY_REDUCTION", "Agency cover turned permanent", "a year", "rate"),
        Input("TURNOVER", "Turnover the leaving hazard is calibrated to", "a year", "rate"),
        Input("LGPS", "Employer pension (LGPS)", "of pay", "rate"),
    ]
    for stage in HAZARD_STAGES:
        found.append(Input(f"HAZARD_{stage.upper()}", f"Leaving multiplier: {stage}", "x", "multiplier",
                           high=Decimal(5)))  # fmt: skip
    for role in book.agency.rates:
        found.append(Input(f"AGENCY_{slug(role)}", f"Agency charge rate: {role}", "£ an hour", "money",
                           high=Decimal(500), role=role))  # fmt: skip
    return found


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.upper()).strip("_")


def values(book: PayBook, scenario: Scenario) -> dict[str, Value]:
    """The scenario's value for every input, with the pay data in force where the scenario sets none."""
    effective = in_force(book, scenario)
    found: dict[str, Value] = {
        "SCENARIO": scenario.id, "BASED_ON": scenario.id, "TITLE": scenario.name, "DESCRIPTION": scenario.description,
        "AWARD": scenario.pay_award_assumption, "INCREMENT": scenario.increment,
        "FIRST_INCREMENT_MONTHS": scenario.first_increment_min_months,
        "VACANCY_MONTHS": scenario.replacement.vacancy_months, "POLICY": scenario.replacement.policy,
        "AGENCY_REDUCTION": scenario.agency_reduction_per_year, "TURNOVER": effective.hazards.turnover,
        "LGPS": effective.oncosts.pension.lgps_rate,
    }  # fmt: skip
    for stage in HAZARD_STAGES:
        found[f"HAZARD_{stage.upper()}"] = Decimal(scenario.hazard_multipliers.get(stage, Decimal(1)))
    for role, rate in effective.agency.rates.items():
        found[f"AGENCY_{slug(role)}"] = rate
    return found


def rebuilt(book: PayBook, base: Scenario, edited: Mapping[str, Value]) -> dict[str, Any]:
    """The scenario document for `base` with the edited values (a key left out keeps the base's value). The LGPS
    rate, turnover and agency rates are kept only where they differ from the pay data, so a later change to the
    council's pay file still reaches a scenario that never changed them."""
    document = base.model_dump(mode="json", exclude_none=True)
    given = {**values(book, base), **edited}
    document.update(
        id=str(given["SCENARIO"]), name=str(given["TITLE"]), description=str(given["DESCRIPTION"]),
        pay_award_assumption=str(given["AWARD"]), increment=str(given["INCREMENT"]),
        first_increment_min_months=int(given["FIRST_INCREMENT_MONTHS"]),
        agency_reduction_per_year=str(given["AGENCY_REDUCTION"]),
    )  # fmt: skip
    document["replacement"] = {
        **document.get("replacement", {}),
        "vacancy_months": int(given["VACANCY_MONTHS"]),
        "policy": str(given["POLICY"]),
    }
    multipliers = {stage: str(given[f"HAZARD_{stage.upper()}"]) for stage in HAZARD_STAGES}
    document["hazard_multipliers"] = {s: m for s, m in multipliers.items() if Decimal(m) != 1}
    document.pop("lgps_rate", None)
    document.pop("turnover", None)
    if Decimal(given["LGPS"]) != book.oncosts.pension.lgps_rate:
        document["lgps_rate"] = str(given["LGPS"])
    if Decimal(given["TURNOVER"]) != book.hazards.turnover:
        document["turnover"] = str(given["TURNOVER"])
    rates = {role: str(given[f"AGENCY_{slug(role)}"]) for role in book.agency.rates}
    document["agency_rates"] = {r: v for r, v in rates.items() if Decimal(v) != book.agency.rates[r]}
    return document


def differences(book: PayBook, before: Scenario, after: Scenario) -> list[tuple[Input, Value, Value]]:
    """The inputs whose value differs between two scenarios (the name and where it came from aside)."""
    old, new = values(book, before), values(book, after)
    return [
        (item, old[item.key], new[item.key])
        for item in inputs(book)
        if item.key not in ("SCENARIO", "BASED_ON") and old[item.key] != new[item.key]
    ]


def shown(item: Input, value: Value) -> str:
    """A value as a person reads it: 4.0%, 5 months, £28.00."""
    if item.kind == "rate":
        return f"{Decimal(value) * 100:.2f}".rstrip("0").rstrip(".") + "%"
    if item.kind == "money":
        return f"£{Decimal(value):,.2f}"
    if item.kind == "multiplier":
        return f"{Decimal(value):g}"
    return str(value)
