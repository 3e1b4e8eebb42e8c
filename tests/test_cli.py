"""The `ecf` command as HR and finance run it: exit codes, one-line errors, the --format convention."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import date

import pytest
from conftest import SAMPLE, worker, write_xlsx

MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))


def ecf(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "ecf.cli.main", "--db", db_url, *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=120,
    )  # fmt: skip


def test_import_then_list_workers_and_imports_as_csv_and_json(db_url):
    done = ecf(db_url, "import", *map(str, MONTHS[-2:]))
    assert done.returncode == 0, done.stderr
    assert "2 files:" in done.stdout and "31/10/2026  #2" in done.stdout  # many files: one row each
    assert "ecf changes --since 31/10/2026" in done.stdout
    rows = list(csv.DictReader(io.StringIO(ecf(db_url, "workers", "--format", "csv").stdout)))
    assert rows and {"employee_id", "date_qualified", "fte", "contract_type", "status", "last_seen"} <= set(rows[0])
    assert all(row["employee_id"].isdigit() and len(row["employee_id"]) == 6 for row in rows)  # leading zeros kept
    assert {row["last_seen"] for row in rows} == {"2026-10-31"}
    leavers = json.loads(ecf(db_url, "workers", "--team", "care leavers", "--format", "json").stdout)
    assert leavers and {w["team"] for w in leavers} == {"Care Leavers"}
    imports = json.loads(ecf(db_url, "imports", "--format", "json").stdout)
    assert [(i["as_of"], i["status"]) for i in imports] == [("2026-09-30", "active"), ("2026-10-31", "active")]
    assert len(imports[0]["sha256"]) == 64
    again = ecf(db_url, "import", str(MONTHS[-1]))
    assert again.returncode == 0 and "already imported" in again.stdout


def test_changes_since_a_date_as_csv(db_url):
    assert ecf(db_url, "import", *map(str, MONTHS[-3:])).returncode == 0
    out = ecf(db_url, "changes", "--since", "01/10/2026", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {row["as_of"] for row in rows} == {"2026-10-31"}
    assert {"joiner", "leaver", "grade", "role"} & {row["change"] for row in rows}


def test_a_file_with_errors_exits_1_and_stores_nothing(db_url, tmp_path):
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101", FTE=1.2)])
    done = ecf(db_url, "import", str(path))
    assert done.returncode == 1
    assert "fte-out-of-range" in done.stdout and "nothing was stored" in done.stdout
    assert (tmp_path / "hr_2026-10-31.errors.xlsx").exists()
    assert json.loads(ecf(db_url, "info", "--format", "json").stdout)[0]["imports"] == 0


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notes_2026-10-31.pdf", b"%PDF-1.4", "not a spreadsheet"),
        ("empty_2026-10-31.xlsx", b"", "empty"),
        ("fake_2026-10-31.xlsx", b"this is text, not a workbook", "not a readable spreadsheet"),
        ("locked_2026-10-31.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        ("words_2026-10-31.csv", b"hello,world\n1,2\n", "no recognisable header"),
    ],
)
def test_unreadable_input_gets_one_clear_line_and_exit_2(db_url, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    done = ecf(db_url, "import", str(path))
    assert done.returncode == 2
    assert says in done.stderr and name in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 3


def test_a_missing_required_column_is_named(db_url, tmp_path):
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101")], headers=["Employee ID", "Start Date", "FTE"])
    done = ecf(db_url, "import", str(path))
    assert done.returncode == 2
    assert "Date qualified" in done.stderr and "Contract type" in done.stderr


def test_no_date_anywhere_and_no_terminal_asks_for_as_of(db_url, tmp_path):
    path = write_xlsx(tmp_path / "staff.xlsx", [worker("000101")])
    done = ecf(db_url, "import", str(path))
    assert done.returncode == 2 and "--as-of" in done.stderr
    assert ecf(db_url, "import", str(path), "--as-of", "31/10/2026").returncode == 0
    info = json.loads(ecf(db_url, "info", "--format", "json").stdout)[0]
    assert info["latest_as_of"] == date(2026, 10, 31).isoformat()


def test_info_names_the_database_and_what_it_holds(db_url):
    ecf(db_url, "import", str(MONTHS[0]))
    out = ecf(db_url, "info").stdout
    assert "Monthly snapshots" in out and "30/11/2025" in out


def test_the_default_sqlite_file_is_private_to_its_owner(tmp_path):
    db = tmp_path / "private" / "ecf.sqlite3"
    assert ecf(str(db), "info").returncode == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_bad_database_url_is_one_line(tmp_path):
    done = ecf("postgresql://127.0.0.1:1/nowhere", "info")
    assert done.returncode == 2 and "cannot open database" in done.stderr and "Traceback" not in done.stderr


def test_profiles_can_be_saved_and_used_by_name(db_url):
    assert ecf(db_url, "profile", "save", str(SAMPLE / "other_system" / "resourcelink.toml")).returncode == 0
    assert "resourcelink" in ecf(db_url, "profile", "list").stdout
    done = ecf(db_url, "import", str(SAMPLE / "other_system" / "resourcelink_export_2026-10-31.csv"),
               "--profile", "resourcelink")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_findings_lists_what_an_accepted_import_left_out(db_url, tmp_path):
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101"), worker("000102", FTE=1.2)])
    assert ecf(db_url, "import", str(path), "--accept-valid").returncode == 0
    rows = list(csv.DictReader(io.StringIO(ecf(db_url, "findings", "--format", "csv").stdout)))
    assert [(r["row_number"], r["column"], r["value"], r["code"]) for r in rows] == [
        ("3", "FTE", "1.2", "fte-out-of-range")
    ]
    assert ecf(db_url, "findings", "99").returncode == 2


def test_ecf_tui_takes_the_database_either_side_of_the_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import tui
    from ecf.cli.main import app

    opened: list[str] = []
    monkeypatch.setattr(tui.EcfTui, "run", lambda ui: opened.append(str(ui.ecf.target.sqlite_path)))
    monkeypatch.delenv("ECF_DATABASE_URL", raising=False)
    for args in (["tui", "--db", str(tmp_path / "after.sqlite3")], ["--db", str(tmp_path / "before.sqlite3"), "tui"]):
        assert CliRunner().invoke(app, args).exit_code == 0
    assert opened == [str(tmp_path / "after.sqlite3"), str(tmp_path / "before.sqlite3")]
