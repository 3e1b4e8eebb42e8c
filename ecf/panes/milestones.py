"""Milestones: what is due or overdue, by team and manager; Enter records one as done (an event later HR imports
never overwrite)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from ecf.cli.common import parse_day
from ecf.cli.output import human
from ecf.progression.facts import MilestoneStatus
from ecf.services import progression as service
from ecf.services.context import App as EcfApp

COLUMNS = ("Employee ID", "Name", "Team", "Manager", "Milestone", "Due", "Status", "How the date was worked out")


class RecordDialog(ModalScreen[date | None]):
    """Ask for the date a milestone was done."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="record-dialog"):
            yield Label(f"Record as done: {self.what}")
            today: date = self.app.today  # type: ignore[attr-defined]
            yield Input(value=today.strftime("%d/%m/%Y"), placeholder="dd/mm/yyyy", id="record-date")
            yield Static("", id="record-error")
            with Horizontal():
                yield Button("Record", variant="primary", id="record-ok")
                yield Button("Cancel", id="record-cancel")

    @on(Button.Pressed, "#record-ok")
    @on(Input.Submitted, "#record-date")
    def _done(self) -> None:
        text = self.query_one("#record-date", Input).value
        try:
            self.dismiss(parse_day(text))
        except Exception:  # typer.BadParameter: shown here, the dialog stays open
            self.query_one("#record-error", Static).update(f"'{text}' is not a date: use dd/mm/yyyy")

    @on(Button.Pressed, "#record-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class MilestonesPane(Vertical):
    def __init__(self, ecf: EcfApp, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf
        self.rows: list[service.MilestoneRow] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter by team, manager, name or milestone…", id="milestone-filter")
        yield DataTable(id="milestone-list", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#milestone-list", DataTable).add_columns(*COLUMNS)

    def refresh_data(self, as_of: date | None = None) -> None:
        today: date = self.app.today  # type: ignore[attr-defined]
        self.show(service.assess_workforce(self.ecf, as_of or today))

    def show(self, progress: service.Progress) -> None:
        self.rows = service.milestone_rows(progress, [MilestoneStatus.OVERDUE, MilestoneStatus.DUE])
        self._show(self.query_one("#milestone-filter", Input).value)

    def _show(self, text: str) -> None:
        table = self.query_one("#milestone-list", DataTable)
        table.clear()
        needle = text.strip().lower()
        for index, row in enumerate(self.rows):
            name = " ".join(p for p in (row.forename, row.surname) if p)
            cells = (row.employee_id, name, row.team or "", row.line_manager or "", row.milestone.name,
                     human(row.milestone.due_date), row.milestone.status.value, row.milestone.explanation)  # fmt: skip
            if not needle or any(needle in cell.lower() for cell in cells[:5]):
                table.add_row(*cells, key=str(index))

    @on(Input.Changed, "#milestone-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(DataTable.RowSelected, "#milestone-list")
    def _record(self, event: DataTable.RowSelected) -> None:
        row = self.rows[int(str(event.row_key.value))]
        what = f"{row.milestone.name} for {row.employee_id}"

        def store(done: date | None) -> None:
            if done is None:
                return
            try:
                service.record_milestone(
                    self.ecf, row.employee_id, f"{row.milestone.framework}.{row.milestone.key}", done,
                    recorded_at=datetime.now(UTC),
                )  # fmt: skip
            except (service.BadRecord, service.UnknownWorker) as exc:
                self.app.notify(str(exc), title="Not recorded", severity="error")
                return
            self.app.notify(f"{what}: done {human(done)}", title="Recorded")
            self.refresh_data()

        self.app.push_screen(RecordDialog(what), store)
