"""Benchmark: reading the current workforce back (`current_workers`, which every screen and command starts from) with
40,000 workers, after one monthly import and after several.

    ./run bench-read [--workers 40000] [--months 1 3 6] [--repeat 5] [--postgres URL]

Each worker's latest row comes from the newest import, or from the latest older one for the few gone from the newest
sheet (see `national_months` in bench_import.py). Also timed: the repository's `latest_records` and `snapshot` alone.
With --postgres the data goes into that PostgreSQL database instead of a temporary SQLite file: its public schema is
dropped and created again, so give it a scratch database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, call: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def empty_postgres(url: str) -> str:
    from sqlalchemy import create_engine, text

    from ecf.storage.database import resolve

    url = resolve(url).url
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def measure(url: str, files: list[Path], repeat: int) -> dict[str, float]:
    from ecf.services.context import App
    from ecf.services.imports import ImportRequest, Outcome, import_file
    from ecf.services.workforce import current_workers

    app = App.open(url)
    started = time.perf_counter()
    for path in files:  # oldest first, as a council would have imported them
        outcome = import_file(app, ImportRequest(path, write_report=False)).outcome
        assert outcome is Outcome.IMPORTED, (path, outcome)
    imported = time.perf_counter() - started
    with app.unit_of_work() as uow:
        newest = uow.imports.active_dates()[-1]

    def latest_records() -> object:
        with app.unit_of_work() as uow:
            return uow.snapshots.latest_records()

    def snapshot() -> object:
        with app.unit_of_work() as uow:
            return uow.snapshots.snapshot(newest)

    current_workers(app)  # warm: imports, statement caches
    results = {
        "current_workers": best_of(repeat, lambda: current_workers(app)),
        "latest_records": best_of(repeat, latest_records),
        "snapshot": best_of(repeat, snapshot),
        "import (all months)": imported,
    }
    app.engine.dispose()
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import national_months

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=40_000)
    parser.add_argument("--months", type=int, nargs="+", default=[1, 3, 6], help="monthly imports held, one run each")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each read; the best is reported")
    parser.add_argument("--postgres", metavar="URL", help="a scratch PostgreSQL database (its tables are dropped)")
    args = parser.parse_args()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    for months in args.months:
        files = national_months(args.workers, months)
        with tempfile.TemporaryDirectory() as tmp:
            url = empty_postgres(args.postgres) if args.postgres else f"sqlite:///{Path(tmp) / 'ecf.sqlite3'}"
            results = measure(url, files, args.repeat)
        print(f"{backend}, {args.workers:,} workers, {months} monthly import(s), best of {args.repeat}:")
        for label, seconds in results.items():
            print(f"  {label:<20} {seconds:7.3f} s")


if __name__ == "__main__":
    main()
