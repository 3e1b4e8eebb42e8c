"""`ecf` starts at once: help and a listing load none of the heavy libraries, and the help the lazy command group
writes from help texts alone is the help of the commands themselves (`./run bench-cli` times it)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main
from conftest import SAMPLE
from typer.testing import CliRunner

from ecf.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "openpyxl", "pydantic", "alembic", "markdown_it", "pygments")
# Runs `ecf ARGS` as its console script does and writes the names of the modules loaded to MODULES_OUT at exit.
PROBE = """
import atexit, json, os, runpy, sys
atexit.register(lambda: open(os.environ["MODULES_OUT"], "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["ecf", *json.loads(os.environ["ECF_ARGS"])]
runpy.run_module("ecf.cli.main", run_name="__main__")
"""


def loaded(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env.update(MODULES_OUT=str(out), ECF_ARGS=json.dumps(args), COLUMNS="100")
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    return done, {name.split(".")[0] for name in json.loads(out.read_text())}


@pytest.mark.parametrize("args", [["--help"], ["workers", "--help"], ["pay", "show", "--help"], ["--version"]])
def test_help_loads_no_heavy_library_nor_the_database(tmp_path, args):
    done, modules = loaded(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert "Usage: ecf" in done.stdout or "ecf-tracker" in done.stdout
    assert not modules & {*HEAVY, "sqlalchemy", "psycopg"}, modules & {*HEAVY, "sqlalchemy", "psycopg"}


def test_a_listing_loads_the_database_but_no_heavy_library(tmp_path, db_url):
    month = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))[-1]
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    stored = subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db_url, "import", str(month)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)  # fmt: skip
    assert stored.returncode == 0, stored.stderr
    for listing in (["workers"], ["workers", "--format", "csv"], ["imports"], ["findings"], ["changes"]):
        done, modules = loaded(tmp_path, "--db", db_url, *listing)
        assert done.returncode == 0, done.stderr
        assert "sqlalchemy" in modules
        assert not modules & set(HEAVY), (listing, modules & set(HEAVY))
    workers, _ = loaded(tmp_path, "--db", db_url, "workers")
    count, label = workers.stdout.splitlines()[0].split()
    assert int(count) > 250 and label == "workers"


def help_of(group: typer.core.TyperGroup, *args: str) -> str:
    written = io.StringIO()
    with contextlib.redirect_stdout(written), contextlib.suppress(typer.Exit, SystemExit):
        group.main([*args, "--help"], prog_name="ecf", standalone_mode=False)
    return written.getvalue()


def test_the_help_listing_from_help_texts_is_the_commands_own(monkeypatch):
    """`ecf --help` lists each command from its help text without building it; once every command is built, the
    listing from the built commands is the same, line for line."""
    monkeypatch.setenv("COLUMNS", "120")
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    listed = help_of(group)
    names = group.list_commands(None)  # type: ignore[arg-type]
    assert names[:3] == ["milestones", "worker", "stages"] and "imports" in names and len(names) == len(set(names))
    assert "milestones" in listed and "Every import and correction" in listed
    built = {name: group.get_command(None, name) for name in names}  # type: ignore[arg-type]
    for command in built.values():  # the real ones now: a command with its callback, a group with its commands
        assert getattr(command, "commands", None) or getattr(command, "callback", None) is not None, command
    assert help_of(group) == listed
    assert group.list_commands(None) == names  # type: ignore[arg-type]  # the order is the registration's, built or not


def test_values_are_coerced_as_typer_does_without_its_validators_where_none_is_needed(tmp_path):
    db = f"sqlite:///{tmp_path / 'ecf.sqlite3'}"
    runner = CliRunner()
    narrow = runner.invoke(app, ["--db", db, "--width", "10", "workers"])
    assert narrow.exit_code == 2 and "--width" in narrow.output and "20" in narrow.output  # typer's range check
    not_a_number = runner.invoke(app, ["--db", db, "--width", "wide", "workers"])
    assert not_a_number.exit_code == 2 and "--width" in not_a_number.output
    not_a_date = runner.invoke(app, ["--db", db, "milestones", "--as-of", "31/02/2026"])
    assert not_a_date.exit_code == 2 and "is not a date" in not_a_date.output  # the option's own parser
    assert runner.invoke(app, ["--db", db, "workers", "--format", "json"]).output.strip() == "[]"
    assert runner.invoke(app, ["--db", db, "--width", "30", "workers", "--team", "x", "-f", "csv"]).exit_code == 0
    wrong = runner.invoke(app, ["--db", db, "workers", "--format", "xml"])
    assert wrong.exit_code == 2 and "'xml'" in wrong.output and "--format" in wrong.output  # typer's message


def test_the_terminal_ui_starts_without_the_pay_model_or_the_census():
    """The first screen needs neither pandas (the Projection tab, a worker's pay) nor the census code: they load when
    first used, so the interface is up sooner."""
    probe = "import sys, tui; print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'openpyxl'}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    census = subprocess.run([sys.executable, "-c", "import sys, tui; print('ecf.services.census' in sys.modules)"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert census.stdout.strip() == "False"
