"""The mapping of a file's columns, to check and change with a drop-down per column and save as a named profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from importers.fields import FIELDS, normalise_header
from importers.mapping import MappingProfile, ProfileError
from importers.profiles.model import IGNORE, ColumnSpec, parse_profile
from importers.profiles.suggest import Draft

NOT_USED = IGNORE
FIELD_CHOICES: list[tuple[str, str]] = [("(not used)", NOT_USED)] + [(f"{f.label} ({f.name})", f.name) for f in FIELDS]


@dataclass
class Row:
    """One column of the file on the screen: its header, the field chosen, what the draft said, sample values."""

    header: str
    field: str
    spec: ColumnSpec | None
    note: str
    samples: str


def rows_for(draft: Draft, base: MappingProfile | None) -> list[Row]:
    """The drop-downs' first values: the chosen profile's mapping where it has one, else the draft's sure lines. An
    unsure line starts as not used, with the guess beside it for the person to take or leave."""
    specs = base.column_specs() if base is not None else {}
    ignored = {normalise_header(h) for h in base.ignore} if base is not None else set()
    rows = []
    for line in draft.lines:
        key = normalise_header(line.header)
        spec = specs.get(key)
        if key in ignored or (spec is not None and spec.ignored):
            rows.append(Row(line.header, NOT_USED, None, "not used in the profile", ", ".join(line.samples)))
        elif spec is not None:
            rows.append(Row(line.header, spec.targets[0], spec, "from the profile", ", ".join(line.samples)))
        else:
            chosen = line.fields[0] if line.certain and line.fields else NOT_USED
            guess = "" if line.certain else f"? {', '.join(line.fields) or 'not used'}: "
            kept = line.spec if line.certain else None
            rows.append(Row(line.header, chosen, kept, guess + line.reason, ", ".join(line.samples)))
    return rows


def profile_from_rows(name: str, rows: list[Row], base: MappingProfile | None) -> MappingProfile:
    """A profile of the chosen fields; a column left as the draft or profile had it keeps its options (value maps,
    units, date order), and the base profile's settings (absent fields, constants, dates, header row) carry over."""
    columns: dict[str, object] = {}
    for row in rows:
        if row.field == NOT_USED:
            columns[row.header] = NOT_USED
        elif row.spec is not None and row.spec.targets[0] == row.field:
            columns[row.header] = row.spec.model_dump(exclude_defaults=True)
        else:
            columns[row.header] = row.field
    data: dict[str, object] = {"name": name, "description": "Saved from the Import tab", "columns": columns}
    if base is not None:
        kept = base.model_dump(
            exclude_defaults=True,
            include={"sheet", "header_row", "hours_per_week", "dates", "join", "constants", "absent", "values"},
        )
        data.update(kept)
    return parse_profile(data, f"profile '{name}'")


class MappingScreen(ModalScreen[MappingProfile | None]):
    """Header → field, with sample values; change a field with its drop-down; Save stores it as a named profile."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, file_name: str, rows: list[Row], base: MappingProfile | None, name: str) -> None:
        super().__init__()
        self.file_name, self.rows, self.base, self.default_name = file_name, rows, base, name

    def compose(self) -> ComposeResult:
        with Vertical(id="mapping-dialog"):
            yield Static(f"Columns of {self.file_name}: choose each one's field, then save as a profile.")
            with VerticalScroll(id="mapping-rows"):
                for index, row in enumerate(self.rows):
                    with Horizontal(classes="mapping-row"):
                        yield Label(row.header, classes="mapping-header")
                        yield Select(FIELD_CHOICES, value=row.field, allow_blank=False, compact=True,
                                     id=f"mapping-{index}", classes="mapping-field")  # fmt: skip
                        yield Label(_note(row), classes="mapping-note")
            with Horizontal(id="mapping-actions"):
                yield Input(value=self.default_name, placeholder="Profile name", id="mapping-name")
                yield Button("Save and check", variant="primary", id="mapping-save")
                yield Button("Cancel", id="mapping-cancel")
            yield Static("", id="mapping-status")

    @on(Select.Changed, ".mapping-field")
    def _changed(self, event: Select.Changed) -> None:
        index = int(str(event.select.id).removeprefix("mapping-"))
        self.rows[index].field = str(event.value)

    @on(Button.Pressed, "#mapping-save")
    @on(Input.Submitted, "#mapping-name")
    def _save(self) -> None:
        name = self.query_one("#mapping-name", Input).value.strip()
        if not name:
            self.query_one("#mapping-status", Static).update("Give the profile a name.")
            return
        try:
            profile = profile_from_rows(name, self.rows, self.base)
        except ProfileError as exc:  # the same field chosen twice, and so on
            self.query_one("#mapping-status", Static).update(str(exc))
            return
        self.dismiss(profile)

    @on(Button.Pressed, "#mapping-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _note(row: Row) -> str:
    samples = f" e.g. {row.samples}" if row.samples else ""
    return f"{row.note}{samples}"
