"""The same value limits on SQLite and PostgreSQL: what validation accepts, storage holds; what storage cannot hold
(over-long IDs, huge counts, NUL) is refused as a finding, never an internal error. Run with ECF_TEST_DATABASE_URL
for PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from conftest import HEADERS, worker, write_csv, write_xlsx
from sqlalchemy import select

from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.services.workforce import current_workers
from ecf.storage.models import ImportIssueRow, RejectedRowRecord

WITH_CASELOAD = [*HEADERS, "Caseload"]


def codes(result) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in result.validated.issues:
        found.setdefault(issue.value or "", []).append(issue.code)
    return found


def test_ids_and_counts_at_the_edge_of_storage(app, tmp_path: Path):
    rows = [
        worker("1" * 40, Caseload=500, **{"SWE Registration Number": "SW100001"}),
        worker("2" * 41, **{"SWE Registration Number": "SW100002"}),
        worker("004512", Caseload=501),
        worker("004513", Caseload=2**31 + 5),
    ]
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", rows, headers=WITH_CASELOAD)
    result = import_file(app, ImportRequest(path, accept_valid=True))
    assert result.outcome is Outcome.IMPORTED
    stored = {state.record.employee_id: state.record for state in current_workers(app)}
    assert set(stored) == {"1" * 40} and stored["1" * 40].caseload == 500
    by_row = {issue.row: issue.code for issue in result.validated.errors}
    assert by_row == {3: "text-too-long", 4: "invalid-number", 5: "invalid-number"}


def test_control_characters_and_non_characters_are_refused_and_never_break_storage(app, tmp_path: Path):
    rows = [
        worker("004512", Surname="Ok\ufffeafor"),
        worker("004513", Surname="\x1b[2JClear"),
        worker("004515", Surname="Ok\uffffafor"),
        worker("004516"),
    ]
    path = write_csv(tmp_path / "hr_2026-09-30.csv", rows)
    result = import_file(app, ImportRequest(path, accept_valid=True, write_report=False))
    assert result.outcome is Outcome.IMPORTED
    assert [i.code for i in result.validated.errors] == ["invalid-character"] * 3
    assert {state.record.employee_id for state in current_workers(app)} == {"004516"}
    # NUL (a csv holding one is refused as binary; a workbook's cell can hold one)
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("004514", Forename="Ada\x00"), worker("004516")])
    result = import_file(app, ImportRequest(path, accept_valid=True, write_report=False))
    assert [i.code for i in result.validated.errors] == ["invalid-character"]
    with app.engine.connect() as connection:  # the rejected rows and findings are stored, NUL shown as U+FFFD
        kept = connection.execute(select(RejectedRowRecord.id)).all()
        values = connection.execute(select(ImportIssueRow.value)).scalars().all()
    assert len(kept) == 4
    assert "Ada\ufffd" in values and not any("\x00" in (v or "") for v in values)


def test_an_invisible_character_in_an_id_does_not_hide_a_duplicate(app, tmp_path: Path):
    path = write_csv(
        tmp_path / "hr_2026-10-31.csv", [worker("004512"), worker("004513", **{"Employee ID": "0045\u200b12"})]
    )
    result = import_file(app, ImportRequest(path, write_report=False))
    assert result.outcome is Outcome.REJECTED
    found = [(i.row, i.code) for i in result.validated.issues if i.code != "missing-swe-number"]
    assert sorted(found) == [(2, "duplicate-employee-id"), (3, "duplicate-employee-id"),
                             (3, "invisible-characters-removed")]  # fmt: skip


def test_ids_that_are_yes_no_values_or_fractions_are_refused(app, tmp_path: Path):
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("004512", **{"Employee ID": "TRUE"}),
                                                      worker("004513", **{"Employee ID": 900001.0000001}),
                                                      worker("004514", **{"Employee ID": 900002.0})])  # fmt: skip
    result = import_file(app, ImportRequest(path, accept_valid=True, write_report=False))
    assert [(i.row, i.code) for i in result.validated.errors] == [
        (2, "invalid-employee-id"),
        (3, "invalid-employee-id"),
    ]
    assert {state.record.employee_id for state in current_workers(app)} == {"900002"}
