"""ecf-tracker's terminal UI (Textual): the stored workforce, imports and changes, read through the service layer.

Run it with `ecf tui` (or `python tui.py --db URL`), or `ecf demo` for the sample council. Tabs: a dashboard,
milestones due and overdue (Enter records one as done), the workforce, imports and the latest changes; `x` writes the
finance workbook. Each pane lives in its own module under `ecf/panes/` and shows only what the services return.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import ClassVar

from sqlalchemy.exc import SQLAlchemyError
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

import ecf
from ecf.domain.changes import Change
from ecf.panes.cohorts import CohortsPane
from ecf.panes.cohorts import Prepared as PreparedCohorts
from ecf.panes.cohorts import prepare as prepare_cohorts
from ecf.panes.dashboard import DashboardPane
from ecf.panes.history import HistoryPane
from ecf.panes.importing import ImportPane
from ecf.panes.milestones import MilestonesPane
from ecf.panes.milestones import Prepared as PreparedMilestones
from ecf.panes.milestones import prepare as prepare_milestones
from ecf.panes.table import VirtualTable
from ecf.panes.workforce import Prepared as PreparedWorkers
from ecf.panes.workforce import WorkforcePane, prepare_facts, prepare_progress, prepare_workers, searchable
from ecf.presentation.formats import human
from ecf.presentation.text import clean
from ecf.services.connection import explain_failure, is_lost_connection, mask
from ecf.services.context import App as EcfApp
from ecf.services.context import collector_paused, keep_out_of_collection
from ecf.services.dashboard import Dashboard, at_a_glance, with_trend
from ecf.services.imports import changes_since, list_imports
from ecf.services.progression import assess_workforce, indicator_trend, intake_cohorts
from ecf.services.side_reads import SideReads
from ecf.services.workforce import WorkerState, current_workers, in_post_facts
from ecf.storage.database import DatabaseError
from ecf.storage.repository import ImportInfo

# The tabs, each reachable by a key and from the command palette: (id, title, key, what it is for).
TABS = (
    ("dashboard", "Dashboard", "d", "stages, milestones due and indicators at a glance"),
    ("milestones", "Milestones", "m", "due and overdue milestones, oldest first; narrow by team; record one as done"),
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
AT_ONCE = ("dashboard", "workforce")  # the first tab, and the workers every search goes to; the rest when opened


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
        # What is loaded by now (the libraries, the database engine) lives as long as the process: kept out of the
        # collector's scans, the collections the start-up's many small objects set off stay short.
        keep_out_of_collection()
        self.today = today or date.today()  # the interface reads the clock once; tests give a fixed day
        self.ecf = ecf
        self.states: list[WorkerState] = []
        # Tabs' panes are built when first opened (all of them once everything is read): a first screen of fewer
        # widgets is up sooner and leaves the processor to the reading. What the loader reads for a tab not built yet
        # waits here.
        self.built: set[str] = set(AT_ONCE)  # composed with the screen
        self.building: dict[str, asyncio.Task[None]] = {}
        self.waiting: dict[str, dict[str, Callable[[], None]]] = {}
        self.closing = False  # set by quit: no tab is built after it
        # A second process for the reads of every month, when there are many: started now, while the terminal is
        # still the process's own and before the screen's first draw takes the processor
        self.side_reads = SideReads(ecf)
        self.export_folder = export_folder or Path.cwd()
        self.import_folder = import_folder or Path.cwd()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="dashboard"):
            for tab, title, _, _ in TABS:
                with TabPane(title, id=tab):
                    if tab in AT_ONCE:
                        yield self._pane(tab)
        yield Footer()

    def _projection_pane(self) -> Widget:
        from ecf.panes.projection import ProjectionPane  # pandas: loaded when the tab is built, not at start

        return ProjectionPane(self.ecf, id="projection-pane")

    def _pane(self, tab: str) -> Widget:
        """The widget a tab shows."""
        panes: dict[str, Callable[[], Widget]] = {
            "dashboard": lambda: DashboardPane(self.ecf, id="dashboard-pane"),
            "milestones": lambda: MilestonesPane(self.ecf, id="milestones-pane"),
            "cohorts": lambda: CohortsPane(id="cohorts-pane"),
            "projection": self._projection_pane,
            "workforce": lambda: WorkforcePane(id="workforce-pane"),
            "import": lambda: ImportPane(self.ecf, self.import_folder, id="import-pane"),
            "imports": lambda: HistoryPane(self.ecf, id="history-pane"),
            "changes": lambda: VirtualTable(("ID", "Name", "Change", "Detail"), keep=(0, 1, 2, 3), atomic=(0,),
                                            id="change-list"),
        }  # fmt: skip
        return panes[tab]()

    def _build(self, tab: str) -> asyncio.Task[None]:
        """Build a tab's pane (once; every caller waits for the same build)."""
        task = self.building.get(tab)
        if task is None:
            task = self.building[tab] = asyncio.create_task(self._mount_pane(tab))
        return task

    async def _mount_pane(self, tab: str) -> None:
        if self.closing:
            return  # quit while the tabs were being built: nothing more to build or fill
        if tab not in self.built:
            try:
                holder = self.query_one(f"#{tab}", TabPane)
            except NoMatches:
                return  # the app is closing by another way than quit (its screen is gone)
            await holder.mount(self._pane(tab))
            self.built.add(tab)
        for fill in self.waiting.pop(tab, {}).values():  # what the loader read for it meanwhile
            fill()

    async def action_quit(self) -> None:
        """Quit once any tab being built has finished: a pane mounted while the screen is taken down would find its
        widgets gone (an error instead of a quiet exit)."""
        self.closing = True
        await asyncio.gather(*self.building.values(), return_exceptions=True)
        self.exit()

    async def _build_the_rest(self) -> None:
        """Once everything is read, the tabs not yet opened are built while nobody waits, so opening one later (and
        the export, which reads the Projection tab's choices) finds it ready."""
        if "projection" not in self.built:
            # The Projection pane's code (the pay model, pandas) loaded in a thread: loaded here, on the screen's
            # thread, it held the screen for a third of a second just as the last tabs were filled, and what they
            # showed was drawn only after it.
            await asyncio.to_thread(importlib.import_module, "ecf.panes.projection")
        for tab, _, _, _ in TABS:
            if self.closing:
                return
            await self._build(tab)

    def _fill(self, tab: str, what: str, fill: Callable[[], None]) -> None:
        """Show what the loader read on a tab: at once if its pane is built, else as soon as it is (the latest of
        each `what` only)."""
        if tab in self.built:
            fill()
        else:
            self.waiting.setdefault(tab, {})[what] = fill

    def on_mount(self) -> None:
        self.action_refresh()

    def on_unmount(self) -> None:
        self.side_reads.close()  # the helper process, if one was started, stops with the interface

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
                break
            except (SQLAlchemyError, DatabaseError) as exc:  # the database went away: say so, keep the app up
                if attempt == 1 and is_lost_connection(exc):
                    continue  # the pool dropped the dead connection: read again on a new one
                message = explain_failure(exc) or f"cannot read the database: {clean(mask(str(exc).splitlines()[0]))}"
                self.call_from_thread(self.notify, message, title="Database", severity="error", markup=False)
                break
        if len(self.building) < len(TABS):
            self.call_from_thread(self.run_worker, self._build_the_rest, name="build", group="build")

    def _read_everything(self) -> None:
        """The Workers rows first, then what the first tab shows, then the rest, each tab as soon as its part is read
        (or kept for a tab not opened yet)."""
        today = self.today
        # Reads of every month stored: begun now in a second process when the history is long, answered at the end
        from ecf.services.census import reminder_line  # the census code: loaded here, off the first screen's path

        census_ahead = self.side_reads.start(self.ecf, reminder_line, today)
        trend_ahead = self.side_reads.start(self.ecf, indicator_trend, None, today)
        if not self.states:  # the first read: the rows from a narrow read of their facts while the full one goes on
            first = in_post_facts(self.ecf, as_of=today)
            if first is not None:
                self._send("workforce", "show", self._show_workers, prepare_facts(first))
        states = current_workers(self.ecf, as_of=today)  # the same snapshot as every other tab
        shown = prepare_workers(states)  # the rows first: the table can be looked at while the rest is worked out
        self._send("workforce", "show", self._show_workers, shown)
        self._send("workforce", "show", self._show_workers, searchable(shown))
        self.call_from_thread(self._show_imports, states, list_imports(self.ecf))
        progress = assess_workforce(self.ecf, today)  # once, for the dashboard and the milestones
        glance = at_a_glance(self.ecf, today, progress)  # the first tab; its trend reads every snapshot: it comes last
        self._send("dashboard", "show", self._show_dashboard, glance, True)
        self._send("milestones", "show", self._show_milestones, prepare_milestones(progress))
        self._send("workforce", "show", self._show_workers, prepare_progress(progress, shown))
        everyone, cohorts = intake_cohorts(self.ecf, today)  # leavers too: retention needs them
        self._send("cohorts", "show", self._show_cohorts, prepare_cohorts(cohorts, everyone))
        self._send("changes", "show", self._show_changes, changes_since(self.ecf))  # two snapshots compared
        line = census_ahead.answer(self._abandoned)  # the census return due this autumn, from September
        if line is not None:
            self._send("dashboard", "census", self._show_census, line)
        found = trend_ahead.answer(self._abandoned)
        if found is not None:
            self._send("dashboard", "show", self._show_dashboard, with_trend(self.ecf, glance, found), False)

    def _abandoned(self) -> bool:
        return self.closing or get_current_worker().is_cancelled

    def _send(self, tab: str, what: str, show: Callable[..., None], *found: object) -> None:
        """From the loader's thread: show what it found on a tab (see _fill)."""
        self.call_from_thread(self._fill, tab, what, partial(show, *found))

    def _show_workers(self, prepared: PreparedWorkers) -> None:
        self.query_one(WorkforcePane).show(prepared)

    def _show_dashboard(self, found: Dashboard, trend_coming: bool) -> None:
        self.query_one(DashboardPane).show(found, trend_coming)

    def _show_census(self, line: str) -> None:
        self.query_one(DashboardPane).show_census(line)

    def _show_milestones(self, prepared: PreparedMilestones) -> None:
        self.query_one(MilestonesPane).show(prepared)

    def _show_cohorts(self, prepared: PreparedCohorts) -> None:
        self.query_one(CohortsPane).show(prepared)

    def _show_imports(self, states: list[WorkerState], imports: list[ImportInfo]) -> None:
        active = [i for i in imports if i.active]
        latest = human(max((i.as_of for i in active), default=None)) or "none yet"
        self.sub_title = f"Latest snapshot: {latest} · In post: {len(states)} · Imports: {len(imports)}"
        self.states = states
        self._fill("imports", "show", lambda: self.query_one(HistoryPane).show(imports))

    def _show_changes(self, changes: list[Change]) -> None:
        rows = [(c.employee_id, c.name, human(c.kind), c.detail) for c in changes]
        self.query_one("#change-list", VirtualTable).set_rows(rows)

    @on(VirtualTable.RowSelected, "#workers")
    def _open_worker(self, event: VirtualTable.RowSelected) -> None:
        from ecf.panes.worker import WorkerScreen  # with the pay model (pandas): loaded when a worker is opened

        self.push_screen(WorkerScreen(self.ecf, event.cells[0]))

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    async def _focus_tab(self, event: TabbedContent.TabActivated) -> None:
        """A tab's pane is built the first time it is opened; each tab's main widget takes the keys, so typing on the
        Import tab goes into the path, not to a shortcut."""
        await self._build(event.pane.id or "")
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
        from ecf.panes.census import CensusScreen

        self.push_screen(CensusScreen(self.ecf, self.today))

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_export(self) -> None:
        """The finance workbook for the Projection tab's choices (baseline, 5 years until changed there)."""
        await self._build("projection")
        from ecf.panes.projection import ProjectionPane

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
