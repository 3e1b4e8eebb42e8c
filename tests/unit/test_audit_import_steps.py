"""Issue #14 items 8 and 11: the apprentice flag and the tracked programme steps, from the HR sheet to the figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ecf.domain.worker import AsyeStatus, ContractType, WorkerRecord
from ecf.progression.engine import Engine
from ecf.progression.facts import MilestoneStatus, Stage, WorkerFacts
from ecf.rules.loader import RulesError, load_rulebook
from importers.mapping import map_columns
from importers.readers import RawTable
from importers.validation import ValidatedFile, validate_table
from payscales.calibration import Calibration
from payscales.loader import load_paybook
from payscales.projection import project
from payscales.worker_columns import PayFacts

AS_OF = date(2026, 10, 31)
BASE = {
    "Employee ID": "4512", "Date qualified": "30/06/2025", "Start date": "01/09/2025", "FTE": "1",
    "Contract type": "Permanent", "ASYE start date": "08/09/2025", "ASYE status": "In progress",
}  # fmt: skip


def validate(**cells: str) -> ValidatedFile:
    values = {**BASE, **cells}
    headers = list(values)
    table = RawTable(Path("hr_2026-10-31.csv"), None, 1, headers, [[values[h] for h in headers]], 2)
    return validate_table(table, map_columns(headers, None, "hr_2026-10-31.csv"), AS_OF)


def record_of(result: ValidatedFile) -> WorkerRecord:
    assert len(result.records) == 1, result.issues
    return result.records[0][1]


# --- item 8: apprentices --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Apprentice", "Degree apprentice", "APPRENTICESHIP", "NI category H"])
@pytest.mark.parametrize(("cell", "expected"), [("Yes", True), ("Y", True), ("H", True), ("No", False), ("", None)])
def test_the_apprentice_flag_is_read_under_its_usual_headers(header: str, cell: str, expected: bool | None) -> None:
    assert record_of(validate(**{header: cell})).apprentice is expected


def test_an_apprentice_cell_that_is_not_yes_or_no_is_named() -> None:
    result = validate(Apprentice="maybe")
    issue = next(i for i in result.issues if i.code == "invalid-yes-no")
    assert (issue.row, issue.column, issue.value) == (2, "Apprentice", "maybe")
    assert issue.message == "'maybe' is not yes or no"


BOOK = load_paybook()
NOBODY_LEAVES = Calibration(0.0, 0.0, "test", 0.0, 0.0, 0, 0, "test: no leaving")


def apprentice(point: int, grade: str, flag: bool) -> PayFacts:
    return PayFacts(
        employee_id="000102", team="Child Protection", grade=grade, point=point, fte=Decimal(1),
        contract_type=ContractType.PERMANENT, role="Social Worker", start_date=date(2024, 9, 1), leaving_date=None,
        stages=((date(2025, 4, 30), Stage.NOT_EARLY_CAREER),), apprentice=flag,
    )  # fmt: skip


def test_an_apprentice_under_25_pays_no_employer_ni_up_to_4189_a_month() -> None:
    """HMRC rates and thresholds for employers (category H): no employer NI up to the apprentice upper secondary
    threshold, £50,270 a year = £4,189 a month. SCP 24 2025/26 = £35,412 -> £2,951.00 a month: apprentice £0.00
    (otherwise 15% x (2,951.00 - 417) = £380.10). SCP 43 2025/26 = £54,495 -> £4,541.25: 15% x (4,541.25 - 4,189)
    = £52.8375 -> £52.84 (otherwise 15% x 4,124.25 = £618.6375 -> £618.64)."""

    def ni(point: int, grade: str, flag: bool) -> float:
        result = project([apprentice(point, grade, flag)], BOOK, BOOK.scenarios["baseline"], date(2025, 4, 30), 1,
                         NOBODY_LEAVES)  # fmt: skip
        return float(result.totals("month")["employer_ni"].iloc[0])

    assert (ni(24, "NQSW", True), ni(24, "NQSW", False)) == (0.0, 380.10)
    assert (ni(43, "TM", True), ni(43, "TM", False)) == (52.84, 618.64)


# --- item 11: tracked steps -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Support agreement", "support_agreement_date"),
        ("Support and assessment agreement", "support_agreement_date"),
        ("ECF year 2 assessment", "ecf_year_two_assessment"),
        ("Year 3 review", "ecf_year_three_review"),
        ("ECF year 4 review", "ecf_year_four_review"),
        ("ECF year 5 assessment", "ecf_year_five_assessment"),
    ],
)
def test_each_programme_step_has_an_import_column(header: str, field: str) -> None:
    assert getattr(record_of(validate(**{header: "01/10/2025"})), field) == date(2025, 10, 1)


def worker(**overrides: Any) -> WorkerRecord:
    values: dict[str, Any] = {
        "employee_id": "000101", "date_qualified": date(2025, 7, 1), "start_date": date(2025, 9, 1),
        "fte": Decimal(1), "contract_type": ContractType.PERMANENT, "swe_number": "SW123456",
        "asye_start_date": date(2025, 9, 15), "asye_status": AsyeStatus.IN_PROGRESS,
    }  # fmt: skip
    values.update(overrides)
    return WorkerRecord(**values)


def agreement(engine: Engine, **overrides: Any) -> Any:
    result = engine.assess(WorkerFacts(worker(**overrides)), date(2025, 11, 30))
    return next(m for m in result.milestones if m.key == "support_agreement")


def test_the_support_agreement_is_done_when_the_sheet_gives_its_date() -> None:
    """Skills for Care RSPA: the support and assessment agreement in about the first month (asye.toml: start + 1
    month = 15/10/2025). Held 29/09/2025 (the new column): complete on that date. Without the column and no review
    yet, on 30/11/2025 it is overdue: the noise the issue describes."""
    engine = Engine(load_rulebook())
    held = agreement(engine, support_agreement_date=date(2025, 9, 29))
    assert (held.status, held.completed_date, held.completed_source) == (
        MilestoneStatus.COMPLETE,
        date(2025, 9, 29),
        "import",
    )
    assert agreement(engine).status is MilestoneStatus.OVERDUE


def test_an_untracked_step_is_never_overdue() -> None:
    """The council's rules mark the agreement `tracked = false` ([council.tracked] "asye.support_agreement" = false,
    or `tracked = false` on the milestone in a rule file): due 15/10/2025, on 30/11/2025 it is not overdue but
    shown as not tracked. A name that is no milestone is refused."""
    engine = Engine(load_rulebook('[council.tracked]\n"asye.support_agreement" = false\n'))
    step = agreement(engine)
    assert step.status is MilestoneStatus.NOT_APPLICABLE
    assert step.explanation == (
        "not tracked by the council (tracked = false); due ASYE start 15/09/2025 + 1 month = 15/10/2025"
    )
    with pytest.raises(RulesError, match=r"council\.tracked: 'asye\.support' is not a milestone"):
        load_rulebook('[council.tracked]\n"asye.support" = false\n')
