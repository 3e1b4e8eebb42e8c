"""ecf-tracker's terminal UI (Textual): the stored workforce, imports and changes, read through the service layer.

Run it with `ecf tui` (or `python tui.py --db URL`), or `ecf demo` for the sample council. Tabs: a dashboard,
milestones due and overdue (Enter records one as done), the workforce, imports and the latest changes; `x` writes the
finance workbook. Each pane lives in its own module under `ecf/panes/` and shows only what the services return.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import ClassVar

from sqlalchemy.exc import SQLAlchemyError
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane

import ecf
from ecf.census.presentation import deadline_line
from ecf.domain.changes import Change
from ecf.panes.census import CensusScreen
from ecf.panes.cohorts import CohortsPane
from ecf.panes.dashboard import DashboardPane
from ecf.panes.history import HistoryPane
from ecf.panes.importing import ImportPane
from ecf.panes.milestones import MilestonesPane
from ecf.panes.milestones import prepare as prepare_milestones
from ecf.panes.projection import ProjectionPane
from ecf.panes.table import VirtualTable
from ecf.panes.worker import WorkerScreen
from ecf.panes.workforce import WorkforcePane, prepare_progress, prepare_workers
from ecf.presentation.formats import human
from ecf.presentation.text import clean
from ecf.services.census import census_reminder
from ecf.services.connection import explain_failure, is_lost_connection, mask
from ecf.services.context import App as EcfApp
from ecf.services.context import collector_paused, keep_out_of_collection
from ecf.services.dashboard import dashboard
from ecf.services.imports import changes_since, list_imports
from ecf.services.progression import assess_workforce, intake_cohorts
from ecf.services.workforce import WorkerState, current_workers
from ecf.storage.database import DatabaseError
from ecf.storage.repository import ImportInfo

# The tabs, each reachable by a key and from the command palette: (id, title, key, what it is for).
TABS = (
    ("dashboard", "Dashboard", "d", "stages, milestones due and indicators at a glance"),
    ("milestones", "Milestones", "m", "due and overdue milestones by team and manager; record one as done"),
    ("cohorts", "Cohorts", "c", "intake cohorts by ASYE start year: progress and retention"),
    ("projection", "Projection", "p", "pay costs by financial year under a scenario; export to Excel"),
    ("workforce", "Workers", "w", "every worker: search, narrow, sort; Enter opens one"),
    ("import", "Import", "i", "check an HR file, then import it"),
    ("imports", "History", "h", "the imported snapshots, newest last"),
    ("changes", "Changes", "l", "joiners, leavers and changes in the latest snapshot"),
)

FOCUS = {
    "milestones": "#milestone-list", "cohorts": "#cohort-list", "projection": "#projection-pane",
    "workforce": "#workers", "import": "#import-tree", "imports": "#import-list", "changes": "#change-list",
}  # fmt: skip
SEARCHES = {"milestones": "#milestone-filter", "workforce": "#filter"}  # where `/` goes on these tabs


class EcfTui(App[None]):
    """Workforce leads' view of the stored snapshots."""

    TITLE = "ecf-tracker"
    CSS_PATH = Path(ecf.__file__).with_name("tui.tcss")  # shipped inside the ecf package
    # Screen classes tui.tcss uses to lay a form out on two lines below 100 columns (Textual declares this attribute
    # without ClassVar, so it cannot be annotated as one here).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("r", "refresh", "Refresh"),
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("x", "export", "Export to Excel"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "leave_input", "Leave the field", show=False),
        *(Binding(key, f"show_tab('{tab}')", title, show=False) for tab, title, key, _ in TABS),
        Binding("s", "census", "Census", show=False),
    ]

    def __init__(
        self, ecf: EcfApp, export_folder: Path | None = None, import_folder: Path | None = None,
        today: date | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        # A command pauses the cyclic collector for its short life (ecf.cli.common.open_app); the interface lives for
        # hours and makes cycles as it goes, so it collects as usual. Its bulk reads pause it themselves.
        gc.enable()
        self.today = today or date.today()  # the interface reads the clock once; tests give a fixed day
        self.ecf = ecf
        self.states: list[WorkerState] = []
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
            with TabPane("Workers", id="workforce"):
                yield WorkforcePane(id="workforce-pane")
            with TabPane("Import", id="import"):
                yield ImportPane(self.ecf, self.import_folder, id="import-pane")
            with TabPane("History", id="imports"):
                yield HistoryPane(self.ecf, id="history-pane")
            with TabPane("Changes", id="changes"):
                yield VirtualTable(("ID", "Name", "Change", "Detail"), keep=(0, 1, 2, 3), atomic=(0,), id="change-list")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read everything in a worker thread, so the screen is up at once and stays live while a national workforce
        loads; the tables fill in when the data arrives."""
        self.sub_title = "Loading…"
        self.run_worker(self._load, thread=True, exclusive=True, name="load", group="load")

    def _load(self) -> None:
        for attempt in (1, 2):
            try:
                with collector_paused():
                    self._read_everything()
                    keep_out_of_collection()
                return
            except (SQLAlchemyError, DatabaseError) as exc:  # the database went away: say so, keep the app up
                if attempt == 1 and is_lost_connection(exc):
                    continue  # the pool dropped the dead connection: read again on a new one
                message = explain_failure(exc) or f"cannot read the database: {clean(mask(str(exc).splitlines()[0]))}"
                self.call_from_thread(self.notify, message, title="Database", severity="error", markup=False)
                return

    def _read_everything(self) -> None:
        today = self.today
        states = current_workers(self.ecf, as_of=today)  # the same snapshot as every other tab
        imports = list_imports(self.ecf)
        self.call_from_thread(self.query_one(WorkforcePane).show, prepare_workers(states))
        self.call_from_thread(self._show_basics, states, imports, changes_since(self.ecf))
        progress = assess_workforce(self.ecf, today)  # once, for the dashboard and the milestones
        self.call_from_thread(self.query_one(MilestonesPane).show, prepare_milestones(progress))
        self.call_from_thread(self.query_one(WorkforcePane).show, prepare_progress(progress))
        self.call_from_thread(self.query_one(DashboardPane).show, dashboard(self.ecf, today, progress))
        everyone, cohorts = intake_cohorts(self.ecf, today)  # leavers too: retention needs them
        self.call_from_thread(self.query_one(CohortsPane).show, cohorts, everyone)
        reminder = census_reminder(self.ecf, today)  # the census return due this autumn, from September
        if reminder is not None:
            self.call_from_thread(self.query_one(DashboardPane).show_census, deadline_line(reminder.readiness, today))

    def _show_basics(self, states: list[WorkerState], imports: list[ImportInfo], changes: list[Change]) -> None:
        active = [i for i in imports if i.active]
        latest = human(max((i.as_of for i in active), default=None)) or "none yet"
        self.sub_title = f"Latest snapshot: {latest} · In post: {len(states)} · Imports: {len(imports)}"
        self.states = states
        self.query_one(HistoryPane).show(imports)
        listing = self.query_one("#change-list", VirtualTable)
        listing.set_rows([(c.employee_id, c.name, human(c.kind), c.detail) for c in changes])

    @on(VirtualTable.RowSelected, "#workers")
    def _open_worker(self, event: VirtualTable.RowSelected) -> None:
        self.push_screen(WorkerScreen(self.ecf, event.cells[0]))

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _focus_tab(self, event: TabbedContent.TabActivated) -> None:
        """Each tab's main widget takes the keys, so typing on the Import tab goes into the path, not to a shortcut."""
        target = FOCUS.get(event.pane.id or "")
        if self.focused is not None and event.pane in self.focused.ancestors:
            return  # already inside the tab (`/` went straight to the search)
        if target is not None:
            self.query_one(target).focus()
        else:  # focus left in a hidden tab would bring that tab back
            self.set_focus(None)

    def action_leave_input(self) -> None:
        """Escape from a text field back to the tab's table, where the one-letter keys work again."""
        target = FOCUS.get(self.query_one(TabbedContent).active)
        if isinstance(self.focused, Input) and target is not None:
            self.query_one(target).focus()

    def action_focus_filter(self) -> None:
        """Search this tab's list where it has a search (the milestones), else the workers, from any tab."""
        tabs = self.query_one(TabbedContent)
        if tabs.active not in SEARCHES:
            tabs.active = "workforce"
        self.query_one(SEARCHES[tabs.active], Input).focus()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette (Ctrl+P) lists every tab and the export beside Textual's own commands."""
        yield from super().get_system_commands(screen)
        for tab, title, key, purpose in TABS:
            yield SystemCommand(f"Go to {title} ({key})", purpose, partial(self.action_show_tab, tab))
        yield SystemCommand("Export to Excel (x)", "write the finance workbook", self.action_export)
        yield SystemCommand("Census (s)", "the workforce census return: what is missing, checks, figures",
                            self.action_census)  # fmt: skip
        yield SystemCommand("Refresh (r)", "read the database again", self.action_refresh)
        yield SystemCommand("Light theme", "dark text on a light background", partial(self._theme, "textual-light"))
        yield SystemCommand("Dark theme", "light text on a dark background", partial(self._theme, "textual-dark"))

    def _theme(self, name: str) -> None:
        self.theme = name

    def action_census(self) -> None:
        self.push_screen(CensusScreen(self.ecf, self.today))

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_export(self) -> None:
        """The finance workbook for the Projection tab's choices (baseline, 5 years until changed there)."""
        self.query_one(ProjectionPane).export()


class HelpScreen(ModalScreen[None]):
    """The keys, one place to look them up."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        yield Static(HELP, id="help")


HELP = """[b]ecf-tracker keys[/b]

  d  Dashboard    m  Milestones    c  Cohorts    p  Projection    w  Workers
  i  Import       h  History (imports)            l  Changes (latest snapshot)

  /        search the milestones (on Milestones) or the workers; words in any order
  Enter    from a search to its table; open a worker, or record a milestone as done
  r        read the database again
  x        write the finance workbook (the Projection tab's scenario and years)
  s        the census return: items missing by team, checks failing, published figures
  click a column heading to sort by it (again: the other way round)
  Escape   back from a worker or a dialog; out of a text field (then the letter keys work)
  Tab      move between fields           Ctrl+P   command palette (tabs, themes, keys)
  q        quit

Press Escape to close."""


def main(db: str | None = None) -> None:
    EcfTui(EcfApp.open(db)).run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="ecf-tracker terminal UI")
    parser.add_argument("--db", help="database URL or SQLite path")
    main(parser.parse_args().db)
