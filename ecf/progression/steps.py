"""A worker's programme and five-year ECF milestones: each step's due date (shared by workers with the same start
and FTE where nothing pauses theirs), whether it is done, and its status on the as-of date.

Functions of the engine's Assessor (one worker on one date), split out of ecf.progression.engine by concept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from ecf.domain.worker import AsyeStatus
from ecf.progression.calendar import add_days, add_months, uk
from ecf.progression.facts import Milestone, MilestoneStatus, Outcome
from ecf.progression.rules import CareerFramework, MilestoneRule, PauseRule, Programme
from ecf.progression.schedule import Pause, Scheduled, pauses_from, schedule_milestone

if TYPE_CHECKING:
    from ecf.progression.engine import Assessor

IMPORT = "import"
RECORDED = "recorded"
IMPLIED = "implied"


class _Done(NamedTuple):
    """A step done: built for most steps of every programme worker, so a named tuple (built in C), not a dataclass."""

    on: date | None  # None: done, date not recorded (e.g. an ASYE marked passed without review dates)
    source: str  # import / recorded / implied
    note: str = ""


# --- programme milestones --------------------------------------------------------------------------------------


def programme_milestones(
    a: Assessor, programme: Programme, experienced_from: date | None
) -> tuple[list[Milestone], date | None]:
    record = a.record
    start = record.asye_start_date
    outcome = a.outcome
    schedule = _programme_schedule(a, programme) if start is not None else None
    found: list[Milestone] = []
    programme_end: date | None = None
    for index, rule in enumerate(a.engine.steps[programme.id]):
        done = _done(a, programme.id, rule, outcome)
        if rule.anchor == "date_qualified":
            scheduled = _from_qualifying(a, programme, index, rule)
            lapsed = None
            if rule.window is not None and done is None and scheduled.due < a.as_of:
                lapsed = f"the start window closed on {uk(scheduled.due)} (see alerts)"
            found.append(_milestone(a, programme.id, rule, scheduled.due, done, scheduled.explanation, lapsed))
            continue
        if schedule is None:
            text = f"counted from the {programme.label} start, not yet recorded"
            found.append(_milestone(a, programme.id, rule, None, done, text, None))
            continue
        scheduled = schedule[index]
        if done is None and not rule.optional:
            done = _implied(a, programme, index)
        reason = _programme_not_applicable(a, programme, rule, done, scheduled.due, outcome, experienced_from)
        milestone = _milestone(a, programme.id, rule, scheduled.due, done, scheduled.explanation, reason)
        found.append(milestone)
        if index == a.engine.final_index[programme.id]:
            a.final_due = scheduled.due
            programme_end = _end_of(a, milestone, outcome)
    return found, programme_end


def _from_qualifying(a: Assessor, programme: Programme, index: int, rule: MilestoneRule) -> Scheduled:
    """A step counted from qualifying (the start window): no pauses, so shared by everyone qualified the same
    day at the same FTE."""
    record = a.record
    key = (programme.id, index, record.qualified_on, record.fte)
    found = a.engine.from_qualifying.get(key)
    if found is None:
        found = a.engine.from_qualifying[key] = schedule_milestone(
            rule, anchor_day=record.qualified_on, anchor_label="qualified", fte=record.fte,
            part_time=programme.part_time, pauses=(), not_before=record.qualified_on,
        )  # fmt: skip
    return found


def _programme_schedule(a: Assessor, programme: Programme) -> list[Scheduled]:
    """Due dates counted from the programme start. Without pauses they depend only on the start, FTE, extension
    and cap, which many workers share (an intake starts together): those schedules are worked out once."""
    record = a.record
    start = record.asye_start_date
    assert start is not None
    pauses = _pauses(a, programme.pauses)
    extended = record.asye_status is AsyeStatus.EXTENDED
    held_final = record.asye_review_final if extended else None
    key = (programme.id, start, record.fte, extended, held_final)
    if not pauses:
        cached = a.engine.schedules.get(key)
        if cached is not None:
            return cached
    final_index = a.engine.final_index[programme.id]
    due: dict[str, date] = {}
    schedule: list[Scheduled] = []
    for index, rule in enumerate(a.engine.steps[programme.id]):
        if rule.anchor == "date_qualified":
            scheduled = Scheduled(record.qualified_on, "")  # worked out per worker; a placeholder here
        elif rule.after is not None:
            anchor_day = due[rule.after]
            scheduled = schedule_milestone(
                rule, anchor_day=anchor_day, anchor_label=a.engine.step_label[(programme.id, rule.after)],
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
                        f"{lower(rule.name)} held {uk(held_final)} + {programme.extension_months} months' "
                        f"extension = {uk(after_held)}",
                    )
        due[rule.key] = scheduled.due
        schedule.append(scheduled)
    if not pauses:
        a.engine.schedules[key] = schedule
    return schedule


def _implied(a: Assessor, programme: Programme, index: int) -> _Done | None:
    """A step with no record of its own is done if a later step is: the sheet has no column for the support
    agreement, but a held 3-month review means it happened. The date stays unknown until it is recorded."""
    for later in programme.milestones[index + 1 :]:
        if later.completed_by in (None, "programme_outcome", "asye_start_date"):
            continue
        recorded = a.recorded.get((programme.id, later.key))
        on = recorded.completed_on if recorded else getattr(a.record, later.completed_by)
        if on is not None and on <= a.as_of:
            return _Done(None, IMPLIED, f"implied by the {lower(later.name)} on {uk(on)}")
    return None


def _end_of(a: Assessor, final: Milestone, outcome: Outcome | None) -> date | None:
    """When the programme ends: the final step's date once done; its due date while still ahead; unknown (still
    on the programme) once it is overdue."""
    if final.completed_date is not None and final.completed_date <= a.as_of:
        return final.completed_date
    if outcome is not None or final.status is MilestoneStatus.COMPLETE:
        return final.completed_date or final.due_date
    if final.due_date is not None and final.due_date > a.as_of:
        return final.due_date
    return None


def _programme_not_applicable(
    a: Assessor,
    programme: Programme,
    rule: MilestoneRule,
    done: _Done | None,
    due: date,
    outcome: Outcome | None,
    experienced_from: date | None,
) -> str | None:
    if done is not None:
        return None
    if a.record.asye_status is AsyeStatus.EXEMPT:
        return "exempt (HR sheet)"
    if outcome is Outcome.FAILED:
        return f"{programme.label} failed"
    if outcome is Outcome.PASSED and rule.optional:
        return f"optional; {programme.label} passed without it"
    return _left_before(a, due)


def _left_before(a: Assessor, due: date) -> str | None:
    leaving = a.record.leaving_date
    if leaving is not None and leaving < due:
        return f"left on {uk(leaving)}, before it was due"
    return None


def _done(a: Assessor, framework: str, rule: MilestoneRule, outcome: Outcome | None) -> _Done | None:
    recorded = a.recorded.get((framework, rule.key))
    if recorded is not None:
        return _Done(recorded.completed_on, RECORDED)
    source = rule.completed_by
    if source == "asye_review_final" and a.record.asye_status is AsyeStatus.EXTENDED:
        return None  # the review held was the one that extended it: the extended review is still to come
    if source == "programme_outcome":
        return _Done(None, IMPORT) if outcome is not None else None
    if source is not None:
        value = getattr(a.record, source)
        if value is not None:
            return _Done(value, IMPORT)
    if outcome is Outcome.PASSED and not rule.optional and framework in a.engine.programme_ids:
        return _Done(None, IMPORT)
    return None


def _milestone(
    a: Assessor,
    framework: str,
    rule: MilestoneRule,
    due: date | None,
    done: _Done | None,
    explanation: str,
    not_applicable: str | None,
) -> Milestone:
    tracked = (framework, rule.key) not in a.engine.untracked
    status = _status(a, rule, due, done, not_applicable, tracked)
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
    a: Assessor, rule: MilestoneRule, due: date | None, done: _Done | None, not_applicable: str | None, tracked: bool
) -> MilestoneStatus:
    if done is not None and (done.on is None or done.on <= a.as_of):
        return MilestoneStatus.COMPLETE
    if not_applicable is not None:
        return MilestoneStatus.NOT_APPLICABLE
    if due is None:
        return MilestoneStatus.UPCOMING
    if not tracked:  # the council does not track this step: never due or overdue, only shown
        return MilestoneStatus.NOT_APPLICABLE if due < a.as_of else MilestoneStatus.UPCOMING
    if due < a.as_of:
        return MilestoneStatus.NOT_APPLICABLE if rule.optional else MilestoneStatus.OVERDUE
    if due <= a.as_of + a.engine.window:
        return MilestoneStatus.DUE
    return MilestoneStatus.UPCOMING


def _pauses(a: Assessor, rule: PauseRule) -> tuple[Pause, ...]:
    if not a.record.absences and not a.facts.earlier_spells:
        return ()  # the usual worker: no absence and one spell, so nothing pauses their programme
    return pauses_from(a.record.absences, rule.absence_types, rule.min_days, a.as_of, a.spells, rule.breaks_in_service)


# --- the five-year ECF -----------------------------------------------------------------------------------------


def career_applies(a: Assessor, programme: Programme | None) -> CareerFramework | None:
    career, start = a.engine.career, a.record.asye_start_date
    if career is None or programme is None or start is None or not career.applies.period.contains(start):
        return None
    return career


def career_milestones(
    a: Assessor, career: CareerFramework, programme: Programme, experienced_from: date | None
) -> tuple[list[Milestone], tuple[date | None, date | None]]:
    stand_in = career.covered_by.get(programme.id)
    failed = a.outcome is Outcome.FAILED
    found: list[Milestone] = []
    due: dict[str, date] = {}
    for rule, scheduled in zip(career.milestones, _career_schedule(a, career, programme), strict=True):
        due[rule.key] = scheduled.due
        reason: str | None = None
        if rule.key == career.year_two_assessment and stand_in is not None:
            reason = f"the {programme.label}'s {a.engine.step_label[(programme.id, stand_in)]} is this one"
        elif failed:
            reason = f"{programme.label} failed"
        elif experienced_from is not None and experienced_from <= scheduled.due:
            reason = f"experienced practitioner from {uk(experienced_from)}"
        else:
            reason = _left_before(a, scheduled.due)
        done = _done(a, career.id, rule, None)
        found.append(_milestone(a, career.id, rule, scheduled.due, done, scheduled.explanation, reason))
    return found, (due.get(career.year_two_assessment), due.get(career.final_assessment))


def _career_schedule(a: Assessor, career: CareerFramework, programme: Programme) -> list[Scheduled]:
    """The framework's dates from the programme start; shared by workers with the same start and FTE unless
    pauses move theirs."""
    record = a.record
    start = record.asye_start_date
    assert start is not None
    pauses = _pauses(a, career.pauses)
    key = (career.id, programme.id, start, record.fte)
    if not pauses and key in a.engine.schedules:
        return a.engine.schedules[key]
    due: dict[str, date] = {}
    schedule: list[Scheduled] = []
    for rule in career.milestones:
        if rule.after is not None:
            anchor_day, label = due[rule.after], a.engine.step_label[(career.id, rule.after)]
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
        a.engine.schedules[key] = schedule
    return schedule


def resolved(programme: Programme, milestone: MilestoneRule) -> MilestoneRule:
    if milestone.window is not None:
        return milestone.model_copy(update={"offset_months": 12 * _window_years(programme, milestone.window)})
    if milestone.key == programme.final_milestone and milestone.after is None:
        return milestone.model_copy(update={"offset_months": programme.duration_months})
    return milestone


def _window_years(programme: Programme, window: str | None) -> int:
    return programme.start_window.standard_years if window == "standard" else programme.start_window.funded_years


def lower(name: str) -> str:
    return name[:1].lower() + name[1:]
