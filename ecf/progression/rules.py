"""The shape of a rule file, validated strictly: unknown keys, wrong types and inconsistent milestones are errors.

Every rule set carries its source and how sure that source is, so a screen can say which rule applies and on what
authority. The values themselves live in TOML files (`ecf/rules/defaults/`), never in code.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from ecf.census.settings import CouncilCensus
from ecf.domain.period import Period
from ecf.domain.worker import AbsenceType

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Confidence(StrEnum):
    """How far a rule can be trusted, with the labels of the research it comes from (rules.md)."""

    CONFIRMED = "confirmed"  # stated by the body that owns the rule
    SECONDARY = "secondary"  # reported by trade press or a council
    PROPOSED = "proposed"  # consulted on, not in force
    UNCERTAIN = "uncertain"  # sources conflict or the fact was not found: a setting with a stated default
    LOCAL = "local"  # the council's own policy


class RuleStatus(StrEnum):
    IN_FORCE = "in_force"
    PROPOSED = "proposed"  # kept to compare with what is in force
    LOCAL = "local"  # run by the council, not a national rule


class Source(Strict):
    title: str
    url: str | None = None
    published: date | None = None
    confidence: Confidence
    reference: str | None = None  # e.g. "rules.md R5-R7"


class RuleSet(Strict):
    id: Identifier
    name: str
    status: RuleStatus
    source: Source
    notes: dict[str, str] = Field(default_factory=dict)  # setting -> why this value, where it comes from


# --- programmes: the ASYE and the ECDP ------------------------------------------------------------------------------

Anchor = Literal["programme_start", "date_qualified"]
CompletionSource = Literal[
    "asye_start_date",
    "asye_review_3m",
    "asye_review_6m",
    "asye_review_9m",
    "asye_review_final",
    "programme_outcome",
    "support_agreement_date",
    "ecf_year_two_assessment",
    "ecf_year_three_review",
    "ecf_year_four_review",
    "ecf_year_five_assessment",
]


class MilestoneRule(Strict):
    """One step: `offset_months` after its anchor (the programme start, the qualification date, or an earlier
    milestone named in `after`), stretched for part-time workers if `pro_rata`, pushed back by pauses if `pausable`.
    A step counted to a start `window` takes its offset from that window and, once the window closes unmet, is no
    longer a step but an alert. A step the council does not track (`tracked = false`) is never overdue."""

    key: Identifier
    name: str
    anchor: Anchor = "programme_start"
    after: Identifier | None = None
    offset_months: int = Field(default=0, ge=0, le=120)
    window: Literal["standard", "funded"] | None = None
    tracked: bool = True
    pro_rata: bool = True
    pausable: bool = True
    optional: bool = False
    completed_by: CompletionSource | None = None
    description: str = ""

    @model_validator(mode="after")
    def _anchor_or_after(self) -> MilestoneRule:
        if self.after is not None and self.anchor != "programme_start":
            raise ValueError("give either 'after' (an earlier milestone) or 'anchor', not both")
        return self


class PartTimeRule(Strict):
    """Part-time stretching, and the council's caps on the programme's elapsed length. A cap never moves a date (a
    programme is never cut below what its rules require): a final step beyond it raises an alert for the council."""

    rule: Literal["pro_rata_months", "none"]  # pro_rata_months: offset / FTE, rounded up to whole months (R6)
    max_months: int | None = Field(default=None, ge=1, le=120)  # alert: final step later than start + this
    qualification_limit_years: int | None = Field(default=None, ge=1, le=20)  # alert: later than qualified + this


class ProgrammeNeeds(Strict):
    """Who needs the programme, so who gets start milestones while not started (R4, §1.1)."""

    agency_workers: bool = False  # agency NQSWs may take part if agency and host agree: not assumed
    exempt_prior_pqe_months: int | None = Field(default=12, ge=0, le=600)  # this much PQE elsewhere: not an NQSW


class PauseRule(Strict):
    absence_types: tuple[AbsenceType, ...]
    min_days: int = Field(ge=1, le=366)  # a finished absence shorter than this does not pause (R7)
    breaks_in_service: bool = True  # leaving and coming back pauses the programme for the gap


class StartWindow(Strict):
    """How soon after qualifying a programme should start (R4), each window dated and sourced."""

    standard_years: int = Field(ge=1, le=20)  # Skills for Care: within 2 years of qualifying
    standard_source: str = ""
    funded_years: int = Field(ge=1, le=20)  # DfE 2026: funded if started within 4 years of qualifying
    funded_from: date | None = None  # the funding criterion applies to starts from this date
    funded_source: str = ""


class Applies(Strict):
    programme_start_from: date | None = None
    programme_start_to: date | None = None

    @property
    def period(self) -> Period:
        return Period(self.programme_start_from or date.min, self.programme_start_to)


class Programme(RuleSet):
    kind: Literal["programme"]
    label: str  # how the stage is named: "ASYE", "ECDP"
    applies: Applies
    duration_months: int = Field(ge=1, le=60)
    extension_months: int = Field(ge=0, le=24)  # how far an "extended" outcome moves the final steps
    part_time: PartTimeRule
    pauses: PauseRule
    start_window: StartWindow
    needs: ProgrammeNeeds = ProgrammeNeeds()
    milestones: tuple[MilestoneRule, ...] = Field(min_length=1)
    final_milestone: Identifier  # the assessment that ends the programme

    @model_validator(mode="after")
    def _milestones_consistent(self) -> Programme:
        _check_milestones(self.milestones)
        if self.final_milestone not in {m.key for m in self.milestones}:
            raise ValueError(f"final_milestone '{self.final_milestone}' is not one of the milestones")
        # The final step falls at the programme's length: it must stay after every step counted from the start.
        for milestone in self.milestones:
            counted = milestone.after is None and milestone.anchor == "programme_start"
            if counted and milestone.key != self.final_milestone and milestone.offset_months > self.duration_months:
                raise ValueError(
                    f"duration_months {self.duration_months} is before milestone '{milestone.key}' "
                    f"({milestone.offset_months} months)"
                )
        return self


class CareerFramework(RuleSet):
    """The five-year ECF a council may run: the programme covers years 1-2 (or year 1 for the ASYE), then progression
    reviews, an assessment at year 5, then experienced practitioner."""

    kind: Literal["career_framework"]
    applies: Applies = Applies()  # the intakes (programme starts) the council runs it for
    part_time: PartTimeRule
    pauses: PauseRule
    milestones: tuple[MilestoneRule, ...] = Field(min_length=1)
    year_two_assessment: Identifier
    final_assessment: Identifier
    covered_by: dict[Identifier, Identifier] = Field(default_factory=dict)  # programme -> its milestone standing in

    @model_validator(mode="after")
    def _milestones_consistent(self) -> CareerFramework:
        _check_milestones(self.milestones)
        keys = {m.key for m in self.milestones}
        for name in (self.year_two_assessment, self.final_assessment, *self.covered_by):
            if name in self.covered_by:
                continue
            if name not in keys:
                raise ValueError(f"'{name}' is not one of the milestones")
        return self


def _check_milestones(milestones: tuple[MilestoneRule, ...]) -> None:
    seen: set[str] = set()
    last_offset = 0
    stretched = paused = False
    for milestone in milestones:
        if milestone.key in seen:
            raise ValueError(f"milestone '{milestone.key}' appears twice")
        if milestone.after is not None and milestone.after not in seen:
            raise ValueError(f"milestone '{milestone.key}' comes after '{milestone.after}', which is not listed before")
        if milestone.window is not None and milestone.anchor != "date_qualified":
            raise ValueError(f"milestone '{milestone.key}' counts to a start window: its anchor is date_qualified")
        if milestone.after is None and milestone.anchor == "programme_start":
            # Counted from the start, in file order: the order a worker meets them in, whatever the FTE.
            if milestone.offset_months < last_offset:
                raise ValueError(f"milestone '{milestone.key}' is listed after a later one; list them in date order")
            last_offset = milestone.offset_months
            # A step that part-time work or pauses do not move cannot follow one they do: it could overtake it.
            if (stretched and not milestone.pro_rata) or (paused and not milestone.pausable):
                raise ValueError(
                    f"milestone '{milestone.key}' is fixed but follows a milestone that part-time work or pauses "
                    "move; list fixed steps first"
                )
            stretched, paused = stretched or milestone.pro_rata, paused or milestone.pausable
        seen.add(milestone.key)


# --- eligibility: experienced practitioner and agency work -----------------------------------------------------------


class ExperienceCounting(Strict):
    """How post-qualifying experience (PQE) is counted, where the sources leave it open (R16, §2.5)."""

    count_prior_pqe: bool = True  # declared months elsewhere count
    undeclared_prior_pqe: Literal["zero", "since_qualifying"] = "zero"
    part_time_pro_rata: bool = False  # a 0.5 FTE month counts as half a month
    long_absences_count: bool = True  # long absences count as experience
    absence_min_days: int = Field(default=28, ge=1, le=366)


class ExperiencedRule(RuleSet):
    kind: Literal["experienced"]
    pqe_months: int = Field(ge=1, le=600)
    counting: ExperienceCounting


class AgencyRule(RuleSet):
    kind: Literal["agency"]
    in_force_from: date  # new assignments from this date
    all_assignments_from: date | None = None  # legacy assignments from this date
    min_pqe_months: int = Field(ge=0, le=600)
    requires_programme_passed: bool = False  # the 2023 proposal: a completed ASYE as well
    applies_to_qualified_from: date | None = None  # the 2023 proposal: graduates from April 2024
    counting: ExperienceCounting


# --- Social Work England registration and the ASYE grant ------------------------------------------------------------


class RegistrationRule(RuleSet):
    kind: Literal["registration"]
    number_pattern: str
    registration_year_ends: MonthDay  # "11-30": the register year runs 1 December - 30 November (R2)
    renewal_window_opens: MonthDay  # "09-01"

    @field_validator("number_pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return pattern


class GrantRule(RuleSet):
    """The DfE ASYE grant for one year (R12): claims at registration and at completion."""

    kind: Literal["grant"]
    programme: Identifier
    financial_year: Annotated[str, StringConstraints(pattern=r"^\d{4}/\d{2}$")]
    claims_from: date
    claims_to: date
    registration_amount: Decimal = Field(ge=0, decimal_places=2)
    completion_amount: Decimal = Field(ge=0, decimal_places=2)
    completion_for_registrations_from: date  # legacy registrations that can still claim completion
    on_programme_completion_date: date | None = None  # completion paid early for all still on the programme


# --- the council ---------------------------------------------------------------------------------------------------


class CouncilSettings(Strict):
    name: str = "Your council"
    runs_five_year_ecf: bool = False
    due_window_days: int = Field(default=28, ge=0, le=366)  # a milestone is "due" this many days ahead
    # by team, for the vacancy rate: 0 to 100,000 FTE (a whole national workforce), never negative or 1e308
    establishment_fte: dict[str, Annotated[Decimal, Field(ge=0, le=100000)]] = Field(default_factory=dict)
    # "<rule id>.<milestone key>" = false: a step the council does not track (no HR column): never overdue
    tracked: dict[str, bool] = Field(default_factory=dict)
    census: CouncilCensus = Field(default_factory=CouncilCensus)  # LA code and word maps for the census return
    # Leavers' personal data is kept this long after they leave, then anonymised (`ecf retention`). Default: the
    # IRMS Records Management Toolkit for Local Authorities' "termination of employment + 6 years" for personnel files.
    retention_years: int = Field(default=6, ge=1, le=100)
    # An import in which more than this share of the previous snapshot's workers in post vanish without a leaving
    # date is refused (a partial file imported as a whole month); --allow-drop overrides. A local setting.
    max_vanished_share: Decimal = Field(default=Decimal("0.10"), ge=0, le=1)


AnyRule = Annotated[
    Programme | CareerFramework | ExperiencedRule | AgencyRule | RegistrationRule | GrantRule,
    Field(discriminator="kind"),
]


class RuleBook(Strict):
    """Everything the engine needs to know about the rules, checked as a whole: one experienced-practitioner rule, one
    registration rule, programmes whose start periods do not overlap, grants that name a programme."""

    council: CouncilSettings
    rules: tuple[AnyRule, ...]
    origins: dict[str, str] = Field(default_factory=dict)  # rule id -> the file it came from

    @model_validator(mode="after")
    def _whole_book(self) -> RuleBook:
        ids = [rule.id for rule in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule ids used twice: {', '.join(duplicates)}")
        for kind in ("experienced", "registration"):
            count = sum(1 for rule in self.rules if rule.kind == kind)
            if count != 1:
                raise ValueError(f"exactly one '{kind}' rule is needed, found {count}")
        programmes = self.programmes
        if not programmes:
            raise ValueError("no programme (ASYE or ECDP) rule is loaded")
        for i, first in enumerate(programmes):
            for second in programmes[i + 1 :]:
                if first.applies.period.overlaps(second.applies.period):
                    raise ValueError(f"programmes '{first.id}' and '{second.id}' cover overlapping start dates")
        names = {p.id for p in programmes}
        for grant in self.grants:
            if grant.programme not in names:
                raise ValueError(f"grant '{grant.id}' names programme '{grant.programme}', which is not loaded")
        stepped: list[Programme | CareerFramework] = [*programmes, *self.career_frameworks]
        steps = {f"{rule.id}.{m.key}" for rule in stepped for m in rule.milestones}
        for step in self.council.tracked:
            if step not in steps:
                raise ValueError(f"council.tracked: '{step}' is not a milestone (give '<rule id>.<milestone key>')")
        for framework in self.career_frameworks:
            for programme in framework.covered_by:
                if programme not in names:
                    raise ValueError(f"'{framework.id}' covered_by names programme '{programme}', which is not loaded")
        return self

    @property
    def programmes(self) -> list[Programme]:
        return [rule for rule in self.rules if isinstance(rule, Programme)]

    @property
    def career_frameworks(self) -> list[CareerFramework]:
        return [rule for rule in self.rules if isinstance(rule, CareerFramework)]

    @property
    def experienced(self) -> ExperiencedRule:
        return next(rule for rule in self.rules if isinstance(rule, ExperiencedRule))

    @property
    def agency_rules(self) -> list[AgencyRule]:
        return [rule for rule in self.rules if isinstance(rule, AgencyRule)]

    @property
    def registration(self) -> RegistrationRule:
        return next(rule for rule in self.rules if isinstance(rule, RegistrationRule))

    @property
    def grants(self) -> list[GrantRule]:
        return [rule for rule in self.rules if isinstance(rule, GrantRule)]

    @property
    def active_career_framework(self) -> CareerFramework | None:
        """The five-year ECF, when the council runs one."""
        if not self.council.runs_five_year_ecf:
            return None
        return next(iter(self.career_frameworks), None)

    def programme_for(self, start: date) -> Programme | None:
        return next((p for p in self.programmes if p.applies.period.contains(start)), None)
