"""Use cases over the progression engine: milestones, one worker's timeline, cohorts, indicators, the rules in force,
and recording a completed milestone. The CLI and the terminal UI both call these; neither computes a status itself."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ecf.domain.frozen import stored_at_once
from ecf.domain.period import Period
from ecf.domain.workforce import EmploymentStatus
from ecf.progression.cohorts import Cohort, CohortMember, GroupBy, cohorts
from ecf.progression.engine import Engine
from ecf.progression.facts import (
    Assessment,
    Milestone,
    Outcome,
    RecordedCompletion,
    WorkerFacts,
)
from ecf.progression.indicators import Indicators, indicators, trend
from ecf.progression.rules import CareerFramework, Programme, RuleBook
from ecf.rules.loader import RulesError, load_council_file, load_rulebook
from ecf.services import audit, memo
from ecf.services.context import App, collector_paused
from ecf.services.milestone_listing import MilestoneRow as MilestoneRow  # the listing, here for every caller
from ecf.services.milestone_listing import milestone_columns as milestone_columns
from ecf.services.milestone_listing import milestone_rows as milestone_rows
from ecf.services.milestone_listing import programme_endings
from ecf.services.workforce import WorkerState, current_workers, newest_snapshot, worker_state
from ecf.storage.repository import MilestoneEvent, SavedRules


class UnknownWorker(LookupError):
    pass


class BadRecord(ValueError):
    """A milestone record that cannot be stored: unknown milestone, a date in the future, an outcome on a review."""


# --- the rules -------------------------------------------------------------------------------------------------------


def rulebook(app: App, rules_file: Path | None = None) -> RuleBook:
    """The rules in force: the shipped files with the council's stored file over them, or `rules_file` instead of
    the stored one (to try or compare a change before saving it)."""
    if rules_file is not None:
        return load_rulebook(load_council_file(rules_file), rules_file.name)
    with app.unit_of_work() as uow:
        saved = uow.rules.current()
    if saved is None:
        return load_rulebook()
    return load_rulebook(saved.content, saved.file_name)


def save_rules(app: App, path: Path, saved_at: datetime) -> RuleBook:
    """Check the council's file against the shipped rules and store it for every user of this database."""
    text = load_council_file(path)
    book = load_rulebook(text, path.name)
    with app.unit_of_work() as uow:
        uow.rules.save(path.name, text, saved_at)
        audit.record(uow, "rules", "rules", {"file": path.name, "sha256": hashlib.sha256(text.encode()).hexdigest()})
        uow.commit()
    return book


def clear_rules(app: App, saved_at: datetime) -> None:
    with app.unit_of_work() as uow:
        uow.rules.save("(shipped rules)", None, saved_at)
        audit.record(uow, "rules", "rules", {"cleared": True})
        uow.commit()


def stored_rules(app: App) -> SavedRules | None:
    with app.unit_of_work() as uow:
        return uow.rules.current()


@dataclass(frozen=True)
class RuleInfo:
    id: str
    kind: str
    name: str
    status: str
    applies: str
    in_use: bool
    source: str
    url: str | None
    confidence: str
    origin: str


def describe_rules(book: RuleBook) -> list[RuleInfo]:
    """What is loaded, the dates it covers, its source, and whether this council uses it."""
    found = []
    for rule in book.rules:
        in_use = True
        applies = ""
        if isinstance(rule, Programme | CareerFramework):
            period = rule.applies.period
            start = "" if period.start == date.min else period.start.strftime("%d/%m/%Y")
            end = "" if period.end is None else period.end.strftime("%d/%m/%Y")
            applies = f"programme starts {start or '...'} to {end or '...'}"
        if isinstance(rule, CareerFramework):
            in_use = book.council.runs_five_year_ecf
        if rule.kind == "agency":
            applies = f"from {rule.in_force_from.strftime('%d/%m/%Y')}"
        if rule.kind == "grant":
            applies = f"claims {rule.claims_from.strftime('%d/%m/%Y')} to {rule.claims_to.strftime('%d/%m/%Y')}"
        found.append(
            RuleInfo(
                rule.id,
                rule.kind,
                rule.name,
                rule.status.value,
                applies,
                in_use,
                rule.source.title,
                rule.source.url,
                rule.source.confidence.value,
                book.origins.get(rule.id, ""),
            )
        )
    return found


# --- assessing the workforce -----------------------------------------------------------------------------------------


@stored_at_once
@dataclass(frozen=True)
class Assessed:
    state: WorkerState
    facts: WorkerFacts
    assessment: Assessment


