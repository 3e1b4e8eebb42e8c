"""The progression use cases over a real database (SQLite, and PostgreSQL with ECF_TEST_DATABASE_URL)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import HEADERS, SAMPLE, worker, write_xlsx
from sqlalchemy import func, select
from test_cli import ecf

from ecf.domain.period import Period
from ecf.progression.facts import MilestoneStatus, Outcome, Stage
from ecf.services import progression as service
from ecf.services.imports import ImportRequest, import_file
from ecf.storage.models import CouncilRulesRow, MilestoneEventRow

ASYE_HEADERS = [*HEADERS, "ASYE 3 Month Review", "ASYE 6 Month Review"]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def newly_qualified(employee_id: str, **overrides: object) -> dict[str, object]:
    return worker(
        employee_id, **{"Date Qualified": date(2025, 7, 1), "Start Date": date(2025, 9, 1),
                        "ASYE Start Date": date(2025, 9, 15), "ASYE Status": "In progress", **overrides},
    )  # fmt: skip


def month(tmp_path: Path, as_of: date, rows: list[dict[str, object]]) -> Path:
    return write_xlsx(tmp_path / f"hr_{as_of.isoformat()}.xlsx", rows, headers=ASYE_HEADERS)


def test_milestones_for_the_stored_workforce(app, tmp_path):
    path = month(tmp_path, date(2025, 12, 31), [newly_qualified("000101"), worker("000102")])
    import_file(app, ImportRequest(path))
    progress = service.assess_workforce(app, date(2026, 1, 10))
    rows = service.milestone_rows(progress, [MilestoneStatus.OVERDUE])
    assert [(r.employee_id, r.milestone.key, r.milestone.due_date) for r in rows] == [
        ("000101", "support_agreement", date(2025, 10, 15)),
        ("000101", "review_3m", date(2025, 12, 15)),
    ]
    stages = {w.state.record.employee_id: w.assessment.stage for w in progress.workers}
    assert stages == {"000101": Stage.ASYE, "000102": Stage.EXPERIENCED}  # here since 01/09/2020: 5 years


def test_the_milestone_listing_reads_only_who_may_be_on_a_programme_and_still_says_how_old_the_data_is(app, tmp_path):
    long_ago = worker("000103", **{"Date Qualified": date(2001, 7, 1), "Start Date": date(2002, 9, 1)})
    path = month(tmp_path, date(2025, 12, 31), [newly_qualified("000101"), worker("000102"), long_ago])
    import_file(app, ImportRequest(path))
    narrowed = service.assess_workforce(app, date(2026, 1, 10), on_programme_only=True)
    assert [w.state.record.employee_id for w in narrowed.workers] == ["000101"]
    assert narrowed.data_as_of == date(2025, 12, 31)
    # a team nobody is in post in: nothing listed, and the data is still as of the newest snapshot
    nobody = service.assess_workforce(app, date(2026, 1, 10), team="No such team", on_programme_only=True)
    assert (nobody.workers, nobody.data_as_of) == ([], date(2025, 12, 31))


def test_a_recorded_review_is_kept_when_a_later_import_has_no_date_for_it(app, tmp_path):
    import_file(app, ImportRequest(month(tmp_path, date(2025, 12, 31), [newly_qualified("000101")])))
    event = service.record_milestone(app, "000101", "review_3m", date(2025, 12, 12), recorded_at=NOW, note="held")
    assert (event.framework, event.milestone, event.completed_on) == ("asye", "review_3m", date(2025, 12, 12))
    import_file(app, ImportRequest(month(tmp_path, date(2026, 1, 31), [newly_qualified("000101")])))
    detail = service.worker_detail(app, "000101", date(2026, 2, 1))
    three = next(m for m in detail.assessed.assessment.milestones if m.key == "review_3m")
    assert (three.status, three.completed_date, three.completed_source) == ("complete", date(2025, 12, 12), "recorded")
    with app.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(MilestoneEventRow)).scalar() == 1


@pytest.mark.parametrize(
    ("milestone", "on", "outcome", "message"),
    [
        ("review_12m", date(2025, 12, 1), None, "'review_12m' is not one of this worker's milestones"),
        ("review_3m", date(2026, 12, 1), None, "is in the future"),
        ("review_3m", date(2025, 12, 1), Outcome.PASSED, "an outcome can only be recorded on the step that ends"),
    ],
)
def test_a_bad_record_is_refused_and_nothing_is_stored(app, tmp_path, milestone, on, outcome, message):
    import_file(app, ImportRequest(month(tmp_path, date(2025, 12, 31), [newly_qualified("000101")])))
    with pytest.raises(service.BadRecord, match=message):
        service.record_milestone(app, "000101", milestone, on, recorded_at=NOW, outcome=outcome)
    with app.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(MilestoneEventRow)).scalar() == 0


def test_the_council_rules_file_is_stored_for_every_user(app, tmp_path):
    rules = tmp_path / "northmoor.toml"
    rules.write_text('[council]\nname = "Northmoor"\nruns_five_year_ecf = true\n', encoding="utf-8")
    book = service.save_rules(app, rules, NOW)
    assert book.council.name == "Northmoor"
    assert service.rulebook(app).council.runs_five_year_ecf
    service.clear_rules(app, NOW)
    assert not service.rulebook(app).council.runs_five_year_ecf
    with app.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(CouncilRulesRow)).scalar() == 2  # kept as history


def test_the_sample_council_runs_the_five_year_ecf(app):
    service.save_rules(app, SAMPLE / "northmoor_rules.toml", NOW)
    for path in sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))[-2:]:
        import_file(app, ImportRequest(path))
    progress = service.assess_workforce(app, date(2026, 11, 30))
    stages = {w.assessment.stage for w in progress.workers}
    assert {Stage.ASYE, Stage.ECF_YEAR_2, Stage.EXPERIENCED} <= stages
    indicators = service.workforce_indicators(app, date(2026, 11, 30))
    assert indicators[0].vacancy_rate is not None  # the sample council gives its establishment


def test_cli_milestones_csv_has_the_documented_columns(db_url):
    months = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
    assert ecf(db_url, "import", str(months[-1])).returncode == 0
    done = ecf(db_url, "milestones", "--as-of", "30/11/2026", "--status", "due,overdue", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows[0].keys() >= {"employee_id", "framework", "milestone", "due_date", "status", "completed_date",
                              "explanation"}  # fmt: skip
    assert {r["status"] for r in rows} <= {"due", "overdue"}
    employee = rows[0]["employee_id"]
    detail = json.loads(ecf(db_url, "worker", employee, "--as-of", "30/11/2026", "--format", "json").stdout)[0]
    assert detail["employee_id"] == employee and detail["milestones"]
    bad = ecf(db_url, "milestones", "--status", "late")
    assert bad.returncode == 2 and "unknown status 'late'" in bad.stderr
    missing = ecf(db_url, "worker", "999999")
    assert missing.returncode == 2 and "no worker with employee ID '999999'" in missing.stderr


def test_cli_rules_and_frameworks(db_url, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[overrides.asye.pauses]\nmin_dayz = 3\n", encoding="utf-8")
    done = ecf(db_url, "rules", "set", str(broken))
    assert done.returncode == 2
    assert "broken.toml (overrides.asye): pauses.min_dayz: unknown key" in done.stderr
    assert ecf(db_url, "rules", "set", str(SAMPLE / "northmoor_rules.toml")).returncode == 0
    rows = json.loads(ecf(db_url, "frameworks", "--format", "json").stdout)
    ecf_row = next(r for r in rows if r["id"] == "five_year_ecf")
    assert ecf_row["in_use"] is True and ecf_row["source"].startswith("Independent Review")
    assert "Northmoor" in ecf(db_url, "rules", "show").stdout


def test_an_absence_repeated_in_every_monthly_sheet_pauses_once(app, tmp_path):
    """Maternity leave 05/01/2026-14/02/2026 (41 days) is on both months' sheets; worker 000102 is only in the first,
    so both imports are read for the latest records. The 6-month review moves once: 15/03/2026 + 41 = 25/04/2026."""
    on_leave = newly_qualified(
        "000101", **{"Absence Start": date(2026, 1, 5), "Absence End": date(2026, 2, 14), "Absence Type": "Maternity"}
    )
    import_file(app, ImportRequest(month(tmp_path, date(2026, 1, 31), [on_leave, worker("000102")])))
    import_file(app, ImportRequest(month(tmp_path, date(2026, 2, 28), [on_leave])))
    detail = service.worker_detail(app, "000101", date(2026, 3, 1))
    assert len(detail.assessed.state.record.absences) == 1
    six = next(m for m in detail.assessed.assessment.milestones if m.key == "review_6m")
    assert six.due_date == date(2026, 4, 25)


def test_cli_projection_as_csv_with_the_documented_columns(db_url):
    months = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
    assert ecf(db_url, "import", str(months[-1])).returncode == 0
    done = ecf(db_url, "project", "--as-of", "31/10/2026", "--years", "2", "--compare", "retention", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows[0].keys() >= {"scenario", "month", "financial_year", "fte", "salary", "employer_ni", "pension", "levy",
                              "agency", "total", "leavers"}  # fmt: skip
    assert {r["scenario"] for r in rows} == {"baseline", "retention", "retention - baseline"}
    assert len(rows) == 3 * 24 and rows[0]["month"] == "2026-11-01" and rows[0]["financial_year"] == "2026/27"
    for base, other, difference in zip(rows[:24], rows[24:48], rows[48:], strict=True):
        assert float(difference["total"]) == pytest.approx(float(other["total"]) - float(base["total"]), abs=0.011)
    first = rows[0]
    parts = sum(float(first[c]) for c in ("salary", "employer_ni", "pension", "levy", "agency"))
    assert float(first["total"]) == pytest.approx(parts, abs=0.011)
    spine = ecf(db_url, "payscale", "show", "njc", "--year", "2025/26", "--format", "csv").stdout.splitlines()
    assert spine[0] == "point,annual_salary" and "29,39862" in spine
    unknown = ecf(db_url, "project", "--scenario", "nope")
    assert unknown.returncode == 2 and "no scenario 'nope'" in unknown.stderr


def test_market_supplements_and_allowances_are_imported_and_stored(app, tmp_path):
    headers = [*HEADERS, "Market Supplement", "Allowances"]
    rows = [worker("000101", **{"Market Supplement": "£2,000", "Allowances": 450.5}), worker("000102")]
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", rows, headers=headers)
    result = import_file(app, ImportRequest(path))
    assert result.outcome.value == "imported"
    with app.unit_of_work() as uow:
        stored = uow.snapshots.snapshot(date(2026, 10, 31))
    assert stored["000101"].market_supplement == Decimal("2000.00")
    assert stored["000101"].allowances == Decimal("450.50")
    assert stored["000102"].market_supplement is None
    bad = write_xlsx(tmp_path / "hr_2026-11-30.xlsx", [worker("000101", **{"Market Supplement": "lots"})], headers)
    refused = import_file(app, ImportRequest(bad))
    assert refused.outcome.value == "rejected"
    assert [(i.code, i.column) for i in refused.validated.issues if i.severity == "error"] == [
        ("invalid-number", "Market Supplement")
    ]


def test_a_returner_keeps_their_earlier_spell_and_no_one_else_reads_one(app, tmp_path):
    """The workforce's assessment reads only returners' spells (issue #20): a worker with one spell gets none, a
    worker who left and came back gets the first, as the single-worker view reads it."""
    october = [worker("000201", **{"Leaving Date": date(2026, 10, 15)}), worker("000202")]
    november = [worker("000201", **{"Start Date": date(2026, 11, 2)}), worker("000202")]
    import_file(app, ImportRequest(month(tmp_path, date(2026, 10, 31), october), write_report=False))
    import_file(app, ImportRequest(month(tmp_path, date(2026, 11, 30), november), write_report=False))
    progress = service.assess_workforce(app, date(2026, 11, 30))
    facts = {w.state.record.employee_id: w.facts for w in progress.workers}
    assert facts["000201"].earlier_spells == (Period(date(2020, 9, 1), date(2026, 10, 15)),)
    assert facts["000202"].earlier_spells == ()
    for employee_id, expected in facts.items():
        detail = service.worker_detail(app, employee_id, date(2026, 11, 30))
        assert detail.assessed.facts == expected
