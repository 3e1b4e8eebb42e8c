"""Finance's round trip: export, edit the Assumptions sheet with openpyxl as finance would in Excel, import the edited
columns as stored scenarios; and workbooks that try to break it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SAMPLE
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from sqlalchemy import func, select

from ecf.services import projection as service
from ecf.services import scenarios
from ecf.services.imports import ImportRequest, import_file
from ecf.storage.models import AuditEventRow, StoredScenarioRow
from payscales.calibration import calibrate
from payscales.projection import project

AS_OF = date(2026, 11, 30)
OCTOBER = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"
AT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def export(app: Any, path: Path, *names: str, years: int = 2) -> Path:
    requests = [service.ProjectionRequest(name, years, AS_OF) for name in (names or ("baseline",))]
    return service.export_workbook(app, requests, path, datetime(2026, 11, 29, 9, 0, tzinfo=UTC))


def cells(book: openpyxl.Workbook, name: str) -> tuple[Any, int, list[str]]:
    """The sheet, row and column letters a defined name covers."""
    sheet, ref = next(iter(book.defined_names[name].destinations))
    first, last = ref.replace("$", "").split(":")
    row = int("".join(c for c in first if c.isdigit()))
    letters = [get_column_letter(i) for i in range(column_index_from_string(first.rstrip("0123456789")),
                                                  column_index_from_string(last.rstrip("0123456789")) + 1)]  # fmt: skip
    return book[sheet], row, letters


def put(book: openpyxl.Workbook, name: str, letter: str, value: Any) -> str:
    sheet, row, _ = cells(book, name)
    sheet[f"{letter}{row}"] = value
    return f"{letter}{row}"


def column_of(book: openpyxl.Workbook, scenario: str | None) -> str:
    """The column holding a scenario (None: the first empty one)."""
    sheet, row, letters = cells(book, "ECF_SCENARIO")
    return next(letter for letter in letters if sheet[f"{letter}{row}"].value == scenario)


def tight_workbook(app: Any, tmp_path: Path) -> Path:
    """The exported workbook with a new column `tight`: award 4%, 5 months' vacancy, the rest blank (as baseline)."""
    path = export(app, tmp_path / "projection.xlsx")
    book = openpyxl.load_workbook(path)
    spare = column_of(book, None)
    put(book, "ECF_SCENARIO", spare, "tight")
    put(book, "ECF_BASED_ON", spare, "baseline")
    put(book, "ECF_AWARD", spare, 0.04)
    put(book, "ECF_VACANCY_MONTHS", spare, 5)
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    return edited


def stored_rows(app: Any) -> int:
    with app.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(StoredScenarioRow)).scalar_one()


