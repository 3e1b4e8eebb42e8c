"""Subject access on SQLite and PostgreSQL: every row held about one worker, in a workbook and JSON, and nobody
else's."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from test_retention import _council

from ecf.services import subject_access
from ecf.services.context import App


def test_everything_about_one_worker_and_nothing_about_anyone_else(app: App, tmp_path: Path) -> None:
    _council(app, tmp_path)
    held, workbook, data = subject_access.subject_access(app, "000202", tmp_path / "out" / "sar-000202")
    assert held.counts == {"worker_snapshots": 3, "absences": 3, "import_issues": 1, "rejected_rows": 1,
                           "audit_events": 1}  # fmt: skip
    assert {row["import_id"] for row in held.tables["worker_snapshots"]} == {1, 2, 3}
    assert held.tables["import_issues"][0]["code"] == "fte-out-of-range"
    assert held.tables["audit_events"][0]["action"] == "correction"
    for path in (workbook, data):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(data.read_text(encoding="utf-8"))
    assert document["employee_id"] == "000202" and document["counts"] == held.counts
    assert {row["surname"] for row in document["tables"]["worker_snapshots"]} == {"Abernathy-Lisle"}
    everything = json.dumps(document)
    for someone_else in ("000201", "Quennell", "000203", "Marchetti", "Okonkwo"):
        assert someone_else not in everything
    book = load_workbook(workbook, read_only=True)
    assert book.sheetnames == ["About", "Snapshot rows", "Absences", "Findings", "Rejected rows", "Audit entries"]
    rows = list(book["Snapshot rows"].iter_rows(values_only=True))
    header = rows[0]
    assert {row[header.index("Surname")] for row in rows[1:]} == {"Abernathy-Lisle"}
    assert rows[1][header.index("Employee id")] == "000202"  # text, leading zeros kept
    with app.engine.connect() as connection:  # the request itself is in the audit trail
        last = connection.execute(text("SELECT action, subject FROM audit_events ORDER BY id DESC")).first()
    assert tuple(last or ()) == ("subject-access", "worker 000202")


def test_recorded_milestones_and_audit_entries_are_included(app: App, tmp_path: Path) -> None:
    _council(app, tmp_path)
    held = subject_access.gather(app, "000201")
    assert held.counts["milestone_events"] == 1 and held.counts["audit_events"] == 1
    assert held.tables["milestone_events"][0]["note"] == "Tamsin Quennell's review, signed off"


def test_nothing_held_and_an_existing_file_are_refused(app: App, tmp_path: Path) -> None:
    _council(app, tmp_path)
    with pytest.raises(subject_access.SubjectAccessError, match="nothing is held about employee ID 00020;"):
        subject_access.subject_access(app, "00020", tmp_path / "sar")  # a part of an ID is not the ID
    (tmp_path / "taken.json").write_text("{}")
    with pytest.raises(subject_access.SubjectAccessError, match="already exists"):
        subject_access.subject_access(app, "000202", tmp_path / "taken")


def test_the_cli_writes_both_files(app: App, db_url: str, tmp_path: Path) -> None:
    _council(app, tmp_path)
    command = [sys.executable, "-m", "ecf.cli.main", "--db", db_url, "subject-access", "000201"]
    done = subprocess.run([*command, "--out", str(tmp_path / "sar.xlsx")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sar.xlsx").exists() and (tmp_path / "sar.json").exists()
    assert "worker_snapshots 2" in done.stdout
