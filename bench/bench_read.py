"""Benchmark: history stays fast. Reading the current workforce back (`current_workers`, which every screen and command
starts from), a month's snapshot, and storing a new monthly import, with 40,000 workers, after one monthly import and
after many; with the ratio of each to its cost with one snapshot (same run) and the database's size per month.

    ./run bench-read [--workers 40000] [--months 1 60] [--repeat 5] [--postgres URL]

Each run stores N monthly imports (oldest first), times the reads, then times importing month N+1. Each worker's
latest row comes from the newest import, or from the latest older one for the few gone from the newest sheet (see
`national_months` in bench_import.py). Also timed: the repository's `latest_records` and `snapshot` alone. With
--postgres the data goes into that PostgreSQL database instead of a temporary SQLite file: its public schema is
dropped and created again, so give it a scratch database. The first --months value is the baseline of the ratios.
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


def database_size(app: object) -> int:
    from sqlalchemy import text

    target = app.target  # type: ignore[attr-defined]
    if target.sqlite_path is not None:
        app.engine.dispose()  # type: ignore[attr-defined]
        wal = target.sqlite_path.with_name(target.sqlite_path.name + "-wal")
        return target.sqlite_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    with app.engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def best_of_imports(app: object, store: Callable[[], int], repeat: int) -> float:
    """The new month stored `repeat` times: between runs it is undone and its rows removed (not timed), so the same
    file is new again each time."""
    from sqlalchemy import delete

    from ecf.services.lifecycle import undo
    from ecf.storage.models import ImportRow

    times = []
    for run in range(repeat):
        started = time.perf_counter()
        import_id = store()
        times.append(time.perf_counter() - started)
        if run < repeat - 1:
            undo(app, import_id)  # type: ignore[arg-type]
            with app.unit_of_work(write=True) as uow:  # type: ignore[attr-defined]
                uow.imports.session.execute(delete(ImportRow).where(ImportRow.id == import_id))
                uow.commit()
    return min(times)


def measure(url: str, files: list[Path], repeat: int) -> dict[str, float]:
    """Store all but the last file, time the reads, then time storing the last file (a new month)."""
    from ecf.services import memo
    from ecf.services.context import App
    from ecf.services.imports import ImportRequest, Outcome, import_file
    from ecf.services.workforce import current_workers

    app = App.open(url)

    def store(path: Path) -> int:
        result = import_file(app, ImportRequest(path, write_report=False))
        assert result.outcome is Outcome.IMPORTED and result.import_id is not None, (path, result.outcome)
        return result.import_id

    *held, new = files
    for number, path in enumerate(held, start=1):  # oldest first, as a council would have imported them
        store(path)
        if number % 10 == 0:
            print(f"  … {number} of {len(held)} months stored", file=sys.stderr)
    with app.unit_of_work() as uow:
        newest = uow.imports.active_dates()[-1]

    def latest_records() -> object:
        with app.unit_of_work() as uow:
            return uow.snapshots.latest_records()

    def snapshot() -> object:
        with app.unit_of_work() as uow:
            return uow.snapshots.snapshot(newest)

    current_workers(app)  # warm: imports, statement caches

    def read_afresh() -> object:
        memo.forget(app)  # a process remembers its read: each run here starts without it, as a new command does
        return current_workers(app)

    results = {
        "current_workers": best_of(repeat, read_afresh),
        "latest_records": best_of(repeat, latest_records),
        "snapshot": best_of(repeat, snapshot),
    }
    size = database_size(app)
    results["new import"] = best_of_imports(app, lambda: store(new), repeat)
    results["MB per month"] = size / len(held) / 1e6
    app.engine.dispose()
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import national_months

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=40_000)
    parser.add_argument("--months", type=int, nargs="+", default=[1, 60], help="monthly imports held, one run each")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each read; the best is reported")
    parser.add_argument("--postgres", metavar="URL", help="a scratch PostgreSQL database (its tables are dropped)")
    args = parser.parse_args()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    baseline: dict[str, float] | None = None
    for months in args.months:
        files = national_months(args.workers, months + 1)  # N held, and one more to time as the new import
        with tempfile.TemporaryDirectory() as tmp:
            url = empty_postgres(args.postgres) if args.postgres else f"sqlite:///{Path(tmp) / 'ecf.sqlite3'}"
            results = measure(url, files, args.repeat)
        baseline = baseline or results
        print(f"{backend}, {args.workers:,} workers, {months} monthly import(s) held, best of {args.repeat}:")
        for label, value in results.items():
            unit = "MB" if label.startswith("MB") else "s "
            ratio = value / baseline[label] if baseline[label] else 0.0
            shown = "" if label.startswith("MB") else f"  {ratio:5.2f}x the {args.months[0]}-month run"
            print(f"  {label.replace('MB per month', 'size per month'):<20} {value:7.3f} {unit}{shown}")


if __name__ == "__main__":
    main()
