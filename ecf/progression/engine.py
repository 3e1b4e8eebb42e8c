"""Where a worker stands: programme, milestones with status and working, stage, eligibility, grant claims, alerts.

`assess(facts, book, as_of)` is a pure function of the worker's facts, the rule book and the as-of date.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ecf.domain.period import Period
from ecf.domain.worker import AsyeStatus, ContractType
from ecf.progression.calendar import add_days, add_months, add_years, financial_year, uk
from ecf.progression.experience import ExperienceCounter, simple_reached_on
from ecf.progression.facts import (
    Alert,
    Assessment,
    Eligibility,
    GrantClaim,
    Milestone,
    MilestoneStatus,
    Outcome,
    RecordedCompletion,
    Stage,
    StageChange,
    WorkerFacts,
    once,
)
from ecf.progression.rules import (
    AgencyRule,
    CareerFramework,
    ExperienceCounting,
    GrantRule,
    MilestoneRule,
    PauseRule,
    Programme,
    RuleBook,
)
from ecf.progression.schedule import Pause, Scheduled, pauses_from, programme_cap, schedule_milestone

IMPORT = "import"
RECORDED = "recorded"
IMPLIED = "implied"
_NOTHING: dict[tuple[str, str], RecordedCompletion] = {}


@dataclass(frozen=True, slots=True)
class _Done:
    on: date | None  # None: done, date not recorded (e.g. an ASYE marked passed without review dates)
    source: str  # import / recorded / implied
    note: str = ""


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
        self.steps = {p.id: tuple(_resolved(p, m) for m in p.milestones) for p in self.programmes}
        self.untracked = frozenset(
            (rule.id, m.key)
            for rule in stepped
            for m in rule.milestones
            if not book.council.tracked.get(f"{rule.id}.{m.key}", m.tracked)
        )
        self.step_label = {(rule.id, m.key): _lower(m.name) for rule in stepped for m in rule.milestones}
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
        return _Assessor(self, facts, as_of).run()

    def assess_all(self, workers: Iterable[WorkerFacts], as_of: date) -> list[Assessment]:
        # Tens of thousands of small objects and no cycles among them: the cyclic collector would only rescan them.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return [_Assessor(self, facts, as_of).run() for facts in workers]
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

    def programme_for(self, start: date) -> Programme | None:
        return next((p for p in self.programmes if p.applies.period.contains(start)), None)


def assess(facts: WorkerFacts, book: RuleBook, as_of: date) -> Assessment:
    return Engine(book).assess(facts, as_of)


class _Assessor:
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
        milestones: list[Milestone] = []
        programme_end: date | None = None
        frameworks: list[str] = []
        if programme is not None:
            frameworks.append(programme.id)
            programme_milestones, programme_end = self._programme_milestones(programme, experienced_from)
            milestones.extend(programme_milestones)
        career = self._career_applies(programme)
        ecf_dates: tuple[date | None, date | None] = (None, None)
        if career is not None and programme is not None:
            frameworks.append(career.id)
            career_milestones, ecf_dates = self._career_milestones(career, programme, experienced_from)
            milestones.extend(career_milestones)
        self.programme, self.programme_end = programme, programme_end
        self.timeline = timeline = _Timeline(
            programme=programme,
            start=self._programme_start(),
            end=programme_end,
            outcome=self.outcome,
            year_two_end=ecf_dates[0],
            ecf_end=ecf_dates[1],
            experienced_from=experienced_from,
            leaving=self.record.leaving_date,
            pre_programme_until=self.pre_programme_until if self.may_start else None,
            no_programme_stage=self.no_programme_stage,
        )
        return Assessment(
            employee_id=self.record.employee_id,
            as_of=self.as_of,
            programme=programme.id if programme else None,
            programme_reason=reason,
            frameworks=tuple(frameworks),
            milestones=tuple(milestones),
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
        return self._experienced()

    def agency(self) -> tuple[Eligibility, ...]:
        return tuple(self._agency(rule, self.programme_end) for rule in self.engine.agency)

    def grants(self) -> tuple[GrantClaim, ...]:
        return tuple(self._grants(self.programme, self.programme_end))

    def alerts(self) -> tuple[Alert, ...]:
        return tuple(self._alerts(self.programme, self.agency()))

    # --- which programme -------------------------------------------------------------------------------------------

    def _programme_start(self) -> date | None:
        return self.record.asye_start_date

    def _choose_programme(self) -> tuple[Programme | None, str]:
        record = self.record
        self.no_programme_stage = Stage.NOT_EARLY_CAREER
        self.pre_programme_until: date | None = self.engine.funded_until(record.qualified_on)
        self.final_due: date | None = None
        start = record.asye_start_date
        # Pre-ASYE only while a start is still possible: not exempt, not yet past the funded window after qualifying.
        self.may_start = (
            start is None and record.asye_status is not AsyeStatus.EXEMPT and self.as_of <= self.pre_programme_until
        )
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

    # --- programme milestones --------------------------------------------------------------------------------------

    def _programme_milestones(
        self, programme: Programme, experienced_from: date | None
    ) -> tuple[list[Milestone], date | None]:
        record = self.record
        start = record.asye_start_date
        outcome = self.outcome
        schedule = self._programme_schedule(programme) if start is not None else None
        found: list[Milestone] = []
        programme_end: date | None = None
        for index, rule in enumerate(self.engine.steps[programme.id]):
            done = self._done(programme.id, rule, outcome)
            if rule.anchor == "date_qualified":
                scheduled = self._from_qualifying(programme, index, rule)
                lapsed = None
                if rule.window is not None and done is None and scheduled.due < self.as_of:
                    lapsed = f"the start window closed on {uk(scheduled.due)} (see alerts)"
                found.append(self._milestone(programme.id, rule, scheduled.due, done, scheduled.explanation, lapsed))
                continue
            if schedule is None:
                text = f"counted from the {programme.label} start, not yet recorded"
                found.append(self._milestone(programme.id, rule, None, done, text, None))
                continue
            scheduled = schedule[index]
            if done is None and not rule.optional:
                done = self._implied(programme, index)
            reason = self._programme_not_applicable(programme, rule, done, scheduled.due, outcome, experienced_from)
            milestone = self._milestone(programme.id, rule, scheduled.due, done, scheduled.explanation, reason)
            found.append(milestone)
            if index == self.engine.final_index[programme.id]:
                self.final_due = scheduled.due
                programme_end = self._end_of(milestone, outcome)
        return found, programme_end

    def _from_qualifying(self, programme: Programme, index: int, rule: MilestoneRule) -> Scheduled:
        """A step counted from qualifying (the start window): no pauses, so shared by everyone qualified the same
        day at the same FTE."""
        record = self.record
        key = (programme.id, index, record.qualified_on, record.fte)
        found = self.engine.from_qualifying.get(key)
        if found is None:
            found = self.engine.from_qualifying[key] = schedule_milestone(
                rule, anchor_day=record.qualified_on, anchor_label="qualified", fte=record.fte,
                part_time=programme.part_time, pauses=(), not_before=record.qualified_on,
            )  # fmt: skip
        return found

    def _programme_schedule(self, programme: Programme) -> list[Scheduled]:
        """Due dates counted from the programme start. Without pauses they depend only on the start, FTE, extension
        and cap, which many workers share (an intake starts together): those schedules are worked out once."""
        record = self.record
        start = record.asye_start_date
        assert start is not None
        pauses = self._pauses(programme.pauses)
        extended = record.asye_status is AsyeStatus.EXTENDED
        held_final = record.asye_review_final if extended else None
        key = (programme.id, start, record.fte, extended, held_final)
        if not pauses:
            cached = self.engine.schedules.get(key)
            if cached is not None:
                return cached
        final_index = self.engine.final_index[programme.id]
        due: dict[str, date] = {}
        schedule: list[Scheduled] = []
        for index, rule in enumerate(self.engine.steps[programme.id]):
            if rule.anchor == "date_qualified":
                scheduled = Scheduled(record.qualified_on, "")  # worked out per worker; a placeholder here
            elif rule.after is not None:
                anchor_day = due[rule.after]
                scheduled = schedule_milestone(
                    rule, anchor_day=anchor_day, anchor_label=self.engine.step_label[(programme.id, rule.after)],
                    fte=record.fte, part_time=programme.part_time, pauses=pauses, not_before=add_days(anchor_day, 1),
                )  # fmt: skip
            else:
                scheduled = schedule_milestone(
                    rule, anchor_day=start, anchor_label=f"{programme.label} start", fte=record.fte,
                    part_time=programme.part_time, pauses=pauses, not_before=start,
                    extension_months=programme.extension_months if extended and index >= final_index else 0,
                )  # fmt: skip
                if index == final_index and held_final is not None:
                    # The final review was held and extended the programme: the extended review follows it by the
                    # extension, and never comes before the programme's own length.
                    after_held = add_months(held_final, programme.extension_months)
                    nominal = schedule_milestone(
                        rule, anchor_day=start, anchor_label=f"{programme.label} start", fte=record.fte,
                        part_time=programme.part_time, pauses=pauses, not_before=start,
                    )  # fmt: skip
                    if after_held >= nominal.due:
                        scheduled = Scheduled(
                            after_held,
                            f"{_lower(rule.name)} held {uk(held_final)} + {programme.extension_months} months' "
                            f"extension = {uk(after_held)}",
                        )
            due[rule.key] = scheduled.due
            schedule.append(scheduled)
        if not pauses:
            self.engine.schedules[key] = schedule
        return schedule

    def _implied(self, programme: Programme, index: int) -> _Done | None:
        """A step with no record of its own is done if a later step is: the sheet has no column for the support
        agreement, but a held 3-month review means it happened. The date stays unknown until it is recorded."""
        for later in programme.milestones[index + 1 :]:
            if later.completed_by in (None, "programme_outcome", "asye_start_date"):
                continue
            recorded = self.recorded.get((programme.id, later.key))
            on = recorded.completed_on if recorded else getattr(self.record, later.completed_by)
            if on is not None and on <= self.as_of:
                return _Done(None, IMPLIED, f"implied by the {_lower(later.name)} on {uk(on)}")
        return None

    def _end_of(self, final: Milestone, outcome: Outcome | None) -> date | None:
        """When the programme ends: the final step's date once done; its due date while still ahead; unknown (still
        on the programme) once it is overdue."""
        if final.completed_date is not None and final.completed_date <= self.as_of:
            return final.completed_date
        if outcome is not None or final.status is MilestoneStatus.COMPLETE:
            return final.completed_date or final.due_date
        if final.due_date is not None and final.due_date > self.as_of:
            return final.due_date
        return None

    def _programme_not_applicable(
        self,
        programme: Programme,
        rule: MilestoneRule,
        done: _Done | None,
        due: date,
        outcome: Outcome | None,
        experienced_from: date | None,
    ) -> str | None:
        if done is not None:
            return None
        if self.record.asye_status is AsyeStatus.EXEMPT:
            return "exempt (HR sheet)"
        if outcome is Outcome.FAILED:
            return f"{programme.label} failed"
        if outcome is Outcome.PASSED and rule.optional:
            return f"optional; {programme.label} passed without it"
        return self._left_before(due)

    def _left_before(self, due: date) -> str | None:
        leaving = self.record.leaving_date
        if leaving is not None and leaving < due:
            return f"left on {uk(leaving)}, before it was due"
        return None

    def _done(self, framework: str, rule: MilestoneRule, outcome: Outcome | None) -> _Done | None:
        recorded = self.recorded.get((framework, rule.key))
        if recorded is not None:
            return _Done(recorded.completed_on, RECORDED)
        source = rule.completed_by
        if source == "asye_review_final" and self.record.asye_status is AsyeStatus.EXTENDED:
            return None  # the review held was the one that extended it: the extended review is still to come
        if source == "programme_outcome":
            return _Done(None, IMPORT) if outcome is not None else None
        if source is not None:
            value = getattr(self.record, source)
            if value is not None:
                return _Done(value, IMPORT)
        if outcome is Outcome.PASSED and not rule.optional and framework in self.engine.programme_ids:
            return _Done(None, IMPORT)
        return None

    def _milestone(
        self,
        framework: str,
        rule: MilestoneRule,
        due: date | None,
        done: _Done | None,
        explanation: str,
        not_applicable: str | None,
    ) -> Milestone:
        tracked = (framework, rule.key) not in self.engine.untracked
        status = self._status(rule, due, done, not_applicable, tracked)
        completed = done.on if done is not None else None
        if status is MilestoneStatus.NOT_APPLICABLE and not_applicable:
            explanation = f"not applicable: {not_applicable}" + (f" (due {explanation})" if due else "")
        elif status is MilestoneStatus.NOT_APPLICABLE and not tracked:
            explanation = f"not tracked by the council (tracked = false); due {explanation}"
        elif status is MilestoneStatus.NOT_APPLICABLE:
            explanation = f"optional, not held; due {explanation}"
        elif done is not None and status is MilestoneStatus.COMPLETE and done.on is None:
            explanation = f"{explanation}; done, date not recorded ({done.note or done.source})"
        return Milestone(
            framework=framework,
            key=rule.key,
            name=rule.name,
            due_date=due,
            status=status,
            completed_date=completed if status is MilestoneStatus.COMPLETE else None,
            completed_source=done.source if done is not None and status is MilestoneStatus.COMPLETE else None,
            optional=rule.optional,
            explanation=explanation,
        )

    def _status(
        self, rule: MilestoneRule, due: date | None, done: _Done | None, not_applicable: str | None, tracked: bool
    ) -> MilestoneStatus:
        if done is not None and (done.on is None or done.on <= self.as_of):
            return MilestoneStatus.COMPLETE
        if not_applicable is not None:
            return MilestoneStatus.NOT_APPLICABLE
        if due is None:
            return MilestoneStatus.UPCOMING
        if not tracked:  # the council does not track this step: never due or overdue, only shown
            return MilestoneStatus.NOT_APPLICABLE if due < self.as_of else MilestoneStatus.UPCOMING
        if due < self.as_of:
            return MilestoneStatus.NOT_APPLICABLE if rule.optional else MilestoneStatus.OVERDUE
        if due <= self.as_of + self.engine.window:
            return MilestoneStatus.DUE
        return MilestoneStatus.UPCOMING

    def _pauses(self, rule: PauseRule) -> tuple[Pause, ...]:
        return pauses_from(
            self.record.absences, rule.absence_types, rule.min_days, self.as_of, self.spells, rule.breaks_in_service
        )

    # --- the five-year ECF -----------------------------------------------------------------------------------------

    def _career_applies(self, programme: Programme | None) -> CareerFramework | None:
        career, start = self.engine.career, self.record.asye_start_date
        if career is None or programme is None or start is None or not career.applies.period.contains(start):
            return None
        return career

    def _career_milestones(
        self, career: CareerFramework, programme: Programme, experienced_from: date | None
    ) -> tuple[list[Milestone], tuple[date | None, date | None]]:
        stand_in = career.covered_by.get(programme.id)
        failed = self.outcome is Outcome.FAILED
        found: list[Milestone] = []
        due: dict[str, date] = {}
        for rule, scheduled in zip(career.milestones, self._career_schedule(career, programme), strict=True):
            due[rule.key] = scheduled.due
            reason: str | None = None
            if rule.key == career.year_two_assessment and stand_in is not None:
                reason = f"the {programme.label}'s {self.engine.step_label[(programme.id, stand_in)]} is this one"
            elif failed:
                reason = f"{programme.label} failed"
            elif experienced_from is not None and experienced_from <= scheduled.due:
                reason = f"experienced practitioner from {uk(experienced_from)}"
            else:
                reason = self._left_before(scheduled.due)
            done = self._done(career.id, rule, None)
            found.append(self._milestone(career.id, rule, scheduled.due, done, scheduled.explanation, reason))
        return found, (due.get(career.year_two_assessment), due.get(career.final_assessment))

    def _career_schedule(self, career: CareerFramework, programme: Programme) -> list[Scheduled]:
        """The framework's dates from the programme start; shared by workers with the same start and FTE unless
        pauses move theirs."""
        record = self.record
        start = record.asye_start_date
        assert start is not None
        pauses = self._pauses(career.pauses)
        key = (career.id, programme.id, start, record.fte)
        if not pauses and key in self.engine.schedules:
            return self.engine.schedules[key]
        due: dict[str, date] = {}
        schedule: list[Scheduled] = []
        for rule in career.milestones:
            if rule.after is not None:
                anchor_day, label = due[rule.after], self.engine.step_label[(career.id, rule.after)]
                not_before = add_days(anchor_day, 1)
            else:
                anchor_day, label, not_before = start, f"{programme.label} start", start
            scheduled = schedule_milestone(
                rule, anchor_day=anchor_day, anchor_label=label, fte=record.fte, part_time=career.part_time,
                pauses=pauses, not_before=not_before,
            )  # fmt: skip
            due[rule.key] = scheduled.due
            schedule.append(scheduled)
        if not pauses:
            self.engine.schedules[key] = schedule
        return schedule

    # --- eligibility -----------------------------------------------------------------------------------------------

    def _experienced(self) -> Eligibility:
        rule = self.engine.experienced
        reached = self.counter(rule.counting).reach(rule.pqe_months)
        eligible = reached.reached_on is not None and reached.reached_on <= self.as_of
        return Eligibility(rule.id, rule.name, rule.status.value, reached.reached_on, eligible, reached.explanation)

    def _agency(self, rule: AgencyRule, programme_end: date | None) -> Eligibility:
        record = self.record
        if rule.applies_to_qualified_from is not None and record.qualified_on < rule.applies_to_qualified_from:
            text = f"does not apply: qualified {uk(record.qualified_on)}, before {uk(rule.applies_to_qualified_from)}"
            return Eligibility(rule.id, rule.name, rule.status.value, record.qualified_on, True, text)
        reached = self.counter(rule.counting).reach(rule.min_pqe_months)
        eligible_from, text = reached.reached_on, reached.explanation
        if rule.requires_programme_passed:
            passed_on = programme_end if self.outcome is Outcome.PASSED else None
            if passed_on is None:
                eligible_from, text = None, f"{text}; needs a passed ASYE, not yet recorded"
            elif eligible_from is not None and passed_on > eligible_from:
                eligible_from, text = passed_on, f"{text}; ASYE passed {uk(passed_on)}"
        text = f"{text} (rule in force from {uk(rule.in_force_from)})"
        eligible = eligible_from is not None and eligible_from <= self.as_of
        return Eligibility(rule.id, rule.name, rule.status.value, eligible_from, eligible, text)

    # --- grants and alerts -----------------------------------------------------------------------------------------

    def _grants(self, programme: Programme | None, programme_end: date | None) -> Iterable[GrantClaim]:
        start = self.record.asye_start_date
        if programme is None or start is None or self.record.asye_status is AsyeStatus.EXEMPT:
            return
        outcome = self.outcome
        for grant in self.engine.grants:
            if grant.programme != programme.id:
                continue
            if grant.claims_from <= start <= grant.claims_to and self._employed_on(start):
                yield GrantClaim(
                    grant.id, "registration", grant.registration_amount, start, financial_year(start),
                    f"registered {uk(start)}, within {grant.financial_year} ({uk(grant.claims_from)}-"
                    f"{uk(grant.claims_to)})",
                )  # fmt: skip
            if outcome is Outcome.FAILED or start < grant.completion_for_registrations_from:
                continue
            claim = self._completion_claim(grant, programme_end)
            if claim is not None:
                yield claim

    def _completion_claim(self, grant: GrantRule, programme_end: date | None) -> GrantClaim | None:
        extended = self.record.asye_status is AsyeStatus.EXTENDED and self.outcome is not Outcome.PASSED
        if extended and programme_end is not None and programme_end <= grant.claims_to:
            return None  # an extended programme's completion is claimed once it is passed, not before
        if programme_end is not None and grant.claims_from <= programme_end <= grant.claims_to:
            if not self._employed_on(programme_end):
                return None
            return GrantClaim(
                grant.id, "completion", grant.completion_amount, programme_end, financial_year(programme_end),
                f"completes {uk(programme_end)}, within {grant.financial_year}",
            )  # fmt: skip
        early = grant.on_programme_completion_date
        still_on = programme_end is None or programme_end > grant.claims_to
        start = self.record.asye_start_date
        if early is not None and still_on and start is not None and start <= early and self._employed_on(early):
            return GrantClaim(
                grant.id, "completion", grant.completion_amount, early, financial_year(early),
                f"still on the programme in March 2027: completion paid early from {uk(early)}",
            )  # fmt: skip
        return None

    def _employed_on(self, day: date) -> bool:
        return any(spell.contains(day) for spell in self.spells)

    def _alerts(self, programme: Programme | None, agency: Sequence[Eligibility]) -> Iterable[Alert]:
        record = self.record
        if record.has_left_by(self.as_of):
            return
        yield from self._registration_alerts()
        start = record.asye_start_date
        if programme is not None and start is None and self.may_start:
            yield from self._window_alerts(programme)
        if programme is None and start is None and self.no_programme_stage is Stage.NOT_EARLY_CAREER:
            yield from self._window_closed()
        if programme is not None and start is not None and record.asye_status is not AsyeStatus.EXEMPT:
            yield from self._cap_alerts(programme, start)
            standard = add_years(record.qualified_on, programme.start_window.standard_years)
            funded = add_years(record.qualified_on, programme.start_window.funded_years)
            funded_from = programme.start_window.funded_from
            if start > funded and (funded_from is None or start >= funded_from):
                years = programme.start_window.funded_years
                yield Alert(
                    "start_unfunded",
                    f"{programme.label} started {uk(start)}, more than {years} years after qualifying: "
                    "not DfE-fundable",
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
            for rule, result in zip(self.engine.agency, agency, strict=True):
                if rule.status.value != "in_force" or result.eligible:
                    continue
                applies_from = rule.all_assignments_from or rule.in_force_from
                if record.start_date >= rule.in_force_from or self.as_of >= applies_from:
                    yield Alert("agency_pqe", f"agency worker below the PQE the {rule.name} require")

    def _window_alerts(self, programme: Programme) -> Iterable[Alert]:
        """Not started yet: past the standard window is an alert (R4); the funded window closing is one too."""
        window = programme.start_window
        standard = add_years(self.record.qualified_on, window.standard_years)
        funded = add_years(self.record.qualified_on, window.funded_years)
        if self.as_of > standard:
            yield Alert(
                "start_window",
                f"{programme.label} not started within {window.standard_years} years of qualifying ({uk(standard)}, "
                f"{_source_name(window.standard_source)}); a start by {uk(funded)} is still DfE-fundable",
            )

    def _window_closed(self) -> Iterable[Alert]:
        """The funded window closed while they worked here, with no start and not yet experienced."""
        record = self.record
        if record.asye_status is AsyeStatus.EXEMPT:
            return
        closed = add_years(record.qualified_on, self.engine.funded_years)
        experienced = self.timeline.experienced_from
        if record.start_date <= closed < self.as_of and (experienced is None or experienced > self.as_of):
            yield Alert(
                "start_window_closed",
                f"no programme start recorded and the funded window closed on {uk(closed)} "
                f"({self.engine.funded_years} years from qualifying): a start now is not DfE-funded",
            )

    def _cap_alerts(self, programme: Programme, start: date) -> Iterable[Alert]:
        """A council cap on the programme's length never cuts it short: past the cap, the council decides."""
        cap = programme_cap(start, self.record.qualified_on, programme.part_time)
        final = self.final_due
        if cap is None or final is None or final <= cap[0] or self.outcome is not None:
            return
        yield Alert(
            "programme_cap",
            f"{programme.label} {_lower(_rule_name(programme.milestones, programme.final_milestone))} "
            f"{uk(final)} is after the council's cap ({cap[1]}: {uk(cap[0])}); the date is not moved: decide "
            "whether to extend the cap or end the programme",
        )

    def _registration_alerts(self) -> Iterable[Alert]:
        rule = self.engine.registration
        number = self.record.swe_number
        if not number:
            yield Alert("swe_missing", "no Social Work England number on the HR sheet")
        elif not self.engine.swe_pattern.match(number):
            yield Alert("swe_invalid", f"Social Work England number {number} does not match {rule.number_pattern}")
        opens, year_end = self.engine.renewal_window(self.as_of)
        if opens <= self.as_of <= year_end:
            yield Alert("swe_renewal", f"Social Work England renewal window open: renew by {uk(year_end)}")
        elif year_end < self.as_of <= add_months(year_end, 1):
            yield Alert("swe_recheck", f"register may still show 'registered until {uk(year_end)}': re-check it")


