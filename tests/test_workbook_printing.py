"""The finance workbook printed as LibreOffice prints it (converted to PDF): A4 landscape, one page wide, a footer on
every page naming the sheet; the Summary of a five-year comparison on at most 2 pages and the whole workbook, without
the Workers and Monthly detail, on at most 10; charts whole, on pages of their own."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from conftest import SAMPLE

from ecf.exports.printing import footer_text
from ecf.services import projection as service
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import save_rules

SHEETS = ("Cover", "Assumptions", "Summary", "Monthly", "By team", "By grade and stage", "Workers", "Charts")
pytestmark = pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                                reason="needs LibreOffice and poppler")  # fmt: skip


def pdf_pages(path, tmp_path):  # type: ignore[no-untyped-def]
    """Each printed page's text, from LibreOffice's PDF of the workbook (a private profile: no clash with another
    LibreOffice running)."""
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    pdf = tmp_path / path.with_suffix(".pdf").name
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1], pdf


def sheet_of(page: str) -> str:
    """The sheet a page belongs to, from its footer (the sheet's name, left, on the line with the as-of date; a
    chart's legend can share the line's text, so the page number may not)."""
    footer = next((line for line in reversed(page.splitlines()) if "Data as of" in line), "")
    return next((name for name in sorted(SHEETS, key=len, reverse=True) if footer.strip().startswith(name)), footer)


def test_the_workbook_prints_on_few_pages_with_a_footer_on_each(app, tmp_path):
    save_rules(app, SAMPLE / "northmoor_rules.toml", datetime(2026, 11, 23, tzinfo=UTC))
    for month in sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx")):
        import_file(app, ImportRequest(month, write_report=False))
    requests = [service.ProjectionRequest(name, 5, date(2026, 11, 30)) for name in ("baseline", "retention")]
    path = service.export_workbook(app, requests, tmp_path / "projection.xlsx", datetime(2026, 11, 30, 9, 0))
    pages, pdf = pdf_pages(path, tmp_path)
    sheets = Counter(sheet_of(page) for page in pages)
    assert set(sheets) == set(SHEETS), sheets
    assert sheets["Summary"] <= 2
    assert sheets["Charts"] == 2  # three charts, each whole, two to a page, on pages of their own
    assert sum(n for name, n in sheets.items() if name not in ("Workers", "Monthly")) <= 10, sheets
    assert all("Data as of 31/10/2026" in page and f"of {len(pages)}" in page for page in pages)
    workers = [page for page in pages if sheet_of(page) == "Workers"]
    assert all("OFFICIAL-SENSITIVE" in page for page in workers)  # names and IDs: marked
    assert not any("OFFICIAL-SENSITIVE" in page for page in pages if sheet_of(page) == "Summary")
    summary = next(page for page in pages if sheet_of(page) == "Summary")
    assert "2026/27 (Dec–Mar)" in summary and "2031/32 (Apr–Nov)" in summary  # part years say so
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True).stdout
    width, height = (float(v) for v in info.split("Page    1 size:")[1].split("pts")[0].split(" x "))
    assert width > height and round(width) == 842  # A4 landscape


def test_a_footer_keeps_an_ampersand_as_text():
    assert footer_text("no data & none", personal=True) == (
        "&L&A · OFFICIAL-SENSITIVE&CData as of no data && none&RPage &P of &N"
    )
