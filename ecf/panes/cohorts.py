"""Cohorts: intakes by the academic year of their ASYE/ECDP start, with progress and retention so far; Enter on an
intake lists its members and where each one is now."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ecf.domain.worker import WorkerRecord
from ecf.presentation.text import plain
from ecf.progression.cohorts import Cohort
from ecf.progression.facts import STAGE_LABELS, Stage
from ecf.services.progression import Progress


def share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


NAME_WIDTH = 30  # a 46-character surname is cut here (the worker screen shows it whole)


def shorten(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Prepared:
    """The intakes, with each worker's stage now and record (for an intake's members): built off the screen's thread
    (a dictionary of the whole workforce)."""

    cohorts: list[Cohort]
    stage_of: dict[str, str]
    who: dict[str, WorkerRecord]  # names and teams


def prepare(cohorts: list[Cohort], progress: Progress) -> Prepared:
    stage_of = {w.state.record.employee_id: STAGE_LABELS[w.assessment.stage] for w in progress.workers}
    return Prepared(cohorts, stage_of, {w.state.record.employee_id: w.state.record for w in progress.workers})


class CohortsPane(Vertical):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.cohorts: list[Cohort] = []
        self.stage_of: dict[str, str] = {}
        self.who: dict[str, WorkerRecord] = {}

    def compose(self) -> ComposeResult:
        # The columns go in as the tables are made, not on mount: a pane built while the app is closing may find
        # its children gone by the time its mount handler runs.
        yield Static("Working out the intakes…", id="cohorts-status")
        intakes: DataTable[str] = DataTable(id="cohort-list", cursor_type="row", zebra_stripes=True)
        intakes.add_columns(
            "Intake", "Size", "In post", "Progress", "Kept 12m", "Kept 24m", "Kept 36m", "ASYE", "ECF year 2",
            "ECF years 3-5", "Passed", "Failed", "Overdue",
        )  # fmt: skip
        yield intakes
        yield Static("", id="cohort-title")
        members: DataTable[str] = DataTable(id="cohort-members", cursor_type="row", zebra_stripes=True)
        members.add_columns("ID", "Name", "Team", "Stage now")
        yield members

    def show(self, prepared: Prepared) -> None:
        self.cohorts = cohorts = prepared.cohorts
        self.stage_of, self.who = prepared.stage_of, prepared.who
        table = self.query_one("#cohort-list", DataTable)
        table.clear()
        for index, c in enumerate(cohorts):
            retention = [f"{share(r.rate)} of {r.reached}" if r.reached else "" for r in c.retention]
            table.add_row(
                c.intake, str(c.size), str(c.in_post), share(c.progress), *retention,  # what 80 columns show
                str(c.stages.get(Stage.ASYE, 0)), str(c.stages.get(Stage.ECF_YEAR_2, 0)),
                str(c.stages.get(Stage.ECF_YEARS_3_5, 0)), str(c.outcomes.get("passed", 0)),
                str(c.outcomes.get("failed", 0)), str(c.overdue), key=str(index),
            )  # fmt: skip
        self.query_one("#cohorts-status", Static).update(
            f"{len(cohorts)} intakes (academic years of the ASYE/ECDP start). Enter lists an intake's members."
        )

    @on(DataTable.RowSelected, "#cohort-list")
    def _members(self, event: DataTable.RowSelected) -> None:
        cohort = self.cohorts[int(str(event.row_key.value))]
        self.query_one("#cohort-title", Static).update(f"Intake {cohort.intake}: {cohort.size} workers")
        members = self.query_one("#cohort-members", DataTable)
        members.clear()
        for employee_id in cohort.members:
            record = self.who.get(employee_id)
            name = record.name if record else ""
            team = (record.team or "") if record else ""
            members.add_row(employee_id, plain(shorten(name)), plain(shorten(team)),
                            self.stage_of.get(employee_id, "left"))  # fmt: skip
