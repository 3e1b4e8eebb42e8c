"""Issue #14 items 8, 11 and 12 through the services and the database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from conftest import HEADERS, worker
from typer.testing import CliRunner

from ecf.services.dashboard import dashboard
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import assess_workforce, worker_detail, workforce_indicators
from ecf.services.workforce import current_workers

OCT, NOV = date(2026, 10, 31), date(2026, 11, 30)
STEP_HEADERS = [*HEADERS, "Apprentice", "Support agreement", "ECF year 2 assessment"]


def test_the_apprentice_flag_and_step_dates_are_stored_and_read_back(app, xlsx):
    """The new columns survive the database: yes -> True, the agreement and ECF year-2 assessment dates."""
    row = worker(
        "000101",
        Apprentice="Yes",
        **{"Support agreement": date(2025, 9, 29), "ECF year 2 assessment": date(2026, 9, 1)},
    )
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", [row, worker("000102")], headers=STEP_HEADERS)))
    stored = {s.record.employee_id: s.record for s in current_workers(app)}
    first = stored["000101"]
    assert (first.apprentice, first.support_agreement_date, first.ecf_year_two_assessment) == (
        True,
        date(2025, 9, 29),
        date(2026, 9, 1),
    )
    assert stored["000102"].apprentice is None


def _two_months(app, xlsx) -> None:
    """31/10/2026: two workers at full time. 30/11/2026 (imported early, on 29/11): one goes part time, one joins."""
    october = [worker("000101"), worker("000102")]
    november = [worker("000101", FTE=0.6), worker("000102"), worker("000103")]
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", october)))
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", november)))


def test_every_service_takes_the_same_snapshot_for_the_same_as_of_date(app, xlsx):
    """Issue #14 item 12: on 29/11/2026 the newest snapshot on or before the date is 31/10/2026, for the indicators
    (which always chose so) and now for the workforce, the milestones and the dashboard too (they took 30/11)."""
    _two_months(app, xlsx)
    day = date(2026, 11, 29)
    progress = assess_workforce(app, day)
    assert progress.data_as_of == OCT
    assert sorted(w.state.record.employee_id for w in progress.workers) == ["000101", "000102"]
    assert [i.snapshot for i in workforce_indicators(app, day)] == [OCT]
    board = dashboard(app, day)
    assert board.data_as_of == OCT
    assert board.trend[-1].snapshot == OCT
    assert sum(line.headcount for line in board.stages) == 2
    assert len(current_workers(app, as_of=day)) == 2
    # On 30/11/2026 every one of them moves to the November snapshot together.
    assert assess_workforce(app, NOV).data_as_of == NOV
    assert [i.snapshot for i in workforce_indicators(app, NOV)] == [NOV]
    assert dashboard(app, NOV).trend[-1].snapshot == NOV


def test_a_worker_as_of_a_date_reads_that_dates_snapshot(app, xlsx, db_url):
    """`ecf worker 000101 --as-of 15/11/2026` shows the October facts (FTE 1); --as-of 30/11/2026 the November ones
    (FTE 0.6). A worker first seen in November is unknown on 15/11/2026."""
    _two_months(app, xlsx)
    mid = worker_detail(app, "000101", date(2026, 11, 15))
    assert (mid.assessed.state.record.fte, mid.assessed.state.last_seen, mid.data_as_of) == (Decimal(1), OCT, OCT)
    late = worker_detail(app, "000101", NOV)
    assert (late.assessed.state.record.fte, late.data_as_of) == (Decimal("0.6"), NOV)
    from ecf.cli.main import app as cli

    shown = CliRunner().invoke(cli, ["--db", db_url, "worker", "000101", "--as-of", "15/11/2026", "--format", "json"])
    assert shown.exit_code == 0
    assert json.loads(shown.output)[0]["snapshot"] == "2026-10-31"
    result = CliRunner().invoke(cli, ["--db", db_url, "worker", "000103", "--as-of", "15/11/2026"])
    assert result.exit_code != 0
    assert "in the snapshots up to 15/11/2026" in result.output
