"""Post-qualifying experience (PQE): how many months a worker has, and the day they reach a threshold.

PQE = declared months elsewhere + months employed here after qualifying (every spell, so a leaver who returns keeps
their first spell), optionally pro rata to FTE and less long absences, as the rule's `counting` settings say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ecf.domain.frozen import stored_at_once
from ecf.domain.period import Period
from ecf.domain.worker import AbsenceType
from ecf.progression.calendar import add_days, add_months, uk, whole_months_between
from ecf.progression.facts import WorkerFacts, once
from ecf.progression.rules import ExperienceCounting
from ecf.progression.schedule import Pause, pauses_from, shift_by_pauses

ALL_ABSENCES = tuple(AbsenceType)


@stored_at_once
@dataclass(frozen=True, slots=True)
class Experience:
    months: int  # whole months of PQE on the as-of date
    reached_on: date | None  # the day the threshold is reached; None if not before leaving
    explanation: str


def service_spells(facts: WorkerFacts, spells: list[Period] | None = None) -> list[Period]:
    """Employment here on or after qualifying, oldest first. `spells` saves re-deriving them when known."""
    record = facts.record
    if spells is None:
        spells = sorted({*facts.earlier_spells, record.employment}) if facts.earlier_spells else [record.employment]
    qualified = record.qualified_on
    if (len(spells) == 1 and spells[0].start >= qualified) or all(spell.start >= qualified for spell in spells):
        return spells  # the usual case: hired after qualifying, nothing to clip
    kept: list[Period] = []
    for spell in spells:
        if spell.end is not None and spell.end < qualified:
            continue
        kept.append(spell if spell.start >= qualified else Period(qualified, spell.end))
    return kept


def prior_months(facts: WorkerFacts, counting: ExperienceCounting, spells: list[Period]) -> int:
    record = facts.record
    if not counting.count_prior_pqe:
        return 0
    if record.prior_pqe_months is not None:
        return record.prior_pqe_months
    if counting.undeclared_prior_pqe == "since_qualifying" and spells:
        return whole_months_between(record.qualified_on, spells[0].start)
    return 0


def prior_text(facts: WorkerFacts, counting: ExperienceCounting, months: int) -> str:
    if not counting.count_prior_pqe:
        return ""
    if facts.record.prior_pqe_months is not None:
        return f"{months} months' declared PQE"
    if counting.undeclared_prior_pqe == "since_qualifying" and months:
        return f"{months} months since qualifying before joining (prior PQE not declared)"
    return ""


def simple_reached_on(facts: WorkerFacts, counting: ExperienceCounting, threshold: int) -> date | bool | None:
    """The threshold date for the usual worker (one spell since qualifying, counted in full, prior PQE declared or
    none), without building anything; False when the worker needs the full count."""
    record = facts.record
    if facts.earlier_spells or record.start_date < record.qualified_on:
        return False
    if counting.part_time_pro_rata and record.fte != 1:
        return False
    if not counting.long_absences_count and record.absences:
        return False
    if record.prior_pqe_months is None and counting.undeclared_prior_pqe == "since_qualifying":
        return False
    prior = record.prior_pqe_months or 0 if counting.count_prior_pqe else 0
    if prior >= threshold:
        return record.start_date
    day = add_months(record.start_date, threshold - prior)
    leaving = record.leaving_date
    return day if leaving is None or day <= add_days(leaving, 1) else None


class ExperienceCounter:
    """One worker's PQE under one way of counting: the months on the as-of date, and when any threshold is reached.
    Built once per worker and counting rule, then asked about several thresholds (experienced, agency rules)."""

    def __init__(
        self, facts: WorkerFacts, counting: ExperienceCounting, as_of: date, spells: list[Period] | None = None
    ) -> None:
        self.spells = service_spells(facts, spells)
        self.facts, self.counting = facts, counting
        self.prior = prior_months(facts, counting, self.spells)
        self.factor = facts.record.fte if counting.part_time_pro_rata else Decimal(1)
        self.excluded = _excluded(facts, counting, as_of)
        self.qualified = facts.record.qualified_on
        self.as_of = as_of

    @once  # not functools.cached_property: its lock costs more than the count (see once)
    def months(self) -> int:
        """Whole months of PQE on the as-of date."""
        return self.prior + sum(_months_in(s, self.factor, self.excluded, self.as_of) for s in self.spells)

    def reached_on(self, threshold: int) -> date | None:
        """The day the threshold is reached, without the working (the common case of one spell, counted in full,
        is a single month addition; anything else takes the full route)."""
        if len(self.spells) == 1 and self.factor == 1 and not self.excluded:
            spell = self.spells[0]
            if self.prior >= threshold:
                return spell.start
            day = add_months(spell.start, threshold - self.prior)
            return day if spell.end is None or day <= add_days(spell.end, 1) else None
        return self.reach(threshold).reached_on

    def reach(self, threshold: int) -> Experience:
        text = prior_text(self.facts, self.counting, self.prior)
        reached, how = _reached(self.prior, text, self.spells, self.factor, self.excluded, threshold, self.qualified)
        return Experience(self.months, reached, how)


def _excluded(facts: WorkerFacts, counting: ExperienceCounting, as_of: date) -> tuple[Pause, ...]:
    if counting.long_absences_count:
        return ()
    return pauses_from(facts.record.absences, ALL_ABSENCES, counting.absence_min_days, as_of, breaks_in_service=False)


def _months_in(spell: Period, factor: Decimal, excluded: tuple[Pause, ...], as_of: date) -> int:
    end = spell.end if spell.end is not None and spell.end <= as_of else as_of
    if end < spell.start:
        return 0
    away = sum(p.days for p in excluded if spell.start <= p.period.start <= end) if excluded else 0
    months = whole_months_between(spell.start, add_days(end, 1 - away))
    return months if factor == 1 else int(months * factor)


def _reached(
    prior: int,
    prior_text: str,
    spells: list[Period],
    factor: Decimal,
    excluded: tuple[Pause, ...],
    threshold: int,
    qualified: date,
) -> tuple[date | None, str]:
    head = f"qualified {uk(qualified)}"
    if prior >= threshold:
        joined = spells[0].start if spells else qualified
        return joined, f"{head}; already {threshold} months on joining ({prior_text})"
    needed = threshold - prior
    parts = [prior_text] if prior_text else []
    for spell in spells:
        stretched = math.ceil(Decimal(needed) / factor)
        day = add_months(spell.start, stretched)
        day, used = shift_by_pauses(day, excluded, spell.start)
        if spell.end is None or day <= add_days(spell.end, 1):
            parts.append(_spell_text(needed, spell.start, factor, stretched))
            parts.extend(f"+ {pause.describe()} not counted" for pause in used)
            return day, f"{head}; {' + '.join(parts)} = {threshold} months on {uk(day)}"
        done = _months_in(spell, factor, excluded, spell.end)
        needed -= done
        parts.append(f"{done} months here {uk(spell.start)}-{uk(spell.end)}")
    return None, f"{head}; {' + '.join(parts) or 'no service'}: short of {threshold} months when they leave"


def _spell_text(needed: int, start: date, factor: Decimal, stretched: int) -> str:
    if factor == 1:
        return f"{needed} months here from {uk(start)}"
    return f"{needed} months here from {uk(start)} at {factor.normalize():f} FTE ({stretched} months)"
