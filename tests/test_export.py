"""The finance workbook, opened again: sheets, formats, formulas, values to the penny, and safety."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADERS, SAMPLE, worker, write_xlsx
from sqlalchemy import func, select
from test_cli import ecf

from ecf.services import projection as service
from ecf.services.imports import ImportRequest, import_file
from ecf.storage.models import ImportRow, WorkerSnapshotRow

AS_OF = date(2026, 11, 30)
OCTOBER = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"


def export(app, path: Path, **options):  # type: ignore[no-untyped-def]
    names = ["baseline", *([options.pop("compare")] if "compare" in options else [])]
    requests = [service.ProjectionRequest(name, options.pop("years", 2), AS_OF) for name in names]
    return service.export_workbook(app, requests, path, datetime(2026, 11, 23, 9, 0, tzinfo=UTC), **options)


def test_the_workbook_has_every_sheet_and_its_totals_equal_the_engine(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER))
    path = export(app, tmp_path / "projection.xlsx", compare="retention")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Assumptions", "Summary", "Monthly", "By team", "By grade and stage",
                               "Workers", "Charts"]  # fmt: skip
    summary = book["Summary"]
    assert summary["A3"].value == "Baseline (baseline)"
    assert summary["B5"].value.startswith("=SUMIFS(Monthly!$E$")  # salary, 2026/27: a live formula
    assert summary["B5"].number_format == "£#,##0"
    cached = openpyxl.load_workbook(path, data_only=True)["Summary"]
    engine = service.run_projection(app, service.ProjectionRequest("baseline", 2, AS_OF)).totals("financial_year")
    for col, year in enumerate(engine["financial_year"], start=2):
        assert cached.cell(3, col).value.split(" (")[0] == year  # a part year says its months: 2026/27 (Dec–Mar)
        assert cached.cell(5, col).value == pytest.approx(
            float(engine.loc[engine.financial_year == year, "salary"].iloc[0]), abs=0.005
        )
        assert cached.cell(10, col).value == pytest.approx(
            float(engine.loc[engine.financial_year == year, "total"].iloc[0]), abs=0.005
        )
    monthly = book["Monthly"]
    assert monthly.freeze_panes == "A2" and monthly.auto_filter.ref.startswith("A1:N")
    assert isinstance(monthly["B2"].value, datetime) and monthly["B2"].number_format == "dd/mm/yyyy"
    assert monthly["J2"].value == "=SUM(E2:I2)"
    assert any(str(c.value).startswith("Difference: retention less baseline") for c in summary["A"] if c.value)
    assert len(book["Charts"]._charts) == 3
    workers = book["Workers"]
    assert [c.value for c in workers[1]][:3] == ["Scenario", "Employee ID", "Name"]
    # Every worker here on the as-of date, once per financial year (2026/27 to 2028/29), for each scenario.
    here = len(service.assess_workforce(app, AS_OF).workers)
    assert workers.max_row == 1 + 2 * here * 3
    last = [c.value for c in workers[workers.max_row]]
    assert last[0] == "retention" and last[5] == "2028/29" and isinstance(last[7], float)


def test_names_that_look_like_formulas_stay_text(app, tmp_path):
    rows = [worker("000101", Surname='=HYPERLINK("http://evil.example","click")', Forename="+cmd|' /C calc'!A0"),
            worker("000102", Surname="@SUM(1+1)", Forename="-2+3")]  # fmt: skip
    import_file(app, ImportRequest(write_xlsx(tmp_path / "hr_2026-10-31.xlsx", rows, headers=HEADERS)))
    path = export(app, tmp_path / "projection.xlsx", years=1)
    sheet = openpyxl.load_workbook(path)["Workers"]
    names = {sheet.cell(r, 3).value: sheet.cell(r, 3).data_type for r in range(2, sheet.max_row + 1)}
    assert '+cmd|\' /C calc\'!A0 =HYPERLINK("http://evil.example","click")' in names
    assert set(names.values()) == {"s"}  # strings, never formulas


def test_csv_output_never_starts_a_cell_with_a_formula_character(db_url, tmp_path):
    rows = [worker("000101", Surname="=cmd|' /C calc'!A0"), worker("000102", Surname="Smith")]
    path = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", rows, headers=HEADERS)
    assert ecf(db_url, "import", str(path)).returncode == 0
    found = list(csv.DictReader(io.StringIO(ecf(db_url, "workers", "--format", "csv").stdout)))
    assert {r["surname"] for r in found} == {"'=cmd|' /C calc'!A0", "Smith"}


def test_pseudonymised_workers_have_stable_codes_and_no_names(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER))
    path = export(app, tmp_path / "projection.xlsx", years=1, pseudonymise=True)
    sheet = openpyxl.load_workbook(path)["Workers"]
    assert [c.value for c in sheet[1]][:3] == ["Scenario", "Worker", "Team"]
    codes = {sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)}
    assert all(code.startswith("W") and len(code) == 9 for code in codes)
    assert service.pseudonym("000101") == service.pseudonym("000101") != service.pseudonym("000102")


def test_an_existing_file_needs_force_and_a_bad_place_is_a_clear_error(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER))
    target = tmp_path / "projection.xlsx"
    target.write_bytes(b"an older workbook")
    with pytest.raises(service.ExportError, match="exists already; pass --force"):
        export(app, target, years=1)
    assert target.read_bytes() == b"an older workbook"
    export(app, target, years=1, force=True)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Cover"
    with pytest.raises(service.ExportError, match="does not exist"):
        export(app, tmp_path / "missing" / "projection.xlsx", years=1)
    with pytest.raises(service.ExportError, match=r"must be an \.xlsx file"):
        export(app, tmp_path / "projection.csv", years=1)


def test_a_workers_sheet_longer_than_excel_allows_is_refused_before_anything_is_written(app, tmp_path, monkeypatch):
    """Two scenarios over ten years for 48,000 workers would pass Excel's 1,048,576 rows: Excel would call the file
    damaged and drop the rest. Here the limit is brought down to the sample council's size to see it said."""
    import ecf.exports.workbook as workbook

    import_file(app, ImportRequest(OCTOBER))
    target = tmp_path / "projection.xlsx"
    export(app, target, years=1)
    rows = openpyxl.load_workbook(target, read_only=True)["Workers"].max_row  # the headings and a row per worker-year
    target.unlink()
    monkeypatch.setattr(workbook, "EXCEL_ROWS", rows)
    export(app, target, years=1)  # exactly full: written
    target.unlink()
    monkeypatch.setattr(workbook, "EXCEL_ROWS", rows - 1)
    said = f"the Workers sheet would need {rows:,} rows, more than the {rows - 1:,} a sheet holds in Excel"
    with pytest.raises(service.ExportError, match=f"{said}: export one scenario at a time, or fewer years"):
        export(app, target, years=1)
    assert not [p for p in tmp_path.iterdir() if "projection" in p.name]  # nothing written, not even a temporary


