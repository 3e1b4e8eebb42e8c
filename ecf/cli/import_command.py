"""`ecf import`: the monthly HR file into a dated snapshot, with a report a person can act on."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ecf.cli.common import open_app, parse_day
from ecf.cli.lazy import lazy
from ecf.cli.output import console, errors, human, markup, show_table
from ecf.presentation.formats import value_words
from importers.date_order import DateOrder

if TYPE_CHECKING:
    from ecf.domain.changes import Change
    from ecf.services import imports
    from ecf.services.context import App
    from ecf.services.imports import ImportResult
    from importers import asof, mapping, readers, report
else:  # loaded by the first import, not by `ecf --help`
    imports, asof = lazy("ecf.services.imports"), lazy("importers.asof")
    mapping, readers, report = lazy("importers.mapping"), lazy("importers.readers"), lazy("importers.report")

SHOWN_ISSUES = 20
settings = {"details": False, "compact": False}  # --details: every finding's row, not just the counts
done: list[ImportResult] = []  # many files: the results summed up in one table at the end
PROGRESS_FROM_ROWS = 2000
READING_FROM_BYTES = 2 * 1024 * 1024


class _Bar:
    """A progress bar that only appears for files big enough to need one."""

    def __init__(self) -> None:
        self.progress: Any = None  # a rich Progress, made (and imported) for a big file only
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
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
                self.progress.update(earlier, visible=False)
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress, self.tasks = None, {}


def _ask_as_of(path: Path) -> date:
    if not sys.stdin.isatty():
        raise imports.AsOfRequired(
            f"{path.name}: no date in the file name; give the snapshot date with --as-of DD/MM/YYYY"
        )
    text = typer.prompt(f"Snapshot date for {path.name} (dd/mm/yyyy)")
    return parse_day(text)


@dataclass(frozen=True)
class ImportOptions:
    accept_valid: bool = False
    replace: bool = False
    correct: bool = False
    allow_drop: bool = False
    dates: DateOrder = DateOrder.AUTO


def run_imports(
    paths: list[Path], as_of: date | None, profile: str | None, options: ImportOptions, details: bool = False
) -> int:
    settings["details"] = details
    app = open_app()
    if as_of is None and len(paths) > 1:
        # Oldest first, so each snapshot's changes are reported against the month before it.
        paths = sorted(paths, key=lambda p: (imports.snapshot_date_of(p) or date.max, p.name))
    settings["compact"] = len(paths) > 1 and not details  # a year of months: a few lines each
    worst = skipped = 0
    done.clear()
    for path in paths:
        if is_report(path) and not options.correct:
            skipped += 1
            if settings["compact"]:
                continue
            console.print(
                f"[dim]{markup(path.name)}: skipped, it is an ecf error report. Once its 'Rows to fix' are corrected, "
                "import it with --correct to apply them to the month.[/]", highlight=False,
            )  # fmt: skip
            continue
        try:
            code = _import_one(app, path, as_of, profile, options)
        except (readers.UnreadableFile, mapping.ProfileError, imports.AsOfRequired) as exc:
            if len(paths) == 1:
                raise
            errors.print(f"[bold red]error:[/] {markup(exc)}", highlight=False, soft_wrap=True)
            code = 2  # one unreadable file does not stop the others: each is its own snapshot
        worst = max(worst, code)
    if settings["compact"]:
        if skipped:
            console.print(f"{skipped} ecf error report{'s' if skipped != 1 else ''} among the files: skipped.")
        show_summary(done)
    return worst


def is_report(path: Path) -> bool:
    return path.name.lower().endswith((".errors.xlsx", ".errors.csv"))


def _import_one(app: App, path: Path, as_of: date | None, profile: str | None, options: ImportOptions) -> int:
    request_as_of = as_of if as_of is not None else imports.snapshot_date_of(path)
    if request_as_of is None:
        request_as_of = _ask_as_of(path)
    bar = _Bar()
    try:
        request = imports.ImportRequest(
            path, request_as_of, profile, options.accept_valid, options.replace, correct=options.correct,
            allow_drop=options.allow_drop, dates=options.dates,
        )  # fmt: skip
        result = imports.import_file(app, request, bar)
    finally:
        bar.close()
    if settings["compact"] and result.outcome in (imports.Outcome.IMPORTED, imports.Outcome.ALREADY_IMPORTED):
        done.append(result)  # one row of the summary table at the end
    else:
        show_result(result)
    return result.exit_code


def show_result(result: ImportResult) -> None:
    name = markup(result.path.name)
    if result.outcome is imports.Outcome.ALREADY_IMPORTED:
        seen = result.existing
        assert seen is not None
        console.print(
            f"[yellow]{name}: already imported[/] on {human(seen.imported_at)} as the snapshot for "
            f"{human(seen.as_of)} (import #{seen.id}); nothing to do.",
            highlight=False,
        )
        return
    if result.outcome is imports.Outcome.NOT_ACTIVE:
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
    where = f"sheet '{markup(table.sheet)}', " if table.sheet else ""
    header = f"header on row {table.header_row}; " if table.header_row else ""
    console.print(f"[bold]{name}[/]: {where}{header}snapshot date {human(result.as_of)}", highlight=False)
    for note in table.notes:
        console.print(f"  [yellow]note:[/] {markup(note)}", highlight=False)
    for note in validated.columns.duplicates:
        console.print(f"  [yellow]duplicate column[/] {markup(note)}", highlight=False)
    if validated.columns.ignored:
        console.print(f"  columns not used: {markup(', '.join(validated.columns.ignored))}", highlight=False)
    for header in validated.month_first:
        console.print(f"  [yellow]column '{markup(header)}' read month-first[/] (mm/dd/yyyy): its dates are only valid "
                      "so", highlight=False)  # fmt: skip
    errors, warnings = len(validated.errors), len(validated.warnings)
    console.print(
        f"  {validated.data_rows} rows: {len(validated.records)} valid, {len(validated.rejected)} with "
        f"errors ({errors} errors, {warnings} warnings)",
        highlight=False,
    )
    _show_issues(result)
    if result.report is not None:
        elsewhere = "" if result.report.parent == result.path.parent else " (the input's folder cannot take it)"
        console.print(f"  report saved{elsewhere}: {markup(result.report)}", highlight=False)
    if result.report_problem:
        console.print(f"  [yellow]report not saved:[/] {markup(result.report_problem)}", highlight=False)
    _show_outcome(result)


def _show_issues(result: ImportResult) -> None:
    """A one-line count per finding code; the rows themselves only with --details or when there are errors to fix
    (the first SHOWN_ISSUES, errors first), and where the rest are."""
    validated = result.validated
    assert validated is not None
    if not validated.issues:
        return
    for severity in ("error", "warning"):
        found = [i for i in validated.issues if i.severity.value == severity]
        if found:
            by_code = Counter(i.code for i in found)
            codes = ", ".join(f"{code} ×{count}" for code, count in by_code.most_common())
            where = " — every row in the report beside the file" if result.report else ""
            style = "red" if severity == "error" else "yellow"
            console.print(
                f"  [{style}]{len(found)} {severity}{'s' if len(found) != 1 else ''}[/]: {markup(codes)}{where}",
                highlight=False,
            )
    if not (settings["details"] or validated.errors):
        return
    rows = report.issue_rows(result.path, validated.table.sheet, validated.issues)
    rows.sort(key=lambda row: row[5] != "error")  # errors to fix first; each kept in row order
    shown = [
        {"row": row[2], "column": row[3], "value": row[4], "code": row[6], "message": row[7]}
        for row in rows[:SHOWN_ISSUES]
    ]
    show_table(shown, ["row", "column", "value", "code", "message"], keep=("row", "code", "message"),
               headers={"code": "Problem", "message": "What is wrong"})  # fmt: skip
    if len(rows) > SHOWN_ISSUES:
        where = f"in {result.report}" if result.report else "with ecf findings"
        console.print(f"  … and {len(rows) - SHOWN_ISSUES} more {markup(where)}", highlight=False)


def _show_outcome(result: ImportResult) -> None:
    if result.outcome is imports.Outcome.REJECTED:
        console.print(
            "[bold red]Not imported:[/] the file has errors and nothing was stored. Fix the rows above, "
            "or use --accept-valid to store the valid rows and keep the rejected ones for later."
        )
    elif result.outcome is imports.Outcome.NO_VALID_ROWS:
        console.print("[bold red]Not imported:[/] no row is valid, so nothing was stored.")
    elif result.outcome is imports.Outcome.CONFLICT:
        seen = result.existing
        assert seen is not None
        console.print(
            f"[bold red]Not imported:[/] a snapshot for {human(seen.as_of)} already exists ({markup(seen.file_name)}, "
            f"import #{seen.id}). Use --replace to supersede it with this file; the old one is kept."
        )
    elif result.outcome is imports.Outcome.NEEDS_CORRECT:
        console.print(
            "[bold red]Not imported:[/] this is the 'Rows to fix' sheet of an error report. Once the rows are "
            "corrected, import it with --correct: each row replaces that worker's row in the month, and no one else "
            "changes."
        )
    elif result.outcome is imports.Outcome.NOTHING_TO_CORRECT:
        console.print(f"[bold red]Not imported:[/] there is no snapshot for {human(result.as_of)} to correct.")
    elif result.outcome is imports.Outcome.TOO_MANY_VANISH:
        _show_vanished(result)
    elif result.outcome is imports.Outcome.IMPORTED:
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
    workers = len(validated.records) + result.carried_forward
    console.print(f"[bold green]Imported[/] as #{result.import_id}: {workers} workers in the snapshot "
                  f"for {human(result.as_of)}{replaced}{rejected}.", highlight=False)  # fmt: skip
    if result.carried_forward:
        console.print(f"  {markup(result.carried_note)}.", highlight=False)
    if result.possibly_rejected:
        console.print(f"  {markup(result.possibly_note)}.", highlight=False)
    if result.newer_as_of is not None:
        console.print(f"  A newer snapshot ({human(result.newer_as_of)}) exists: the current state is unchanged.")
    if result.previous_as_of is None:
        console.print("  First snapshot: no earlier month to compare with.")
        return
    show_changes(result.changes, f"Changes since {human(result.previous_as_of)}", screenful(),
                 f"ecf changes --since {human(result.as_of)}")  # fmt: skip


def show_changes(changes: list[Change], title: str, limit: int | None = None, full: str | None = None) -> None:
    """Counts by kind, then the changes: all of them, or at most `limit` rows and the command (`full`) that lists
    the rest, so a month of 40,000 joiners prints a screenful."""
    summary = change_counts(changes)
    console.print(f"  {markup(title)}: {summary or 'none'}", highlight=False)
    if not changes:
        return
    shown = changes if limit is None else changes[:limit]
    rows = [
        {"as_of": c.as_of, "employee_id": c.employee_id, "name": c.name, "change": c.kind, "detail": c.detail}
        for c in shown
    ]
    one_date = len({c.as_of for c in shown}) == 1  # one snapshot's changes: its date is in the title already
    columns = ["employee_id", "name", "change", "detail"] if one_date else ["as_of", "employee_id", "name", "change",
                                                                           "detail"]  # fmt: skip
    show_table(rows, columns, keep=("employee_id", "change"))
    if len(shown) < len(changes):
        console.print(
            f"  … and {len(changes) - len(shown):,} more: {full or 'ecf changes'} lists them all "
            "(--format csv for a file).",
            highlight=False,
            markup=False,
        )


def screenful() -> int:
    """Rows of a table that fit on one screen beside what an import prints around it (20 when piped)."""
    return max(10, console.size.height - 12) if console.is_terminal else 20


def show_summary(results: list[ImportResult]) -> None:
    """Many files at once (a year of months): one row per snapshot, the warnings counted by code, and where the
    details are. Files that were refused have already been shown in full."""
    if not results:
        return
    if all(r.outcome is imports.Outcome.ALREADY_IMPORTED for r in results):
        ids = sorted(r.existing.id for r in results if r.existing is not None)
        console.print(f"All {len(results)} files were imported before (imports #{ids[0]} to #{ids[-1]}): nothing to "
                      "do. ecf imports lists them.", highlight=False, markup=False)  # fmt: skip
        return
    from ecf.domain.changes import ChangeKind

    rows = []
    warnings: Counter[str] = Counter()
    for result in results:
        counts = Counter(change.kind for change in result.changes)
        validated = result.validated
        if result.outcome is imports.Outcome.ALREADY_IMPORTED:
            seen = result.existing
            assert seen is not None
            rows.append({"as_of": seen.as_of, "import": f"#{seen.id} (already)"})
            continue
        assert validated is not None
        warnings.update(i.code for i in validated.warnings)
        moves = sum(n for kind, n in counts.items() if kind not in (ChangeKind.JOINER, ChangeKind.LEAVER))
        first = result.previous_as_of is None
        rows.append({
            "as_of": result.as_of, "import": f"#{result.import_id}",
            "workers": len(validated.records) + result.carried_forward,
            "joiners": None if first else counts[ChangeKind.JOINER],
            "leavers": None if first else counts[ChangeKind.LEAVER], "other": None if first else moves,
            "rejected": len(validated.rejected), "warnings": len(validated.warnings),
        })  # fmt: skip
    show_table(rows, ["as_of", "import", "workers", "joiners", "leavers", "other", "rejected", "warnings"],
               title=f"{len(results)} files:", keep=("as_of", "import"), atomic=("import",),
               headers={"as_of": "Snapshot", "other": "Other changes", "rejected": "Rows rejected"})  # fmt: skip
    if warnings:
        codes = ", ".join(f"{code} ×{count}" for code, count in warnings.most_common())
        console.print(f"Warnings: {markup(codes)} — every row in each file's report beside it.", highlight=False)
    newest = max((r.as_of for r in results if r.outcome is imports.Outcome.IMPORTED and r.as_of), default=None)
    if newest is not None:
        console.print(f"Every change, worker by worker: ecf changes --since {human(newest)}", highlight=False)


def change_counts(changes: list[Change]) -> str:
    """`5 joiners, 3 leavers, 2 other changes (grade 1, team 1)`."""
    from ecf.domain.changes import ChangeKind

    counts = Counter(change.kind for change in changes)
    moves = [f"{counts[k]} {'joiner' if k is ChangeKind.JOINER else 'leaver'}{'s' if counts[k] != 1 else ''}"
             for k in (ChangeKind.JOINER, ChangeKind.LEAVER) if counts[k]]  # fmt: skip
    others = [k for k in ChangeKind if k not in (ChangeKind.JOINER, ChangeKind.LEAVER) and counts[k]]
    if others:
        total = sum(counts[k] for k in others)
        kinds = ", ".join(f"{value_words(k.value)} {counts[k]}" for k in others)
        moves.append(f"{total} other change{'s' if total != 1 else ''} ({kinds})")
    return ", ".join(moves)
