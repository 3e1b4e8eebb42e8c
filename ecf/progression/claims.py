"""What a worker's assessment says beyond milestones: experienced and agency eligibility, grant claims and alerts.

Worked out only when read (see Assessment): functions of the engine's Assessor, split out of ecf.progression.engine
by concept."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ecf.domain.worker import AsyeStatus, ContractType
from ecf.progression.calendar import add_months, add_years, financial_year, uk
from ecf.progression.facts import Alert, Eligibility, GrantClaim, Outcome, Stage
from ecf.progression.rules import AgencyRule, GrantRule, MilestoneRule, Programme
from ecf.progression.schedule import programme_cap
from ecf.progression.steps import lower

if TYPE_CHECKING:
    from ecf.progression.engine import Assessor


# --- eligibility -----------------------------------------------------------------------------------------------


def experienced(a: Assessor) -> Eligibility:
    rule = a.engine.experienced
    reached = a.counter(rule.counting).reach(rule.pqe_months)
    eligible = reached.reached_on is not None and reached.reached_on <= a.as_of
    return Eligibility(rule.id, rule.name, a.engine.status[rule.id], reached.reached_on, eligible, reached.explanation)


def agency(a: Assessor, rule: AgencyRule, programme_end: date | None) -> Eligibility:
    record = a.record
    if rule.applies_to_qualified_from is not None and record.qualified_on < rule.applies_to_qualified_from:
        text = f"does not apply: qualified {uk(record.qualified_on)}, before {uk(rule.applies_to_qualified_from)}"
        return Eligibility(rule.id, rule.name, a.engine.status[rule.id], record.qualified_on, True, text)
    reached = a.counter(rule.counting).reach(rule.min_pqe_months)
    eligible_from, text = reached.reached_on, reached.explanation
    if rule.requires_programme_passed:
        passed_on = programme_end if a.outcome is Outcome.PASSED else None
        if passed_on is None:
            eligible_from, text = None, f"{text}; needs a passed ASYE, not yet recorded"
        elif eligible_from is not None and passed_on > eligible_from:
            eligible_from, text = passed_on, f"{text}; ASYE passed {uk(passed_on)}"
    text = f"{text} (rule in force from {uk(rule.in_force_from)})"
    eligible = eligible_from is not None and eligible_from <= a.as_of
    return Eligibility(rule.id, rule.name, a.engine.status[rule.id], eligible_from, eligible, text)


# --- grants and alerts -----------------------------------------------------------------------------------------


def grants(a: Assessor, programme: Programme | None, programme_end: date | None) -> Iterable[GrantClaim]:
    start = a.record.asye_start_date
    if programme is None or start is None or a.record.asye_status is AsyeStatus.EXEMPT:
        return
    outcome = a.outcome
    for grant in a.engine.grants:
        if grant.programme != programme.id:
            continue
        if grant.claims_from <= start <= grant.claims_to and _employed_on(a, start):
            yield GrantClaim(
                grant.id, "registration", grant.registration_amount, start, financial_year(start),
                f"registered {uk(start)}, within {grant.financial_year} ({uk(grant.claims_from)}-"
                f"{uk(grant.claims_to)})",
            )  # fmt: skip
        if outcome is Outcome.FAILED or start < grant.completion_for_registrations_from:
            continue
        claim = _completion_claim(a, grant, programme_end)
        if claim is not None:
            yield claim


def _completion_claim(a: Assessor, grant: GrantRule, programme_end: date | None) -> GrantClaim | None:
    extended = a.record.asye_status is AsyeStatus.EXTENDED and a.outcome is not Outcome.PASSED
    if extended and programme_end is not None and programme_end <= grant.claims_to:
        return None  # an extended programme's completion is claimed once it is passed, not before
    if programme_end is not None and grant.claims_from <= programme_end <= grant.claims_to:
        if not _employed_on(a, programme_end):
            return None
        return GrantClaim(
            grant.id, "completion", grant.completion_amount, programme_end, financial_year(programme_end),
            f"completes {uk(programme_end)}, within {grant.financial_year}",
        )  # fmt: skip
    early = grant.on_programme_completion_date
    still_on = programme_end is None or programme_end > grant.claims_to
    start = a.record.asye_start_date
    if early is not None and still_on and start is not None and start <= early and _employed_on(a, early):
        return GrantClaim(
            grant.id, "completion", grant.completion_amount, early, financial_year(early),
            f"still on the programme in March 2027: completion paid early from {uk(early)}",
        )  # fmt: skip
    return None


def _employed_on(a: Assessor, day: date) -> bool:
    return any(spell.contains(day) for spell in a.spells)


def alerts(a: Assessor, programme: Programme | None, agency: Sequence[Eligibility]) -> Iterable[Alert]:
    record = a.record
    if record.has_left_by(a.as_of):
        return
    yield from _registration_alerts(a)
    start = record.asye_start_date
    if programme is not None and start is None and a.may_start:
        yield from _window_alerts(a, programme)
    if programme is None and start is None and a.no_programme_stage is Stage.NOT_EARLY_CAREER:
        yield from _window_closed(a)
    if programme is not None and start is not None and record.asye_status is not AsyeStatus.EXEMPT:
        yield from _cap_alerts(a, programme, start)
        standard = add_years(record.qualified_on, programme.start_window.standard_years)
        funded = add_years(record.qualified_on, programme.start_window.funded_years)
        funded_from = programme.start_window.funded_from
        if start > funded and (funded_from is None or start >= funded_from):
            years = programme.start_window.funded_years
            yield Alert(
                "start_unfunded",
                f"{programme.label} started {uk(start)}, more than {years} years after qualifying: not DfE-fundable",
            )
        elif start > standard:
            yield Alert(
                "start_late",
                f"{programme.label} started {uk(start)}, after the standard window ({uk(standard)}); "
                f"fundable up to {uk(funded)}",
            )
    if record.prior_pqe_months is None and (record.start_date - record.qualified_on).days > 366:
        yield Alert("prior_pqe_missing", "qualified over a year before joining, but no prior PQE is declared")
    if record.contract_type is ContractType.AGENCY:
        for rule, result in zip(a.engine.agency, agency, strict=True):
            if a.engine.status[rule.id] != "in_force" or result.eligible:
                continue
            applies_from = rule.all_assignments_from or rule.in_force_from
            if record.start_date >= rule.in_force_from or a.as_of >= applies_from:
                yield Alert("agency_pqe", f"agency worker below the PQE the {rule.name} require")


def _window_alerts(a: Assessor, programme: Programme) -> Iterable[Alert]:
    """Not started yet: past the standard window is an alert (R4); the funded window closing is one too."""
    window = programme.start_window
    standard = add_years(a.record.qualified_on, window.standard_years)
    funded = add_years(a.record.qualified_on, window.funded_years)
    if a.as_of > standard:
        yield Alert(
            "start_window",
            f"{programme.label} not started within {window.standard_years} years of qualifying ({uk(standard)}, "
            f"{_source_name(window.standard_source)}); a start by {uk(funded)} is still DfE-fundable",
        )


def _window_closed(a: Assessor) -> Iterable[Alert]:
    """The funded window closed while they worked here, with no start and not yet experienced."""
    record = a.record
    if record.asye_status is AsyeStatus.EXEMPT:
        return
    closed = add_years(record.qualified_on, a.engine.funded_years)
    experienced = a.timeline.experienced_from
    if record.start_date <= closed < a.as_of and (experienced is None or experienced > a.as_of):
        yield Alert(
            "start_window_closed",
            f"no programme start recorded and the funded window closed on {uk(closed)} "
            f"({a.engine.funded_years} years from qualifying): a start now is not DfE-funded",
        )


def _cap_alerts(a: Assessor, programme: Programme, start: date) -> Iterable[Alert]:
    """A council cap on the programme's length never cuts it short: past the cap, the council decides."""
    cap = programme_cap(start, a.record.qualified_on, programme.part_time)
    final = a.final_due
    if cap is None or final is None or final <= cap[0] or a.outcome is not None:
        return
    yield Alert(
        "programme_cap",
        f"{programme.label} {lower(_rule_name(programme.milestones, programme.final_milestone))} "
        f"{uk(final)} is after the council's cap ({cap[1]}: {uk(cap[0])}); the date is not moved: decide "
        "whether to extend the cap or end the programme",
    )


def _registration_alerts(a: Assessor) -> Iterable[Alert]:
    rule = a.engine.registration
    number = a.record.swe_number
    if not number:
        yield Alert("swe_missing", "no Social Work England number on the HR sheet")
    elif not a.engine.swe_pattern.match(number):
        yield Alert("swe_invalid", f"Social Work England number {number} does not match {rule.number_pattern}")
    opens, year_end = a.engine.renewal_window(a.as_of)
    if opens <= a.as_of <= year_end:
        yield Alert("swe_renewal", f"Social Work England renewal window open: renew by {uk(year_end)}")
    elif year_end < a.as_of <= add_months(year_end, 1):
        yield Alert("swe_recheck", f"register may still show 'registered until {uk(year_end)}': re-check it")


def _source_name(source: str) -> str:
    """The body a source text names first ("Skills for Care, ASYE page ..." -> "Skills for Care")."""
    return source.split(",")[0] if source else "standard window"


def _rule_name(milestones: Sequence[MilestoneRule], key: str) -> str:
    return next(m.name for m in milestones if m.key == key)
