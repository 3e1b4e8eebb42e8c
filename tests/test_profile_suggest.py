"""`ecf profile suggest`: a draft that imports once its commented lines are confirmed, and never guesses silently."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecf.services.imports import ImportRequest, Outcome, import_file
from importers.profiles.suggest import CONFIRM, suggest

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
FILES = {
    "csww_2025-09-30.csv": ["SW104233", "SW120045", "SW77310", "SW98812"],
    "nfi_payroll_2026-10-31.csv": ["00412", "00518", "00733", "00901"],
    "resourcelink_2026-10-31.csv": ["001248", "005586", "006650", "007650"],
    "oracle_hcm_2026-10-31.csv": ["E0977", "E1042", "E1187", "E1203"],
}


def confirmed(text: str) -> str:
    return "\n".join(line.removeprefix(CONFIRM) for line in text.splitlines()) + "\n"


@pytest.mark.parametrize("name", FILES)
def test_the_confirmed_suggestion_imports_the_export(app, tmp_path, name):
    path = Path(shutil.copy(EXPORTS / name, tmp_path / name))
    draft = suggest(path)
    profile = tmp_path / "drafted.toml"
    profile.write_text(confirmed(draft.to_toml("drafted")))
    result = import_file(app, ImportRequest(path, profile=str(profile)))
    assert result.outcome is Outcome.IMPORTED, [i.message for i in result.validated.errors]  # type: ignore[union-attr]
    with app.unit_of_work() as uow:
        assert sorted(uow.snapshots.snapshot(result.as_of)) == FILES[name]  # type: ignore[arg-type]


def test_a_decision_the_file_cannot_settle_is_left_commented(tmp_path):
    draft = suggest(EXPORTS / "nfi_payroll_2026-10-31.csv")
    text = draft.to_toml("x")
    assert f'{CONFIRM}absent = ["date_qualified", "swe_number"]' in text
    assert f'{CONFIRM}contract_type = "permanent"' in text
    assert draft.missing == ["Date qualified", "Contract type"]


def test_two_equally_likely_columns_are_never_mapped_silently(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(
        "Staff Ref,Start Date (post),Start Date (council),Date,Qualified On,Hrs,Kind\n"
        "A1,01/09/2021,01/09/2020,05/05/2024,30/06/2019,37,AGY\n"
        "A2,15/01/2022,15/01/2019,06/06/2024,30/06/2018,22.2,PERM\n"
    )
    draft = suggest(path)
    lines = {line.header: line for line in draft.lines}
    assert not lines["Start Date (post)"].certain and not lines["Start Date (council)"].certain
    assert "also looks like start_date" in lines["Start Date (council)"].reason
    assert lines["Date"].spec is None and not lines["Date"].certain  # dates, but which field's?
    assert "values look like dates" in lines["Date"].reason
    assert (lines["Qualified On"].fields, lines["Qualified On"].certain) == (("date_qualified",), False)
    text = draft.to_toml("x")
    for header in ("Start Date (post)", "Start Date (council)", "Date", "Qualified On"):
        mentions = [line for line in text.splitlines() if line.lstrip("# ?").startswith(f'"{header}"')]
        assert mentions and all(line.startswith(CONFIRM) for line in mentions)


def test_no_names_or_ids_appear_as_samples():
    draft = suggest(EXPORTS / "nfi_payroll_2026-10-31.csv")
    text = draft.to_toml("x")
    for personal in ("Okafor", "Adaeze", "QQ123456A", "12/03/1990", "00412"):
        assert personal not in text


def ecf(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env["COLUMNS"] = "80"
    return subprocess.run(
        [sys.executable, "-m", "ecf.cli.main", "--db", db_url, *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_the_cli_writes_a_private_draft(db_url, tmp_path):
    source = Path(shutil.copy(EXPORTS / "resourcelink_2026-10-31.csv", tmp_path / "rl.csv"))
    done = ecf(db_url, "profile", "suggest", str(source), "--save", str(tmp_path / "mine"))
    assert done.returncode == 0, done.stderr
    target = tmp_path / "mine.toml"
    assert target.stat().st_mode & 0o777 == 0o600
    assert "ecf profile save" in done.stdout


def test_check_shows_the_mapping_and_stores_nothing(db_url, tmp_path):
    source = Path(shutil.copy(EXPORTS / "nfi_payroll_2026-10-31.csv", tmp_path / "nfi_payroll_2026-10-31.csv"))
    done = ecf(db_url, "import", str(source), "--check", "--profile", "nfi-payroll")
    assert done.returncode == 0, done.stderr
    assert "nothing stored" in done.stdout and "Standard hours per week" in done.stdout
    assert "field-absent" in done.stdout and "4 rows: 4 valid" in done.stdout
    assert "No imports" in ecf(db_url, "imports").stdout or "#1" not in ecf(db_url, "imports").stdout


def test_profile_list_shows_the_built_in_ones_beside_the_saved(db_url, tmp_path):
    profile = tmp_path / "mine.toml"
    profile.write_text('name = "mine"\n[columns]\n"Ref" = "employee_id"\n')
    assert ecf(db_url, "profile", "save", str(profile)).returncode == 0
    listed = ecf(db_url, "profile", "list", "--format", "csv").stdout.splitlines()
    assert [line.split(",")[:2] for line in listed[1:]] == [
        ["csww", "built-in"],
        ["nfi-payroll", "built-in"],
        ["resourcelink", "built-in"],
        ["oracle-hcm", "built-in"],
        ["mine", "saved"],
    ]


def test_profile_fields_lists_every_field_with_its_spellings(db_url):
    done = ecf(db_url, "profile", "fields", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert 'date_qualified,Date qualified,"yes, unless declared absent"' in done.stdout
    assert "termination date" in done.stdout  # a built-in spelling of the leaving date


def test_role_codes_get_a_value_map_to_fill_in(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Employee ID,Date qualified,Start date,FTE,Contract,Role\n1,01/06/2019,01/09/2020,1,Perm,5\n"
                    "2,01/06/2018,01/09/2019,1,Perm,4\n")  # fmt: skip
    draft = suggest(path)
    role = next(line for line in draft.lines if line.header == "Role")
    assert role.spec is not None and role.spec.values == {"5": "5", "4": "4"} and not role.certain
    assert f'{CONFIRM}"Role" = {{ "field" = "role", "values" = {{ "5" = "5", "4" = "4" }} }}' in draft.to_toml("x")
