"""The census return built from the monthly snapshots: who is in it, and each derived item.

The population follows the workforce indicators' conventions (ecf/progression/indicators.py), so the figures the DfE
will publish from the return equal `ecf indicators` on the reference date: a worker is in post at 30 September when the
reference snapshot (the newest on or before it) has them without a leaving date on or before it; a leaver left in the
census year, by the leaving date or, for a worker gone from the sheets without one, at the first snapshot missing them.
Each spell of employment (a leaver who comes back) is its own record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ecf.census.items import NO_ITEMS, CensusItems
from ecf.census.settings import CouncilCensus
from ecf.census.spec import CensusSpec, lookup
from ecf.domain.period import Period
from ecf.domain.worker import Absence, ContractType, WorkerRecord
from ecf.progression.calendar import add_months
from importers.fields import normalise_header

Value = str | int | Decimal | date
SIX, TWO, ONE = Decimal("0.000001"), Decimal("0.01"), Decimal("0.1")


@dataclass(frozen=True)
class Spell:
    """One worker's spell of employment as the snapshots up to the reference date show it."""

    last: WorkerRecord  # the spell's newest row (on or before the reference date)
    last_seen: date
    absences: tuple[Absence, ...]
    left_on: date | None  # a leaving date, or the first snapshot missing them; None: in post at the reference date
    dated: bool  # the leaving date is HR's, not inferred from the sheets

    @property
    def is_leaver(self) -> bool:
        return self.left_on is not None

    @property
    def agency(self) -> bool:
        return self.last.contract_type is ContractType.AGENCY


@dataclass(frozen=True)
class WorkerReturn:
    """One CSWWWorker record: its items by census name (only those known), and what the checks need besides."""

    employee_id: str
    team: str | None
    spell: Spell
    items: dict[str, Value] = field(default_factory=dict)

    @property
    def is_leaver(self) -> bool:
        return self.spell.is_leaver

    @property
    def agency(self) -> bool:
        return self.spell.agency

    @property
    def in_post(self) -> bool:
        return not self.spell.is_leaver


@dataclass(frozen=True)
class LaLevel:
    vacancies: Decimal | None  # None: the council has not given its establishment
    agency_fte: Decimal
    agency_headcount: int


@dataclass(frozen=True)
class CensusReturn:
    spec: CensusSpec
    la_code: str | None
    reference_snapshot: date | None  # the newest snapshot on or before the reference date
    la_level: LaLevel
    workers: tuple[WorkerReturn, ...]


def census_spells(snapshots: Mapping[date, Mapping[str, WorkerRecord]], spec: CensusSpec) -> list[Spell]:
    """Every spell in the census: in post at the reference date or left during the year. `snapshots` are the active
    snapshots by date; those after the reference date are ignored."""
    found = SpellsSeen(spec)
    for day in sorted(snapshots):
        found.add(day, snapshots[day])
    return found.spells()


class SpellsSeen:
    """The census year's spells, a snapshot at a time (oldest first): each spell keeps its newest record, the day it
    was last seen and its absences, never every month's record (thirteen months of a national workforce are half a
    million records)."""

    def __init__(self, spec: CensusSpec) -> None:
        self.spec = spec
        self.dates: list[date] = []
        # (employee ID, start date) -> the newest record, the day it was seen, its absences by start (newest account)
        self.seen: dict[tuple[str, date], tuple[WorkerRecord, date, dict[date, Absence]]] = {}

    def add(self, day: date, records: Mapping[str, WorkerRecord]) -> None:
        if day > self.spec.reference_date:
            return
        if self.dates and day <= self.dates[-1]:
            raise ValueError("snapshots are added oldest first")
        self.dates.append(day)
        seen = self.seen
        for record in records.values():
            key = (record.employee_id, record.start_date)
            earlier = seen.get(key)
            absences = earlier[2] if earlier is not None else {}
            for absence in record.absences:
                absences[absence.period.start] = absence
            seen[key] = (record, day, absences)

    def spells(self) -> list[Spell]:
        spec, dates = self.spec, self.dates
        if not dates:
            return []
        newest = dates[-1]
        spells = []
        for last, last_seen, absences in self.seen.values():
            if last.start_date > spec.reference_date:
                continue  # a booked starter: not employed in the year
            dated = last.leaving_date is not None and last.leaving_date <= newest
            if dated:
                left_on: date | None = last.leaving_date
            elif last_seen < newest:
                left_on = next(d for d in dates if d > last_seen)
            else:
                left_on = None
            if left_on is not None and not spec.year_start <= left_on <= spec.reference_date:
                continue
            spells.append(Spell(last, last_seen, tuple(absences[start] for start in sorted(absences)), left_on, dated))
        return sorted(spells, key=lambda s: (s.last.employee_id, s.last.start_date))


