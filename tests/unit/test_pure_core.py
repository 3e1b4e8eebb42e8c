"""The domain core and the progression engine stay pure: no database, files, terminal or clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted([*(ROOT / "ecf" / "domain").glob("*.py"), *(ROOT / "ecf" / "progression").glob("*.py")])
FORBIDDEN_MODULES = {"sqlalchemy", "alembic", "textual", "typer", "rich", "os", "pathlib", "io", "tomllib", "time"}
FORBIDDEN_CALLS = {"today", "now", "utcnow", "open"}


@pytest.mark.parametrize("path", CORE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_core_module_reads_no_file_database_or_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
            assert not name.startswith(("ecf.storage", "ecf.services", "ecf.cli", "ecf.rules")), name
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            assert called not in FORBIDDEN_CALLS, f"{path.name} calls {called}()"