@dataclass(frozen=True)
class Progress:
    as_of: date
    data_as_of: date | None
    book: RuleBook
    workers: list[Assessed]
    # Workers whose source lacked a qualification date (a census return): counted in the indicators, left out of
    # milestones until an HR import supplies the date.
    without_qualified_date: int = 0


def assess_workforce(
    app: App,
    as_of: date,
    *,
    team: str | None = None,
    include_left: bool = False,
    rules_file: Path | None = None,
    on_programme_only: bool = False,
) -> Progress:
    """The workforce (in post, or everyone with `include_left`; one team if given) assessed on `as_of`. Each worker
    is assessed once per process while the data and the rules are unchanged (see ecf.services.memo): the TUI's tabs,
    a projection and its comparison, and the workbook share one assessment.

    `on_programme_only` reads and assesses only the workers who may be on a programme (see
    Engine.may_be_on_programme): the others have no milestones, so a listing of milestones is the same without them.
    """
    known = memo.remembered(
        app, ("assessed", as_of, memo.file_key(rules_file)), lambda: Assessments(rulebook(app, rules_file), app, as_of)
    )
    since = known.engine.qualified_since(as_of) if on_programme_only else None  # the others left unread
    states = current_workers(app, include_left=include_left, team=team, as_of=as_of, qualified_since=since)
    qualified = [s for s in states if s.record.has_qualified_date]
    # the snapshot the states were read from; with none to read it from (nobody in post in a team), the newest
    data_as_of = max((s.last_seen for s in states), default=None) or newest_snapshot(app, as_of)
    without_date = len(states) - len(qualified)
    if on_programme_only:
        may_be = known.engine.may_be_on_programme
        qualified = [s for s in qualified if may_be(s.record, as_of)]
    return Progress(as_of, data_as_of, known.book, known.of(qualified), without_date)


class Assessments:
    """Workers assessed under one rule book on one date, each worked out the first time it is asked for."""

    def __init__(self, book: RuleBook, app: App, as_of: date) -> None:
        self.book, self.as_of = book, as_of
        self.engine = Engine(book)
        with app.unit_of_work() as uow:
            self.spells = uow.snapshots.spells(returners_only=True)  # a single spell is the record's own
            events = uow.events.current()
        self.recorded = recorded_by_worker(events)
        self.done: dict[str, Assessed] = {}
        self.lock = threading.Lock()

    def of(self, states: Sequence[WorkerState]) -> list[Assessed]:
        with self.lock, collector_paused():  # tens of thousands of assessments, no cycles: see collector_paused
            done, spells, recorded, as_of = self.done, self.spells, self.recorded, self.as_of
            assess = self.engine.assess
            found = []
            for state in states:
                worker_id = state.record.employee_id
                item = done.get(worker_id)
                if item is None or item.state is not state:
                    facts = _facts(state, spells.get(worker_id, ()), recorded.get(worker_id, ()))
                    item = done[worker_id] = Assessed(state, facts, assess(facts, as_of))
                found.append(item)
            return found


def _facts(state: WorkerState, spells: Sequence[Period], recorded: Sequence[RecordedCompletion]) -> WorkerFacts:
    record = state.record
    current = record.start_date
    if not spells or (len(spells) == 1 and spells[0].start >= current):
        earlier: tuple[Period, ...] = ()  # the usual worker: only returners' spells are read; nothing to sort
    else:
        earlier = tuple(sorted(s for s in spells if s.start < current))
    return WorkerFacts(record, earlier, tuple(recorded) if recorded else ())


def recorded_by_worker(events: Iterable[MilestoneEvent]) -> dict[str, list[RecordedCompletion]]:
    found: dict[str, list[RecordedCompletion]] = {}
    for event in events:
        assert event.completed_on is not None
        outcome = Outcome(event.outcome) if event.outcome else None
        found.setdefault(event.employee_id, []).append(
            RecordedCompletion(event.framework, event.milestone, event.completed_on, outcome)
        )
    return found


@dataclass(frozen=True)
class WorkerDetail:
    assessed: Assessed
    events: list[MilestoneEvent]
    data_as_of: date | None
    book: RuleBook


