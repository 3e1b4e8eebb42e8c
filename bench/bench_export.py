"""Benchmark: the finance workbook for a 40,000-worker, 5-year projection (issue #5). Target: under 15 s, and memory
that does not grow with the row count (XlsxWriter constant-memory mode).

    ./run bench-export [--workers 40000]

Times the projection (with per-worker figures) and the workbook writing apart, and reports the Workers sheet's rows
and the peak memory; run with --workers 10000 too to see that memory does not follow the rows.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 30)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import national_file

    import ecf.services.projection as service
    from ecf.exports import workbook
    from ecf.services.context import App
    from ecf.services.imports import ImportRequest, import_file

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=40_000)
    args = parser.parse_args()
    path = national_file(args.workers)
    timings: dict[str, float] = {}
    original = workbook._Writer.write

    def timed(self):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        original(self)
        timings["write"] = time.perf_counter() - started

    workbook._Writer.write = timed  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        app = App.open(f"sqlite:///{Path(tmp) / 'ecf.sqlite3'}")
        import_file(app, ImportRequest(path, write_report=False))
        target = Path(tmp) / "projection.xlsx"
        started = time.perf_counter()
        request = service.ProjectionRequest("baseline", 5, AS_OF)
        service.export_workbook(app, [request], target, datetime.now(UTC))
        total = time.perf_counter() - started
        size = target.stat().st_size / 1e6
        app.engine.dispose()
    print(f"export, {args.workers} workers x 5 years: {total:.2f} s end to end (read + assess + project "
          f"{total - timings['write']:.2f} s, workbook {timings['write']:.2f} s) -> "
          f"{'PASS' if total < 15 else 'FAIL'} (target < 15 s); {size:.1f} MB")  # fmt: skip
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
