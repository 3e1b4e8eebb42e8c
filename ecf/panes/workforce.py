"""Workers: every worker in post, searched as you type and narrowed by team, stage, contract and milestone status;
sorted by any column; Enter opens the worker.

The facts arrive first (the table is usable at once); stages and milestones follow when the assessment is done. The
table draws only what is on screen, so a keystroke costs the same for 300 workers as for 40,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select, Static

from ecf.domain.worker import ContractType, full_name
from ecf.domain.workforce import EmploymentStatus
from ecf.panes.choices import chosen, narrowed, offer, words
from ecf.panes.table import Row, VirtualTable, measure
from ecf.presentation.formats import human
from ecf.progression.facts import STAGE_LABELS
from ecf.services.progression import Assessed, Progress
from ecf.services.workforce import InPostFacts, WorkerState

# What a workforce lead reads first comes first; the facts behind it follow.
COLUMNS = ("ID", "Name", "Team", "Stage", "Milestones", "Next milestone", "Due",
           "Contract", "Grade", "SCP", "FTE", "Role", "Start", "Status")  # fmt: skip
TEAM, STAGE, MILESTONES, DUE, CONTRACT = 2, 3, 4, 6, 7
NUMBERS = (9, 10)  # SCP and FTE, aligned right
KEY = (0, 1, 2, 3, 5, 6)  # ID, name, team, stage, next milestone and its date: on screen at 80 columns
WHOLE = (0, 6, 12)  # the ID and dates are never shortened
PENDING = "…"  # stage and milestones while the assessment is still being worked out
# the stage cells of a worker with no milestones (no programme): most of a national workforce
NO_MILESTONES = {stage: (label, "none", "", "") for stage, label in STAGE_LABELS.items()}
# facts_row's facts but the status, as in_post_facts names its columns
ROW_FACTS = ("employee_id", "forename", "surname", "team", "contract_type", "grade", "spinal_point", "fte", "role",
             "start_date")  # fmt: skip
# each drop-down narrows the table to one value of its column
CHOICES = {
    "team-choice": (TEAM, "Any team"),
    "stage-choice": (STAGE, "Any stage"),
    "contract-choice": (CONTRACT, "Any contract"),
    "milestone-choice": (MILESTONES, "Any status"),
}


# A workforce shares a few thousand start dates, spine points and FTEs: each is formatted once.
text = lru_cache(maxsize=8192)(human)


def cells(state: WorkerState, item: Assessed | None = None) -> Row:
    """One worker's row; stage and milestones pending until the assessment (`item`) is done."""
    r = state.record
    row = facts_row(r.employee_id, r.forename, r.surname, r.team, r.contract_type, r.grade, r.spinal_point, r.fte,
                    r.role, r.start_date, state.status)  # fmt: skip
    return row if item is None else (*row[:STAGE], *progress_cells(item), *row[DUE + 1 :])


def facts_row(
    employee_id: str, forename: str | None, surname: str | None, team: str | None, contract_type: ContractType,
    grade: str | None, spinal_point: int | None, fte: Decimal, role: str | None, start_date: date,
    status: EmploymentStatus,
) -> Row:  # fmt: skip
    """A row of facts, stage and milestones pending: from a worker's record (cells) or from the facts read narrowly
    (prepare_facts), the same row either way."""
    return (employee_id, full_name(forename, surname), team or "", PENDING, PENDING, PENDING, PENDING,
            text(contract_type), grade or "", text(spinal_point), text(fte), role or "", text(start_date),
            text(status))  # fmt: skip


def progress_cells(item: Assessed) -> tuple[str, str, str, str]:
    assessment = item.assessment
    if not assessment.milestones:
        return NO_MILESTONES[assessment.stage]
    upcoming = assessment.next_milestone
    status = assessment.milestone_status
    return (STAGE_LABELS[assessment.stage], text(status) if status else "none",
            upcoming.name if upcoming else "", text(upcoming.due_date) if upcoming else "")  # fmt: skip


@dataclass(frozen=True)
class Search:
    """What searching and narrowing the rows needs."""

    keys: list[str]
    columns_of: dict[int, list[str]]  # column → each row's value, for the drop-downs
    choices: dict[int, list[str]]  # column → the values the drop-down offers


@dataclass(frozen=True)
class Prepared:
    """The table's rows, built off the screen's thread, with what searching them needs (None while it is still being
    worked out: the rows are shown first)."""

    rows: list[Row]
    widths: list[int]
    search: Search | None = None
    states: list[WorkerState] | None = None  # whose facts the rows show, in order (see prepare_progress)


def searchable(prepared: Prepared) -> Prepared:
    rows = prepared.rows
    columns_of = {column: [row[column] for row in rows] for column, _ in CHOICES.values()}
    choices = {column: sorted({v for v in values if v and v != PENDING}) for column, values in columns_of.items()}
    search = Search([" ".join(row).lower() for row in rows], columns_of, choices)
    return Prepared(rows, prepared.widths, search, prepared.states)


def prepare_workers(states: list[WorkerState]) -> Prepared:
    """The facts as imported, without the search (`searchable` adds it); stages and milestones show as pending until
    the assessment is done."""
    rows = [cells(state) for state in states]
    return Prepared(rows, measure(COLUMNS, rows), states=states)


