"""The import lifecycle HR can trust: corrections, the shrinking-month guard, undo and restore, an import's identity,
one date order per column, no false leavers, gaps, one active snapshot per date under concurrency, and the audit
trail. Runs on SQLite and PostgreSQL (ECF_TEST_DATABASE_URL)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE, worker, write_csv
from rows_to_fix import fix_rows
from sqlalchemy import func, select

from ecf.services.audit import events
from ecf.services.imports import ImportRequest, Outcome, import_file, list_imports
from ecf.services.lifecycle import LifecycleError, restore, undo
from ecf.services.progression import record_milestone, save_rules
from ecf.services.workforce import current_workers, database_info
from ecf.storage.models import ImportRow, WorkerLatestRow, WorkerSnapshotRow
from importers.dates import DateOrder, MixedDateOrder

SEP, OCT, NOV, DEC = date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31)
TEN = [f"{n:06d}" for n in range(101, 111)]


def month(xlsx, as_of: date, ids=TEN, name: str | None = None, **overrides):
    return xlsx(name or f"hr_{as_of.isoformat()}.xlsx", [worker(e, **overrides.get(e, {})) for e in ids])


def snapshot(app, as_of: date):
    with app.unit_of_work() as uow:
        return uow.snapshots.snapshot(as_of)


def stored(app, path, **options) -> Outcome:
    return import_file(app, ImportRequest(path, **options)).outcome


# --- 1. corrections --------------------------------------------------------------------------------------------------


def test_a_correction_replaces_only_the_rows_present_and_never_creates_a_leaver(app, xlsx):
    stored(app, month(xlsx, OCT))
    fix = xlsx("fix.xlsx", [worker("000103", Team="Fostering"), worker("000104", FTE=0.5)])
    result = import_file(app, ImportRequest(fix, as_of=OCT, correct=True))
    assert result.outcome is Outcome.IMPORTED and result.corrected == 2
    after = snapshot(app, OCT)
    assert set(after) == set(TEN)  # the 10-row month keeps its 10 workers: no one gone from the sheet
    assert after["000103"].team == "Fostering" and after["000104"].fte == Decimal("0.5")
    assert after["000105"].team == "Child Protection"
    assert {c.kind.value for c in result.changes} == {"team", "fte"}
    kinds = [(i.kind, i.status, i.base_id) for i in list_imports(app)]
    assert kinds == [("import", "active", None), ("correction", "active", 1)]
    # a later correction wins for the worker both touch
    second = xlsx("fix2.xlsx", [worker("000103", Team="Adoption")])
    assert stored(app, second, as_of=OCT, correct=True) is Outcome.IMPORTED
    assert snapshot(app, OCT)["000103"].team == "Adoption" and snapshot(app, OCT)["000104"].fte == Decimal("0.5")
    state = {s.record.employee_id: s.record for s in current_workers(app)}
    assert state["000103"].team == "Adoption" and len(state) == 10


def test_a_correction_needs_a_snapshot_to_correct(app, xlsx):
    fix = xlsx("fix.xlsx", [worker("000103")])
    assert stored(app, fix, as_of=OCT, correct=True) is Outcome.NOTHING_TO_CORRECT
    assert list_imports(app) == []


def test_the_rows_to_fix_round_trip_from_the_messy_sample_month(app, tmp_path):
    october = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"
    messy = Path(shutil.copy(SAMPLE / "messy" / "northmoor_hr_2026-11-30_messy.xlsx", tmp_path))
    assert stored(app, october, write_report=False) is Outcome.IMPORTED
    first = import_file(app, ImportRequest(messy, accept_valid=True))
    assert first.outcome is Outcome.IMPORTED and len(first.validated.rejected) == 10
    assert first.carried_forward == 10  # the blank and duplicated IDs matched by SWE number: no false leavers
    report = first.report
    assert report is not None and report.name == "northmoor_hr_2026-11-30_messy.errors.xlsx"
    ids_by_swe = {r.swe_number: e for e, r in snapshot(app, OCT).items() if r.swe_number}
    fix_rows(report, ids_by_swe)
    # imported as a month it would replace the 308-row month with 10 rows: it says what to do instead
    assert stored(app, report, replace=True, write_report=False) is Outcome.NEEDS_CORRECT
    before = snapshot(app, NOV)
    result = import_file(app, ImportRequest(report, correct=True, write_report=False))
    assert result.outcome is Outcome.IMPORTED and result.as_of == NOV  # the date from the report's name
    assert result.corrected == 10 and len(result.validated.records) == 10
    after = snapshot(app, NOV)
    assert set(after) == set(before) and len(after) == 308
    with app.unit_of_work() as uow:
        assert uow.snapshots.carried_reasons(NOV) == {}  # every carried row is now the corrected one
    changed = {e for e in after if after[e] != before[e]}
    assert 1 <= len(changed) <= 10


# --- 2. the shrinking-month guard ------------------------------------------------------------------------------------


def test_a_month_that_loses_many_workers_without_a_leaving_date_is_refused(app, xlsx):
    stored(app, month(xlsx, OCT))
    short = month(xlsx, NOV, ids=TEN[:8])  # 2 of 10 vanish: 20% > 10%
    result = import_file(app, ImportRequest(short))
    assert result.outcome is Outcome.TOO_MANY_VANISH and result.exit_code == 1
    assert result.shrinkage is not None and len(result.shrinkage.vanished) == 2 and result.shrinkage.in_post == 10
    assert [i.as_of for i in list_imports(app)] == [OCT]  # nothing stored
    assert stored(app, short, allow_drop=True) is Outcome.IMPORTED


def test_a_replace_that_empties_a_month_is_refused(app, xlsx):
    stored(app, month(xlsx, OCT))
    partial = month(xlsx, OCT, ids=TEN[:1], name="partial_2026-10-31.xlsx")
    assert stored(app, partial, replace=True) is Outcome.TOO_MANY_VANISH
    assert len(snapshot(app, OCT)) == 10


def test_leavers_with_a_date_do_not_count_and_the_share_is_a_council_setting(app, xlsx, tmp_path):
    stored(app, month(xlsx, OCT))
    leaving = {"000101": {"Leaving Date": date(2026, 11, 1)}, "000102": {"Leaving Date": date(2026, 11, 2)}}
    stored(app, month(xlsx, NOV, **leaving))
    assert stored(app, month(xlsx, DEC, ids=TEN[2:])) is Outcome.IMPORTED  # they left with a date: no vanishing
    rules = tmp_path / "rules.toml"
    rules.write_text("[council]\nmax_vanished_share = 0.5\n")
    save_rules(app, rules, datetime.now(UTC))
    assert stored(app, month(xlsx, date(2027, 1, 31), ids=TEN[2:6])) is Outcome.IMPORTED  # 4 of 8 = 50%: allowed


# --- 3. undo and restore ---------------------------------------------------------------------------------------------


def test_undo_falls_back_to_the_import_superseded_and_restore_brings_it_back(app, xlsx):
    first = month(xlsx, OCT, name="first_2026-10-31.xlsx")
    stored(app, first)
    wrong = month(xlsx, OCT, name="wrong_2026-10-31.xlsx", **{e: {"Team": "Wrong"} for e in TEN})
    assert stored(app, wrong, replace=True) is Outcome.IMPORTED
    assert {r.team for r in snapshot(app, OCT).values()} == {"Wrong"}
    done = undo(app, 2)
    assert done.now_active is not None and done.now_active.id == 1
    assert {r.team for r in snapshot(app, OCT).values()} == {"Child Protection"}
    assert [(i.id, i.status) for i in list_imports(app)] == [(1, "active"), (2, "withdrawn")]
    # the withdrawn file again: not "nothing to do", but the command that brings it back
    again = import_file(app, ImportRequest(wrong, replace=True))
    assert again.outcome is Outcome.NOT_ACTIVE and again.existing is not None and again.existing.id == 2
    restore(app, 2)
    assert [(i.id, i.status, i.superseded_by) for i in list_imports(app)] == [(1, "superseded", 2), (2, "active", None)]
    assert {s.record.team for s in current_workers(app)} == {"Wrong"}
    with pytest.raises(LifecycleError, match="already active"):
        restore(app, 2)


def test_undoing_the_only_import_leaves_no_snapshot_and_the_older_month_is_current_again(app, xlsx):
    stored(app, month(xlsx, SEP))
    stored(app, month(xlsx, OCT, **{"000101": {"Grade": "SP"}}))
    undo(app, 2)
    assert snapshot(app, OCT) == {}
    states = {s.record.employee_id: s for s in current_workers(app)}
    assert states["000101"].record.grade == "SW" and states["000101"].last_seen == SEP
    undo(app, 1)
    assert current_workers(app) == [] and database_info(app).snapshots == 0
    with pytest.raises(LifecycleError, match="already withdrawn"):
        undo(app, 1)


def test_undoing_a_correction_and_its_base_restored_brings_its_corrections(app, xlsx):
    stored(app, month(xlsx, OCT, name="a_2026-10-31.xlsx"))
    stored(app, xlsx("fix.xlsx", [worker("000101", Team="Fostering")]), as_of=OCT, correct=True)
    undo(app, 2)
    assert snapshot(app, OCT)["000101"].team == "Child Protection"
    restore(app, 2)
    assert snapshot(app, OCT)["000101"].team == "Fostering"
    other = month(xlsx, OCT, name="b_2026-10-31.xlsx", **{"000102": {"Grade": "SP"}})
    assert stored(app, other, replace=True) is Outcome.IMPORTED  # import 3: its own month, no correction
    assert snapshot(app, OCT)["000101"].team == "Child Protection"
    restore(app, 1)  # the base comes back with its correction
    assert snapshot(app, OCT)["000101"].team == "Fostering"


# --- 5. identity: the file with the mapping used ---------------------------------------------------------------------


def test_a_file_read_with_a_corrected_profile_is_a_different_import(app, tmp_path):
    headers = ["Payroll", "Qualified", "Started", "Hours", "Type"]
    rows = [{"Payroll": e, "Qualified": "30/06/2019", "Started": "01/09/2020", "Hours": "37", "Type": "Perm"}
            for e in TEN]  # fmt: skip
    data = write_csv(tmp_path / "other_2026-10-31.csv", rows, headers)
    profile = tmp_path / "p.toml"
    columns = ('[columns]\nPayroll = "employee_id"\nQualified = "date_qualified"\nStarted = "start_date"\n'
               'Type = "contract_type"\n')  # fmt: skip
    profile.write_text(f'name = "other"\n{columns}Hours = "weekly_hours"\n')
    assert stored(app, data, profile=str(profile)) is Outcome.IMPORTED
    assert stored(app, data, profile=str(profile)) is Outcome.ALREADY_IMPORTED
    profile.write_text(f'name = "other"\nhours_per_week = 40\n{columns}Hours = "weekly_hours"\n')  # corrected
    assert stored(app, data, profile=str(profile), replace=True) is Outcome.IMPORTED
    assert {r.fte for r in snapshot(app, OCT).values()} == {Decimal("0.925")}


# --- 6. one date order per column ------------------------------------------------------------------------------------


def us_rows(dates: list[str]) -> list[dict[str, object]]:
    return [worker(e, **{"Date Qualified": d, "Start Date": "09/01/2020"}) for e, d in zip(TEN, dates, strict=False)]


def test_a_month_first_column_is_read_month_first_throughout_and_said_in_the_report(app, tmp_path):
    dates = ["04/07/2015", "09/13/2015", "12/25/2014", "01/02/2016"]
    path = write_csv(tmp_path / "us_2026-10-31.csv", us_rows(dates))
    result = import_file(app, ImportRequest(path, write_report=False))
    assert result.outcome is Outcome.IMPORTED
    assert result.validated.month_first == ["Date Qualified"]
    assert any(i.code == "month-first-dates" and i.column == "Date Qualified" for i in result.validated.issues)
    stored_dates = [snapshot(app, OCT)[e].date_qualified for e in TEN[:4]]
    assert stored_dates == [date(2015, 4, 7), date(2015, 9, 13), date(2014, 12, 25), date(2016, 1, 2)]
    # the start date column proves nothing either way: day-first, as always
    assert snapshot(app, OCT)["000101"].start_date == date(2020, 1, 9)


def test_a_column_with_both_orders_is_refused_with_its_name_and_examples(app, tmp_path):
    path = write_csv(tmp_path / "mixed_2026-10-31.csv", us_rows(["13/04/2015", "09/13/2015", "01/02/2016"]))
    with pytest.raises(MixedDateOrder, match=r"column 'Date Qualified' mixes .*13/04/2015.*09/13/2015"):
        import_file(app, ImportRequest(path, write_report=False))
    assert list_imports(app) == []
    forced = import_file(app, ImportRequest(path, write_report=False, dates=DateOrder.DMY, accept_valid=True))
    assert forced.outcome is Outcome.IMPORTED and len(forced.validated.rejected) == 1  # 09/13/2015 is no day-first


def test_real_date_cells_and_iso_text_are_never_reordered(app, xlsx):
    rows = [worker("000101", **{"Date Qualified": date(2015, 4, 7)}),
            worker("000102", **{"Date Qualified": "2015-04-07"}),
            worker("000103", **{"Date Qualified": "09/13/2015"})]  # fmt: skip
    stored(app, xlsx("hr_2026-10-31.xlsx", rows), write_report=False)
    got = {e: r.date_qualified for e, r in snapshot(app, OCT).items()}
    assert got == {"000101": date(2015, 4, 7), "000102": date(2015, 4, 7), "000103": date(2015, 9, 13)}


# --- 7. no false leavers ---------------------------------------------------------------------------------------------


def test_rejected_rows_without_a_usable_id_are_matched_and_the_rest_are_not_leavers(app, xlsx):
    stored(app, month(xlsx, OCT))
    november = [worker(e) for e in TEN[3:]]
    november.append(worker("000101", **{"Employee ID": "", "FTE": 2}))  # blank ID: matched by SWE number
    november.append(worker("000104", **{"SWE Registration Number": "SW100102", "FTE": 2}))  # another's ID: by SWE
    result = import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", november), accept_valid=True))
    assert result.outcome is Outcome.IMPORTED
    after = snapshot(app, NOV)
    assert {"000101", "000102"} <= set(after)
    with app.unit_of_work() as uow:
        # 000104's own row shares its ID with 000102's, so it is rejected too, and matched back by its SWE number
        assert uow.snapshots.carried_reasons(NOV) == {"000101": "matched", "000102": "matched", "000104": "matched"}
    # every rejected row found its worker: 000103, gone from the sheet, is a leaver
    assert [c.employee_id for c in result.changes if c.kind.value == "leaver"] == ["000103"]


def test_a_vanished_worker_is_possibly_in_an_unmatched_rejected_row(app, xlsx):
    stored(app, month(xlsx, OCT))
    november = [worker(e) for e in TEN[1:]]
    november.append(worker("099999", **{"Employee ID": "", "SWE Registration Number": "", "Surname": "Unknown"}))
    result = import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", november), accept_valid=True))
    assert result.outcome is Outcome.IMPORTED and result.possibly_rejected == 1
    assert not [c for c in result.changes if c.kind.value == "leaver"]
    with app.unit_of_work() as uow:
        assert uow.snapshots.carried_reasons(NOV) == {"000101": "possible"}


# --- 8. gaps ---------------------------------------------------------------------------------------------------------


def test_a_month_without_a_snapshot_between_two_others_is_reported(app, xlsx):
    stored(app, month(xlsx, SEP))
    result = import_file(app, ImportRequest(month(xlsx, NOV, **{"000101": {"Grade": "SP"}})))
    assert result.outcome is Outcome.IMPORTED and result.missing_months == [OCT]
    assert database_info(app).missing_months == [OCT]


# --- 9. one active snapshot per date, enforced by the database --------------------------------------------------------


def test_the_database_refuses_a_second_active_import_for_a_date(app):
    from sqlalchemy.exc import IntegrityError

    row = {"file_name": "x", "as_of": OCT, "imported_at": datetime.now(UTC), "sheet": None, "header_row": 1,
           "rows_total": 0, "rows_accepted": 0, "rows_rejected": 0, "warnings": 0}  # fmt: skip
    with app.unit_of_work() as uow:
        uow.imports.session.add(ImportRow(sha256="a" * 64, **row))
        uow.imports.session.flush()
        uow.imports.session.add(ImportRow(sha256="b" * 64, **row))
        with pytest.raises(IntegrityError):
            uow.imports.session.flush()


def ecf_import(db_url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ecf.cli.main", "--db", db_url, "import", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.mark.parametrize("same_file", [True, False])
def test_two_processes_importing_at_once_leave_one_active_snapshot(app, db_url, xlsx, same_file):
    first = month(xlsx, OCT, name="a_2026-10-31.xlsx")
    second = first if same_file else month(xlsx, OCT, name="b_2026-10-31.xlsx", **{"000101": {"Grade": "SP"}})
    processes = [ecf_import(db_url, str(first)), ecf_import(db_url, str(second))]
    outputs = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    codes = sorted(code for code, _, _ in outputs)
    text = " ".join(out + err for _, out, err in outputs)
    assert "Traceback" not in text
    with app.unit_of_work() as uow:
        active = uow.imports.session.scalar(
            select(func.count()).select_from(ImportRow).where(ImportRow.as_of == OCT, ImportRow.status == "active")
        )
        rows = uow.imports.session.scalar(select(func.count()).select_from(WorkerSnapshotRow))
        pointers = uow.imports.session.scalar(select(func.count()).select_from(WorkerLatestRow))
    assert active == 1 and rows == 10 and pointers == 10
    if same_file:
        assert codes == [0, 0] and "already imported" in text
    else:
        assert codes == [0, 1] and "Use --replace" in text


# --- 4. the audit trail ----------------------------------------------------------------------------------------------


def test_every_change_is_an_audit_event_with_who_and_when(app, xlsx, tmp_path):
    asye = {"Date Qualified": date(2026, 6, 30), "Start Date": date(2026, 9, 1), "ASYE Start Date": date(2026, 9, 1),
            "ASYE Status": "In progress"}  # fmt: skip
    stored(app, month(xlsx, OCT, **{"000101": asye}))
    stored(app, xlsx("fix.xlsx", [worker("000102", Team="Fostering")]), as_of=OCT, correct=True)
    undo(app, 2)
    restore(app, 2)
    record_milestone(app, "000101", "asye.review_3m", date(2026, 10, 1), recorded_at=datetime(2026, 11, 1, tzinfo=UTC))
    rules = tmp_path / "rules.toml"
    rules.write_text("[council]\nname = 'Northmoor'\n")
    save_rules(app, rules, datetime.now(UTC))
    found = events(app)
    assert [e.action for e in found] == ["import", "correction", "undo", "restore", "record", "rules"]
    assert all(e.actor and e.at for e in found)
    assert found[1].details is not None and found[1].details["corrects"] == 1
    assert not any("Surname" in str(e.details) for e in found)  # never a person's name


# --- the migration ---------------------------------------------------------------------------------------------------


def test_the_migration_fills_in_statuses_rows_in_effect_and_latest_rows_from_existing_data(app, xlsx):
    from alembic import command
    from alembic.config import Config

    stored(app, month(xlsx, SEP))
    stored(app, month(xlsx, OCT, ids=TEN[:9]), allow_drop=True)
    stored(app, month(xlsx, OCT, name="again_2026-10-31.xlsx", **{"000101": {"Grade": "SP"}}), replace=True)
    with app.unit_of_work() as uow:
        before = repr(uow.snapshots.latest_records())
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "ecf" / "storage" / "migrations"))
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with app.unit_of_work() as uow:
        assert repr(uow.snapshots.latest_records()) == before
        assert [(i.id, i.status) for i in uow.imports.all()] == [(1, "active"), (2, "superseded"), (3, "active")]
        assert uow.snapshots.snapshot(OCT)["000101"].grade == "SP"


def test_the_migration_finds_the_returners_in_the_rows_already_stored(app, xlsx):
    """A database from before worker_latest kept start dates: upgrading works them out from the rows in effect."""
    from alembic import command
    from alembic.config import Config

    back = {"000102": {"Start Date": date(2026, 10, 1)}}  # left in the summer, back under the same ID
    stored(app, month(xlsx, SEP))
    stored(app, month(xlsx, OCT, **back))
    stored(app, month(xlsx, NOV, name="undone_2026-11-30.xlsx", **{"000103": {"Start Date": date(2026, 11, 2)}}))
    undo(app, 3)  # its start date is in no row in effect
    with app.unit_of_work() as uow:
        before = uow.snapshots.latest_pointers()
    assert (before["000102"].first_start, before["000102"].last_start) == (date(2020, 9, 1), date(2026, 10, 1))
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "ecf" / "storage" / "migrations"))
    for target in ("i12", "head"):
        with app.engine.begin() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if target == "i12" else command.upgrade)(config, target)
    with app.unit_of_work() as uow:
        assert uow.snapshots.latest_pointers() == before
        assert uow.snapshots.returners() == ["000102"]
        assert [p.start for p in uow.snapshots.spells(returners_only=True)["000102"]] == [
            date(2020, 9, 1), date(2026, 10, 1)]  # fmt: skip


# --- the commands ----------------------------------------------------------------------------------------------------


def ecf(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecf.cli.main", "--db", db_url, *args],
        capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"}, timeout=120,
    )  # fmt: skip


def test_the_commands_correct_guard_undo_restore_and_audit(db_url, xlsx):
    import json

    october = month(xlsx, OCT)
    assert ecf(db_url, "import", str(october)).returncode == 0
    short = month(xlsx, NOV, ids=TEN[:5])
    done = ecf(db_url, "import", str(short))
    assert done.returncode == 1 and "5 of the 10 workers in post on 31/10/2026 are missing" in done.stdout
    assert "--correct" in done.stdout and "--allow-drop" in done.stdout and "Traceback" not in done.stderr
    fix = xlsx("fix.xlsx", [worker("000102", Team="Fostering")])
    done = ecf(db_url, "import", str(fix), "--correct", "--as-of", "31/10/2026")
    assert done.returncode == 0 and "Imported correction #2 of import #1" in done.stdout
    listed = json.loads(ecf(db_url, "imports", "--format", "json").stdout)
    assert [(i["id"], i["kind"], i["status"], i["base_id"]) for i in listed] == [
        (1, "import", "active", None), (2, "correction", "active", 1)]  # fmt: skip
    done = ecf(db_url, "imports", "undo", "1")
    assert done.returncode == 0 and "no snapshot for 31/10/2026" in done.stdout
    again = ecf(db_url, "import", str(october))
    assert again.returncode == 1 and "ecf imports restore 1" in again.stdout
    assert ecf(db_url, "imports", "restore", "1").returncode == 0
    assert ecf(db_url, "imports", "restore", "1").returncode == 1  # already active: one line, exit 1
    audit = json.loads(ecf(db_url, "audit", "--format", "json").stdout)
    assert [e["action"] for e in audit] == ["import", "correction", "undo", "restore"]
    assert ecf(db_url, "audit", "--since", "01/01/2099").stdout.strip() == "No audited changes yet."


def test_the_dates_option_and_a_mixed_column_on_the_command_line(db_url, tmp_path):
    path = write_csv(tmp_path / "mixed_2026-10-31.csv", us_rows(["13/04/2015", "09/13/2015"]))
    done = ecf(db_url, "import", str(path))
    assert done.returncode == 2 and "column 'Date Qualified' mixes" in done.stderr and "Traceback" not in done.stderr
    done = ecf(db_url, "import", str(path), "--dates", "mdy", "--accept-valid")
    assert done.returncode == 0, done.stdout
