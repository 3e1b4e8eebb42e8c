"""Benchmark: how long `ecf` takes to start, against `python -c "import typer"` measured in the same run.

    ./run bench-cli [--repeat 7]

Prints the best (shortest) wall time of each, and the two figures the CLI is held to: `ecf --help` and
`ecf COMMAND --help` within 2x the floor, and a listing on the sample council (its twelve months imported into a
temporary database first) within 0.5 s of the floor. The best of several runs is used because the machine may be
busy: the floor and the commands are measured interleaved, so a busy spell slows both.

`ecf` runs as a user runs it (the console script), with its modules' bytecode cached as it is after a first run, as
typer's is in site-packages: where PYTHONDONTWRITEBYTECODE is set nothing would ever cache it and every run would
compile ecf from source, so the bytecode is compiled first (compileall, into __pycache__, which git ignores).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run; cpu is the child's user + system time, which a busy machine (other jobs on
    the same cores) does not inflate the way it does the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    script = Path(PYTHON).parent / "ecf"
    ecf = [str(script)] if script.exists() else [PYTHON, "-m", "ecf.cli.main"]
    for package in ("ecf", "importers", "payscales"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ECF_DATABASE_URL": f"sqlite:///{Path(folder) / 'ecf.sqlite3'}"}
        months = sorted(str(p) for p in (ROOT / "sample_data" / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
        subprocess.run([*ecf, "import", *months], check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
        runs = {
            "python -c 'import typer'": [PYTHON, "-c", "import typer"],
            "ecf --help": [*ecf, "--help"],
            "ecf workers --help": [*ecf, "workers", "--help"],
            "ecf workers": [*ecf, "workers"],
            "ecf imports": [*ecf, "imports"],
        }
        wall = {name: float("inf") for name in runs}
        cpu = dict(wall)
        for _ in range(options.repeat):
            for name, args in runs.items():
                elapsed, used = timed(args, env)
                wall[name], cpu[name] = min(wall[name], elapsed), min(cpu[name], used)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; best of {options.repeat}; ecf: {ecf[0]}")
    print(f"{'':<28} {'wall':>8} {'cpu':>8}")
    for name in runs:
        print(f"{name:<28} {wall[name]:7.3f}s {cpu[name]:7.3f}s")
    for label, times in (("wall", wall), ("cpu", cpu)):
        floor = times["python -c 'import typer'"]
        helps = max(times["ecf --help"], times["ecf workers --help"])
        listing = max(times["ecf workers"], times["ecf imports"])
        print(
            f"{label}: help / floor {helps / floor:.2f}x (target 2x); listing - floor {listing - floor:+.3f} s "
            f"(target +0.5 s)"
        )


if __name__ == "__main__":
    main()