def prepare_facts(found: InPostFacts) -> Prepared:
    """The rows from the facts read narrowly (in_post_facts): the same rows prepare_workers makes from the workers'
    records, for the table to show while those are read. Without the states: prepare_progress builds its rows from
    the records when the assessment is done."""
    columns = found.columns
    facts = (columns[name] for name in ROW_FACTS)
    rows = list(map(facts_row, *facts, found.status))
    return Prepared(rows, measure(COLUMNS, rows))


def prepare_progress(progress: Progress, facts: Prepared | None = None) -> Prepared:
    """The rows with stages and milestones, searchable. A worker whose facts were shown already (`facts`, from the
    same read) keeps its row's facts; only the four assessed cells are new."""
    shown: dict[int, Row] = {}
    if facts is not None and facts.states is not None:
        # by the state object itself: the assessment reads the same remembered states, and a state read afresh
        # (the data changed in between) is a new object, so its row is built again
        shown = {id(state): row for state, row in zip(facts.states, facts.rows, strict=True)}
    rows, reused = [], 0
    for item in progress.workers:
        row = shown.get(id(item.state))
        if row is None:
            rows.append(cells(item.state, item))
        else:
            rows.append((*row[:STAGE], *progress_cells(item), *row[DUE + 1 :]))
            reused += 1
    if facts is not None and reused == len(facts.rows) == len(rows):  # the same workers: their facts' widths hold
        widths = [*facts.widths[:STAGE], *measure(COLUMNS[STAGE : DUE + 1], [r[STAGE : DUE + 1] for r in rows]),
                  *facts.widths[DUE + 1 :]]  # fmt: skip
    else:
        widths = measure(COLUMNS, rows)
    return searchable(Prepared(rows, widths))


class WorkforcePane(Vertical):
    # Down from the search (which has no use for it) goes to the table; the drop-downs and the table keep theirs.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "to_table", "To the table", show=False)]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.search_keys: list[str] = []
        self.columns_of: dict[int, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search by name or ID (or any text in the row)…", id="filter")
        with Horizontal(id="workforce-choices"):
            for select_id, (_, prompt) in CHOICES.items():
                yield Select[str]([], prompt=prompt, id=select_id)
        yield Static(id="workforce-count")
        yield VirtualTable(COLUMNS, right=NUMBERS, keep=KEY, atomic=WHOLE, id="workers")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#workers", VirtualTable)

    def show(self, prepared: Prepared) -> None:
        table = self.table
        if prepared.search is None:  # the rows before their search: to look at while it is worked out
            if not table.rows and table.sorted_by is None:  # (a refresh keeps the rows, sorted, until it arrives)
                table.set_rows(prepared.rows, prepared.widths)
                self._count(len(prepared.rows), len(prepared.rows))
            return
        sorted_by = table.sorted_by
        table.set_rows(prepared.rows, prepared.widths)
        self.search_keys, self.columns_of = prepared.search.keys, prepared.search.columns_of
        if sorted_by is not None:
            self._sort(*sorted_by)
        for select_id, (column, _) in CHOICES.items():
            offer(self.query_one(f"#{select_id}", Select), prepared.search.choices[column])
        self.apply()

    def _sort(self, column: int, descending: bool) -> None:
        """Sort every worker (not just those shown) by one column; the search follows the new order."""
        order = self.table.sort(column, descending)
        if len(self.search_keys) != len(order):
            return  # the rows are shown before their search: the table keeps the order and sorts what arrives
        self.search_keys = [self.search_keys[i] for i in order]
        self.columns_of = {c: [values[i] for i in order] for c, values in self.columns_of.items()}

    def matches(self) -> Sequence[int]:
        """The rows that pass the search text and every drop-down, in the table's order."""
        picked = chosen((self.query_one(f"#{i}", Select), self.columns_of[c]) for i, (c, _) in CHOICES.items())
        return narrowed(self.search_keys, words(self.query_one("#filter", Input).value), picked)

    def apply(self) -> None:
        if len(self.search_keys) != len(self.table.rows):
            return  # the rows are shown before their search is worked out: it narrows them when it arrives
        found = self.matches()
        self.table.show(found)
        self._count(len(found), len(self.search_keys))

    def _count(self, found: int, total: int) -> None:
        narrowed = f"{found:,} of {total:,} workers match" if found < total else f"{total:,} workers"
        self.query_one("#workforce-count", Static).update(f"{narrowed} · click a heading to sort · Enter opens")

    @on(Input.Changed, "#filter")
    @on(Select.Changed)
    def _narrow(self) -> None:
        self.apply()

    @on(Input.Submitted, "#filter")
    def action_to_table(self) -> None:
        """Enter (or Down) in the search goes to the matches, where Enter opens one."""
        self.table.focus()

    @on(VirtualTable.HeaderSelected, "#workers")
    def _sort_by(self, event: VirtualTable.HeaderSelected) -> None:
        """Click a heading to sort by it; again for the other way round."""
        self._sort(event.column, self.table.sorted_by == (event.column, False))
        self.apply()
