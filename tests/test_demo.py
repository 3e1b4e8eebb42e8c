"""`./run demo` as a newcomer meets it: on a fresh home folder, on one screen, ending with commands to paste."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "ecf").exists(), reason="./run demo uses the project's .venv")
def test_run_demo_fits_on_one_screen_twice(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECF_", "XDG_"))}
    env["HOME"] = str(tmp_path)
    for run in (1, 2):
        done = subprocess.run(["./run", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        lines = (done.stdout + done.stderr).splitlines()
        assert len(lines) < 60, f"run {run}: {len(lines)} lines"
        assert "Traceback" not in done.stderr and "warning" not in done.stderr.lower()
        assert lines[-1].strip().startswith(".venv/bin/ecf ")  # ends with commands to paste, one per line
        assert (tmp_path / ".local" / "share" / "ecf-tracker" / "ecf.sqlite3").exists()
    assert "were imported before" in done.stdout
