"""History: every import and correction with its kind and status; undo the selected one (its month falls back to
what it was before it) or restore it (it becomes the month's snapshot again). Nothing is deleted."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from ecf.panes.confirm import ConfirmDialog
from ecf.presentation.formats import human
from ecf.presentation.text import plain
from ecf.services.context import App as EcfApp
from ecf.services.lifecycle import LifecycleError, LifecycleResult, restore, undo
from ecf.storage.repository import ImportInfo

# the status beside the snapshot, where an 80-column window shows it
COLUMNS = ("#", "File", "Snapshot", "Status", "Rows", "Accepted", "Rejected", "Warnings", "Imported")


def status_text(info: ImportInfo, by_id: dict[int, ImportInfo]) -> str:
    status = f"superseded by #{info.superseded_by}" if info.status == "superseded" else info.status
    if info.base_id is None:
        return status
    base = by_id.get(info.base_id)
    if info.active and base is not None and not base.active:
        status = "inactive"
    return f"{status}, correction of #{info.base_id}"


class HistoryPane(Vertical):
    DEFAULT_CSS = """
    HistoryPane #import-list { height: 1fr; }
    #history-buttons { height: 3; }
    #history-status { padding: 1 1 0 1; }
    """

    def __init__(self, ecf: EcfApp, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ecf = ecf
        self.imports: list[ImportInfo] = []

    def compose(self) -> ComposeResult:
        imports: DataTable[str] = DataTable(id="import-list", zebra_stripes=True, cursor_type="row")
        imports.add_columns(*COLUMNS)  # here, not on mount: a pane built while the app closes may have lost it then
        yield imports
        with Horizontal(id="history-buttons"):
            yield Button("Undo", id="history-undo", tooltip="Withdraw the selected import (ecf imports undo)")
            yield Button("Restore", id="history-restore", tooltip="Make it active again (ecf imports restore)")
            yield Static("", id="history-status")

    def show(self, imports: list[ImportInfo]) -> None:
        self.imports = imports
        by_id = {i.id: i for i in imports}
        table = self.query_one("#import-list", DataTable)
        table.clear()
        for i in imports:
            counts = (str(i.rows_total), str(i.rows_accepted), str(i.rows_rejected), str(i.warnings))
            table.add_row(str(i.id), plain(i.file_name), human(i.as_of), status_text(i, by_id), *counts,
                          human(i.imported_at))  # fmt: skip

    def selected(self) -> ImportInfo | None:
        table = self.query_one("#import-list", DataTable)
        if not self.imports or table.cursor_row is None or not 0 <= table.cursor_row < len(self.imports):
            return None
        return self.imports[table.cursor_row]

    @on(Button.Pressed, "#history-undo")
    def _undo(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        question = (f"Undo #{chosen.id} ({chosen.file_name}, {human(chosen.as_of)})? Its month falls back to what it "
                    "was before it. Nothing is deleted: Restore brings it back.")  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._change("undo", chosen.id)

        self.app.push_screen(ConfirmDialog(question, "Undo"), answered)

    @on(Button.Pressed, "#history-restore")
    def _restore(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._change("restore", chosen.id)

    @work(thread=True, exclusive=True, group="history")
    def _change(self, action: str, import_id: int) -> None:
        try:
            done = (undo if action == "undo" else restore)(self.ecf, import_id)
        except LifecycleError as exc:
            self.app.call_from_thread(self._status, str(exc))
            return
        self.app.call_from_thread(self._status, describe(done))
        self.app.call_from_thread(self.app.action_refresh)  # type: ignore[attr-defined]

    def _status(self, text: str) -> None:
        self.query_one("#history-status", Static).update(plain(text))  # messages may quote a file name: text


def describe(done: LifecycleResult) -> str:
    verb = "Withdrew" if done.action == "undo" else "Restored"
    now = f"now #{done.now_active.id}" if done.now_active else "now none"
    return f"{verb} #{done.target.id}. Snapshot for {human(done.as_of)}: {now}."
