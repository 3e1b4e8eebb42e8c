"""Benchmark: milestones and status for 40,000 workers (issue #3). Target: under 1 s for the engine.

    ./run bench-progression [--workers 40000] [--repeat 5]

The workers come from the national-scale file the import benchmark generates (bench/data/, not committed). Measured:
the engine alone (facts in memory -> every milestone, status, stage and eligibility), and the whole service call
the CLI makes (`ecf milestones`: read the latest snapshot from SQLite, then the engine).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 30)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import national_file

    from ecf.progression.engine import Engine
    from ecf.progression.facts import WorkerFacts
    from ecf.rules.loader import load_rulebook
    from ecf.services import memo
    from ecf.services.context import App
    from ecf.services.imports import ImportRequest, import_file
    from ecf.services.progression import assess_workforce

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = national_file(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        app = App.open(f"sqlite:///{Path(tmp) / 'ecf.sqlite3'}")
        import_file(app, ImportRequest(path, write_report=False))
        progress = assess_workforce(app, AS_OF)  # warm: caches, imports
        facts = [WorkerFacts(w.state.record, w.facts.earlier_spells) for w in progress.workers]
        councils = (("five-year ECF off", None), ("five-year ECF on", "[council]\nruns_five_year_ecf = true\n"))
        for label, council in councils:
            book = load_rulebook(council)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                results = Engine(book).assess_all(facts, AS_OF)  # a fresh engine, as each command gets
                times.append(time.perf_counter() - started)
            milestones = sum(len(r.milestones) for r in results)
            statuses = Counter(m.status.value for r in results for m in r.milestones)
            best = min(times)
            print(
                f"engine, {label}: {len(results)} workers, {milestones} milestones in {best:.3f} s (best of "
                f"{args.repeat}) -> {'PASS' if best < 1 else 'FAIL'} (target < 1 s); {dict(statuses)}"
            )
        service_times = []
        for _ in range(3):
            memo.forget(app)  # read and assess afresh each time, as a new command does
            started = time.perf_counter()
            assess_workforce(app, AS_OF)
            service_times.append(time.perf_counter() - started)
        print(f"service (read latest snapshot from SQLite + engine): {min(service_times):.3f} s")
        app.engine.dispose()
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
