"""Retention on SQLite and PostgreSQL: after --apply no name, ID or SWE number of those leavers remains in any text
column of any table, while the indicators and cohorts of the years they worked here are unchanged."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from conftest import HEADERS, worker, write_xlsx
from sqlalchemy import JSON, String, inspect, select, table, text
from sqlalchemy import column as sql_column

from ecf.services import audit, retention
from ecf.services.context import App
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import indicator_trend, intake_cohorts, record_milestone

WITH_MANAGER = [*HEADERS, "Line Manager"]
LEFT_EARLY = {  # two leavers from 2019-20, each with a name no one else has
    "000201": ("Quennell", "Tamsin", "SW900201"),
    "000202": ("Abernathy-Lisle", "Oswin", "SW900202"),
}


def _person(employee_id: str, surname: str, forename: str, swe: str, **overrides: Any) -> dict[str, Any]:
    cells = {"SWE Registration Number": swe, "Date Qualified": date(2017, 6, 30), "Start Date": date(2017, 9, 1)}
    return worker(employee_id, Surname=surname, Forename=forename, **{**cells, **overrides})


def _council(app: App, tmp_path: Path) -> None:
    """Five workers over three years: two leave in 2019-20 (one line-manages a stayer; one has a row rejected, an
    absence, a recorded milestone with a note), one leaves in 2024, two stay."""
    early = {
        "000201": _person("000201", *LEFT_EARLY["000201"], **{"ASYE Start Date": date(2018, 9, 3),
                          "Start Date": date(2018, 9, 3), "Date Qualified": date(2018, 7, 1)}),
        "000202": _person("000202", *LEFT_EARLY["000202"], **{"Absence Start": date(2019, 1, 7),
                          "Absence End": date(2019, 2, 1), "Absence Type": "Sickness"}),
        "000203": _person("000203", "Marchetti", "Ines", "SW900203", **{"Line Manager": "Tamsin Quennell"}),
        "000204": _person("000204", "Okonkwo", "Bede", "SW900204"),
        "000205": _person("000205", "Lindqvist", "Runa", "SW900205"),
    }  # fmt: skip
    months: list[tuple[str, list[dict[str, Any]], bool]] = [
        ("hr_2019-03-31.xlsx", list(early.values()), False),
        ("hr_2019-09-30.xlsx", [{**early["000201"], "Leaving Date": date(2019, 8, 31)},
                                {**early["000202"], "FTE": 1.7}, *list(early.values())[2:]], True),
        ("hr_2020-03-31.xlsx", [{**early["000202"], "Leaving Date": date(2020, 1, 15)},
                                *list(early.values())[2:]], False),
        ("hr_2024-03-31.xlsx", [*list(early.values())[2:4], {**early["000205"], "Leaving Date": date(2024, 2, 29)}],
         False),
        ("hr_2025-03-31.xlsx", list(early.values())[2:4], False),
    ]  # fmt: skip
    for name, rows, accept_valid in months:
        path = write_xlsx(tmp_path / name, rows, headers=WITH_MANAGER)
        result = import_file(app, ImportRequest(path, accept_valid=accept_valid, write_report=False, allow_drop=True))
        assert result.exit_code == 0 and result.import_id, name
    record_milestone(app, "000201", "review_3m", date(2018, 12, 3), recorded_at=datetime(2019, 4, 4, tzinfo=UTC),
                     note="Tamsin Quennell's review, signed off", recorded_by="hr.person")  # fmt: skip
    with app.unit_of_work() as uow:
        audit.record(uow, "record", "worker 000201", {"employee_id": "000201", "milestone": "review_3m"})
        audit.record(uow, "correction", "import 2", {"row": "000202 Abernathy-Lisle"})
        uow.commit()


def _text_values(app: App) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value in every table of the database."""
    found = []
    with app.engine.connect() as connection:
        inspector = inspect(connection)
        for name in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(name) if isinstance(c["type"], String | JSON)]
            if not columns:
                continue
            target = table(name, *map(sql_column, columns))
            for row in connection.execute(select(*target.c)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        found.append((name, column, value if isinstance(value, str) else json.dumps(value)))
    return found


def _leaver_traces(app: App) -> list[tuple[str, str, str]]:
    terms = [term.lower() for employee_id, names in LEFT_EARLY.items() for term in (employee_id, *names)]
    return [(t, c, v) for t, c, v in _text_values(app) if any(term in v.lower() for term in terms)]


def _indicators(app: App) -> list[Any]:
    return indicator_trend(app)


def _cohorts(app: App) -> list[Any]:
    _, found = intake_cohorts(app, date(2025, 3, 31))
    return [dataclasses.replace(cohort, members=()) for cohort in found]


def test_apply_leaves_no_trace_of_the_leavers_and_the_indicators_unchanged(app: App, tmp_path: Path) -> None:
    _council(app, tmp_path)
    traces = _leaver_traces(app)
    assert {t for t, _, _ in traces} >= {"worker_snapshots", "absences", "rejected_rows", "milestone_events",
                                         "audit_events"}  # fmt: skip
    indicators, cohorts = _indicators(app), _cohorts(app)

    planned = retention.plan(app, date(2021, 1, 1))
    assert [(leaver.employee_id, leaver.left_on) for leaver in planned.leavers] == [
        ("000201", date(2019, 8, 31)), ("000202", date(2020, 1, 15))]  # fmt: skip
    assert _leaver_traces(app) == traces  # a dry run changes nothing

    done = retention.apply(app, date(2021, 1, 1))
    assert done.own_rows["worker_snapshots"] == 5 and done.own_rows["absences"] == 3
    assert done.removed_rows == {"rejected_rows": 1}
    assert _leaver_traces(app) == []
    assert _indicators(app) == indicators
    assert _cohorts(app) == cohorts
    values = _text_values(app)
    assert ("worker_snapshots", "line_manager", "[removed]") in values  # the stayer's manager was a leaver
    assert ("worker_snapshots", "surname", "Okonkwo") in values and (
        "worker_snapshots",
        "surname",
        "Lindqvist",
    ) in values
    with app.engine.connect() as connection:
        codes = {r[0] for r in connection.execute(text("SELECT employee_id FROM worker_snapshots"))} - {
            "000203", "000204", "000205"}  # fmt: skip
        assert len(codes) == 2 and all(code.startswith("anon-") for code in codes)
        last = connection.execute(text("SELECT action, subject, details FROM audit_events ORDER BY id DESC")).first()
    assert last is not None and last[0] == "retention" and "000201" not in str(last)
    assert retention.plan(app, date(2021, 1, 1)).leavers == []  # nothing left to do


def test_the_default_date_is_the_councils_retention_years_before_today(app: App) -> None:
    assert retention.default_cutoff(app, date(2026, 11, 29)) == date(2020, 11, 29)


def test_the_cli_lists_by_default_and_anonymises_with_apply(app: App, db_url: str, tmp_path: Path) -> None:
    _council(app, tmp_path)

    def ecf(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db_url, "retention", *args],
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    listed = ecf("--left-before", "01/01/2021")
    assert listed.returncode == 0, listed.stderr
    assert "2 worker(s) left before 01/01/2021" in listed.stdout and "000201       left 31/08/2019" in listed.stdout
    assert "Nothing changed (a dry run)" in listed.stdout
    assert _leaver_traces(app)
    applied = ecf("--left-before", "01/01/2021", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert "Anonymised: " in applied.stdout and "1 row(s) removed from rejected_rows" in applied.stdout
    assert _leaver_traces(app) == []
