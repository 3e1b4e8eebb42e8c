"""The shape of the pay data: scales, grades, on-costs, agency rates, leaving hazards and scenarios. Strict pydantic
models (unknown keys are errors); the values live in `payscales/data/` and a council's own pay file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
FinancialYear = Annotated[str, StringConstraints(pattern=r"^\d{4}/\d{2}$")]
Rate = Annotated[Decimal, Field(ge=0, le=1)]
Money = Annotated[Decimal, Field(ge=0, le=1_000_000)]  # pounds: thresholds, allowances, hourly charges, caps


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Confidence(StrEnum):
    VERIFIED = "verified"
    DERIVED = "derived"
    SECONDARY = "secondary"
    UNCERTAIN = "uncertain"
    ILLUSTRATIVE = "illustrative"
    LOCAL = "local"


class Source(Strict):
    title: str
    url: str | None = None
    confidence: Confidence
    reference: str | None = None


class Award(Strict):
    year: FinancialYear
    rule: str
    agreed: date | None = None
    source: str


class Scale(Strict):
    """A pay scale: annual full-time salary by point and financial year (each year from 1 April)."""

    kind: Literal["scale"]
    id: Identifier
    name: str
    salaries: str  # the CSV file beside the metadata
    hours_per_week: Decimal = Field(default=Decimal(37), gt=0, le=48)
    source: Source
    awards: tuple[Award, ...] = ()
    deleted_points: dict[int, FinancialYear] = Field(default_factory=dict)  # point -> first year it is off the scale
    notes: dict[str, str] = Field(default_factory=dict)
    table: dict[FinancialYear, dict[int, Decimal]] = Field(default_factory=dict)  # filled from the CSV

    @property
    def years(self) -> list[str]:
        return sorted(self.table)

    def salary(self, year: str, point: int) -> Decimal | None:
        return self.table.get(year, {}).get(point)


class Grade(Strict):
    grade: str
    roles: tuple[str, ...] = ()
    points: tuple[int, int]
    asye: bool = False  # the grade newly qualified workers start on: their posts are refilled at an ASYE intake

    @model_validator(mode="after")
    def _ordered(self) -> Grade:
        if self.points[0] > self.points[1]:
            raise ValueError(f"grade {self.grade}: points run from {self.points[0]} down to {self.points[1]}")
        return self


class Grades(Strict):
    kind: Literal["grades"]
    id: Identifier
    name: str
    scale: Identifier
    source: Source
    grades: tuple[Grade, ...] = Field(min_length=1)
    notes: dict[str, str] = Field(default_factory=dict)

    def find(self, grade: str | None, role: str | None) -> Grade | None:
        """The worker's grade by its code on the HR sheet, else by role."""
        for item in self.grades:
            if grade and item.grade.lower() == grade.strip().lower():
                return item
        for item in self.grades:
            if role and any(r.lower() == role.strip().lower() for r in item.roles):
                return item
        return None


class NiPeriod(Strict):
    from_: date = Field(alias="from")
    rate: Rate
    monthly_threshold: Money
    apprentice_monthly_threshold: Money = Decimal(0)  # category H (apprentices under 25): no NI up to this
    note: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Pension(Strict):
    lgps_rate: Rate  # the fund's primary rate
    secondary_rate: Rate = Decimal(0)  # the fund's secondary contribution as a rate of pay, if given so
    secondary_annual: Money = Decimal(0)  # or as a yearly lump sum (the part the council puts on this workforce)
    note: str = ""
    secondary_note: str = ""


class Levy(Strict):
    rate: Rate
    annual_allowance: Money
    apply_allowance: bool
    note: str = ""


class OnCosts(Strict):
    kind: Literal["oncosts"]
    id: Identifier
    name: str
    source: Source
    employer_ni: tuple[NiPeriod, ...] = Field(min_length=1)
    pension: Pension
    levy: Levy

    @model_validator(mode="after")
    def _in_date_order(self) -> OnCosts:
        dates = [p.from_ for p in self.employer_ni]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("employer_ni periods must be in date order, one per date")
        return self

    def ni_on(self, pay_day: date) -> NiPeriod:
        """The NI rate and monthly threshold for a pay period paid on `pay_day` (the last one in force wins)."""
        found = [p for p in self.employer_ni if p.from_ <= pay_day]
        if not found:
            first = self.employer_ni[0].from_
            raise ValueError(
                f"no employer NI rate for pay on {pay_day:%d/%m/%Y}: the earliest loaded starts {first:%d/%m/%Y}"
            )
        return found[-1]


class AgencyRates(Strict):
    kind: Literal["agency"]
    id: Identifier
    name: str
    source: Source
    hours_per_week: Decimal = Field(gt=0, le=60)
    weeks_per_year: Decimal = Field(gt=0, le=52)
    caps_from: date | None = None
    rates: dict[str, Money]  # role -> hourly charge
    caps: dict[str, Money] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)

    def rate_for(self, role: str | None) -> Decimal:
        if role:
            for name, rate in self.rates.items():
                if name.lower() == role.strip().lower():
                    return rate
        return self.rates.get("Social Worker", max(self.rates.values()))


