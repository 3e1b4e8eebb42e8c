"""Import: choose a file, see how its columns map and what is wrong before anything is stored, then confirm; a
progress bar while it is stored, and the changes since the month before afterwards."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, DirectoryTree, Input, ProgressBar, Select, Static

from ecf.cli.common import parse_day
from ecf.domain.changes import Change
from ecf.panes.confirm import ConfirmDialog
from ecf.panes.table import VirtualTable
from ecf.presentation.formats import human
from ecf.presentation.text import clean, plain
from ecf.services.admin import require
from ecf.services.connection import explain_failure
from ecf.services.context import App as EcfApp
from ecf.services.imports import (
    ImportRequest,
    ImportResult,
    Outcome,
    import_file,
    read_and_validate,
    resolve_profile,
    save_report,
    snapshot_date_of,
)
from ecf.storage.database import DatabaseError
from importers.mapping import MappingProfile, ProfileError
from importers.readers import UnreadableFile
from importers.validation import ValidatedFile

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".xml")  # .xml: a census return
NO_PROFILE = "(usual headers)"
FINDINGS = ("Row", "Column", "Value", "Problem", "What is wrong")
CHANGES = ("Employee ID", "Name", "Change", "Detail")


def counted(number: int, thing: str) -> str:
    return f"{number:,} {thing}" + ("" if number == 1 else "s")


KEEP_VALID = "Rows with errors are kept aside with their errors (ecf import --accept-valid)"
REPLACE = "Supersede the import already stored for this date; it is kept, marked superseded (--replace)"
CORRECT = "A partial file: each row replaces that worker's row in the month's snapshot; no one else changes (--correct)"
NOT_STORED = {
    Outcome.ALREADY_IMPORTED: "this very file is already imported",
    Outcome.CONFLICT: "a snapshot for that date is already stored (tick 'Replace the month' to supersede it)",
    Outcome.REJECTED: "rows with errors stop the import",
    Outcome.NO_VALID_ROWS: "no row is valid",
    Outcome.NOT_ACTIVE: "this file was imported before and is now withdrawn or superseded (restore it on History)",
    Outcome.NEEDS_CORRECT: "this is an error report's 'Rows to fix' sheet: tick 'Correction' to apply it to the month",
    Outcome.NOTHING_TO_CORRECT: "there is no snapshot for that date to correct",
    Outcome.TOO_MANY_VANISH: "too many workers vanish without a leaving date",
}


def check_summary(path: Path, as_of: date, found: ValidatedFile, accept_valid: bool) -> str:
    """What the check found, the verdict first: an 80-column screen shows the first few lines."""
    counts = (f"{counted(found.data_rows, 'row')}: {len(found.records):,} valid, "
              f"{counted(len(found.errors), 'error')}, {counted(len(found.warnings), 'warning')}.")  # fmt: skip
    if not found.errors:
        verdict = "Nothing is stored until you press Import."
    elif accept_valid:
        verdict = f"Import stores the {len(found.records):,} valid rows and keeps the rest aside with their errors."
    else:
        verdict = "Rows with errors stop the import: fix them and check again, or tick 'Store the valid rows'."
    where = f"sheet '{found.table.sheet}', header on row {found.table.header_row}" if found.table.sheet else "csv"
    mapped = ", ".join(f"{h} -> {f}" for f, h in sorted(found.columns.headers.items()))
    return f"{counts} {verdict}\n{path.name} ({where}), snapshot {as_of:%d/%m/%Y}. Columns: {mapped}"


class SpreadsheetTree(DirectoryTree):
    """Folders and spreadsheets only: not hidden entries, Excel's `~$` lock files of open workbooks, Python's
    build folders, or the error reports ecf writes beside an import."""

    def filter_paths(self, paths: list[Path]) -> list[Path]:  # type: ignore[override]
        return [p for p in paths if _worth_showing(p)]


def _worth_showing(path: Path) -> bool:
    name = path.name
    if name.startswith((".", "~$", "__")) or name.endswith(".egg-info"):
        return False
    return path.is_dir() or (path.suffix.lower() in SPREADSHEETS and ".errors." not in name)


class ImportPane(Vertical):
    def __init__(self, ecf: EcfApp, folder: Path | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf
        self.folder = folder or Path.cwd()
        self.checked: tuple[Path, date] | None = None
        self.found: ValidatedFile | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="import-top"):
            yield SpreadsheetTree(self.folder, id="import-tree")
            with Vertical(id="import-side"):
                yield Input(placeholder="File path (or pick one on the left)", id="import-path")
                yield Input(placeholder="Snapshot date dd/mm/yyyy (default: from the file name)", id="import-as-of")
                with Horizontal(id="import-profile-row"):
                    yield Select([(NO_PROFILE, NO_PROFILE)], value=NO_PROFILE, allow_blank=False, compact=True,
                                 id="import-profile", tooltip="Header mapping: built-in or saved profile")  # fmt: skip
                    yield Button("Mapping…", id="import-mapping", compact=True)
                with Horizontal(id="import-options"):
                    yield Checkbox("Store the valid rows", id="accept-valid", compact=True, tooltip=KEEP_VALID)
                    yield Checkbox("Replace the month", id="replace", compact=True, tooltip=REPLACE)
                    yield Checkbox("Correction", id="correct", compact=True, tooltip=CORRECT)
                with Horizontal(id="import-buttons"):
                    yield Button("Check", variant="primary", id="import-check")
                    yield Button("Import", variant="success", id="import-go", disabled=True)
                    yield Button("Save error report", id="import-report", disabled=True)
                yield ProgressBar(id="import-progress", show_eta=False)
                yield Static("Pick a monthly HR file, then Check: nothing is stored until you press Import.",
                             id="import-status")  # fmt: skip
        yield VirtualTable(FINDINGS, id="import-findings")

    def on_mount(self) -> None:
        self._load_profiles()

    @work(thread=True, exclusive=True, group="import-profiles")
    def _load_profiles(self, chosen: str | None = None) -> None:
        from ecf.services.profiles import list_profiles

        names = list(dict.fromkeys(info.name for info in list_profiles(self.ecf)))
        self.app.call_from_thread(self._set_profiles, names, chosen)

    def _set_profiles(self, names: list[str], chosen: str | None) -> None:
        found = self.query("#import-profile")
        if not found:  # the app closed while the names were read: the pane and its choices are gone
            return
        select = found.only_one(Select)
        select.set_options([(NO_PROFILE, NO_PROFILE), *((name, name) for name in names)])
        select.value = chosen or NO_PROFILE

    @property
    def profile_name(self) -> str | None:
        value = self.query_one("#import-profile", Select).value
        return None if value in (NO_PROFILE, Select.BLANK) else str(value)

    @on(Button.Pressed, "#import-mapping")
    def _mapping(self) -> None:
        typed = self.query_one("#import-path", Input).value.strip()
        if not typed:
            self._status("Pick a file first: the mapping is of its columns", error=True)
            return
        self._open_mapping(self.folder / Path(typed).expanduser(), self.profile_name)

    @work(thread=True, exclusive=True, group="import")
    def _open_mapping(self, path: Path, profile_name: str | None) -> None:
        from ecf.panes.mapping import MappingScreen, rows_for
        from ecf.services.profiles import draft_profile

        try:
            base = resolve_profile(self.ecf, profile_name)
            draft = draft_profile(path)
        except (UnreadableFile, ProfileError, OSError) as exc:
            self.app.call_from_thread(self._status, str(exc), True)
            return
        screen = MappingScreen(path.name, rows_for(draft, base), base, profile_name or path.stem.split("_")[0])
        self.app.call_from_thread(self.app.push_screen, screen, self._mapped)

    def _mapped(self, profile: MappingProfile | None) -> None:
        if profile is not None:
            self._save_profile(profile)

    @work(thread=True, exclusive=True, group="import")
    def _save_profile(self, profile: MappingProfile) -> None:
        from ecf.services.profiles import list_profiles, save_profile

        name = save_profile(self.ecf, profile)
        names = list(dict.fromkeys(info.name for info in list_profiles(self.ecf)))
        self.app.call_from_thread(self._set_profiles, names, name)
        self.app.call_from_thread(self.app.notify, f"Saved mapping profile '{name}'", title="Mapping")
        self.app.call_from_thread(self._check)

    @on(Select.Changed, "#import-profile")
    def _profile_changed(self) -> None:
        if self.query_one("#import-path", Input).value.strip():
            self._check()

    @on(DirectoryTree.FileSelected, "#import-tree")
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self._check()

    @on(Button.Pressed, "#import-check")
    @on(Input.Submitted, "#import-path")
    def _check(self) -> None:
        self.query_one("#import-go", Button).disabled = True
        self.query_one("#import-report", Button).disabled = True
        typed_path = Path(self.query_one("#import-path", Input).value.strip()).expanduser()
        path = self.folder / typed_path  # a relative path starts at the tree's folder
        typed = self.query_one("#import-as-of", Input).value.strip()
        try:
            as_of = parse_day(typed) if typed else snapshot_date_of(path)
        except Exception:  # typer.BadParameter
            self._status(f"'{typed}' is not a date: use dd/mm/yyyy", error=True)
            return
        if as_of is None:
            self._status(f"{path.name}: no date in the file name; type the snapshot date", error=True)
            return
        self._status(f"Checking {path.name}…")
        self._validate(path, as_of, self.profile_name)

    @work(thread=True, exclusive=True, group="import")
    def _validate(self, path: Path, as_of: date, profile_name: str | None) -> None:
        try:
            found = read_and_validate(path, as_of, resolve_profile(self.ecf, profile_name))
        except (UnreadableFile, ProfileError, OSError) as exc:
            self.app.call_from_thread(self._status, str(exc), True)
            return
        except Exception as exc:  # a file must never take the app down: say what, keep the screen
            self.app.call_from_thread(self._status, _failure(path, exc), True)
            return
        self.app.call_from_thread(self._show_check, path, as_of, found)

    def _show_check(self, path: Path, as_of: date, found: ValidatedFile) -> None:
        self.checked = (path, as_of)
        self.found = found
        cells = [(str(i.row or ""), i.column or "", i.value or "", i.code, i.message) for i in found.issues]
        self.query_one("#import-findings", VirtualTable).set_rows(cells, columns=FINDINGS)
        self._allow_import()  # and the summary
        self.query_one("#import-report", Button).disabled = not found.issues

    @property
    def _accept_valid(self) -> bool:
        return self.query_one("#accept-valid", Checkbox).value

    @on(Checkbox.Changed, "#accept-valid")
    def _allow_import(self) -> None:
        """Errors stop the import unless HR chooses to store the valid rows (and there are some); the summary says
        which."""
        found = self.found
        allowed = found is not None and (not found.errors or (self._accept_valid and bool(found.records)))
        self.query_one("#import-go", Button).disabled = not allowed
        if found is not None and self.checked is not None:
            self._status(check_summary(*self.checked, found, self._accept_valid), bool(found.errors))

    @on(Button.Pressed, "#import-report")
    def _report(self) -> None:
        if self.checked is not None and self.found is not None:
            self._write_report(self.checked[0], self.found)

    @work(thread=True, exclusive=True, group="import")
    def _write_report(self, path: Path, found: ValidatedFile) -> None:
        """HR's copy of what is wrong, row by row, beside the file (the same report `ecf import` writes)."""
        try:
            written = save_report(path, found)
        except OSError as exc:
            message = clean(f"cannot write the report: {exc}")
            self.app.call_from_thread(partial(self.app.notify, message, severity="error", markup=False))
            return
        self.app.call_from_thread(self.app.notify, f"Wrote {clean(written)}", title="Error report", markup=False)

    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        if self.checked is None:
            return
        self.query_one("#import-go", Button).disabled = True
        replace = self.query_one("#replace", Checkbox).value
        correct = self.query_one("#correct", Checkbox).value
        self._store(*self.checked, self._accept_valid, replace, correct, profile=self.profile_name)

    def _confirm_drop(self, path: Path, as_of: date, result: ImportResult, options: tuple[bool, bool, bool]) -> None:
        """The shrinking-month guard refused the file: say how many vanish, and store it only if HR says so."""
        found = result.shrinkage
        assert found is not None and result.max_share is not None
        question = (f"{len(found.vanished)} of the {found.in_post} workers in post on {found.as_of:%d/%m/%Y} are "
                    f"missing from {path.name} without a leaving date ({found.share:.0%}; the limit is "
                    f"{result.max_share:.0%}). If the file corrects a few rows, cancel and tick 'Correction'. "
                    "Store it anyway, as the whole month?")  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._store(path, as_of, *options, allow_drop=True, profile=self.profile_name)

        self.app.push_screen(ConfirmDialog(question, "Store anyway"), answered)

    @work(thread=True, exclusive=True, group="import")
    def _store(
        self, path: Path, as_of: date, accept_valid: bool, replace: bool, correct: bool = False,
        allow_drop: bool = False, profile: str | None = None,
    ) -> None:  # fmt: skip
        bar = self.query_one("#import-progress", ProgressBar)
        self.app.call_from_thread(setattr, bar, "display", True)  # hidden until there is progress to show

        def tick(_: str, done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            require(self.ecf, "import")  # a login without ecf_hr is told which role it needs, before any work
            request = ImportRequest(path, as_of, profile, accept_valid=accept_valid, replace=replace,
                                    write_report=False, correct=correct, allow_drop=allow_drop)  # fmt: skip
            result = import_file(self.ecf, request, tick)
        except (UnreadableFile, ProfileError, OSError, DatabaseError) as exc:
            self.app.call_from_thread(self._status, str(exc), True)
            return
        except DBAPIError as exc:  # refused or lost on the way: one line, the import rolled back
            self.app.call_from_thread(setattr, bar, "display", False)
            self.app.call_from_thread(self._status, explain_failure(exc) or _failure(path, exc), True)
        except Exception as exc:  # a bug: one line, nothing stored, the app stays up
            self.app.call_from_thread(setattr, bar, "display", False)
            self.app.call_from_thread(self._status, _failure(path, exc), True)
            return
        if result.outcome is Outcome.IMPORTED:
            changes = len(result.changes)
            text = f"Imported {path.name} as #{result.import_id}: {counted(changes, 'change')} since the month before."
            text += f" {result.carried_note}." if result.carried_forward else ""
            text += f" {result.possibly_note}." if result.possibly_rejected else ""
            if result.missing_months:
                text += " No snapshot for " + ", ".join(f"{d:%m/%Y}" for d in result.missing_months) + "."
            self.app.call_from_thread(self._show_changes, result.changes)
            self.app.call_from_thread(self.app.notify, clean(text), title="Import", markup=False)
            self.app.call_from_thread(self.app.action_refresh)  # type: ignore[attr-defined]
        else:
            text = f"{path.name}: {NOT_STORED.get(result.outcome, result.outcome.value)}; nothing stored."
            self.app.call_from_thread(setattr, bar, "display", False)
            if result.outcome is Outcome.TOO_MANY_VANISH:
                self.app.call_from_thread(self._confirm_drop, path, as_of, result, (accept_valid, replace, correct))
        self.app.call_from_thread(self._status, text, result.outcome is not Outcome.IMPORTED)

    def _show_changes(self, changes: list[Change]) -> None:
        cells = [(c.employee_id, c.name, human(c.kind), c.detail) for c in changes]
        self.query_one("#import-findings", VirtualTable).set_rows(cells, columns=CHANGES)

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.update(plain(text))  # file names and cell values are text, never markup
        status.set_class(error, "error")


def _failure(path: Path, exc: Exception) -> str:
    """One line for an unexpected failure: a database error as what to do, else the kind of error (its text may
    quote a cell)."""
    from ecf.storage.errors import describe

    return f"{path.name}: " + (describe(exc) or f"internal error ({type(exc).__name__}); nothing was stored")
