"""Benchmark: the pay and retention projection for 40,000 workers x 120 months (issue #4). Target: under 1 s.

    ./run bench-projection [--workers 40000] [--repeat 3]

Workers come from the national-scale file the import benchmark generates (bench/data/, not committed), assessed by
the progression engine; the projection (increments, awards, NI per month, survival, replacements, aggregation) is
timed on its own, then the whole `ecf project` service call.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 30)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import national_file

    from ecf.services import memo
    from ecf.services.context import App
    from ecf.services.imports import ImportRequest, import_file
    from ecf.services.progression import assess_workforce
    from ecf.services.projection import ProjectionRequest, pay_facts, run_projection
    from payscales.calibration import calibrate
    from payscales.loader import load_paybook
    from payscales.montecarlo import simulate
    from payscales.projection import project

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = national_file(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        app = App.open(f"sqlite:///{Path(tmp) / 'ecf.sqlite3'}")
        import_file(app, ImportRequest(path, write_report=False))
        progress = assess_workforce(app, AS_OF)
        workers = [pay_facts(item, AS_OF) for item in progress.workers]
        book = load_paybook()
        hazards = calibrate(book.hazards, [(AS_OF - w.start_date).days / 365.25 for w in workers])
        for name in ("baseline", "ecf_linked", "agency_reduction"):
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = project(workers, book, book.scenarios[name], AS_OF, 10, hazards)
                times.append(time.perf_counter() - started)
            best = min(times)
            total = result.totals("financial_year")["total"].sum()
            print(f"projection '{name}': {len(workers)} workers x 120 months in {best:.3f} s (best of {args.repeat})"
                  f" -> {'PASS' if best < 1 else 'FAIL'} (target < 1 s); 10-year total £{total:,.0f}")  # fmt: skip
        memo.forget(app)  # read and assess afresh, as a new command does
        started = time.perf_counter()
        run_projection(app, ProjectionRequest("baseline", 10, AS_OF))
        print(f"service (read, assess, project): {time.perf_counter() - started:.3f} s")
        app.engine.dispose()
        council = App.open(f"sqlite:///{Path(tmp) / 'council.sqlite3'}")
        import_file(council, ImportRequest(ROOT / "sample_data" / "monthly" / "northmoor_hr_2026-10-31.xlsx",
                                           write_report=False))  # fmt: skip
        people = [pay_facts(item, AS_OF) for item in assess_workforce(council, AS_OF).workers]
        council_hazards = calibrate(book.hazards, [(AS_OF - w.start_date).days / 365.25 for w in people])
        started = time.perf_counter()
        result = simulate(people, book, book.scenarios["baseline"], AS_OF, 10, council_hazards, 1000, seed=1)
        elapsed = time.perf_counter() - started
        first = result.bands().iloc[1]
        print(f"Monte Carlo: 1,000 runs x {len(people)} workers x 120 months in {elapsed:.3f} s; "
              f"{first['financial_year']} total p10 £{first['total_p10']:,.0f}, p50 £{first['total_p50']:,.0f}, "
              f"p90 £{first['total_p90']:,.0f}")  # fmt: skip
        council.engine.dispose()
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
