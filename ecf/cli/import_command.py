"""`ecf import`: the monthly HR file into a dated snapshot, with a report a person can act on."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
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
from importers.asof import as_of_from_name
from importers.dates import DateOrder
from importers.mapping import ProfileError
from importers.readers import UnreadableFile
from importers.report import issue_rows

SHOWN_ISSUES = 40
PROGRESS_FROM_ROWS = 2000


class _Bar:
    """A progress bar that only appears for files big enough to need one."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < PROGRESS_FROM_ROWS or not console.is_terminal:
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
            self.tasks[stage] = self.progress.add_task(stage, total=total)
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


@dataclass(frozen=True)
class ImportOptions:
    accept_valid: bool = False
    replace: bool = False
    correct: bool = False
    allow_drop: bool = False
    dates: DateOrder = DateOrder.AUTO


def run_imports(paths: list[Path], as_of: date | None, profile: str | None, options: ImportOptions) -> int:
    app = open_app()
    if as_of is None and len(paths) > 1:
        # Oldest first, so each snapshot's changes are reported against the month before it.
        paths = sorted(paths, key=lambda p: (as_of_from_name(p.name) or date.max, p.name))
    worst = 0
    for path in paths:
        if is_report(path) and not options.correct:
            console.print(
                f"[dim]{path.name}: skipped, it is an ecf error report. Once its 'Rows to fix' are corrected, "
                "import it with --correct to apply them to the month.[/]"
            )
            continue
        try:
            code = _import_one(app, path, as_of, profile, options)
        except (UnreadableFile, ProfileError, AsOfRequired) as exc:
            if len(paths) == 1:
                raise
            errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            code = 2  # one unreadable file does not stop the others: each is its own snapshot
        worst = max(worst, code)
    return worst


def is_report(path: Path) -> bool:
    return path.name.lower().endswith((".errors.xlsx", ".errors.csv"))


def _import_one(app: App, path: Path, as_of: date | None, profile: str | None, options: ImportOptions) -> int:
    request_as_of = as_of if as_of is not None else as_of_from_name(path.name)
    if request_as_of is None:
        request_as_of = _ask_as_of(path)
    bar = _Bar()
    try:
        request = ImportRequest(
            path, request_as_of, profile, options.accept_valid, options.replace, correct=options.correct,
            allow_drop=options.allow_drop, dates=options.dates,
        )  # fmt: skip
        result = import_file(app, request, bar)
    finally:
        bar.close()
    show_result(result)
    return result.exit_code


def show_result(result: ImportResult) -> None:
    name = result.path.name
    if result.outcome is Outcome.ALREADY_IMPORTED:
        seen = result.existing
        assert seen is not None
        console.print(
            f"[yellow]{name}: already imported[/] on {human(seen.imported_at)} as the snapshot for "
            f"{human(seen.as_of)} (import #{seen.id}); nothing to do."
        )
        return
    if result.outcome is Outcome.NOT_ACTIVE:
        seen = result.existing
        assert seen is not None
        if seen.active:  # a correction whose import is not in effect
            console.print(
                f"[yellow]{name}: imported before[/] as correction #{seen.id} of import #{seen.base_id}, which is not "
                f"in effect; nothing stored. To bring them back: ecf imports restore {seen.base_id}"
            )
            return
        console.print(
            f"[yellow]{name}: imported before[/] as #{seen.id} for {human(seen.as_of)}, now {seen.status}; nothing "
            f"stored. To make it the month's snapshot again: ecf imports restore {seen.id}"
        )
        return
    validated = result.validated
    assert validated is not None
    table = validated.table
    where = f"sheet '{table.sheet}', " if table.sheet else ""
    console.print(f"[bold]{name}[/]: {where}header on row {table.header_row}; snapshot date {human(result.as_of)}")
    for note in validated.columns.duplicates:
        console.print(f"  [yellow]duplicate column[/] {note}")
    if validated.columns.ignored:
        console.print(f"  columns not used: {', '.join(validated.columns.ignored)}")
    for header in validated.month_first:
        console.print(f"  [yellow]column '{header}' read month-first[/] (mm/dd/yyyy): its dates are only valid so")
    _show_issues(result)
    errors, warnings = len(validated.errors), len(validated.warnings)
    console.print(
        f"  {validated.data_rows} rows: {len(validated.records)} valid, {len(validated.rejected)} with "
        f"errors ({errors} errors, {warnings} warnings)"
    )
    if result.report is not None:
        console.print(f"  report saved: {result.report}")
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
        table.add_row(str(row[2] or ""), str(row[3]), str(row[4]), f"[{style}]{row[6]}[/]", str(row[7]))
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
    elif result.outcome is Outcome.NEEDS_CORRECT:
        console.print(
            "[bold red]Not imported:[/] this is the 'Rows to fix' sheet of an error report. Once the rows are "
            "corrected, import it with --correct: each row replaces that worker's row in the month, and no one else "
            "changes."
        )
    elif result.outcome is Outcome.NOTHING_TO_CORRECT:
        console.print(f"[bold red]Not imported:[/] there is no snapshot for {human(result.as_of)} to correct.")
    elif result.outcome is Outcome.TOO_MANY_VANISH:
        _show_vanished(result)
    elif result.outcome is Outcome.IMPORTED:
        _show_imported(result)
    if result.missing_months:
        months = ", ".join(day.strftime("%m/%Y") for day in result.missing_months)
        console.print(f"  [yellow]Warning:[/] no snapshot for {months} (between the months stored).")


def _show_vanished(result: ImportResult) -> None:
    found = result.shrinkage
    assert found is not None and result.max_share is not None
    console.print(
        f"[bold red]Not imported:[/] {len(found.vanished)} of the {found.in_post} workers in post on "
        f"{human(found.as_of)} are missing from this file without a leaving date ({found.share:.0%}; the limit is "
        f"{result.max_share:.0%}). If it corrects a few rows, import it with --correct; if they really went, use "
        "--allow-drop. Nothing was stored."
    )


def _show_imported(result: ImportResult) -> None:
    validated = result.validated
    assert validated is not None
    if result.correction:
        base = result.existing
        assert base is not None
        added = len(validated.records) - result.corrected
        console.print(
            f"[bold green]Imported correction[/] #{result.import_id} of import #{base.id} for {human(result.as_of)}: "
            f"{result.corrected} workers' rows replaced" + (f", {added} added" if added else "") + "; no one else "
            f"changes. To undo it: ecf imports undo {result.import_id}"
        )
        show_changes(result.changes, "Changes made by the correction")
        return
    replaced = f", replacing import #{result.replaced.id}" if result.replaced else ""
    rejected = f"; {len(validated.rejected)} rejected rows kept for fixing" if validated.rejected else ""
    console.print(
        f"[bold green]Imported[/] as #{result.import_id}: {len(validated.records) + result.carried_forward} workers "
        "in the snapshot "
        f"for {human(result.as_of)}{replaced}{rejected}."
    )
    if result.carried_forward:
        console.print(f"  {result.carried_note}.")
    if result.possibly_rejected:
        console.print(f"  {result.possibly_note}.")
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
