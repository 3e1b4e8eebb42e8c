"""Where a worker stands: programme, milestones with status and working, stage, eligibility, grant claims, alerts.

`assess(facts, book, as_of)` is a pure function of the worker's facts, the rule book and the as-of date.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from ecf.domain.period import Period
from ecf.domain.worker import AsyeStatus, ContractType, WorkerRecord
from ecf.progression import claims, steps
from ecf.progression.calendar import add_years, uk
from ecf.progression.experience import ExperienceCounter, simple_reached_on
from ecf.progression.facts import (
    Alert,
    Assessment,
    Eligibility,
    GrantClaim,
    Milestone,
    Outcome,
    RecordedCompletion,
    Stage,
    StageChange,
    WorkerFacts,
    once,
)
from ecf.progression.rules import (
    CareerFramework,
    ExperienceCounting,
    Programme,
    RuleBook,
)
from ecf.progression.schedule import Scheduled
from ecf.progression.timeline import Timeline

_NOTHING: dict[tuple[str, str], RecordedCompletion] = {}


class Engine:
    """The rule book, prepared once for many workers."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.window = timedelta(days=book.council.due_window_days)
        self.programmes = book.programmes
        self.career = book.active_career_framework
        self.experienced = book.experienced
        self.agency = book.agency_rules
        self.registration = book.registration
        self.grants = book.grants
        self.swe_pattern = re.compile(self.registration.number_pattern, re.IGNORECASE)
        # each eligibility rule's status as its text, read for every worker (an Enum's .value is a slow property)
        self.status = {rule.id: rule.status.value for rule in (self.experienced, *self.agency)}
        self.funded_years = max(p.start_window.funded_years for p in self.programmes)
        self.programme_ids = frozenset(p.id for p in self.programmes)
        self.final_index = {
            p.id: next(i for i, m in enumerate(p.milestones) if m.key == p.final_milestone) for p in self.programmes
        }
        self.schedules: dict[tuple[object, ...], list[Scheduled]] = {}
        self.from_qualifying: dict[tuple[object, ...], Scheduled] = {}
        self._funded_until: dict[date, date] = {}
        stepped: list[Programme | CareerFramework] = [*self.programmes, *book.career_frameworks]
        # Each programme's steps as the engine counts them: a step counted to a start window takes its offset from
        # that window's years, and the final step's is the programme's length (duration_months).
        self.steps = {p.id: tuple(steps.resolved(p, m) for m in p.milestones) for p in self.programmes}
        self.untracked = frozenset(
            (rule.id, m.key)
            for rule in stepped
            for m in rule.milestones
            if not book.council.tracked.get(f"{rule.id}.{m.key}", m.tracked)
        )
        self.step_label = {(rule.id, m.key): steps.lower(m.name) for rule in stepped for m in rule.milestones}
        # Rules that count PQE the same way share one count per worker: map each counting to the first equal one.
        countings = [self.experienced.counting, *(rule.counting for rule in self.agency)]
        self.same_counting = {id(c): id(next(d for d in countings if d == c)) for c in countings}

    @lru_cache(maxsize=64)  # noqa: B019 - one engine lives for one request; a few as-of dates at most
    def renewal_window(self, as_of: date) -> tuple[date, date]:
        """This registration year's renewal window opening and year end (R2)."""
        rule = self.registration
        month, day = (int(part) for part in rule.registration_year_ends.split("-"))
        open_month, open_day = (int(part) for part in rule.renewal_window_opens.split("-"))
        return date(as_of.year, open_month, open_day), date(as_of.year, month, day)

    def assess(self, facts: WorkerFacts, as_of: date) -> Assessment:
        return Assessor(self, facts, as_of).run()

    def assess_all(self, workers: Iterable[WorkerFacts], as_of: date) -> list[Assessment]:
        # Tens of thousands of small objects and no cycles among them: the cyclic collector would only rescan them.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return [Assessor(self, facts, as_of).run() for facts in workers]
        finally:
            if was_enabled:
                gc.enable()

    def funded_until(self, qualified: date) -> date:
        """The last day a programme start is DfE-fundable for someone qualified on `qualified` (the longest funded
        window of any programme): asked for every worker, and many share a qualification date."""
        found = self._funded_until.get(qualified)
        if found is None:
            found = self._funded_until[qualified] = add_years(qualified, self.funded_years)
        return found

    def may_be_on_programme(self, record: WorkerRecord, as_of: date) -> bool:
        """Whether `assess` could find a programme (and so milestones) for this worker: a start recorded, or one
        still possible. False for most of a national workforce, qualified too long ago: a listing of milestones
        leaves them out without assessing them. The same test opens `Assessor._choose_programme`."""
        if record.asye_start_date is not None:
            return True
        return record.asye_status is not AsyeStatus.EXEMPT and as_of <= self.funded_until(record.qualified_on)

    def qualified_since(self, as_of: date) -> date:
        """No worker qualified before this day may be on a programme on `as_of` without a start recorded: a bound a
        year wider than the longest funded window, for a database to narrow a read by (the test itself is
        may_be_on_programme)."""
        return add_years(as_of, -(self.funded_years + 1))

    def programme_for(self, start: date) -> Programme | None:
        return next((p for p in self.programmes if p.applies.period.contains(start)), None)


