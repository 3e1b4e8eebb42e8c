"""ecf-tracker's terminal UI (Textual): the stored workforce, imports and changes, read through the service layer.

Run it with `ecf tui` (or `python tui.py --db URL`), or `ecf demo` for the sample council. Tabs: a dashboard,
milestones due and overdue (Enter records one as done), the workforce, imports and the latest changes; `x` writes the
finance workbook. Each pane lives in its own module under `ecf/panes/` and shows only what the services return.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from sqlalchemy.exc import SQLAlchemyError
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Input, Static, TabbedContent, TabPane

import ecf
from ecf.cli.output import human
from ecf.domain.changes import Change
from ecf.panes.cohorts import CohortsPane
from ecf.panes.dashboard import DashboardPane
from ecf.panes.importing import ImportPane
from ecf.panes.milestones import MilestonesPane
from ecf.panes.projection import ProjectionPane
from ecf.panes.worker import WorkerScreen
from ecf.services.context import App as EcfApp
from ecf.services.dashboard import dashboard
from ecf.services.imports import changes_since, list_imports
from ecf.services.progression import assess_workforce, intake_cohorts
from ecf.services.projection import ExportError, ProjectionRequest, export_workbook
from ecf.services.workforce import WorkerState, current_workers
from ecf.storage.database import DatabaseError
from ecf.storage.repository import ImportInfo
from payscales.loader import PayDataError

PAGE = 100  # rows shown at once in the workforce table: several screens' worth, cheap to redraw per keystroke
WORKER_COLUMNS = ("Employee ID", "Name", "Team", "Role", "Grade", "SCP", "FTE", "Contract", "Start", "Status")


def worker_cells(state: WorkerState) -> tuple[str, ...]:
    r = state.record
    name = " ".join(p for p in (r.forename, r.surname) if p)
    return (r.employee_id, name, r.team or "", r.role or "", r.grade or "", human(r.spinal_point), human(r.fte),
            r.contract_type.value, human(r.start_date), state.status.value)  # fmt: skip


class EcfTui(App[None]):
    """Workforce leads' view of the stored snapshots."""

    TITLE = "ecf-tracker"
    CSS_PATH = Path(ecf.__file__).with_name("tui.tcss")  # shipped inside the ecf package
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("r", "refresh", "Refresh"),
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("x", "export", "Export to Excel"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self, ecf: EcfApp, export_folder: Path | None = None, import_folder: Path | None = None,
        today: date | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.today = today or date.today()  # the interface reads the clock once; tests give a fixed day
        self.ecf = ecf
        self.states: list[WorkerState] = []
        self.cells: list[tuple[str, ...]] = []
        self.search_keys: list[str] = []
        self.sorted_by: tuple[int, bool] | None = None
        self.export_folder = export_folder or Path.cwd()
        self.import_folder = import_folder or Path.cwd()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="dashboard"):
            with TabPane("Dashboard", id="dashboard"):
                yield DashboardPane(self.ecf, id="dashboard-pane")
            with TabPane("Milestones", id="milestones"):
                yield MilestonesPane(self.ecf, id="milestones-pane")
            with TabPane("Cohorts", id="cohorts"):
                yield CohortsPane(id="cohorts-pane")
            with TabPane("Projection", id="projection"):
                yield ProjectionPane(self.ecf, id="projection-pane")
            with TabPane("Workforce", id="workforce"):
                yield Input(placeholder="Filter by ID, name, team, role or grade…", id="filter")
                yield Static(id="workforce-count")
                yield DataTable(id="workers", zebra_stripes=True, cursor_type="row")
            with TabPane("Import", id="import"):
                yield ImportPane(self.ecf, self.import_folder, id="import-pane")
            with TabPane("Imports", id="imports"):
                yield DataTable(id="import-list", zebra_stripes=True, cursor_type="row")
            with TabPane("Latest changes", id="changes"):
                yield DataTable(id="change-list", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#workers", DataTable).add_columns(*WORKER_COLUMNS)
        self.query_one("#import-list", DataTable).add_columns(
            "#", "File", "Snapshot", "Imported", "Rows", "Accepted", "Rejected", "Warnings", "Status"
        )
        self.query_one("#change-list", DataTable).add_columns("Employee ID", "Name", "Change", "Detail")
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read everything in a worker thread, so the screen is up at once and stays live while a national workforce
        loads; the tables fill in when the data arrives."""
        self.sub_title = "Loading…"
        self.run_worker(self._load, thread=True, exclusive=True, name="load", group="load")

    def _load(self) -> None:
        try:
            self._read_everything()
        except (SQLAlchemyError, DatabaseError) as exc:  # the database went away: say so, keep the app up
            self.call_from_thread(self.notify, f"cannot read the database: {exc}", title="Database", severity="error")

    def _read_everything(self) -> None:
        today = self.today
        states = current_workers(self.ecf)
        imports = list_imports(self.ecf)
        self.call_from_thread(self._show_basics, states, imports, changes_since(self.ecf))
        progress = assess_workforce(self.ecf, today)  # once, for the dashboard and the milestones
        self.call_from_thread(self.query_one(MilestonesPane).show, progress)
        self.call_from_thread(self.query_one(DashboardPane).show, dashboard(self.ecf, today, progress))
        everyone, cohorts = intake_cohorts(self.ecf, today)  # leavers too: retention needs them
        self.call_from_thread(self.query_one(CohortsPane).show, cohorts, everyone)

    def _show_basics(self, states: list[WorkerState], imports: list[ImportInfo], changes: list[Change]) -> None:
        active = [i for i in imports if i.active]
        latest = human(max((i.as_of for i in active), default=None)) or "none yet"
        self.sub_title = f"Latest snapshot: {latest} · In post: {len(states)} · Imports: {len(imports)}"
        self.states = states
        self.cells = [worker_cells(state) for state in states]
        self.search_keys = [" ".join(cells).lower() for cells in self.cells]
        self._show_workers(self.query_one("#filter", Input).value)
        table = self.query_one("#import-list", DataTable)
        table.clear()
        for i in imports:
            status = "active" if i.active else f"superseded by #{i.superseded_by}"
            table.add_row(str(i.id), i.file_name, human(i.as_of), human(i.imported_at), str(i.rows_total),
                          str(i.rows_accepted), str(i.rows_rejected), str(i.warnings), status)  # fmt: skip
        listing = self.query_one("#change-list", DataTable)
        listing.clear()
        for change in changes:
            listing.add_row(change.employee_id, change.name, change.kind.value, change.detail)

    def _show_workers(self, text: str) -> None:
        """At most PAGE rows in the table: a national workforce (tens of thousands) stays fluid while typing; the
        count of all matches is shown above it."""
        table = self.query_one("#workers", DataTable)
        table.clear()
        needle = text.strip().lower()
        matches = [i for i, key in enumerate(self.search_keys) if needle in key] if needle else range(len(self.cells))
        page = list(matches)[:PAGE]
        table.add_rows([self.cells[index] for index in page])  # one batch: the table measures itself once
        total = len(matches)
        shown = f"showing the first {PAGE:,} of {total:,}: type to narrow" if total > PAGE else f"{total:,} workers"
        self.query_one("#workforce-count", Static).update(shown)

    @on(Input.Changed, "#filter")
    def _filter_workers(self, event: Input.Changed) -> None:
        self._show_workers(event.value)

    @on(DataTable.HeaderSelected, "#workers")
    def _sort_workers(self, event: DataTable.HeaderSelected) -> None:
        """Sort every worker (not just the page shown) by the column clicked; again for the other way round."""
        column = event.column_index
        descending = self.sorted_by == (column, False)
        order = sorted(range(len(self.cells)), key=lambda i: _sort_key(self.cells[i][column]), reverse=descending)
        self.cells = [self.cells[i] for i in order]
        self.search_keys = [self.search_keys[i] for i in order]
        self.sorted_by = (column, descending)
        self._show_workers(self.query_one("#filter", Input).value)

    @on(DataTable.RowSelected, "#workers")
    def _open_worker(self, event: DataTable.RowSelected) -> None:
        employee_id = str(event.data_table.get_row(event.row_key)[0])
        self.push_screen(WorkerScreen(self.ecf, employee_id))

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_export(self) -> None:
        """The finance workbook (baseline, 5 years from today), written in a worker thread so the screen stays live."""
        self.notify("Writing the finance workbook…", title="Export to Excel")
        self.run_worker(self._export, thread=True, exclusive=True, name="export")

    def _export(self) -> None:
        today = self.today
        target = self.export_folder / f"ecf-projection-{today:%Y-%m-%d}.xlsx"
        number = 1
        while target.exists():
            number += 1
            target = self.export_folder / f"ecf-projection-{today:%Y-%m-%d}-{number}.xlsx"
        request = ProjectionRequest("baseline", 5, today)
        try:
            written = export_workbook(self.ecf, [request], target, datetime.now())
        except (ExportError, PayDataError, ValueError) as exc:
            self.call_from_thread(self.notify, str(exc), title="Export failed", severity="error")
            return
        self.call_from_thread(self.notify, f"Wrote {written}", title="Finance workbook")


def _sort_key(cell: str) -> tuple[int, object]:
    """Numbers as numbers, dd/mm/yyyy as dates, the rest as text (blanks last)."""
    if not cell:
        return (3, "")
    try:
        return (0, float(cell))
    except ValueError:
        pass
    if len(cell) == 10 and cell[2] == "/" and cell[5] == "/":
        return (1, cell[6:] + cell[3:5] + cell[:2])
    return (2, cell.lower())


class HelpScreen(ModalScreen[None]):
    """The keys, one place to look them up."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        yield Static(HELP, id="help")


HELP = """[b]ecf-tracker keys[/b]

  ?        this help                     r        read the database again
  /        filter the workforce          x        write the finance workbook (baseline, 5 years)
  click a column heading in the workforce to sort by it (again: the other way round)
  Enter    open a worker (Workforce) or record a milestone as done (Milestones)
  Escape   back from a worker or a dialog
  Tab      move between fields           Ctrl+P   command palette (themes, keys, quit)
  q        quit

Tabs: Dashboard · Milestones · Cohorts · Projection · Workforce · Import · Imports · Latest changes.
Press Escape to close."""


def main(db: str | None = None) -> None:
    EcfTui(EcfApp.open(db)).run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="ecf-tracker terminal UI")
    parser.add_argument("--db", help="database URL or SQLite path")
    main(parser.parse_args().db)
