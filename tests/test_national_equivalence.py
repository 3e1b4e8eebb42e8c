"""Nothing about the results changes (issue #20): the fast path -- rows read column by column into records built
without their __init__, one assessment per process shared by every caller, csv written a column at a time, the
milestone listing assessing only the workers who may be on a programme -- gives
exactly what the plain path gives: ORM rows, a record per row through its constructor, a fresh engine per worker,
csv cell by cell. Every output column, to the day and the penny, on the sample council and on a generated
5,000-worker file. Runs on SQLite and PostgreSQL (ECF_TEST_DATABASE_URL)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.domain.workforce import EmploymentStatus, employment_status
from ecf.presentation.columns import Columns
from ecf.presentation.formats import csv_cell, csv_column
from ecf.progression.engine import Engine
from ecf.progression.facts import MilestoneStatus, WorkerFacts
from ecf.services import memo
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import (
    Assessed,
    MilestoneRow,
    Progress,
    assess_workforce,
    milestone_columns,
    milestone_rows,
    recorded_by_worker,
    save_rules,
)
from ecf.services.projection import ProjectionRequest, pay_facts, run_projection
from ecf.services.workforce import WorkerState, current_workers, everyone
from ecf.storage.models import AbsenceRow, WorkerSnapshotRow
from payscales.calibration import calibrate
from payscales.loader import load_paybook
from payscales.projection import project

AS_OF = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
IN_POST = (EmploymentStatus.IN_POST, EmploymentStatus.LEAVING)


@pytest.fixture(scope="module")
def national_5000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("national")
    generator = SAMPLE / "generate.py"
    subprocess.run([sys.executable, str(generator), "--workers", "5000", "--out", str(folder)], check=True)
    return next(folder.glob("*.xlsx"))


def load_sample_council(app) -> None:
    save_rules(app, SAMPLE / "northmoor_rules.toml", NOW)
    for path in sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx")):
        import_file(app, ImportRequest(path, write_report=False))


# --- the plain path ------------------------------------------------------------------------------------------------


def plain_states(app) -> list[WorkerState]:
    """Each worker's newest row in effect, as ORM objects turned into records by WorkerRecord's own constructor."""
    with app.unit_of_work() as uow:
        session = Session(bind=uow.connection())
        rows = session.scalars(select(WorkerSnapshotRow).where(WorkerSnapshotRow.in_effect)).all()
        absences = session.scalars(select(AbsenceRow).order_by(AbsenceRow.start_date, AbsenceRow.id)).all()
        newest: dict[str, WorkerSnapshotRow] = {}
        for row in rows:
            if row.employee_id not in newest or newest[row.employee_id].as_of < row.as_of:
                newest[row.employee_id] = row
        reported: dict[tuple[int, str], list[Absence]] = {}
        for a in absences:
            absence = Absence(Period(a.start_date, a.end_date), AbsenceType(a.absence_type))
            reported.setdefault((a.import_id, a.employee_id), []).append(absence)
        latest = max(row.as_of for row in newest.values())
        states = []
        for employee_id in sorted(newest):
            row = newest[employee_id]
            values = {f.name: getattr(row, f.name) for f in fields(WorkerRecord) if f.name != "absences"}
            values["contract_type"] = ContractType(row.contract_type)
            values["asye_status"] = AsyeStatus(row.asye_status) if row.asye_status else None
            record = WorkerRecord(**values, absences=tuple(reported.get((row.import_id, employee_id), ())))
            states.append(WorkerState(record, row.as_of, employment_status(record, row.as_of, latest)))
        session.close()
        return states


def plain_spells(app) -> dict[str, list[Period]]:
    with app.unit_of_work() as uow:
        session = Session(bind=uow.connection())
        rows = session.scalars(select(WorkerSnapshotRow).where(WorkerSnapshotRow.in_effect)).all()
        ends: dict[tuple[str, date], date | None] = {}
        for row in rows:
            key = (row.employee_id, row.start_date)
            dates = [d for d in (ends.get(key), row.leaving_date) if d is not None]
            ends[key] = max(dates) if dates else None  # the latest leaving date seen for the spell, as SQL's max
        session.close()
    found: dict[str, list[Period]] = {}
    for (employee_id, start), end in ends.items():
        found.setdefault(employee_id, []).append(Period(start, end if end is None or end >= start else start))
    return found


def plain_assessed(app, book) -> list[Assessed]:
    """A fresh engine for every worker in post, facts built one by one."""
    spells, states = plain_spells(app), plain_states(app)
    with app.unit_of_work() as uow:
        recorded = recorded_by_worker(uow.events.current())
    assessed = []
    for state in states:
        if state.status not in IN_POST or not state.record.has_qualified_date:
            continue
        worker_id = state.record.employee_id
        earlier = tuple(sorted(s for s in spells.get(worker_id, ()) if s.start < state.record.start_date))
        facts = WorkerFacts(state.record, earlier, tuple(recorded.get(worker_id, ())))
        assessed.append(Assessed(state, facts, Engine(book).assess(facts, AS_OF)))
    return assessed


# --- the comparison ------------------------------------------------------------------------------------------------


def everything_read(assessed: Assessed) -> tuple[object, ...]:
    """Every part of an assessment any screen, listing, projection or workbook reads."""
    a = assessed.assessment
    return (
        assessed.state, assessed.facts, a.programme, a.programme_reason, a.frameworks, a.milestones, a.stage,
        a.experienced_from, a.programme_end, a.stage_changes, a.pqe_months, a.experienced, a.agency, a.grants,
        a.alerts,
    )  # fmt: skip


def plain_listing(rows: list[MilestoneRow], manager: str | None = None) -> list[dict[str, object]]:
    """The milestone listing as `ecf milestones` built it before it went by columns: a dict per row."""
    return [
        {"employee_id": r.employee_id, "name": " ".join(p for p in (r.forename, r.surname) if p), "team": r.team,
         "line_manager": r.line_manager, "stage": r.stage, "framework": r.milestone.framework,
         "milestone": r.milestone.key, "milestone_name": r.milestone.name, "due_date": r.milestone.due_date,
         "status": r.milestone.status, "completed_date": r.milestone.completed_date,
         "completed_source": r.milestone.completed_source, "explanation": r.milestone.explanation}
        for r in rows
        if manager is None or (r.line_manager or "").lower() == manager.strip().lower()
    ]  # fmt: skip


def assert_same_listing(progress: Progress, rows: list[MilestoneRow]) -> None:
    """The listing a column per field holds the rows' milestones in their order, under every filter."""
    assert list(Columns(milestone_columns(progress))) == plain_listing(rows)
    manager = next(r.line_manager for r in rows if r.line_manager)
    for statuses, framework, who in [
        ([MilestoneStatus.DUE, MilestoneStatus.OVERDUE], None, None), (None, "asye", None), (None, None, manager),
        ([MilestoneStatus.COMPLETE], None, f"  {manager.upper()} "), (None, "no such framework", None),
    ]:  # fmt: skip
        listed = Columns(milestone_columns(progress, statuses, framework, who))
        expected = plain_listing(milestone_rows(progress, statuses, framework), who)
        assert list(listed) == expected
        assert len(listed) == len(expected)
    assert len(Columns(milestone_columns(progress, None, None, manager))) > 0  # not a vacuous check


