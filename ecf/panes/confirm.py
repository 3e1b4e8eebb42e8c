"""A yes/no question before a change that is easy to regret (storing a month that loses many workers, undoing an
import)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    #confirm-dialog { width: 70; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    #confirm-dialog Horizontal { height: 3; }
    """
    BINDINGS = [("escape", "cancel", "Cancel")]  # noqa: RUF012 - Textual's own convention

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question, id="confirm-question")
            with Horizontal():
                yield Button(self.yes, variant="warning", id="confirm-yes")
                yield Button("Cancel", id="confirm-no")

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)
