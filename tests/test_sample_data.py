"""The committed sample data imports as a person would import it, and each source agrees with the others."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

from conftest import SAMPLE

from ecf.domain.worker import ContractType
from ecf.services.imports import ImportRequest, Outcome, import_file, list_imports
from ecf.services.workforce import current_workers, database_info
from importers.validation import ValidatedFile

MONTHLY = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
MESSY = SAMPLE / "messy" / "northmoor_hr_2026-11-30_messy.xlsx"
OTHER = SAMPLE / "other_system" / "resourcelink_export_2026-10-31.csv"
PROFILE = SAMPLE / "other_system" / "resourcelink.toml"


def test_the_generator_is_deterministic(tmp_path):
    subprocess.run([sys.executable, str(SAMPLE / "generate.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)  # fmt: skip
    assert (tmp_path / "other_system" / OTHER.name).read_bytes() == OTHER.read_bytes()
    assert (tmp_path / "other_system" / PROFILE.name).read_bytes() == PROFILE.read_bytes()


def test_twelve_months_import_cleanly_and_keep_their_history(app):
    assert len(MONTHLY) == 12
    for path in MONTHLY:
        result = import_file(app, ImportRequest(path, write_report=False))
        assert result.outcome is Outcome.IMPORTED, (path.name, result.validated.errors[:3])
    info = database_info(app)
    assert (info.snapshots, info.latest_as_of) == (12, date(2026, 10, 31))
    in_post = current_workers(app)
    assert 280 <= len(in_post) <= 340
    agency = sum(1 for s in in_post if s.record.contract_type is ContractType.AGENCY)
    part_time = sum(1 for s in in_post if s.record.fte < 1)
    assert 0.08 <= agency / len(in_post) <= 0.25 and 0.08 <= part_time / len(in_post) <= 0.25
    september_intake = [s for s in in_post if s.record.asye_start_date and s.record.asye_start_date >= date(2026, 9, 1)]
    assert len(september_intake) >= 20
    # importing the whole set again changes nothing
    again = [import_file(app, ImportRequest(path, write_report=False)).outcome for path in MONTHLY]
    assert set(again) == {Outcome.ALREADY_IMPORTED} and len(list_imports(app)) == 12


def test_the_other_systems_csv_gives_the_same_facts_as_octobers_xlsx(app, tmp_path):
    october = import_file(app, ImportRequest(MONTHLY[-1], write_report=False)).validated
    other = import_file(app, ImportRequest(OTHER, as_of=date(2026, 10, 31), profile=str(PROFILE), replace=True,
                                           write_report=False)).validated  # fmt: skip
    assert isinstance(october, ValidatedFile) and isinstance(other, ValidatedFile)
    assert other.errors == []
    xlsx_records = {r.employee_id: r for _, r in october.records}
    csv_records = {r.employee_id: r for _, r in other.records}
    assert xlsx_records.keys() == csv_records.keys()
    for employee_id, record in xlsx_records.items():
        twin = csv_records[employee_id]
        # FTE comes from contracted hours (2 dp) in the csv: 0.81 x 37 = 29.97 h -> 0.81
        assert abs(twin.fte - record.fte) <= Decimal("0.0005"), employee_id
        assert twin == type(record)(**{**{f: getattr(record, f) for f in record.__slots__}, "fte": twin.fte})


def test_the_messy_month_reports_each_planted_fault_where_it_is(app):
    result = import_file(app, ImportRequest(MESSY, write_report=False))
    assert result.outcome is Outcome.REJECTED
    errors = {(issue.row, issue.code) for issue in result.validated.errors}
    assert errors == {
        (4, "duplicate-employee-id"), (5, "duplicate-employee-id"), (9, "leaving-before-start"),
        (14, "fte-out-of-range"), (20, "qualified-in-future"), (26, "unknown-contract-type"),
        (31, "invalid-swe-number"), (33, "invalid-swe-number"), (40, "missing-value"), (47, "invalid-date"),
    }  # fmt: skip
    assert len(result.validated.records) == result.validated.data_rows - 10
    records = {number: record for number, record in result.validated.records}
    assert records[52].surname == '=HYPERLINK("http://example.invalid","x")'
    assert records[58].asye_start_date == date(2024, 4, 3)
    assert result.validated.blank_rows == 2