def test_the_round_trip_stores_the_new_column_and_projects_it_to_the_penny(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    edited = tight_workbook(app, tmp_path)
    results = scenarios.import_scenarios(app, edited, AT)
    assert [(r.name, r.based_on, r.status) for r in results if r.status != "unchanged"] == [
        ("tight", "baseline", "new")
    ]
    assert {r.name for r in results if r.status == "unchanged"} == {"baseline", "retention", "ecf_linked",
                                                                    "agency_reduction"}  # fmt: skip
    assert {(i.key, str(old), str(new)) for i, old, new in results[-1].changes if i.kind != "text"} == {
        ("AWARD", "0.03", "0.04"), ("VACANCY_MONTHS", "3", "5")
    }  # fmt: skip
    # The engine's own run with the same settings, built by hand from the baseline.
    book = service.paybook(app)
    baseline = book.scenarios["baseline"]
    tight = baseline.model_copy(update={
        "id": "tight", "pay_award_assumption": Decimal("0.04"),
        "replacement": baseline.replacement.model_copy(update={"vacancy_months": 5}),
    })  # fmt: skip
    progress = service.assess_workforce(app, AS_OF)
    workers = [service.pay_facts(item, AS_OF) for item in progress.workers]
    staff = [w.state.record for w in progress.workers if w.state.record.contract_type.value != "agency"]
    hazards = calibrate(book.hazards, [(AS_OF - r.start_date).days / 365.25 for r in staff])
    own = project(workers, book, tight, AS_OF, 5, hazards).totals("month", "financial_year")
    stored = service.run_projection(app, service.ProjectionRequest("tight", 5, AS_OF)).totals("month", "financial_year")
    money = ["salary", "employer_ni", "pension", "levy", "agency", "total", "net_total"]
    assert (stored[money].to_numpy() * 100).round().tolist() == (own[money].to_numpy() * 100).round().tolist()
    base = service.run_projection(app, service.ProjectionRequest("baseline", 5, AS_OF)).totals("financial_year")
    assert stored["total"].sum() > base["total"].sum()  # a 4% award and longer agency cover cost more
    with app.engine.connect() as connection:
        events = connection.execute(select(AuditEventRow.action, AuditEventRow.subject)).all()
    assert ("scenario import", "scenario tight") in events
    # Importing the same workbook again changes nothing: the column now matches the stored scenario.
    again = scenarios.import_scenarios(app, edited, AT)
    assert ("tight", "unchanged") in [(r.name, r.status) for r in again]
    assert stored_rows(app) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.filterwarnings("ignore:Unable to read chart:UserWarning")
def test_libreoffice_recalculates_the_imported_scenarios_workbook_to_the_engine_totals(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    scenarios.import_scenarios(app, tight_workbook(app, tmp_path), AT)
    path = export(app, tmp_path / "tight.xlsx", "tight", years=5)
    stripped = tmp_path / "formulas_only.xlsx"
    openpyxl.load_workbook(path).save(stripped)  # formulas kept, cached results dropped
    out = tmp_path / "recalculated"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(stripped)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    summary = openpyxl.load_workbook(out / stripped.name, data_only=True)["Summary"]
    engine = service.run_projection(app, service.ProjectionRequest("tight", 5, AS_OF)).totals("financial_year")
    assert summary["A3"].value.endswith("(tight)")
    total_row = next(r for r in range(4, 20) if summary.cell(r, 1).value == "Total cost")
    for col, record in enumerate(engine.to_dict("records"), start=2):
        assert str(summary.cell(3, col).value).split(" (")[0] == record["financial_year"]  # "2026/27 (Dec–Mar)"
        assert summary.cell(total_row, col).value == pytest.approx(record["total"], abs=0.005)


def hostile(app: Any, tmp_path: Path, edit: Any) -> str:
    """Import a workbook after `edit(book, column)` on a new column: the message, with nothing stored."""
    path = export(app, tmp_path / "projection.xlsx", years=1)
    book = openpyxl.load_workbook(path)
    spare = column_of(book, None)
    put(book, "ECF_SCENARIO", spare, "tight")
    put(book, "ECF_BASED_ON", spare, "baseline")
    edit(book, spare)
    edited = tmp_path / "hostile.xlsx"
    book.save(edited)
    with pytest.raises(scenarios.WorkbookProblem) as caught:
        scenarios.import_scenarios(app, edited, AT)
    assert stored_rows(app) == 0
    return str(caught.value)


def test_text_in_a_rate_cell_is_refused_naming_the_cell(app, tmp_path):
    cell = ""

    def edit(book: Any, letter: str) -> None:
        nonlocal cell
        cell = put(book, "ECF_AWARD", letter, "four per cent")

    message = hostile(app, tmp_path, edit)
    assert (
        f"hostile.xlsx, sheet Assumptions, cell {cell} (Pay award a year after the last known award): "
        "'four per cent' is text, not a number; allowed: a percentage from 0% to 100%" in message
    )


def test_a_deleted_named_cell_is_refused(app, tmp_path):
    def edit(book: Any, letter: str) -> None:
        del book.defined_names["ECF_VACANCY_MONTHS"]

    message = hostile(app, tmp_path, edit)
    assert "the named cell ECF_VACANCY_MONTHS (Vacancy covered by agency before refilling) is missing" in message


def test_a_formula_in_an_input_is_refused(app, tmp_path):
    cell = ""

    def edit(book: Any, letter: str) -> None:
        nonlocal cell
        cell = put(book, "ECF_VACANCY_MONTHS", letter, "=2+3")

    message = hostile(app, tmp_path, edit)
    assert f"cell {cell} (Vacancy covered by agency before refilling): it holds a formula; type the value itself" in (
        message)  # fmt: skip


def test_an_injected_hyperlink_in_a_scenario_name_is_refused(app, tmp_path):
    cell = ""

    def edit(book: Any, letter: str) -> None:
        nonlocal cell
        cell = put(book, "ECF_SCENARIO", letter, '=HYPERLINK("http://evil.example","tight")')

    message = hostile(app, tmp_path, edit)
    assert f"cell {cell} (Scenario name): it holds a formula" in message


def test_a_huge_rate_is_refused(app, tmp_path):
    cell = ""

    def edit(book: Any, letter: str) -> None:
        nonlocal cell
        cell = put(book, "ECF_LGPS", letter, 1e308)

    message = hostile(app, tmp_path, edit)
    assert f"cell {cell} (Employer pension (LGPS)): 1e+308 is out of range; allowed: a percentage from 0% to 100%" in (
        message)  # fmt: skip


def test_one_bad_column_stores_none_of_the_good_ones(app, tmp_path):
    def edit(book: Any, letter: str) -> None:
        other = get_column_letter(column_index_from_string(letter) + 1)
        put(book, "ECF_SCENARIO", other, "fine")
        put(book, "ECF_AWARD", other, 0.05)
        put(book, "ECF_POLICY", letter, "sometimes")

    assert "'sometimes' is not one of the choices; allowed: one of like_for_like, asye_intake, agency" in hostile(
        app, tmp_path, edit)  # fmt: skip


def test_a_scenario_name_that_looks_like_a_formula_is_written_as_text(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    edited = tight_workbook(app, tmp_path)
    book = openpyxl.load_workbook(edited)
    put(book, "ECF_TITLE", column_of(book, "tight"), '=HYPERLINK("http://evil.example","Tight")')
    book["Assumptions"][f"{column_of(book, 'tight')}{cells(book, 'ECF_TITLE')[1]}"].data_type = "s"
    book.save(edited)
    scenarios.import_scenarios(app, edited, AT)
    path = export(app, tmp_path / "again.xlsx", "tight", years=1)
    again = openpyxl.load_workbook(path)
    sheet, row, _ = cells(again, "ECF_TITLE")
    cell = sheet[f"{column_of(again, 'tight')}{row}"]
    assert cell.value == '=HYPERLINK("http://evil.example","Tight")' and cell.data_type == "s"
    assert openpyxl.load_workbook(path)["Summary"]["A3"].data_type == "s"


def test_the_assumptions_sheet_is_protected_with_unlocked_validated_inputs(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    book = openpyxl.load_workbook(export(app, tmp_path / "projection.xlsx", years=1))
    sheet, row, letters = cells(book, "ECF_VACANCY_MONTHS")
    assert sheet.protection.sheet
    assert all(sheet[f"{letter}{row}"].protection.locked is False for letter in letters)
    assert sheet[f"A{row}"].protection.locked is not False  # labels and sources stay as written
    assert sheet[f"{letters[0]}{row}"].value == 3  # baseline: 3 months' agency cover
    rules = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    span = f"{letters[0]}{{}}:{letters[-1]}{{}}"
    assert rules[span.format(row, row)] == ("whole", "0", "24")
    _, award_row, _ = cells(book, "ECF_AWARD")
    assert rules[span.format(award_row, award_row)] == ("decimal", "0.0", "1.0")
    _, policy_row, _ = cells(book, "ECF_POLICY")
    assert rules[span.format(policy_row, policy_row)] == ("list", '"like_for_like,asye_intake,agency"', None)
    names, name_row, _ = cells(book, "ECF_SCENARIO")
    assert [names[f"{letter}{name_row}"].value for letter in letters[:4]] == ["baseline", "agency_reduction",
                                                                             "ecf_linked", "retention"]  # fmt: skip
    assert all(names[f"{letter}{name_row}"].value is None for letter in letters[4:])  # spare columns for new ones


def test_a_named_cell_whose_row_was_deleted_is_refused(app, tmp_path):
    def edit(book: Any, letter: str) -> None:
        book.defined_names["ECF_LGPS"].attr_text = "Assumptions!#REF!"

    assert "the named cell ECF_LGPS (Employer pension (LGPS)) no longer points at a row of cells" in hostile(
        app, tmp_path, edit)  # fmt: skip


def test_scenario_import_from_the_command_line_names_what_changed_and_can_be_undone(db_url, tmp_path):
    from test_cli import ecf

    app = __import__("ecf.services.context", fromlist=["App"]).App.open(db_url)
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    edited = tight_workbook(app, tmp_path)
    app.engine.dispose()
    done = ecf(db_url, "scenario", "import", str(edited), "--name", "tight_budget")
    assert done.returncode == 0, done.stderr
    assert "tight_budget (column I): new, stored as version 1, based on baseline" in done.stdout
    assert "Pay award a year after the last known award: 3% -> 4%" in done.stdout
    assert "Vacancy covered by agency before refilling: 3 -> 5" in done.stdout
    assert "baseline (column E): unchanged" in done.stdout
    listed = ecf(db_url, "scenario", "list", "--format", "csv").stdout
    assert "tight_budget" in listed and "stored v1: imported from edited.xlsx, column I" in listed
    projected = ecf(db_url, "project", "--scenario", "tight_budget", "--years", "1", "--as-of", "30/11/2026")
    assert projected.returncode == 0 and "tight_budget" in projected.stdout
    assert ecf(db_url, "scenario", "delete", "tight_budget").returncode == 0
    gone = ecf(db_url, "project", "--scenario", "tight_budget", "--years", "1")
    assert gone.returncode == 2 and "no scenario 'tight_budget'" in gone.stderr
    assert ecf(db_url, "scenario", "delete", "baseline").returncode == 1  # shipped: not deletable
    assert ecf(db_url, "scenario", "restore", "tight_budget").returncode == 0
    history = ecf(db_url, "scenario", "history", "tight_budget", "--format", "csv").stdout
    assert [line.split(",")[0] for line in history.splitlines()[1:]] == ["1", "2", "3"]
    bad = tmp_path / "bad.xlsx"
    book = openpyxl.load_workbook(edited)
    put(book, "ECF_AWARD", column_of(book, "tight"), "lots")
    book.save(bad)
    refused = ecf(db_url, "scenario", "import", str(bad))
    assert refused.returncode == 1 and "Nothing was stored." in refused.stderr
    assert "cell I8 (Pay award a year after the last known award): 'lots' is text, not a number" in refused.stderr
    not_a_book = tmp_path / "notes.xlsx"
    not_a_book.write_text("hello", encoding="utf-8")
    unreadable = ecf(db_url, "scenario", "import", str(not_a_book))
    assert (
        unreadable.returncode == 1 and "notes.xlsx: cannot read it: not an Excel workbook (.xlsx)" in unreadable.stderr
    )


def test_a_book_recognised_by_its_names_after_the_sheet_is_renamed(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    book = openpyxl.load_workbook(tight_workbook(app, tmp_path))
    book["Assumptions"].title = "Finance view"
    for name in [n for n in book.defined_names if n.startswith("ECF_")]:  # as Excel renames them with the sheet
        book.defined_names[name].attr_text = book.defined_names[name].attr_text.replace("Assumptions!",
                                                                                        "'Finance view'!")  # fmt: skip
    put(book, "ECF_AGENCY_SOCIAL_WORKER", column_of(book, "tight"), "x")
    renamed = tmp_path / "renamed.xlsx"
    book.save(renamed)
    with pytest.raises(scenarios.WorkbookProblem, match=r"renamed.xlsx, sheet Finance view, cell I\d+ \(Agency"):
        scenarios.import_scenarios(app, renamed, AT)
    put(book, "ECF_AGENCY_SOCIAL_WORKER", column_of(book, "tight"), 31.5)
    book.save(renamed)
    results = {r.name: r for r in scenarios.import_scenarios(app, renamed, AT)}
    assert results["tight"].status == "new"
    assert service.paybook(app).scenarios["tight"].agency_rates == {"Social Worker": Decimal("31.5")}


def test_a_workbook_ecf_did_not_write_is_refused(app):
    with pytest.raises(scenarios.WorkbookProblem, match="no ecf assumptions in it"):
        scenarios.import_scenarios(app, OCTOBER, AT)
