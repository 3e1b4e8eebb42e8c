"""Readiness of a return: the items each record lacks, and the DfE's validation checks it would fail (those the year's
specification lists). Pure: findings name the worker's employee ID and team, never their name."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ecf.census.build import CensusReturn, WorkerReturn
from ecf.census.spec import CensusSpec

YES_NO = ("AgencyWorker", "StepUpGrad", "FrontlineGrad", "Absat30Sept")


@dataclass(frozen=True, slots=True)
class Finding:
    employee_id: str
    team: str | None
    code: str  # "missing" for a lacking item, else the check's code from the specification
    item: str  # the census item concerned
    message: str


@dataclass(frozen=True)
class Readiness:
    spec: CensusSpec
    records: int
    missing: tuple[Finding, ...]
    failing: tuple[Finding, ...]
    return_level: tuple[str, ...]  # findings about the return as a whole (LA code, vacancies, snapshots)

    @property
    def complete_records(self) -> int:
        incomplete = {f.employee_id for f in self.missing} | {f.employee_id for f in self.failing}
        return self.records - len(incomplete)

    def missing_by_item(self) -> dict[str, Counter[str]]:
        """Item -> team -> number of records lacking it, in the specification's item order."""
        found: dict[str, Counter[str]] = defaultdict(Counter)
        for finding in self.missing:
            found[finding.item][finding.team or "(no team)"] += 1
        return {name: found[name] for name in self.spec.item_names if name in found}

    def failing_by_check(self) -> dict[str, Counter[str]]:
        found: dict[str, Counter[str]] = defaultdict(Counter)
        for finding in self.failing:
            found[finding.code][finding.team or "(no team)"] += 1
        return dict(sorted(found.items()))


def readiness(census: CensusReturn) -> Readiness:
    spec = census.spec
    missing = [f for worker in census.workers for f in missing_items(spec, worker)]
    failing = [f for worker in census.workers for f in failed_checks(spec, worker)]
    failing += duplicate_swe_numbers(spec, census)
    return Readiness(spec, len(census.workers), tuple(missing), tuple(failing), tuple(return_level(census)))


def _applies(required: str, worker: WorkerReturn, spec: CensusSpec) -> bool:
    if required == "starter":
        return spec.in_year(worker.spell.last.start_date)
    rules: dict[str, Callable[[WorkerReturn], bool]] = {
        "all": lambda w: True,
        "employee": lambda w: not w.agency,
        "in_post": lambda w: w.in_post,
        "leaver": lambda w: w.is_leaver,
        "la_leaver": lambda w: w.is_leaver and not w.agency,
        "agency": lambda w: w.agency,
        "absent": lambda w: w.items.get("Absat30Sept") == "1",
        "none": lambda w: False,
    }
    return rules[required](worker)


def missing_items(spec: CensusSpec, worker: WorkerReturn) -> Iterator[Finding]:
    for item in spec.items:
        if item.name not in worker.items and _applies(item.required, worker, spec):
            yield Finding(worker.employee_id, worker.team, "missing", item.name, f"{item.label} missing")


def failed_checks(spec: CensusSpec, worker: WorkerReturn) -> Iterator[Finding]:
    items = worker.items

    def fail(code: str, item: str) -> Finding:
        return Finding(worker.employee_id, worker.team, code, item, spec.check_message(code))

    if worker.is_leaver and not worker.agency and "ReasonLeave" not in items:
        yield fail("leaver-needs-reason", "ReasonLeave")
    if worker.is_leaver and not worker.agency and "LeaverDestination" not in items:
        yield fail("leaver-needs-destination", "LeaverDestination")
    fte = items.get("FTE")
    if worker.in_post and isinstance(fte, Decimal) and not Decimal(0) < fte <= Decimal(1):
        yield fail("fte-out-of-range", "FTE")
    swe = items.get("SWENo")
    if isinstance(swe, str) and not re.fullmatch(spec.swe.pattern, swe):
        yield fail("swe-number-pattern", "SWENo")
    start, end = items.get("RoleStartDate"), items.get("RoleEndDate")
    if start is not None and end is not None and start > end:  # type: ignore[operator]
        yield fail("role-start-after-end", "RoleStartDate")
    if end is not None and not spec.year_start <= end <= spec.reference_date:  # type: ignore[operator]
        yield fail("date-outside-year", "RoleEndDate")
    if start is not None and start > spec.reference_date:  # type: ignore[operator]
        yield fail("start-after-reference", "RoleStartDate")
    if worker.is_leaver and not worker.spell.dated:
        yield fail("left-without-date", "RoleEndDate")
    if worker.agency and items.get("ContractWeeks") == Decimal(0):
        yield fail("agency-contract-weeks", "ContractWeeks")
    if items.get("Absat30Sept") == "1" and "ReasonAbsence" not in items:
        yield fail("absent-needs-reason", "ReasonAbsence")
    cases = items.get("Cases30")
    if isinstance(cases, int) and cases > 0 and items.get("OrgRole") == "6":
        yield fail("cases-without-role", "OrgRole")
    for name in spec.codes:  # every item whose code set the year's specification gives, value by value
        value = items.get(name)
        if value is not None and str(value) not in spec.codes.get(name, {}):
            yield fail("code-not-in-set", name)
    for name in YES_NO:
        value = items.get(name)
        if value is not None and value not in ("0", "1"):
            yield fail("code-not-in-set", name)


def duplicate_swe_numbers(spec: CensusSpec, census: CensusReturn) -> list[Finding]:
    """The same SWE number on records of different workers (a returner's two spells share theirs)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for worker in census.workers:
        swe = worker.items.get("SWENo")
        if isinstance(swe, str):
            owners[swe].add(worker.employee_id)
    message = spec.check_message("duplicate-swe-number")
    return [
        Finding(w.employee_id, w.team, "duplicate-swe-number", "SWENo", message)
        for w in census.workers
        if isinstance(swe := w.items.get("SWENo"), str) and len(owners[swe]) > 1
    ]


def return_level(census: CensusReturn) -> Iterator[str]:
    spec = census.spec
    if not census.la_code:
        yield "no LA code: set la_code under [council.census] in the council's rules file (ecf rules set FILE)"
    if census.reference_snapshot is None:
        yield f"no snapshot on or before {spec.reference_date:%d/%m/%Y}: import the HR sheets of the census year"
    elif census.reference_snapshot < spec.reference_date:
        yield (f"the newest snapshot is {census.reference_snapshot:%d/%m/%Y}: point-in-time items are as of then, "
               f"not {spec.reference_date:%d/%m/%Y}; import the {spec.reference_date:%d/%m/%Y} sheet")  # fmt: skip
    if census.la_level.vacancies is None:
        yield "no establishment, so no NumberOfVacancies (the return needs it): give [council.establishment_fte]"
    if not census.workers:
        yield "no workers in the census year: the schema needs at least one CSWWWorker"
