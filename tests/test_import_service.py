"""The import as HR uses it: atomic, repeatable, dated, and reporting what changed. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import worker, write_csv
from sqlalchemy import func, select

from ecf.domain.changes import ChangeKind
from ecf.services.imports import AsOfRequired, ImportRequest, Outcome, changes_since, import_file, list_imports
from ecf.services.workforce import current_workers, database_info, worker_state
from ecf.storage.models import ImportIssueRow, ImportRow, RejectedRowRecord, WorkerSnapshotRow
from ecf.storage.repository import SnapshotRepository

OCT, NOV = date(2026, 10, 31), date(2026, 11, 30)


def count(app, model) -> int:
    with app.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_valid_file_is_stored_as_the_snapshot_for_its_date(app, xlsx):
    path = xlsx("hr_2026-10-31.xlsx", [worker("000101"), worker("000102", FTE=0.6)], title_rows=3)
    result = import_file(app, ImportRequest(path))
    assert result.outcome is Outcome.IMPORTED and result.exit_code == 0
    assert result.as_of == OCT  # from the file name
    [info] = list_imports(app)
    assert (info.file_name, info.as_of, info.rows_total, info.rows_accepted, info.rows_rejected) == (
        "hr_2026-10-31.xlsx", OCT, 2, 2, 0)  # fmt: skip
    assert len(info.sha256) == 64 and info.sheet == "Staff"
    stored = {s.record.employee_id: s.record for s in current_workers(app)}
    assert stored["000102"].fte == Decimal("0.6") and stored["000101"].start_date == date(2020, 9, 1)


def test_a_file_with_any_error_stores_nothing_and_saves_a_report(app, xlsx):
    rows = [worker("000101"), worker("000102", **{"Contract Type": "Casual"})]
    path = xlsx("hr_2026-10-31.xlsx", rows)
    result = import_file(app, ImportRequest(path))
    assert result.outcome is Outcome.REJECTED and result.exit_code == 1
    assert count(app, ImportRow) == 0 and count(app, WorkerSnapshotRow) == 0
    assert result.report == path.with_name("hr_2026-10-31.errors.xlsx") and result.report.exists()
    [error] = result.validated.errors
    assert (error.code, error.row, error.column, error.value) == ("unknown-contract-type", 3, "Contract Type", "Casual")


def test_accept_valid_stores_the_valid_rows_and_keeps_the_rejected_ones_with_their_errors(app, xlsx):
    rows = [worker("000101"), worker("000102", FTE=1.2), worker("000103")]
    result = import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", rows), accept_valid=True))
    assert result.outcome is Outcome.IMPORTED
    assert sorted(s.record.employee_id for s in current_workers(app)) == ["000101", "000103"]
    with app.engine.connect() as connection:
        rejected = connection.execute(select(RejectedRowRecord.row_number, RejectedRowRecord.cells)).one()
        codes = connection.execute(select(ImportIssueRow.code, ImportIssueRow.row_number)).all()
    assert rejected.row_number == 3 and rejected.cells["Employee ID"] == "000102" and rejected.cells["FTE"] == "1.2"
    assert ("fte-out-of-range", 3) in codes
    [info] = list_imports(app)
    assert (info.rows_total, info.rows_accepted, info.rows_rejected, info.accept_valid) == (3, 2, 1, True)


def test_a_worker_whose_row_is_rejected_keeps_last_months_facts_and_is_no_leaver(app, xlsx):
    october = [worker("000101", Team="Care Leavers"), worker("000102")]
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", october)))
    rows = [worker("000101", FTE=1.5), worker("000101"), worker("000102"), worker("000199", FTE=2)]  # 000199: new
    result = import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", rows), accept_valid=True))
    assert result.outcome is Outcome.IMPORTED and result.carried_forward == 1
    assert result.carried_note == "1 worker keeps the facts of 31/10/2026 until their rejected rows are fixed " \
        "(not counted as leavers)"  # fmt: skip
    assert [c for c in result.changes if c.employee_id == "000101"] == []
    with app.engine.connect() as connection:
        stored = connection.execute(
            select(WorkerSnapshotRow.employee_id, WorkerSnapshotRow.row_number, WorkerSnapshotRow.carried_from)
            .where(WorkerSnapshotRow.as_of == NOV).order_by(WorkerSnapshotRow.employee_id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in stored] == [("000101", 2, OCT), ("000102", 4, None)]  # row 2: the first of the two
    in_post = {s.record.employee_id: s for s in current_workers(app)}
    assert set(in_post) == {"000101", "000102"} and in_post["000101"].record.team == "Care Leavers"
    assert in_post["000101"].last_seen == NOV
    assert worker_state(app, "000101").facts_from == OCT and worker_state(app, "000102").facts_from is None
    fixed = [worker("000101"), worker("000102"), worker("000199")]
    import_file(app, ImportRequest(xlsx("hr_2026-11-30 fixed.xlsx", fixed), as_of=NOV, replace=True))
    with app.engine.connect() as connection:
        active = select(ImportRow.id).where(ImportRow.superseded_by.is_(None))
        now = select(WorkerSnapshotRow.employee_id, WorkerSnapshotRow.carried_from).where(
            WorkerSnapshotRow.as_of == NOV, WorkerSnapshotRow.import_id.in_(active)
        )
        assert sorted(tuple(r) for r in connection.execute(now)) == [(i, None) for i in ("000101", "000102", "000199")]


def test_importing_the_same_file_twice_is_a_no_op_that_says_so(app, xlsx):
    path = xlsx("hr_2026-10-31.xlsx", [worker("000101")])
    first = import_file(app, ImportRequest(path))
    again = import_file(app, ImportRequest(path))
    assert again.outcome is Outcome.ALREADY_IMPORTED and again.exit_code == 0
    assert again.existing is not None and again.existing.id == first.import_id
    assert count(app, ImportRow) == 1 and count(app, WorkerSnapshotRow) == 1


def test_a_second_file_for_the_same_date_needs_replace_and_keeps_the_old_one(app, xlsx, tmp_path):
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", [worker("000101")])))
    corrected = xlsx("hr_2026-10-31_v2.xlsx", [worker("000101", Team="Children in Care")])
    conflict = import_file(app, ImportRequest(corrected))
    assert conflict.outcome is Outcome.CONFLICT and conflict.exit_code == 1
    assert count(app, ImportRow) == 1
    replaced = import_file(app, ImportRequest(corrected, replace=True))
    assert replaced.outcome is Outcome.IMPORTED and replaced.replaced is not None
    old, new = list_imports(app)
    assert old.superseded_by == new.id and new.active
    assert [s.record.team for s in current_workers(app)] == ["Children in Care"]
    assert [(c.kind, c.before, c.after) for c in changes_since(app, OCT)] == []  # one active snapshot only


def test_an_older_month_imported_later_never_overwrites_the_newer_state(app, xlsx):
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", [worker("000101", Grade="SP")])))
    result = import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", [worker("000101", Grade="SW")])))
    assert result.outcome is Outcome.IMPORTED and result.newer_as_of == NOV and result.previous_as_of is None
    [state] = current_workers(app)
    assert state.record.grade == "SP" and state.last_seen == NOV
    assert database_info(app).latest_as_of == NOV


def test_changes_since_the_previous_snapshot(app, xlsx):
    october = [worker("000101"), worker("000102"), worker("000103"), worker("000104", **{"Contract Type": "Agency"})]
    november = [
        worker("000101", Grade="SP", FTE=0.8),
        worker("000102", **{"Leaving Date": date(2026, 11, 20), "Leaving Reason": "Resignation"}),
        worker("000104", **{"Contract Type": "Permanent"}, Team="Children in Care"),
        worker("000105", **{"Start Date": date(2026, 11, 2)}),
    ]
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", october)))
    result = import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", november), allow_drop=True))
    assert result.previous_as_of == OCT
    found = {(c.employee_id, c.kind): c for c in result.changes}
    assert set(found) == {
        ("000101", ChangeKind.GRADE), ("000101", ChangeKind.FTE), ("000102", ChangeKind.LEAVER),
        ("000103", ChangeKind.LEAVER), ("000104", ChangeKind.CONTRACT), ("000104", ChangeKind.TEAM),
        ("000105", ChangeKind.JOINER),
    }  # fmt: skip
    assert (found["000101", ChangeKind.FTE].before, found["000101", ChangeKind.FTE].after) == ("1", "0.8")
    assert found["000102", ChangeKind.LEAVER].detail == "leaving 20/11/2026 (Resignation)"
    assert found["000103", ChangeKind.LEAVER].detail == "gone from the sheet (no leaving date given)"
    assert found["000104", ChangeKind.CONTRACT].after == "permanent"
    # `ecf changes --since` shows the same again, from storage
    again = changes_since(app, NOV)
    assert sorted((c.employee_id, c.kind) for c in again) == sorted(found)


def test_a_crash_part_way_through_storing_leaves_the_database_as_it_was(app, xlsx, monkeypatch):
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", [worker("000101")])))
    before = (count(app, ImportRow), count(app, WorkerSnapshotRow))
    real_add = SnapshotRepository.add

    def add_then_interrupt(self, *args, **kwargs):
        real_add(self, *args, **kwargs)  # the rows are written inside the transaction...
        raise KeyboardInterrupt  # ...then Ctrl-C arrives before the commit

    monkeypatch.setattr(SnapshotRepository, "add", add_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", [worker("000101"), worker("000102")])))
    assert (count(app, ImportRow), count(app, WorkerSnapshotRow)) == before


def test_no_date_in_the_name_and_no_as_of_must_be_asked(app, xlsx):
    with pytest.raises(AsOfRequired):
        import_file(app, ImportRequest(xlsx("staff.xlsx", [worker("000101")])))
    result = import_file(app, ImportRequest(xlsx("staff.xlsx", [worker("000101")]), as_of=OCT))
    assert result.outcome is Outcome.IMPORTED and result.as_of == OCT


def test_a_csv_from_another_system_with_a_mapping_profile(app, tmp_path: Path):
    headers = ["Person Ref", "Family Name", "Qualification Date", "Continuous Service Date", "Contracted Hours",
               "Employment Type"]  # fmt: skip
    rows = [
        {
            "Person Ref": "007",
            "Family Name": "Ní Bhriain",
            "Qualification Date": date(2018, 7, 1),
            "Continuous Service Date": date(2019, 1, 7),
            "Contracted Hours": "22.2",
            "Employment Type": "AGY",
        }
    ]
    path = write_csv(tmp_path / "export_2026-10-31.csv", rows, headers)
    profile = tmp_path / "other.toml"
    profile.write_text('name = "other"\n[columns]\n"Family Name" = "surname"\n[values.contract_type]\nAGY = "agency"\n')
    result = import_file(app, ImportRequest(path, profile=str(profile)))
    assert result.outcome is Outcome.IMPORTED, result.validated.issues
    [state] = current_workers(app)
    record = state.record
    assert (record.employee_id, record.surname, record.fte, record.contract_type.value) == (
        "007", "Ní Bhriain", Decimal("0.6"), "agency")  # fmt: skip
    assert (record.date_qualified, record.start_date) == (date(2018, 7, 1), date(2019, 1, 7))


def test_an_error_on_the_last_row_of_a_40000_row_file_stores_nothing(app, xlsx):
    rows = [worker(f"{n:06d}", **{"Start Date": date(2010, 1, 1) + timedelta(days=n % 4000)}) for n in range(39_999)]
    rows.append(worker("039999", FTE=1.2))
    path = xlsx("hr_2026-10-31.xlsx", rows, title_rows=3)
    result = import_file(app, ImportRequest(path, write_report=False))
    assert result.outcome is Outcome.REJECTED
    [error] = result.validated.errors
    assert (error.code, error.row) == ("fte-out-of-range", 40_004)  # 3 title rows + header + 40,000 rows
    assert count(app, ImportRow) == 0 and count(app, WorkerSnapshotRow) == 0
