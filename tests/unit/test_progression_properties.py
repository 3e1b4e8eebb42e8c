"""Properties every worker's timeline keeps, whatever the facts (hypothesis)."""

from __future__ import annotations

import inspect
from dataclasses import MISSING, FrozenInstanceError, fields
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.progression.engine import Engine
from ecf.progression.experience import Experience
from ecf.progression.facts import (
    STATUS_RANK,
    Alert,
    Assessment,
    Eligibility,
    GrantClaim,
    Milestone,
    StageChange,
    WorkerFacts,
)
from ecf.progression.schedule import Scheduled
from ecf.rules.loader import load_rulebook
from ecf.services.progression import Assessed, MilestoneRow
from ecf.services.workforce import WorkerState
from ecf.storage.repository import TimelineRow

ENGINE = Engine(load_rulebook("[council]\nruns_five_year_ecf = true\n"))
ftes = st.sampled_from([Decimal(x) for x in ("0.2", "0.4", "0.5", "0.6", "0.8", "0.9", "1")])
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2029, 12, 31))
absence_types = st.sampled_from(list(AbsenceType))


@st.composite
def absences(draw: st.DrawFn) -> Absence:
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=400))
    end = None if draw(st.booleans()) and length > 300 else start + timedelta(days=length)
    return Absence(Period(start, end), draw(absence_types))


@st.composite
def records(draw: st.DrawFn) -> WorkerRecord:
    qualified = draw(st.dates(min_value=date(2016, 1, 1), max_value=date(2028, 6, 30)))
    start = qualified + timedelta(days=draw(st.integers(min_value=0, max_value=900)))
    asye_start = draw(st.one_of(st.none(), st.just(start + timedelta(days=draw(st.integers(0, 120))))))
    status = draw(st.sampled_from([None, *AsyeStatus]))
    reviews = {}
    if asye_start is not None:
        for key, months in (("asye_review_3m", 3), ("asye_review_6m", 6), ("asye_review_final", 12)):
            if draw(st.booleans()):
                reviews[key] = asye_start + timedelta(days=30 * months + draw(st.integers(-20, 60)))
    return WorkerRecord(
        employee_id="000001",
        date_qualified=qualified,
        start_date=start,
        fte=draw(ftes),
        contract_type=draw(st.sampled_from(list(ContractType))),
        asye_start_date=asye_start,
        asye_status=status,
        prior_pqe_months=draw(st.one_of(st.none(), st.integers(0, 80))),
        absences=tuple(draw(st.lists(absences(), max_size=3))),
        **reviews,
    )


def _replace(record: WorkerRecord, **changes: object) -> WorkerRecord:
    values = {name: getattr(record, name) for name in record.__dataclass_fields__}
    values.update(changes)
    return WorkerRecord(**values)  # type: ignore[arg-type]


def _assess(record: WorkerRecord, as_of: date) -> Assessment:
    return ENGINE.assess(WorkerFacts(record), as_of)


def _dates(assessment: Assessment) -> dict[tuple[str, str], date]:
    return {(m.framework, m.key): m.due_date for m in assessment.milestones if m.due_date is not None}


@settings(max_examples=300, deadline=None)
@given(records(), days)
def test_milestones_counted_from_the_start_are_in_order(record: WorkerRecord, as_of: date) -> None:
    result = _assess(record, as_of)
    for framework in result.frameworks:
        dates = [
            m.due_date
            for m in result.milestones
            if m.framework == framework and m.due_date is not None and m.key != "programme_start"
        ]
        assert dates == sorted(dates)


@settings(max_examples=300, deadline=None)
@given(records(), ftes, days)
def test_lower_fte_never_gives_an_earlier_date(record: WorkerRecord, other: Decimal, as_of: date) -> None:
    low, high = sorted((record.fte, other))
    low_dates = _dates(_assess(_replace(record, fte=low), as_of))
    high_dates = _dates(_assess(_replace(record, fte=high), as_of))
    for key, day in high_dates.items():
        if key in low_dates:
            assert low_dates[key] >= day, key


@settings(max_examples=300, deadline=None)
@given(records(), absences(), days)
def test_an_added_absence_never_gives_an_earlier_date(record: WorkerRecord, extra: Absence, as_of: date) -> None:
    before = _dates(_assess(record, as_of))
    after = _dates(_assess(_replace(record, absences=(*record.absences, extra)), as_of))
    for key, day in before.items():
        if key in after:
            assert after[key] >= day, key