def assess(facts: WorkerFacts, book: RuleBook, as_of: date) -> Assessment:
    return Engine(book).assess(facts, as_of)


class Assessor:
    """One worker on one date. Holds the intermediate dates so each step reads like the rule it applies."""

    def __init__(self, engine: Engine, facts: WorkerFacts, as_of: date) -> None:
        self.engine = engine
        self.facts = facts
        self.record = facts.record
        self.as_of = as_of
        self.recorded = {(r.framework, r.milestone): r for r in facts.recorded} if facts.recorded else _NOTHING

    # Worked out when first needed: listing milestones needs neither for most workers (no programme, simple PQE).

    @once
    def spells(self) -> list[Period]:
        if not self.facts.earlier_spells:
            return [self.record.employment]
        return sorted({*self.facts.earlier_spells, self.record.employment})

    @once
    def _counters(self) -> dict[int, ExperienceCounter]:
        return {}  # by id: the rules live as long as the engine

    @once
    def outcome(self) -> Outcome | None:
        """The programme's outcome on the as-of date: the latest recorded decision, else the HR sheet's status."""
        decided = [r for r in self.facts.recorded if r.outcome is not None and r.completed_on <= self.as_of]
        if decided:
            return max(decided, key=lambda r: r.completed_on).outcome
        if self.record.asye_status is AsyeStatus.PASSED:
            return Outcome.PASSED
        if self.record.asye_status is AsyeStatus.FAILED:
            return Outcome.FAILED
        return None

    def counter(self, counting: ExperienceCounting) -> ExperienceCounter:
        """PQE counted once per way of counting: the experienced rule and the agency rules usually agree on it."""
        key = self.engine.same_counting[id(counting)]
        found = self._counters.get(key)
        if found is None:
            found = self._counters[key] = ExperienceCounter(self.facts, counting, self.as_of, self.spells)
        return found

    # --- the whole assessment --------------------------------------------------------------------------------------

    def run(self) -> Assessment:
        rule = self.engine.experienced
        experienced_from = simple_reached_on(self.facts, rule.counting, rule.pqe_months)
        if experienced_from is False:
            experienced_from = self.counter(rule.counting).reached_on(rule.pqe_months)
        assert not isinstance(experienced_from, bool)
        programme, reason = self._choose_programme()
        milestones: tuple[Milestone, ...] = ()
        frameworks: tuple[str, ...] = ()
        programme_end: date | None = None
        ecf_dates: tuple[date | None, date | None] = (None, None)
        if programme is not None:  # most of a national workforce has none: no milestones, only a stage
            found, programme_end = steps.programme_milestones(self, programme, experienced_from)
            frameworks = (programme.id,)
            career = steps.career_applies(self, programme)
            if career is not None:
                career_milestones, ecf_dates = steps.career_milestones(self, career, programme, experienced_from)
                found.extend(career_milestones)
                frameworks = (programme.id, career.id)
            milestones = tuple(found)
        self.programme, self.programme_end = programme, programme_end
        record = self.record
        self.timeline = timeline = Timeline(
            programme=programme,
            start=record.asye_start_date,
            end=programme_end,
            outcome=self.outcome,
            year_two_end=ecf_dates[0],
            ecf_end=ecf_dates[1],
            experienced_from=experienced_from,
            leaving=record.leaving_date,
            pre_programme_until=self.pre_programme_until if self.may_start else None,
            no_programme_stage=self.no_programme_stage,
        )
        return Assessment(
            employee_id=record.employee_id,
            as_of=self.as_of,
            programme=programme.id if programme else None,
            programme_reason=reason,
            frameworks=frameworks,
            milestones=milestones,
            stage=timeline.stage_at(self.as_of),
            experienced_from=experienced_from,
            details=self,
            programme_end=programme_end,
        )

    # --- the parts read later (Details) ----------------------------------------------------------------------------

    def stage_changes(self) -> tuple[StageChange, ...]:
        return self.timeline.changes_after(self.as_of)

    def pqe_months(self) -> int:
        return self.counter(self.engine.experienced.counting).months

    def experienced(self) -> Eligibility:
        return claims.experienced(self)

    def agency(self) -> tuple[Eligibility, ...]:
        return tuple(claims.agency(self, rule, self.programme_end) for rule in self.engine.agency)

    def grants(self) -> tuple[GrantClaim, ...]:
        return tuple(claims.grants(self, self.programme, self.programme_end))

    def alerts(self) -> tuple[Alert, ...]:
        return tuple(claims.alerts(self, self.programme, self.agency()))

    # --- which programme -------------------------------------------------------------------------------------------

    def _choose_programme(self) -> tuple[Programme | None, str]:
        record = self.record
        self.no_programme_stage = Stage.NOT_EARLY_CAREER
        self.pre_programme_until: date | None = self.engine.funded_until(record.qualified_on)
        self.final_due: date | None = None
        start = record.asye_start_date
        # Pre-ASYE only while a start is still possible: not exempt, not yet past the funded window after qualifying.
        self.may_start = start is None and self.engine.may_be_on_programme(record, self.as_of)
        if record.asye_status is AsyeStatus.EXEMPT and start is None:
            return None, "exempt from the ASYE (HR sheet)"
        if start is not None:
            programme = self.engine.programme_for(start)
            if programme is None:
                return None, f"no programme rule covers a start on {uk(start)}"
            return programme, f"programme start {uk(start)} is {_period_words(programme)}"
        if not self.may_start:
            return None, "no programme start recorded, and qualified too long ago to start one"
        expected = max(record.start_date, record.qualified_on, self.as_of)
        programme = self.engine.programme_for(expected)
        if programme is None:
            return None, f"no programme rule covers a start on {uk(expected)}"
        not_needed = self._not_needed(programme)
        if not_needed is not None:
            self.may_start = False
            return None, not_needed
        self.pre_programme_until = add_years(record.qualified_on, programme.start_window.funded_years)
        return programme, f"not started; a start now ({uk(expected)}) is {_period_words(programme)}"

    def _not_needed(self, programme: Programme) -> str | None:
        """Why a worker with no start date is not expected to start the programme (R4, §1.1), or None."""
        record, needs = self.record, programme.needs
        if record.contract_type is ContractType.AGENCY and not needs.agency_workers:
            self.no_programme_stage = Stage.AGENCY
            return f"agency worker: no {programme.label} start expected (setting: needs.agency_workers)"
        limit = needs.exempt_prior_pqe_months
        if limit is not None and record.prior_pqe_months is not None and record.prior_pqe_months >= limit:
            self.no_programme_stage = Stage.JOINED_WITH_PQE
            return (
                f"joined with {record.prior_pqe_months} months' PQE elsewhere: not newly qualified, no "
                f"{programme.label} expected (setting: needs.exempt_prior_pqe_months = {limit})"
            )
        return None


def _period_words(programme: Programme) -> str:
    applies = programme.applies
    if applies.programme_start_from and applies.programme_start_to:
        span = f"between {uk(applies.programme_start_from)} and {uk(applies.programme_start_to)}"
    elif applies.programme_start_to:
        span = f"on or before {uk(applies.programme_start_to)}"
    elif applies.programme_start_from:
        span = f"on or after {uk(applies.programme_start_from)}"
    else:
        span = "at any date"
    return f"{span}: {programme.name}"