def build_return(
    spec: CensusSpec,
    council: CouncilCensus,
    spells: Sequence[Spell],
    items: Mapping[str, CensusItems],
    stages: Mapping[str, str],
    la_level: LaLevel,
    reference_snapshot: date | None,
    la_code: str | None = None,
) -> CensusReturn:
    """The return: `stages` are the progression engine's stage of each worker (by employee ID) at the reference date,
    or the day before leaving for a leaver."""
    maps = _Maps(spec, council)
    workers = tuple(
        WorkerReturn(
            s.last.employee_id,
            s.last.team,
            s,
            worker_items(spec, maps, s, items.get(s.last.employee_id, NO_ITEMS), stages.get(s.last.employee_id)),
        )
        for s in spells
    )
    return CensusReturn(spec, la_code or council.la_code, reference_snapshot, la_level, workers)


class _Maps:
    """The year's default word maps with the council's own over them, each matched ignoring case and punctuation."""

    def __init__(self, spec: CensusSpec, council: CouncilCensus) -> None:
        self.org_role = lookup({**_labels(spec, "OrgRole"), **spec.maps.OrgRole, **council.role_codes})
        self.reason_leave = lookup({**_labels(spec, "ReasonLeave"), **spec.maps.ReasonLeave, **council.leaving_reasons})
        self.destination = lookup({**spec.maps.LeaverDestination, **council.leaver_destinations})
        self.absence = spec.maps.ReasonAbsence
        self.cfkss = spec.maps.CFKSSstatus


def _labels(spec: CensusSpec, item: str) -> dict[str, str]:
    """The code set's own labels as words for its codes: a census return read back ("Case holder") maps to its code."""
    return {label: code for code, label in spec.codes.get(item, {}).items()}


def _word(mapping: Mapping[str, str], text: str | None) -> str | None:
    return None if text is None else mapping.get(normalise_header(text))


def worker_items(
    spec: CensusSpec, maps: _Maps, spell: Spell, census: CensusItems, stage: str | None
) -> dict[str, Value]:
    """Every item of one record that can be worked out, by its census name, in schema order."""
    record, ref = spell.last, spec.reference_date
    leaver = spell.is_leaver
    items: dict[str, Value | None] = {
        "AgencyWorker": "1" if spell.agency else "0",
        "SWENo": swe_number(record.swe_number, spec.settings.swe_digits),
        "FTE": record.fte.quantize(SIX),
        "PersonBirthDate": census.date_of_birth,
        "GenderCurrent": census.gender,
        "Ethnicity": census.ethnicity,
        "QualInst": census.qual_institution,
        "QualLevel": census.qual_level,
        "StepUpGrad": census.step_up_grad,
        "OrgRole": org_role(spec, maps, record, leaver),
        "RoleStartDate": record.start_date,
        "StartOrigin": census.start_origin or _newly_qualified(spec, record),
    }
    if leaver:
        items["RoleEndDate"] = spell.left_on if spell.dated else None
        items["LeaverDestination"] = census.leaver_destination or _word(maps.destination, record.leaving_reason)
        items["ReasonLeave"] = _word(maps.reason_leave, record.leaving_reason)
    items["FTE30"] = Decimal(0).quantize(SIX) if leaver else record.fte.quantize(SIX)
    if not leaver:
        items["Cases30"] = record.caseload
    if not spell.agency:
        items["WorkingDaysLost"] = working_days_lost(spell, spec)
    if spell.agency:
        items["ContractWeeks"] = contract_weeks(spell, spec)
    items["FrontlineGrad"] = census.frontline_grad
    if not leaver:
        absence = absent_on(spell, ref)
        items["Absat30Sept"] = "1" if absence else "0"
        if absence is not None:
            items["ReasonAbsence"] = census.reason_for_absence or maps.absence.get(absence.absence_type.value)
    items["CFKSSstatus"] = cfkss(maps, stage, items.get("OrgRole"))
    return {name: value for name, value in items.items() if value is not None}