@settings(max_examples=300, deadline=None)
@given(records(), days, st.integers(min_value=1, max_value=800))
def test_moving_the_as_of_date_forward_never_moves_a_status_backward(
    record: WorkerRecord, as_of: date, step: int
) -> None:
    earlier = {(m.framework, m.key): m.status for m in _assess(record, as_of).milestones}
    later = {(m.framework, m.key): m.status for m in _assess(record, as_of + timedelta(days=step)).milestones}
    for key, status in earlier.items():
        if key in later:
            assert STATUS_RANK[later[key]] >= STATUS_RANK[status], (key, status, later[key])


@settings(max_examples=300, deadline=None)
@given(records(), st.integers(min_value=1, max_value=120))
def test_the_quick_threshold_date_matches_the_full_count(record: WorkerRecord, threshold: int) -> None:
    from ecf.progression.experience import ExperienceCounter, simple_reached_on

    counting = ENGINE.experienced.counting
    quick = simple_reached_on(WorkerFacts(record), counting, threshold)
    if quick is not False:
        assert quick == ExperienceCounter(WorkerFacts(record), counting, date(2026, 1, 1)).reached_on(threshold)


def _everything(assessment: Assessment) -> tuple[object, ...]:
    """Every field of an assessment and every detail worked out on reading."""
    a = assessment
    return (
        a.employee_id, a.as_of, a.programme, a.programme_reason, a.frameworks, a.milestones, a.stage,
        a.experienced_from, a.programme_end, a.stage_changes, a.pqe_months, a.experienced, a.agency, a.grants,
        a.alerts, a.next_milestone, a.milestone_status,
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(records(), min_size=1, max_size=4), days, st.one_of(st.none(), days))
def test_one_engine_for_many_workers_gives_what_a_fresh_engine_gives_each(
    workers: list[WorkerRecord], as_of: date, leaving: date | None
) -> None:
    """An engine shares what workers have in common (a schedule per start and FTE, the start-window step per
    qualification date, the funded window's end): a worker's answer must not depend on who was assessed before."""
    book = ENGINE.book
    shared = Engine(book)
    # each worker and a colleague with the same dates but no reviews held and perhaps a leaving date: same cache keys
    colleagues = [
        _replace(r, employee_id="000002", asye_review_3m=None, asye_review_final=None, leaving_date=leaving)
        if leaving is None or leaving >= r.start_date
        else _replace(r, employee_id="000002", asye_review_3m=None, asye_review_final=None)
        for r in workers
    ]
    everyone = [WorkerFacts(r) for pair in zip(workers, colleagues, strict=True) for r in pair]
    together = shared.assess_all(everyone, as_of)
    for facts, assessed in zip(everyone, together, strict=True):
        assert _everything(assessed) == _everything(Engine(book).assess(facts, as_of))


STORED_AT_ONCE = [
    Milestone, Assessment, WorkerFacts, Eligibility, GrantClaim, Alert, StageChange, Experience, Scheduled, Assessed,
    MilestoneRow, WorkerState, WorkerRecord,
]  # fmt: skip


def test_a_timeline_row_is_built_from_its_columns_in_field_order() -> None:
    """The timeline's rows are tuples made by C from the columns read (ecf.storage.repository.timeline): each field
    is the value in its place, and a row cannot be changed."""
    values = [object() for _ in TimelineRow._fields]
    built = TimelineRow._make(values)
    assert built == TimelineRow(*values) and all(
        getattr(built, n) is v for n, v in zip(built._fields, values, strict=True)
    )
    assert TimelineRow._fields == ("as_of", "employee_id", "start_date", "leaving_date", "fte", "contract_type", "team",
                                   "caseload")  # fmt: skip
    with pytest.raises(AttributeError):
        built.as_of = None  # type: ignore[misc]


@pytest.mark.parametrize("cls", STORED_AT_ONCE, ids=lambda c: c.__name__)
def test_a_constructor_stored_at_once_takes_and_stores_every_field(cls: type) -> None:
    """These classes store their fields without the generated __init__ (it was most of the cost of an assessment):
    the same parameters, in the same order with the same defaults, each stored, and still frozen."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == [
        (f.name, inspect.Parameter.empty if f.default is MISSING else f.default) for f in fields(cls)
    ]
    values = {f.name: object() for f in fields(cls)}
    built = cls(**values)
    assert all(getattr(built, name) is value for name, value in values.items())
    assert cls(*values.values()) == built or not cls.__dataclass_params__.eq  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError):
        setattr(built, fields(cls)[0].name, None)
