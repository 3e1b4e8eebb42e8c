"""Post-qualifying experience (PQE): how many months a worker has, and the day they reach a threshold.

PQE = declared months elsewhere + months employed here after qualifying (every spell, so a leaver who returns keeps
their first spell), optionally pro rata to FTE and less long absences, as the rule's `counting` settings say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ecf.domain.period import Period
from ecf.domain.worker import AbsenceType
from ecf.progression.calendar import add_days, add_months, uk, whole_months_between
from ecf.progression.facts import WorkerFacts
from ecf.progression.rules import ExperienceCounting
from ecf.progression.schedule import Pause, pauses_from, shift_by_pauses

ALL_ABSENCES = tuple(AbsenceType)


@dataclass(frozen=True, slots=True)
class Experience:
    months: int  # whole months of PQE on the as-of date
    reached_on: date | None  # the day the threshold is reached; None if not before leaving
    explanation: str


def service_spells(facts: WorkerFacts) -> list[Period]:
    """Employment here on or after qualifying, oldest first."""
    record = facts.record
    spells = sorted({*facts.earlier_spells, record.employment})
    qualified = record.date_qualified
    kept: list[Period] = []
    for spell in spells:
        if spell.end is not None and spell.end < qualified:
            continue
        kept.append(Period(max(spell.start, qualified), spell.end))
    return kept


def prior_months(facts: WorkerFacts, counting: ExperienceCounting, spells: list[Period]) -> tuple[int, str]:
    record = facts.record
    if not counting.count_prior_pqe:
        return 0, ""
    if record.prior_pqe_months is not None:
        return record.prior_pqe_months, f"{record.prior_pqe_months} months' declared PQE"
    if counting.undeclared_prior_pqe == "since_qualifying" and spells:
        months = whole_months_between(record.date_qualified, spells[0].start)
        return months, f"{months} months since qualifying before joining (prior PQE not declared)"
    return 0, ""


def experience(facts: WorkerFacts, counting: ExperienceCounting, threshold: int, as_of: date) -> Experience:
    spells = service_spells(facts)
    prior, prior_text = prior_months(facts, counting, spells)
    factor = facts.record.fte if counting.part_time_pro_rata else Decimal(1)
    excluded = _excluded(facts, counting, as_of)
    months = prior + sum(_months_in(spell, factor, excluded, as_of) for spell in spells)
    reached, how = _reached(prior, prior_text, spells, factor, excluded, threshold, facts.record.date_qualified)
    return Experience(months, reached, how)


def _excluded(facts: WorkerFacts, counting: ExperienceCounting, as_of: date) -> tuple[Pause, ...]:
    if counting.long_absences_count:
        return ()
    return pauses_from(facts.record.absences, ALL_ABSENCES, counting.absence_min_days, as_of, breaks_in_service=False)


def _months_in(spell: Period, factor: Decimal, excluded: tuple[Pause, ...], as_of: date) -> int:
    end = spell.end if spell.end is not None and spell.end <= as_of else as_of
    if end < spell.start:
        return 0
    away = sum(p.days for p in excluded if spell.start <= p.period.start <= end)
    months = whole_months_between(spell.start, add_days(end, 1 - away))
    return int(months * factor)


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
