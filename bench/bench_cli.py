"""Benchmark: how long `ecf` takes to start, against `python -c "import typer"` measured in the same run.

    ./run bench-cli [--repeat 7]

Prints the best (shortest) wall time of each, and the two figures the CLI is held to: `ecf --help` and
`ecf COMMAND --help` within 2x the floor, and a listing on the sample council (its twelve months imported into a
temporary database first) within 0.5 s of the floor. The best of several runs is used because the machine may be
busy: the floor and the commands are measured interleaved, so a busy spell slows both.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def wall(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    ecf = [PYTHON, "-m", "ecf.cli.main"]
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
        best = {name: float("inf") for name in runs}
        for _ in range(options.repeat):
            for name, args in runs.items():
                best[name] = min(best[name], wall(args, env))
    floor = best["python -c 'import typer'"]
    for name, seconds in best.items():
        print(f"{name:<28} {seconds:6.3f} s")
    helps = max(best["ecf --help"], best["ecf workers --help"])
    listing = max(best["ecf workers"], best["ecf imports"])
    print(f"help / floor:     {helps / floor:.2f}x   (target: at most 2x)")
    print(f"listing - floor:  {listing - floor:+.3f} s  (target: at most +0.5 s; ratio {listing / floor:.2f}x)")


if __name__ == "__main__":
    main()