class Hazards(Strict):
    kind: Literal["hazards"]
    id: Identifier
    name: str
    source: Source
    turnover: Rate
    share_of_leavers_under_5_years: Rate
    notes: dict[str, str] = Field(default_factory=dict)


class StagePay(Strict):
    """In a stage-linked scale, where each ECF stage sits (first and last point)."""

    points: tuple[int, int]


class Replacement(Strict):
    vacancy_months: int = Field(ge=0, le=24)  # covered by agency until the new hire starts
    asye_intake_months: tuple[int, ...] = (9,)  # NQSW leavers are replaced at the next intake
    # like_for_like: an NQSW post at the next ASYE intake, any other at the bottom of its grade (an experienced hire);
    # asye_intake: every post refilled by a newly qualified worker at the next intake; agency: left to agency cover.
    policy: Literal["like_for_like", "asye_intake", "agency"] = "like_for_like"


class Progression(Strict):
    when: Literal["programme_passed", "experienced"]
    to_grade: str


class Scenario(Strict):
    kind: Literal["scenario"]
    id: Identifier
    name: str
    description: str
    scale: Identifier
    grades: Identifier
    pay_award_assumption: Rate  # each financial year after the last known award
    increment: Literal["april", "anniversary"] = "april"
    first_increment_min_months: int = Field(default=6, ge=0, le=12)
    progression: tuple[Progression, ...] = ()
    stage_scale: Identifier | None = None  # pay early-career workers by ECF stage on this scale
    stage_pay: dict[str, StagePay] = Field(default_factory=dict)
    # stage -> multiplier of the leaving hazard: 0 (nobody leaves) to 10 (ten times as many); beyond is a typo
    hazard_multipliers: dict[str, Annotated[Decimal, Field(ge=0, le=10)]] = Field(default_factory=dict)
    agency_reduction_per_year: Rate = Decimal(0)  # share of agency cover turned into permanent hires each year
    replacement: Replacement = Replacement(vacancy_months=3)
    # Finance's "what if" over the pay data in force; None (or no entry) keeps the pay data's own figure.
    lgps_rate: Rate | None = None  # the LGPS employer rate
    turnover: Rate | None = None  # the national turnover the leaving hazard is calibrated to
    agency_rates: dict[str, Money] = Field(default_factory=dict)  # role -> hourly charge
    source: Source | None = None
    notes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _stage_scale_complete(self) -> Scenario:
        if self.stage_pay and self.stage_scale is None:
            raise ValueError("stage_pay needs stage_scale")
        return self


class PayBook(Strict):
    """Everything the pay model reads, checked together: scenarios name loaded scales and grades."""

    scales: dict[str, Scale]
    grades: dict[str, Grades]
    oncosts: OnCosts
    agency: AgencyRates
    hazards: Hazards
    scenarios: dict[str, Scenario]
    origins: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> PayBook:
        for grades in self.grades.values():
            if grades.scale not in self.scales:
                raise ValueError(f"grades '{grades.id}' use scale '{grades.scale}', which is not loaded")
        for scenario in self.scenarios.values():
            for name, kind in ((scenario.scale, self.scales), (scenario.grades, self.grades)):
                if name not in kind:
                    raise ValueError(f"scenario '{scenario.id}' names '{name}', which is not loaded")
            if scenario.stage_scale is not None and scenario.stage_scale not in self.scales:
                raise ValueError(f"scenario '{scenario.id}' names scale '{scenario.stage_scale}', which is not loaded")
            unknown = sorted(set(scenario.agency_rates) - set(self.agency.rates))
            if unknown:
                raise ValueError(
                    f"scenario '{scenario.id}' sets an agency rate for '{unknown[0]}', a role with no rate"
                )
        return self


def in_force(book: PayBook, scenario: Scenario) -> PayBook:
    """The pay data a scenario runs with: its own LGPS rate, turnover and agency rates where it sets them."""
    oncosts, hazards, agency = book.oncosts, book.hazards, book.agency
    if scenario.lgps_rate is not None:
        pension = oncosts.pension.model_copy(update={"lgps_rate": scenario.lgps_rate})
        oncosts = oncosts.model_copy(update={"pension": pension})
    if scenario.turnover is not None:
        hazards = hazards.model_copy(update={"turnover": scenario.turnover})
    if scenario.agency_rates:
        agency = agency.model_copy(update={"rates": {**agency.rates, **scenario.agency_rates}})
    if oncosts is book.oncosts and hazards is book.hazards and agency is book.agency:
        return book
    return book.model_copy(update={"oncosts": oncosts, "hazards": hazards, "agency": agency})
