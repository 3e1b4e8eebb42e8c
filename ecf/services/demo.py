"""The demo council: a fresh database built from `sample_data/` (twelve months of Northmoor and its rules file), so a
newcomer sees a living council in one command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ecf
from ecf.services.context import App
from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.services.progression import save_rules
from ecf.storage.database import default_sqlite_path

SAMPLE = Path(ecf.__file__).resolve().parent.parent / "sample_data"


class DemoUnavailable(Exception):
    """The sample data is not where the checkout keeps it."""


@dataclass(frozen=True)
class Demo:
    app: App
    months: int
    path: Path


def demo_path() -> Path:
    """The demo database lives beside the default one, never in it: building it never touches real data."""
    return default_sqlite_path().with_name("demo.sqlite3")


def build_demo(sample: Path = SAMPLE, path: Path | None = None, tick: Callable[[str], None] | None = None) -> Demo:
    months = sorted((sample / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
    rules = sample / "northmoor_rules.toml"
    if not months or not rules.exists():
        raise DemoUnavailable(f"no sample data in {sample}: the demo needs the sample_data folder of a checkout")
    target = path or demo_path()
    for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)  # a fresh council every time
    app = App.open(str(target))
    save_rules(app, rules, datetime.now(UTC))
    for month in months:
        result = import_file(app, ImportRequest(month, write_report=False))
        if result.outcome is not Outcome.IMPORTED:
            raise DemoUnavailable(f"{month.name} did not import ({result.outcome.value})")
        if tick:
            tick(month.name)
    return Demo(app, len(months), target)