def swe_number(number: str | None, digits: int) -> str | None:
    """The SWE number as the census writes it: its digits zero-padded to `digits` (0: as registered)."""
    if not number:
        return None
    letters, rest = number[:2], number[2:]
    return letters + rest.zfill(digits) if digits and rest.isdigit() else number


def org_role(spec: CensusSpec, maps: _Maps, record: WorkerRecord, leaver: bool) -> str | None:
    code = _word(maps.org_role, record.role)
    if code == "5" and not leaver and not record.caseload:
        return spec.settings.case_holder_without_cases
    return code


def _newly_qualified(spec: CensusSpec, record: WorkerRecord) -> str | None:
    """StartOrigin 1 for a starter in the year who qualified within the setting's months before starting."""
    if not spec.in_year(record.start_date) or record.date_qualified is None:
        return None
    recently = add_months(record.start_date, -spec.settings.newly_qualified_within_months) <= record.date_qualified
    return "1" if recently else None


def cfkss(maps: _Maps, stage: str | None, role: object) -> str | None:
    if stage is not None and stage in maps.cfkss.stage:
        return maps.cfkss.stage[stage]
    if isinstance(role, str) and role in maps.cfkss.org_role:
        return maps.cfkss.org_role[role]
    return maps.cfkss.default


def employed_in_year(spell: Spell, spec: CensusSpec) -> Period | None:
    """The part of the spell inside the census year."""
    start = max(spell.last.start_date, spec.year_start)
    end = min(spell.left_on or spec.reference_date, spec.reference_date)
    if spell.left_on is not None and not spell.dated:
        end = min(end, spell.last_seen)  # gone from the sheets: employed until last seen, as far as anyone knows
    return Period(start, end) if start <= end else None


def working_days_lost(spell: Spell, spec: CensusSpec) -> Decimal:
    """Weekdays of the counted absence types inside both the census year and the employment (spec notes)."""
    employed = employed_in_year(spell, spec)
    if employed is None:
        return Decimal(0).quantize(TWO)
    counted = set(spec.settings.working_days_lost_types)
    days = 0
    for absence in spell.absences:
        if absence.absence_type.value not in counted:
            continue
        start = max(absence.period.start, employed.start)
        end = min(absence.period.end or employed.end or spec.reference_date, employed.end or spec.reference_date)
        days += weekdays(start, end)
    return Decimal(days).quantize(TWO)


def weekdays(start: date, end: date) -> int:
    """Monday to Friday from `start` to `end`, both inclusive (0 if end is before start)."""
    if end < start:
        return 0
    total = (end - start).days + 1
    whole, rest = divmod(total, 7)
    count = whole * 5
    for offset in range(rest):
        if (start + timedelta(days=whole * 7 + offset)).weekday() < 5:
            count += 1
    return count


def contract_weeks(spell: Spell, spec: CensusSpec) -> Decimal:
    """An agency worker's weeks engaged in the census year (days / 7, to one decimal)."""
    employed = employed_in_year(spell, spec)
    if employed is None or employed.end is None:
        return Decimal(0).quantize(ONE)
    days = (employed.end - employed.start).days + 1
    return (Decimal(days) / 7).quantize(ONE, rounding=ROUND_HALF_UP)


def absent_on(spell: Spell, day: date) -> Absence | None:
    return next((a for a in spell.absences if a.period.contains(day)), None)
