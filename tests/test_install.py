"""`pip install .` gives a working `ecf`, `ecf demo` included: the sample council ships as package data.

The full check (a clean virtual environment, dependencies from the package index) runs with ECF_TEST_INSTALL=1;
the package-data patterns are checked against the checkout every time."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_sample_council_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    data = config["package-data"]
    shipped = {
        path.relative_to(ROOT)
        for package, patterns in data.items()
        if package.startswith("sample_data")
        for pattern in patterns
        for path in (ROOT / package.replace(".", "/")).glob(pattern)
    }
    months = {p.relative_to(ROOT) for p in (ROOT / "sample_data" / "monthly").glob("northmoor_hr_????-??-??.xlsx")}
    assert len(months) == 12 and months <= shipped
    assert Path("sample_data/northmoor_rules.toml") in shipped
    assert not any(".errors." in p.name for p in shipped)
    assert "sample_data*" in config["packages"]["find"]["include"]
    assert "tui.tcss" in data["ecf"] and "rules/defaults/*.toml" in data["ecf"]


@pytest.mark.skipif(not os.environ.get("ECF_TEST_INSTALL"), reason="set ECF_TEST_INSTALL=1: needs the package index")
def test_pip_install_into_a_clean_venv_gives_a_working_demo(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True, cwd=tmp_path, timeout=1200)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ECF_")}, "HOME": str(tmp_path / "home")}
    done = subprocess.run([str(venv / "bin" / "ecf"), "demo", "--no-tui"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "12 monthly snapshots" in done.stdout