def test_a_summary_blocks_long_title_wraps_instead_of_being_cut_by_the_years(app, tmp_path):
    """'Retention improvement (retention)' is longer than the Summary's first column: with the year headings beside
    it, it was cut to '(retention' on screen and on paper. It wraps, and its row is tall enough for both lines."""
    import_file(app, ImportRequest(OCTOBER))
    path = export(app, tmp_path / "projection.xlsx", years=1, compare="retention")
    sheet = openpyxl.load_workbook(path)["Summary"]
    titles = {cell.value: cell for cell in sheet["A"] if isinstance(cell.value, str) and "(" in cell.value}
    baseline, retention = titles["Baseline (baseline)"], titles["Retention improvement (retention)"]
    difference = next(cell for cell in sheet["A"] if cell.value == "Difference: retention less baseline")
    assert retention.alignment.wrap_text and difference.alignment.wrap_text and retention.font.b
    assert sheet.row_dimensions[retention.row].height == 30 and sheet.row_dimensions[difference.row].height == 30
    assert sheet.row_dimensions[baseline.row].height is None  # one line: the row as it was
    assert sheet[f"B{retention.row}"].value == sheet[f"B{baseline.row}"].value  # the year headings beside each


def test_exporting_never_changes_the_database(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER))

    def state() -> tuple[int, int]:
        with app.engine.connect() as connection:
            return (connection.execute(select(func.count()).select_from(ImportRow)).scalar_one(),
                    connection.execute(select(func.count()).select_from(WorkerSnapshotRow)).scalar_one())  # fmt: skip

    before = state()
    digest = _digest(app)
    export(app, tmp_path / "projection.xlsx", years=1)
    assert state() == before and _digest(app) == digest


def _digest(app) -> str:  # type: ignore[no-untyped-def]
    path = app.target.sqlite_path
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
# LibreOffice writes its charts back in a form openpyxl cannot parse; only the Summary's numbers are read here.
@pytest.mark.filterwarnings("ignore:Unable to read chart:UserWarning")
def test_libreoffice_recalculates_every_summary_total_to_the_engine_figure(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER))
    path = export(app, tmp_path / "projection.xlsx", compare="retention")
    stripped = tmp_path / "formulas_only.xlsx"
    book = openpyxl.load_workbook(path)  # saved again by openpyxl: formulas kept, cached results dropped
    book.save(stripped)
    out = tmp_path / "recalculated"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(stripped)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    recalculated = openpyxl.load_workbook(out / stripped.name, data_only=True)["Summary"]
    engine = openpyxl.load_workbook(path, data_only=True)["Summary"]
    checked = 0
    for row in engine.iter_rows(min_row=1, max_row=engine.max_row):
        for cell in row:
            if isinstance(cell.value, float | int) and cell.column > 1:
                assert recalculated.cell(cell.row, cell.column).value == pytest.approx(cell.value, abs=0.005)
                checked += 1
    assert checked > 50


def test_the_workers_sheet_holds_money_to_the_penny(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    request = service.ProjectionRequest("baseline", 1, date(2026, 11, 23))
    target = service.export_workbook(app, [request], tmp_path / "w.xlsx", datetime(2026, 11, 23, 9, 0))
    header, *rows = openpyxl.load_workbook(target, read_only=True)["Workers"].iter_rows(values_only=True)
    money = [header.index(h) for h in ("Salary", "Employer NI", "Employer pension", "Apprenticeship levy", "Agency")]
    pence = [row[i] * 100 for row in rows for i in money]
    assert pence and all(abs(p - round(p)) < 1e-6 for p in pence)
