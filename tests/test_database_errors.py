"""Database failures as one line saying what to do: never the SQL or its parameters (names), and a locked SQLite
database waited for, with a word, then named as another import running."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import worker, write_csv
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from ecf.services.context import App
from ecf.storage.errors import describe

ROOT = Path(__file__).resolve().parent.parent


def test_a_database_error_is_described_without_its_parameters(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (surname TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO people VALUES (:name)"), {"name": "Okafor"})
    with pytest.raises(IntegrityError) as caught, engine.begin() as connection:
        connection.execute(text("INSERT INTO people VALUES (:name)"), {"name": "Okafor"})
    assert "Okafor" in str(caught.value)  # SQLAlchemy's own text carries the parameters…
    message = describe(caught.value)
    assert message is not None and "Okafor" not in message and "INSERT" not in message  # …ours never
    assert "UNIQUE constraint failed" in message


def test_a_locked_database_is_waited_for_then_named_as_another_import(tmp_path: Path):
    db = tmp_path / "ecf.sqlite3"
    App.open(str(db)).engine.dispose()  # the schema, as a first run makes it
    source = write_csv(tmp_path / "hr_2026-10-31.csv", [worker("004512", Surname="Okafor")])
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another import part-way through storing
    try:
        env = {**os.environ, "ECF_LOCK_WAIT_SECONDS": "3", "COLUMNS": "200"}
        env.pop("ECF_DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", "ecf.cli.main", "--db", str(db), "import", str(source)],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
        )  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 2, done.stderr
    assert "The database is busy (another import is storing); waiting up to 3 s" in done.stderr
    assert "another import is running" in done.stderr.splitlines()[-1]
    assert "Okafor" not in done.stderr + done.stdout and "INSERT" not in done.stderr and "Traceback" not in done.stderr
