"""Milestones: what is due or overdue, the most overdue first, narrowed by team and manager; Enter records one as done
(an event later HR imports never overwrite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy.exc import DBAPIError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ecf.cli.common import parse_day
from ecf.panes.choices import chosen, narrowed, offer, words
from ecf.panes.table import VirtualTable, measure
from ecf.presentation.formats import human
from ecf.presentation.text import clean, plain
from ecf.progression.facts import MilestoneStatus, Outcome
from ecf.services import progression as service
from ecf.services.admin import require
from ecf.services.connection import explain_failure
from ecf.services.context import App as EcfApp
from ecf.storage.database import DatabaseError

# What is due comes before whose team it is, so an 80-column terminal shows it. The rows are in due-date order (as
# `ecf milestones` lists them), not grouped by team: with the team off screen, a grouping reads as no order at all, and
# the oldest overdue step would sit wherever its team falls. The drop-downs narrow to one team or manager.
COLUMNS = ("ID", "Name", "Milestone", "Due", "Status", "Team", "Manager", "How the date was worked out")
KEY = (0, 1, 2, 3, 4)  # who, which milestone, when and its status: on screen at 80 columns
MILESTONE, STATUS, TEAM, MANAGER = 2, 4, 5, 6
DROP_DOWNS = (("#milestone-team", TEAM), ("#milestone-manager", MANAGER))  # each narrows to one value of its column


def _cells(row: service.MilestoneRow) -> tuple[str, ...]:
    return (row.employee_id, row.name, row.milestone.name, human(row.milestone.due_date), row.milestone.status.value,
            row.team or "", row.line_manager or "", row.milestone.explanation)  # fmt: skip


@dataclass(frozen=True)
class Completion:
    done: date
    outcome: Outcome | None


class RecordDialog(ModalScreen[Completion | None]):
    """Ask for the date a milestone was done and, on the step that ends a programme, its outcome."""

    def __init__(self, what: str, with_outcome: bool = False) -> None:
        super().__init__()
        self.what = what
        self.with_outcome = with_outcome

    def compose(self) -> ComposeResult:
        with Vertical(id="record-dialog"):
            yield Label(plain(f"Record as done: {self.what}"))  # names from the data and rules: text, not markup
            today: date = self.app.today  # type: ignore[attr-defined]
            yield Input(value=today.strftime("%d/%m/%Y"), placeholder="dd/mm/yyyy", id="record-date")
            if self.with_outcome:
                outcomes = [(o.value, o) for o in Outcome]
                yield Select[Outcome](outcomes, prompt="Outcome (not decided yet)", id="record-outcome")
            yield Static("", id="record-error")
            with Horizontal():
                yield Button("Record", variant="primary", id="record-ok")
                yield Button("Cancel", id="record-cancel")

    @on(Button.Pressed, "#record-ok")
    @on(Input.Submitted, "#record-date")
    def _done(self) -> None:
        text = self.query_one("#record-date", Input).value
        try:
            done = parse_day(text)
        except Exception:  # typer.BadParameter: shown here, the dialog stays open
            self.query_one("#record-error", Static).update(f"'{text}' is not a date: use dd/mm/yyyy")
            return
        outcome = None
        if self.with_outcome:
            chosen = self.query_one("#record-outcome", Select).value
            outcome = chosen if isinstance(chosen, Outcome) else None
        self.dismiss(Completion(done, outcome))

    @on(Button.Pressed, "#record-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Prepared:
    """Due and overdue milestones ready for the table: built off the screen's thread (thousands for a national
    workforce)."""

    rows: list[service.MilestoneRow]
    cells: list[tuple[str, ...]]
    widths: list[int]
    search_keys: list[str]
    teams: list[str]
    managers: list[str]


def prepare(progress: service.Progress) -> Prepared:
    rows = service.milestone_rows(progress, [MilestoneStatus.OVERDUE, MilestoneStatus.DUE])  # due date, then ID
    cells = [_cells(row) for row in rows]
    return Prepared(
        rows, cells, measure(COLUMNS, cells), [" ".join((c[0], c[1], c[MILESTONE])).lower() for c in cells],
        sorted({c[TEAM] for c in cells if c[TEAM]}), sorted({c[MANAGER] for c in cells if c[MANAGER]}),
    )  # fmt: skip


class MilestonesPane(Vertical):
    """Due and overdue milestones by due date (the most overdue first); narrowed by team, manager and text."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "to_table", "To the table", show=False)]

    def __init__(self, ecf: EcfApp, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf
        self.rows: list[service.MilestoneRow] = []
        self.search_keys: list[str] = []
        self.columns_of: dict[int, list[str]] = {TEAM: [], MANAGER: []}

    def compose(self) -> ComposeResult:
        with Horizontal(id="milestone-choices"):
            yield Input(placeholder="Filter by name, ID or milestone…", id="milestone-filter")
            yield Select[str]([], prompt="Any team", id="milestone-team")
            yield Select[str]([], prompt="Any manager", id="milestone-manager")
        yield Static("Working out milestones…", id="milestone-count")
        yield VirtualTable(COLUMNS, keep=KEY, atomic=(0, 3, 4), id="milestone-list")

    def show(self, prepared: Prepared) -> None:
        self.rows = prepared.rows
        self.search_keys = prepared.search_keys
        self.columns_of = {c: [cells[c] for cells in prepared.cells] for c in (TEAM, MANAGER)}
        self.query_one("#milestone-list", VirtualTable).set_rows(prepared.cells, prepared.widths)
        offer(self.query_one("#milestone-team", Select), prepared.teams)
        offer(self.query_one("#milestone-manager", Select), prepared.managers)
        self._show()

    def _show(self) -> None:
        table = self.query_one("#milestone-list", VirtualTable)
        picked = chosen((self.query_one(i, Select), self.columns_of[c]) for i, c in DROP_DOWNS)
        found = narrowed(self.search_keys, words(self.query_one("#milestone-filter", Input).value), picked)
        table.show(found)
        overdue = sum(1 for i in found if table.rows[i][STATUS] == MilestoneStatus.OVERDUE.value)
        self.query_one("#milestone-count", Static).update(
            f"{len(found):,} milestones due or overdue ({overdue:,} overdue) · Enter records one as done"
        )

    @on(Input.Changed, "#milestone-filter")
    @on(Select.Changed)
    def _filter(self) -> None:
        self._show()

    @on(Input.Submitted, "#milestone-filter")
    def action_to_table(self) -> None:
        """Enter (or Down) in the filter goes to the milestones, where Enter records one."""
        self.query_one("#milestone-list", VirtualTable).focus()

    @on(VirtualTable.RowSelected, "#milestone-list")
    def _record(self, event: VirtualTable.RowSelected) -> None:
        row = self.rows[event.index]
        what = f"{row.milestone.name} for {row.employee_id}"

        def store(completion: Completion | None) -> None:
            if completion is None:
                return
            try:
                require(self.ecf, "record")
                service.record_milestone(
                    self.ecf, row.employee_id, f"{row.milestone.framework}.{row.milestone.key}", completion.done,
                    recorded_at=datetime.now(UTC), outcome=completion.outcome,
                )  # fmt: skip
            except (service.BadRecord, service.UnknownWorker, DatabaseError) as exc:
                self.app.notify(clean(exc), title="Not recorded", severity="error", markup=False)
                return
            except DBAPIError as exc:
                self.app.notify(explain_failure(exc) or "the database refused it", title="Not recorded",
                                severity="error")  # fmt: skip
                return
            outcome = f" ({completion.outcome.value})" if completion.outcome else ""
            self.app.notify(clean(f"{what}: done {human(completion.done)}{outcome}"), title="Recorded", markup=False)
            self.app.action_refresh()  # type: ignore[attr-defined]  # every tab, off the screen's thread

        self.app.push_screen(RecordDialog(what, with_outcome=row.ends_programme), store)
