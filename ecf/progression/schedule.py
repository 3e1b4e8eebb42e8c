"""Due dates: a milestone's offset from its anchor, stretched for part-time work, pushed back by pauses, capped.

Each date comes with its working as one line ("ASYE start 14/09/2025 + 6 months at 0.6 FTE (10 months) + 41 days'
maternity leave = 24/08/2026"), so a workforce lead can check it by hand.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from ecf.domain.frozen import stored_at_once
from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType
from ecf.progression.calendar import add_days, add_months, add_years, uk
from ecf.progression.rules import MilestoneRule, PartTimeRule

ABSENCE_WORDS = {
    AbsenceType.MATERNITY: "maternity leave",
    AbsenceType.PATERNITY: "paternity leave",
    AbsenceType.ADOPTION: "adoption leave",
    AbsenceType.SHARED_PARENTAL: "shared parental leave",
    AbsenceType.SICKNESS: "sickness absence",
    AbsenceType.BEREAVEMENT: "bereavement leave",
    AbsenceType.UNPAID: "unpaid leave",
    AbsenceType.OTHER: "absence",
}


@dataclass(frozen=True, slots=True)
class Pause:
    """Days that do not count towards a programme: a long absence, or a break between two spells of employment."""

    period: Period  # always closed: an ongoing absence is counted up to the as-of date
    what: str
    ongoing: bool = False

    @property
    def days(self) -> int:
        assert self.period.end is not None
        return (self.period.end - self.period.start).days + 1

    def describe(self) -> str:
        return f"{self.days} days' {self.what}{' (ongoing)' if self.ongoing else ''}"


def pauses_from(
    absences: Iterable[Absence],
    absence_types: Iterable[AbsenceType],
    min_days: int,
    as_of: date,
    spells: Sequence[Period] = (),
    breaks_in_service: bool = True,
) -> tuple[Pause, ...]:
    """The pauses a rule recognises. A finished absence pauses if it lasted `min_days` or more; an ongoing one pauses
    from its first day (the worker is away now), counted up to the as-of date."""
    kinds = set(absence_types)
    found: list[Pause] = []
    for absence in dict.fromkeys(absences):  # the same absence reported twice pauses once
        if absence.absence_type not in kinds:
            continue
        what = ABSENCE_WORDS[absence.absence_type]
        if absence.period.end is None:
            found.append(Pause(Period(absence.period.start, max(absence.period.start, as_of)), what, ongoing=True))
        elif (absence.period.end - absence.period.start).days + 1 >= min_days:
            found.append(Pause(absence.period, what))
    if breaks_in_service:
        found.extend(breaks_between(spells))
    return tuple(sorted(found, key=lambda pause: pause.period.start))


def breaks_between(spells: Sequence[Period]) -> list[Pause]:
    ordered = sorted(spells)
    gaps: list[Pause] = []
    for earlier, later in itertools.pairwise(ordered):
        if earlier.end is not None and (later.start - earlier.end).days > 1:
            gap = Period(earlier.end + timedelta(days=1), later.start - timedelta(days=1))
            gaps.append(Pause(gap, "break in service"))
    return gaps


def shift_by_pauses(day: date, pauses: Sequence[Pause], not_before: date) -> tuple[date, list[Pause]]:
    """Push `day` back by every pause that starts on or before it (and on or after `not_before`); a pause that
    begins inside the days already added counts too. Only the part of a pause from `not_before` counts."""
    used: list[Pause] = []
    for pause in pauses:
        if pause.period.end is None or pause.period.end < not_before:
            continue
        counted = (
            pause
            if pause.period.start >= not_before
            else Pause(Period(not_before, pause.period.end), pause.what, pause.ongoing)
        )
        if counted.period.start <= day:
            day = add_days(day, counted.days)
            used.append(counted)
    return day, used


def stretched_months(months: int, fte: Decimal, part_time: PartTimeRule, pro_rata: bool) -> int:
    """Months needed at this FTE: the full-time months divided by the FTE, rounded up to whole months (R6)."""
    if not pro_rata or part_time.rule == "none" or fte >= 1 or months == 0:
        return months
    return math.ceil(Decimal(months) / fte)


@stored_at_once
@dataclass(frozen=True, slots=True)
class Scheduled:
    due: date
    explanation: str


def schedule_milestone(
    milestone: MilestoneRule,
    *,
    anchor_day: date,
    anchor_label: str,
    fte: Decimal,
    part_time: PartTimeRule,
    pauses: Sequence[Pause],
    not_before: date,
    extension_months: int = 0,
) -> Scheduled:
    months = stretched_months(milestone.offset_months, fte, part_time, milestone.pro_rata)
    parts = [f"{anchor_label} {uk(anchor_day)}"]
    if months != milestone.offset_months:
        parts.append(f"+ {_months(milestone.offset_months)} at {_fte(fte)} FTE ({_months(months)})")
    elif months:
        parts.append(f"+ {_months(months)}")
    if extension_months:
        parts.append(f"+ {_months(extension_months)}' extension")
        months += extension_months
    due = add_months(anchor_day, months)
    if milestone.pausable and pauses:
        due, used = shift_by_pauses(due, pauses, not_before)
        parts.extend(f"+ {pause.describe()}" for pause in used)
    text = " ".join(parts) + f" = {uk(due)}"
    return Scheduled(due, text)


def programme_cap(start: date, qualified: date, part_time: PartTimeRule) -> tuple[date, str] | None:
    """The council's cap on the programme's elapsed length, if it sets one: programme start + the maximum length,
    or qualified + the year limit, whichever is sooner. It never moves a date; passing it is an alert."""
    caps: list[tuple[date, str]] = []
    if part_time.max_months is not None:
        caps.append((add_months(start, part_time.max_months), f"{_months(part_time.max_months)} from the start"))
    if part_time.qualification_limit_years is not None:
        years = part_time.qualification_limit_years
        caps.append((add_years(qualified, years), f"{years} years from qualifying"))
    return min(caps, key=lambda cap: cap[0]) if caps else None


def _months(count: int) -> str:
    return "1 month" if count == 1 else f"{count} months"


@lru_cache(maxsize=256)
def _fte(fte: Decimal) -> str:
    return f"{fte.normalize():f}"
