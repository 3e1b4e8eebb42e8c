"""A progress bar for a long job counted in steps (Monte Carlo runs, the projections of a sensitivity): on the
terminal's error stream, so csv or json on stdout stays clean; shown only once there is more to wait for than the
first step, and gone when the job is done."""

from __future__ import annotations

from typing import Any

from ecf.cli.output import errors


class StepsBar:
    def __init__(self, label: str, unit: str) -> None:
        self.label, self.unit = label, unit
        self.progress: Any = None  # a rich Progress, made (and imported) only for a job long enough to need one
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if done >= total or not errors.is_terminal:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TextColumn(self.unit), TimeElapsedColumn(),
                console=errors, transient=True,
            )  # fmt: skip
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def __enter__(self) -> StepsBar:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
