"""Benchmark: the 40,000-row monthly import end to end against the floor (raw calamine read + raw sqlite3 insert).

    ./run bench [--workers 40000] [--repeat 3]

Target (issue #2): the full import (read, validate, store in SQLite) within 2x of the floor.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def national_file(workers: int) -> Path:
    path = DATA / f"{workers}" / "hr_extract_national_2026-10-31.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "sample_data" / "generate.py"), "--workers", str(workers), "--out",
             str(path.parent)], check=True,
        )  # fmt: skip
    return path


def national_months(workers: int, months: int) -> list[Path]:
    """`months` month-end extracts of the national workforce, oldest first, ending on 31/10/2026.

    One month is the file `national_file` writes. With more, each file is the same workforce as it was on its date:
    workers not yet qualified or started are left out, and a few are gone from the later sheets without a leaving date
    (1 in 50 missing from the newest, 1 in 100 from the two newest), so each worker's latest row does not always come
    from the newest import.
    """
    if months == 1:
        return [national_file(workers)]
    generate = _generator()
    folder = DATA / f"{workers}" / "monthly"
    paths = []
    rows: list[dict[str, object]] | None = None
    for back in reversed(range(months)):
        as_of = generate.month_end(2026, 10 - back)
        path = folder / f"hr_extract_national_{as_of.isoformat()}.xlsx"
        if not path.exists():
            rows = rows if rows is not None else list(generate.national_rows(workers, generate.DEFAULT_SEED))
            on_the_sheet = [row for position, row in enumerate(rows) if _on_the_sheet(row, position, as_of, back)]
            book = generate.new_workbook(path, constant_memory=True)
            generate.write_staff_sheet(book, "Staff", as_of, on_the_sheet)
            book.close()
        paths.append(path)
    return paths


def _on_the_sheet(row: dict[str, object], position: int, as_of: date, months_back: int) -> bool:
    started, qualified = row["start_date"], row["date_qualified"]
    assert isinstance(started, date) and isinstance(qualified, date)
    if started > as_of or qualified > as_of:
        return False
    gone_last_month = position % 50 == 7
    gone_two_months_ago = position % 100 == 13
    return not ((months_back == 0 and gone_last_month) or (months_back <= 1 and gone_two_months_ago))


def _generator():  # type: ignore[no-untyped-def]
    """sample_data/generate.py as a module (it is a script, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ecf_sample_generate", ROOT / "sample_data" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def raw_read(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name("Staff").to_python()  # the sheet the generator writes the rows into


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def raw_insert(rows: list[list[object]], folder: Path) -> float:
    width = max(len(r) for r in rows)
    data = [tuple(_plain(v) for v in r) + (None,) * (width - len(r)) for r in rows]
    connection = sqlite3.connect(folder / "floor.sqlite3")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(width))})")
    started = time.perf_counter()
    with connection:
        connection.executemany(f"INSERT INTO t VALUES ({', '.join('?' * width)})", data)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def full_import(path: Path, folder: Path) -> tuple[float, dict[str, float], int]:
    from ecf.services import imports
    from ecf.services.context import App
    from ecf.services.imports import ImportRequest, import_file

    app = App.open(f"sqlite:///{folder / 'ecf.sqlite3'}")  # schema created before the clock starts
    stages: dict[str, float] = {}
    original = imports.read_and_validate

    def timed_read_and_validate(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = original(*args, **kwargs)
        stages["read + validate"] = time.perf_counter() - started
        return result

    imports.read_and_validate = timed_read_and_validate  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        result = import_file(app, ImportRequest(path, write_report=False))
        total = time.perf_counter() - started
    finally:
        imports.read_and_validate = original  # type: ignore[assignment]
    stages["store (one transaction)"] = total - stages["read + validate"]
    assert result.outcome is imports.Outcome.IMPORTED, result.outcome
    app.engine.dispose()
    return total, stages, result.validated.data_rows if result.validated else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is reported")
    args = parser.parse_args()
    path = national_file(args.workers)
    reads, inserts, fulls = [], [], []
    stages: dict[str, float] = {}
    rows = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            raw = raw_read(path)
            reads.append(time.perf_counter() - started)
            inserts.append(raw_insert(raw, Path(tmp)))
            total, run_stages, rows = full_import(path, Path(tmp))
            if not fulls or total < min(fulls):
                stages = run_stages
            fulls.append(total)
    floor = min(reads) + min(inserts)
    best = min(fulls)
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.1f} MB, {rows} rows), best of {args.repeat}")
    print(f"floor: calamine read {min(reads):.3f} s + sqlite3 executemany {min(inserts):.3f} s = {floor:.3f} s")
    print(f"ecf import end to end: {best:.3f} s  ({', '.join(f'{k} {v:.3f} s' for k, v in stages.items())})")
    print(f"ratio to floor: {best / floor:.2f}x (target <= 2.00x) -> {'PASS' if best <= 2 * floor else 'FAIL'}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
