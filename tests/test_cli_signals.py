"""`ecf --version`, Ctrl-C at any moment (one line, exit 130, nothing stored) and kill -TERM (nothing stored)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import worker, write_csv

ROOT = Path(__file__).resolve().parent.parent


def test_version_needs_no_command():
    done = subprocess.run([sys.executable, "-m", "ecf.cli.main", "--version"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("ecf-tracker ")


@pytest.fixture(scope="module")
def big_month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    return write_csv(folder / "hr_2026-10-31.csv", [worker(str(100000 + n)) for n in range(30000)])


@pytest.mark.parametrize("after", [0.4, 2.5])
@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_import_says_so_in_one_line_and_stores_nothing_half_way(tmp_path, big_month, after, sent):
    db = tmp_path / "ecf.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "ecf.cli.main", "--db", str(db), "import", str(big_month)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal would start it
    )  # fmt: skip
    time.sleep(after)
    child.send_signal(sent)
    _, err = child.communicate(timeout=120)
    if child.returncode == 0:
        pytest.skip("the import finished before the signal (a fast machine)")
    assert "Traceback" not in err
    if sent == signal.SIGINT and child.returncode == -signal.SIGINT:
        # Sent before the interpreter had set up its handler (a loaded machine can take that long to start Python):
        # the system ends it then, before any of ecf has run, saying nothing and storing nothing (checked below).
        assert err.strip() == ""
    elif sent == signal.SIGINT:
        assert child.returncode == 130 and len(err.strip().splitlines()) == 1 and "Interrupted" in err
    else:
        assert child.returncode in (143, -signal.SIGTERM)
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "imports" in tables:  # a signal after the commit finds the month stored whole; before it, nothing
                (imports,) = connection.execute("SELECT count(*) FROM imports").fetchone()
                (rows,) = connection.execute("SELECT count(*) FROM worker_snapshots").fetchone()
                assert (imports, rows) in ((0, 0), (1, 30000))
    assert not [p for p in big_month.parent.iterdir() if p.name.endswith(".ecf-tmp")]