def worker_detail(app: App, employee_id: str, as_of: date, rules_file: Path | None = None) -> WorkerDetail:
    """One worker (in post or not) assessed on `as_of`, with every completion recorded for them."""
    wanted = employee_id.strip()
    book = rulebook(app, rules_file)
    state = worker_state(app, wanted, as_of)
    if state is None:
        raise UnknownWorker(f"no worker with employee ID '{wanted}' in the snapshots up to {as_of:%d/%m/%Y}")
    if not state.record.has_qualified_date:
        raise UnknownWorker(
            f"worker '{wanted}' has no qualification date yet (the source lacked it): milestones need one; "
            "import an HR file that carries it"
        )
    with app.unit_of_work() as uow:
        spells = uow.snapshots.spells(wanted).get(wanted, ())
        events = uow.events.history(wanted)
        current = uow.events.current(wanted)
        dates = [d for d in uow.imports.active_dates() if d <= as_of]
    facts = _facts(state, spells, recorded_by_worker(current).get(wanted, ()))
    assessed = Assessed(state, facts, Engine(book).assess(facts, as_of))
    return WorkerDetail(assessed, events, dates[-1] if dates else None, book)


# --- recording a completed milestone ---------------------------------------------------------------------------------


def record_milestone(
    app: App,
    employee_id: str,
    milestone: str,
    completed_on: date | None,
    *,
    recorded_at: datetime,
    outcome: Outcome | None = None,
    note: str | None = None,
    recorded_by: str | None = None,
) -> MilestoneEvent:
    """Store a completed milestone (or, with no date, withdraw an earlier record). `milestone` is `framework.key`
    or just the key when only one of the worker's frameworks has it. `recorded_by` defaults to the audit trail's
    actor (the database user on PostgreSQL, else the login name), so the two always agree."""
    detail = worker_detail(app, employee_id, recorded_at.date())
    assessment = detail.assessed.assessment
    target = _find_milestone(assessment, milestone)
    if completed_on is not None and completed_on > recorded_at.date():
        raise BadRecord(f"completion date {completed_on:%d/%m/%Y} is in the future")
    if outcome is not None and not _ends_programme(detail, target):
        raise BadRecord(f"an outcome can only be recorded on the step that ends the programme, not on {target.key}")
    with app.unit_of_work() as uow:
        event_id = uow.events.add(
            detail.assessed.state.record.employee_id, target.framework, target.key, completed_on,
            outcome.value if outcome else None, note, recorded_at, recorded_by or audit.actor(uow),
        )  # fmt: skip
        details = {"milestone": f"{target.framework}.{target.key}",
                   "completed_on": completed_on.isoformat() if completed_on else None,
                   "outcome": outcome.value if outcome else None}  # fmt: skip
        audit.record(uow, "record", f"milestone event {event_id}", details)
        uow.commit()
        return next(e for e in uow.events.history(employee_id) if e.id == event_id)


def _find_milestone(assessment: Assessment, name: str) -> Milestone:
    framework, _, key = name.rpartition(".")
    matches = [m for m in assessment.milestones if m.key == key and (not framework or m.framework == framework)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(f"{m.framework}.{m.key}" for m in assessment.milestones) or "none"
    if not matches:
        raise BadRecord(f"'{name}' is not one of this worker's milestones ({known})")
    raise BadRecord(f"'{name}' is ambiguous; give it as one of: {', '.join(f'{m.framework}.{m.key}' for m in matches)}")


def _ends_programme(detail: WorkerDetail, milestone: Milestone) -> bool:
    programme = detail.assessed.assessment.programme
    return milestone.framework == programme and (milestone.framework, milestone.key) in programme_endings(detail.book)


# --- cohorts and indicators ------------------------------------------------------------------------------------------


def intake_cohorts(
    app: App, as_of: date, by: GroupBy = "intake", rules_file: Path | None = None
) -> tuple[Progress, list[Cohort]]:
    progress = assess_workforce(app, as_of, include_left=True, rules_file=rules_file)
    members = [CohortMember(w.state.record, w.assessment, _departed(w.state)) for w in progress.workers]
    return progress, cohorts(members, as_of, by)


def _departed(state: WorkerState) -> date | None:
    if state.record.leaving_date is not None:
        return state.record.leaving_date
    if state.status is EmploymentStatus.GONE:
        return state.last_seen
    return None


def workforce_indicators(
    app: App, as_of: date, by_team: bool = False, rules_file: Path | None = None
) -> list[Indicators]:
    book = rulebook(app, rules_file)
    with app.unit_of_work() as uow:
        facts = uow.snapshots.timeline(until=as_of)  # the indicators are on the newest snapshot up to it
    return indicators(facts, as_of, book.council.establishment_fte, by_team)


def indicator_trend(app: App, rules_file: Path | None = None, as_of: date | None = None) -> list[Indicators]:
    """The indicators on every snapshot date, up to the newest on or before `as_of` if given."""
    book = rulebook(app, rules_file)
    with app.unit_of_work() as uow:
        facts = uow.snapshots.timeline(until=as_of)
    return trend(facts, book.council.establishment_fte)


__all__ = ["BadRecord", "RulesError", "UnknownWorker"]