def assert_same_results(app) -> None:
    memo.forget(app)
    fast_states = everyone(app)
    assert fast_states == plain_states(app)  # every field of every record, absences, last seen and status
    progress = assess_workforce(app, AS_OF)
    plain = plain_assessed(app, progress.book)
    assert len(progress.workers) == len(plain) > 0
    for fast_one, plain_one in zip(progress.workers, plain, strict=True):
        assert everything_read(fast_one) == everything_read(plain_one)
    # the milestone listing, csv column by column against cell by cell
    rows = milestone_rows(progress)
    # `ecf milestones` reads and assesses only the workers who may be on a programme: the same rows, in the same order
    memo.forget(app)
    narrowed = assess_workforce(app, AS_OF, on_programme_only=True)
    assert milestone_rows(narrowed) == rows
    assert narrowed.data_as_of == progress.data_as_of
    assert narrowed.without_qualified_date == progress.without_qualified_date
    assert len(narrowed.workers) < len(progress.workers)  # some left unread, not a vacuous check
    # the narrowed read's states are the full read's, statuses included, for every worker the database kept
    engine = Engine(progress.book)
    since = engine.qualified_since(AS_OF)
    kept = current_workers(app, as_of=AS_OF, qualified_since=since)
    read = set(kept)
    assert kept == [s for s in current_workers(app, as_of=AS_OF) if s in read]
    on_one = [s for s in fast_states if s.status in IN_POST and s.record.has_qualified_date]
    assert {s for s in on_one if engine.may_be_on_programme(s.record, AS_OF)} <= read
    assert_same_listing(narrowed, rows)
    for column in ("employee_id", "surname", "team", "stage"):
        values = [getattr(r, column) for r in rows]
        assert csv_column(values) == [csv_cell(v) for v in values]
    for column in ("framework", "key", "due_date", "status", "completed_date", "completed_source", "explanation"):
        values = [getattr(r.milestone, column) for r in rows]
        assert csv_column(values) == [csv_cell(v) for v in values]
    # the projection from the shared assessment equals one from the plain assessment, to the penny
    fast = run_projection(app, ProjectionRequest("baseline", 10, AS_OF))
    book = load_paybook()
    workers = [pay_facts(item, AS_OF) for item in plain]
    staff = [w.state.record for w in plain if w.state.record.contract_type is not ContractType.AGENCY]
    hazards = calibrate(book.hazards, [(AS_OF - r.start_date).days / 365.25 for r in staff])
    slow = project(workers, book, book.scenarios["baseline"], AS_OF, 10, hazards)
    for by in ("month", "financial_year", "team"):
        pd.testing.assert_frame_equal(fast.totals(by), slow.totals(by), check_exact=True)
        frame = fast.totals(by)
        for column in frame.columns:
            values = frame[column].tolist()
            assert csv_column(values) == [csv_cell(v) for v in values]


def test_the_sample_council_gives_the_same_results_both_ways(app):
    load_sample_council(app)
    assert_same_results(app)


def test_a_generated_5000_worker_file_gives_the_same_results_both_ways(app, national_5000):
    import_file(app, ImportRequest(national_5000, write_report=False))
    assert_same_results(app)