@dataclass(slots=True)
class _Timeline:
    """The dates that decide a worker's stage. `stage_at` reads them for any day, so the next changes are found by
    asking it about each date where something could change."""

    programme: Programme | None
    start: date | None
    end: date | None
    outcome: Outcome | None
    year_two_end: date | None
    ecf_end: date | None
    experienced_from: date | None
    leaving: date | None
    pre_programme_until: date | None  # last day a programme start is still expected (the funded window)
    no_programme_stage: Stage

    def stage_at(self, day: date) -> Stage:
        if self.leaving is not None and day > self.leaving:
            return Stage.LEFT
        if self.experienced_from is not None and day >= self.experienced_from:
            return Stage.EXPERIENCED
        if self.programme is None or self.start is None:
            if self.pre_programme_until is not None and day <= self.pre_programme_until:
                return Stage.PRE_PROGRAMME
            return self.no_programme_stage
        if day < self.start:
            return Stage.PRE_PROGRAMME
        if self.end is None or day < self.end:
            return Stage.ECDP if self.programme.label == "ECDP" else Stage.ASYE
        if self.outcome is Outcome.FAILED:
            return Stage.NOT_EARLY_CAREER
        if self.year_two_end is not None and day < self.year_two_end:
            return Stage.ECF_YEAR_2
        if self.ecf_end is not None and day < self.ecf_end:
            return Stage.ECF_YEARS_3_5
        return Stage.NOT_EARLY_CAREER

    def changes_after(self, as_of: date) -> tuple[StageChange, ...]:
        candidates = [self.start, self.end, self.year_two_end, self.ecf_end, self.experienced_from]
        if self.pre_programme_until is not None:
            candidates.append(add_days(self.pre_programme_until, 1))
        if self.leaving is not None:
            candidates.append(add_days(self.leaving, 1))
        days = sorted({d for d in candidates if d is not None and d > as_of})
        changes: list[StageChange] = []
        current = self.stage_at(as_of)
        for day in days:
            stage = self.stage_at(day)
            if stage is not current:
                changes.append(StageChange(day, stage))
                current = stage
        return tuple(changes)


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


def _resolved(programme: Programme, milestone: MilestoneRule) -> MilestoneRule:
    if milestone.window is not None:
        return milestone.model_copy(update={"offset_months": 12 * _window_years(programme, milestone.window)})
    if milestone.key == programme.final_milestone and milestone.after is None:
        return milestone.model_copy(update={"offset_months": programme.duration_months})
    return milestone


def _window_years(programme: Programme, window: str | None) -> int:
    return programme.start_window.standard_years if window == "standard" else programme.start_window.funded_years


def _source_name(source: str) -> str:
    """The body a source text names first ("Skills for Care, ASYE page ..." -> "Skills for Care")."""
    return source.split(",")[0] if source else "standard window"


def _rule_name(milestones: Sequence[MilestoneRule], key: str) -> str:
    return next(m.name for m in milestones if m.key == key)


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]
