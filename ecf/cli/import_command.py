"""`ecf import`: the monthly HR file into a dated snapshot, with a report a person can act on."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ecf.cli.common import open_app, parse_day
from ecf.cli.output import console, errors, human
from ecf.domain.changes import Change, ChangeKind
from ecf.services.context import App
from ecf.services.imports import AsOfRequired, ImportRequest, ImportResult, Outcome, import_file
from ecf.textsafe import shown
from importers.asof import as_of_from_name
from importers.mapping import ProfileError
from importers.readers import UnreadableFile
from importers.report import issue_rows

SHOWN_ISSUES = 40
PROGRESS_FROM_ROWS = 2000
READING_FROM_BYTES = 2 * 1024 * 1024


class _Bar:
    """A progress bar that only appears for files big enough to need one."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.tasks: dict[str, object] = {}
        self.said_waiting = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "Waiting":  # another process holds the database's write lock
            if not self.said_waiting:
                self.said_waiting = True
                errors.print(f"The database is busy (another import is storing); waiting up to {total} s…")
            return
        if not console.is_terminal:
            return
        if stage == "Reading":  # a byte count: only a file big enough to take a while gets a (pulsing) bar
            if total < READING_FROM_BYTES:
                return
            total = 0
        elif total < PROGRESS_FROM_ROWS:
            return
        if self.progress is None:
            self.progress = Progress(
                TextColumn("{task.description:<11}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self.progress.start()
        if stage not in self.tasks:
            for earlier in self.tasks.values():  # the stage before is over
                self.progress.update(earlier, visible=False)  # type: ignore[arg-type]
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done)  # type: ignore[arg-type]

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress, self.tasks = None, {}


def _ask_as_of(path: Path) -> date:
    if not sys.stdin.isatty():
        raise AsOfRequired(f"{path.name}: no date in the file name; give the snapshot date with --as-of DD/MM/YYYY")
    text = typer.prompt(f"Snapshot date for {path.name} (dd/mm/yyyy)")
    return parse_day(text)


def run_imports(paths: list[Path], as_of: date | None, profile: str | None, accept_valid: bool, replace: bool) -> int:
    app = open_app()
    if as_of is None and len(paths) > 1:
        # Oldest first, so each snapshot's changes are reported against the month before it.
        paths = sorted(paths, key=lambda p: (as_of_from_name(p.name) or date.max, p.name))
    worst = 0
    for path in paths:
        if is_report(path):
            console.print(f"[dim]{shown(path.name)}: skipped, it is an ecf error report[/]")
            continue
        try:
            code = _import_one(app, path, as_of, profile, accept_valid, replace)
        except (UnreadableFile, ProfileError, AsOfRequired) as exc:
            if len(paths) == 1:
                raise
            errors.print(f"[bold red]error:[/] {shown(exc)}", highlight=False, soft_wrap=True)
            code = 2  # one unreadable file does not stop the others: each is its own snapshot
        worst = max(worst, code)
    return worst


def is_report(path: Path) -> bool:
    return path.name.lower().endswith((".errors.xlsx", ".errors.csv"))


def _import_one(
    app: App, path: Path, as_of: date | None, profile: str | None, accept_valid: bool, replace: bool
) -> int:
    request_as_of = as_of if as_of is not None else as_of_from_name(path.name)
    if request_as_of is None:
        request_as_of = _ask_as_of(path)
    bar = _Bar()
    try:
        result = import_file(app, ImportRequest(path, request_as_of, profile, accept_valid, replace), bar)
    finally:
        bar.close()
    show_result(result)
    return result.exit_code


def show_result(result: ImportResult) -> None:
    name = shown(result.path.name)
    if result.outcome is Outcome.ALREADY_IMPORTED:
        seen = result.existing
        assert seen is not None
        console.print(
            f"[yellow]{name}: already imported[/] on {human(seen.imported_at)} as the snapshot for "
            f"{human(seen.as_of)} (import #{seen.id}); nothing to do."
        )
        return
    validated = result.validated
    assert validated is not None
    table = validated.table
    where = f"sheet '{shown(table.sheet)}', " if table.sheet else ""
    console.print(f"[bold]{name}[/]: {where}header on row {table.header_row}; snapshot date {human(result.as_of)}")
    for note in table.notes:
        console.print(f"  [yellow]note:[/] {shown(note)}")
    for note in validated.columns.duplicates:
        console.print(f"  [yellow]duplicate column[/] {shown(note)}")
    if validated.columns.ignored:
        console.print(f"  columns not used: {shown(', '.join(validated.columns.ignored))}")
    _show_issues(result)
    errors, warnings = len(validated.errors), len(validated.warnings)
    console.print(
        f"  {validated.data_rows} rows: {len(validated.records)} valid, {len(validated.rejected)} with "
        f"errors ({errors} errors, {warnings} warnings)"
    )
    if result.report is not None:
        elsewhere = "" if result.report.parent == result.path.parent else " (the input's folder cannot take it)"
        console.print(f"  report saved{elsewhere}: {shown(result.report)}")
    if result.report_problem:
        console.print(f"  [yellow]report not saved:[/] {shown(result.report_problem)}")
    _show_outcome(result)


def _show_issues(result: ImportResult) -> None:
    validated = result.validated
    assert validated is not None
    if not validated.issues:
        return
    rows = issue_rows(result.path, validated.table.sheet, validated.issues)
    table = Table(header_style="bold", expand=True, caption="red: error (row not stored)  yellow: warning")
    table.add_column("Row", justify="right")
    table.add_column("Column", overflow="fold", max_width=24)
    table.add_column("Value", overflow="fold", max_width=24)
    table.add_column("Problem", no_wrap=True)
    table.add_column("What is wrong", overflow="fold", ratio=1)
    for row in rows[:SHOWN_ISSUES]:
        style = "red" if row[5] == "error" else "yellow"
        cells = (shown(row[2] or ""), shown(row[3]), shown(row[4]), f"[{style}]{row[6]}[/]", shown(row[7]))
        table.add_row(*cells)
    console.print(table)
    if len(rows) > SHOWN_ISSUES:
        console.print(f"  … and {len(rows) - SHOWN_ISSUES} more in the report")


def _show_outcome(result: ImportResult) -> None:
    if result.outcome is Outcome.REJECTED:
        console.print(
            "[bold red]Not imported:[/] the file has errors and nothing was stored. Fix the rows above, "
            "or use --accept-valid to store the valid rows and keep the rejected ones for later."
        )
    elif result.outcome is Outcome.NO_VALID_ROWS:
        console.print("[bold red]Not imported:[/] no row is valid, so nothing was stored.")
    elif result.outcome is Outcome.CONFLICT:
        seen = result.existing
        assert seen is not None
        console.print(
            f"[bold red]Not imported:[/] a snapshot for {human(seen.as_of)} already exists ({seen.file_name}, "
            f"import #{seen.id}). Use --replace to supersede it with this file; the old one is kept."
        )
    elif result.outcome is Outcome.IMPORTED:
        _show_imported(result)


def _show_imported(result: ImportResult) -> None:
    validated = result.validated
    assert validated is not None
    replaced = f", replacing import #{result.replaced.id}" if result.replaced else ""
    rejected = f"; {len(validated.rejected)} rejected rows kept for fixing" if validated.rejected else ""
    console.print(
        f"[bold green]Imported[/] as #{result.import_id}: {len(validated.records) + result.carried_forward} workers "
        "in the snapshot "
        f"for {human(result.as_of)}{replaced}{rejected}."
    )
    if result.carried_forward:
        console.print(f"  {result.carried_note}.")
    if result.newer_as_of is not None:
        console.print(f"  A newer snapshot ({human(result.newer_as_of)}) exists: the current state is unchanged.")
    if result.previous_as_of is None:
        console.print("  First snapshot: no earlier month to compare with.")
        return
    show_changes(result.changes, f"Changes since {human(result.previous_as_of)}")


def show_changes(changes: list[Change], title: str) -> None:
    counts = Counter(change.kind for change in changes)
    summary = ", ".join(f"{counts[kind]} {_plural(kind, counts[kind])}" for kind in ChangeKind if counts[kind])
    console.print(f"  {title}: {summary or 'none'}")
    if not changes:
        return
    table = Table(header_style="bold")
    for column in ("As of", "Employee ID", "Name", "Change", "Detail"):
        table.add_column(column, overflow="fold")
    for change in changes:
        table.add_row(human(change.as_of), change.employee_id, change.name, change.kind.value, change.detail)
    console.print(table)


def _plural(kind: ChangeKind, count: int) -> str:
    words = {ChangeKind.JOINER: "joiner", ChangeKind.LEAVER: "leaver"}
    word = words.get(kind, f"{kind.value.replace('_', ' ')} change")
    return word + ("s" if count != 1 else "")
