"""Date of birth, gender and ethnicity are special-category or sensitive personal data: they are stored in a table of
their own and shown only by the census (the return and its check) and the one-worker view, never in a log line, a
listing, the finance workbook, the import report or any other csv, and never with --pseudonymise."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADERS, worker, write_xlsx
from sqlalchemy import select

from ecf.census.xml import return_xml
from ecf.services import projection
from ecf.services.census import build_census, to_complete_csv
from ecf.services.context import App
from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.storage.models import PersonalDetailRow, RejectedRowRecord

PERSONAL = ["Date of Birth", "Gender", "Ethnicity"]
# Values that appear nowhere else in the data, so finding one means the sensitive value leaked.
BORN, BORN_TEXT = date(1987, 3, 14), ("14/03/1987", "1987-03-14", "1987")
ETHNICITY_LABEL, ETHNICITY_CODE = "Black or Black British: Caribbean", "BCRB"
SECRETS = (*BORN_TEXT, ETHNICITY_LABEL, ETHNICITY_CODE, "Caribbean", "Non-binary")


def rows() -> list[dict[str, object]]:
    return [
        worker("2001", **{"Date of Birth": BORN, "Gender": "Non-binary", "Ethnicity": ETHNICITY_LABEL}),
        # An unreadable date of birth and ethnicity: warnings that never repeat the value.
        worker("2002", **{"Date of Birth": "31/02/1987", "Ethnicity": "Caribbean-ish 1987"}),
        # A row with an error (FTE) is rejected: its special-category cells are not kept with it.
        worker("2003", **{"FTE": 1.5, "Date of Birth": BORN, "Ethnicity": ETHNICITY_LABEL}),
    ]


def ecf(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db_url, *args],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip


def assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} found in {where}"


@pytest.fixture
def imported(app: App, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> tuple[App, Path]:
    caplog.set_level(logging.DEBUG)
    path = write_xlsx(tmp_path / "hr_2026-09-30.xlsx", rows(), headers=[*HEADERS, *PERSONAL])
    result = import_file(app, ImportRequest(path, accept_valid=True))
    assert result.outcome is Outcome.IMPORTED
    return app, path


def test_stored_apart_and_never_in_logs_findings_or_the_report(
    imported: tuple[App, Path], caplog: pytest.LogCaptureFixture
) -> None:
    app, path = imported
    with app.unit_of_work() as uow:
        session = uow.census.session
        stored = session.execute(select(PersonalDetailRow.employee_id, PersonalDetailRow.date_of_birth,
                                        PersonalDetailRow.gender, PersonalDetailRow.ethnicity)).all()  # fmt: skip
        rejected = session.scalars(select(RejectedRowRecord.cells)).all()
    assert [tuple(r) for r in stored] == [("2001", BORN, "9", "BCRB")]  # 2002's were unreadable: left blank
    assert len(rejected) == 1
    assert_clean(json.dumps(rejected, default=str), "the rejected row kept in the database")
    result = import_file(app, ImportRequest(path, accept_valid=True))  # the same file: nothing new
    assert result.outcome is Outcome.ALREADY_IMPORTED
    report = openpyxl.load_workbook(path.with_name("hr_2026-09-30.errors.xlsx"))
    cells = " ".join(str(c.value) for sheet in report for row in sheet.iter_rows() for c in row if c.value)
    assert_clean(cells, "the import report")
    assert "date of birth not readable; left blank (value not shown)" in cells
    build_census(app, 2026, la_code="999")
    assert_clean("\n".join(r.getMessage() for r in caplog.records), "the log")


def test_never_in_listings_or_the_workbook(imported: tuple[App, Path], db_url: str, tmp_path: Path) -> None:
    app, _ = imported
    for args in (("workers", "--all", "--format", "csv"), ("workers", "--all", "--format", "json"),
                 ("findings", "--format", "csv"), ("changes", "--format", "json"), ("stages", "--format", "csv"),
                 ("milestones", "--format", "json"), ("indicators", "--format", "csv")):  # fmt: skip
        done = ecf(db_url, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert_clean(done.stdout + done.stderr, " ".join(args))
    for pseudonymise in (False, True):
        target = tmp_path / f"projection_{pseudonymise}.xlsx"
        request = projection.ProjectionRequest("baseline", 1, date(2026, 9, 30))
        projection.export_workbook(app, [request], target, datetime(2026, 10, 1, tzinfo=UTC), pseudonymise)
        book = openpyxl.load_workbook(target)
        assert_clean(" ".join(str(c.value) for s in book for r in s.iter_rows() for c in r if c.value), target.name)


def test_shown_by_the_census_and_the_worker_view_only(imported: tuple[App, Path], db_url: str) -> None:
    app, _ = imported
    built = build_census(app, 2026, la_code="999")
    xml = return_xml(built.census, datetime(2026, 10, 1, tzinfo=UTC)).decode()
    assert "<PersonBirthDate>1987-03-14</PersonBirthDate>" in xml and "<Ethnicity>BCRB</Ethnicity>" in xml
    assert "<GenderCurrent>9</GenderCurrent>" in xml
    assert_clean(to_complete_csv(built), "the to-complete csv")  # it asks for them; it never repeats them
    listed = list(csv.DictReader(io.StringIO(to_complete_csv(built))))
    assert {row["Employee ID"] for row in listed} >= {"2002"}
    shown = ecf(db_url, "worker", "2001").stdout
    assert "date of birth 14/03/1987" in shown and "Black Caribbean (BCRB)" in shown
    as_json = json.loads(ecf(db_url, "worker", "2001", "--format", "json").stdout)
    assert as_json[0]["census"]["ethnicity"] == "BCRB"
    check = ecf(db_url, "census", "--year", "2026", "--check", "--format", "csv")
    assert check.returncode == 0, check.stderr
    assert_clean(check.stdout, "ecf census --check")
