"""Scenarios side by side and the sensitivity of the total to each main assumption: CLI, workbook and TUI."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
from conftest import SAMPLE
from rich.text import Text
from test_cli import ecf
from test_tui import loaded
from textual.widgets import DataTable, Select, Static, TabbedContent

from ecf.cli.output import pounds
from ecf.services import comparison
from ecf.services import projection as service
from ecf.services.imports import ImportRequest, import_file
from payscales.sensitivity import STEPS
from tui import EcfTui

AS_OF = date(2026, 11, 30)
OCTOBER = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"


def test_compare_lists_every_input_marks_the_differences_and_totals_each_year(app):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    found = comparison.compare(app, ["baseline", "retention", "agency_reduction"], 2, AS_OF)
    rows = {row.label: row for row in found.settings}
    assert rows["Leaving multiplier: asye"].values == ["1", "0.8", "1"] and rows["Leaving multiplier: asye"].differs
    assert rows["Vacancy covered by agency before refilling"].values == ["3", "3", "2"]
    assert rows["Employer pension (LGPS)"].values == ["19.8%"] * 3 and not rows["Employer pension (LGPS)"].differs
    for name in found.names:
        engine = service.run_projection(app, service.ProjectionRequest(name, 2, AS_OF)).totals("financial_year")
        assert found.totals[name] == [Decimal(str(t)).quantize(Decimal("0.01")) for t in engine["total"]]
    assert found.difference("retention") == [a - b for a, b in zip(found.totals["retention"],
                                                                    found.totals["baseline"], strict=True)]  # fmt: skip


def test_sensitivity_moves_each_assumption_by_its_step_and_ranks_by_swing(app):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    told: list[tuple[int, int]] = []
    found = comparison.sensitivity(app, "baseline", 2, AS_OF, on_progress=lambda *step: told.append(step))
    assert {e.step.key for e in found.effects} == {s.key for s in STEPS}
    assert told == [(n, 1 + 2 * len(STEPS)) for n in range(1, 2 + 2 * len(STEPS))]  # the baseline, each step down, up
    assert [e.swing for e in found.effects] == sorted((e.swing for e in found.effects), reverse=True)
    award = next(e for e in found.effects if e.step.key == "AWARD")
    assert (award.base, award.low, award.high) == ("3%", "2%", "4%")
    assert award.effect_low < 0 < award.effect_high
    # The high award's total is the engine's own run of the baseline with a 4% award, to the penny.
    book = service.paybook(app)
    four = book.scenarios["baseline"].model_copy(update={"pay_award_assumption": Decimal("0.04")})
    (run,) = service.project_scenarios(app, book, [four], AS_OF, 2)
    assert award.total_high == sum((Decimal(str(t)).quantize(Decimal("0.01")) for t in run.totals("month")["total"]),
                                   Decimal(0))  # fmt: skip
    lgps = next(e for e in found.effects if e.step.key == "LGPS")
    assert (lgps.low, lgps.high) == ("18.8%", "20.8%")


def test_compare_and_sensitivity_from_the_command_line(db_url, tmp_path):
    assert ecf(db_url, "import", str(OCTOBER)).returncode == 0
    done = ecf(db_url, "scenario", "compare", "baseline", "retention", "--years", "1", "--as-of", "30/11/2026",
               "--format", "csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    asye = next(r for r in rows if r["setting"] == "Leaving multiplier: asye")
    assert (asye["baseline"], asye["retention"], asye["differs"]) == ("1", "0.8", "True")
    assert any(r["part"] == "total" and r["financial_year"] == "2026/27" for r in rows)
    table = ecf(db_url, "project", "--sensitivity", "--years", "1", "--as-of", "30/11/2026")
    assert table.returncode == 0, table.stderr
    assert "1. Pay award" in table.stdout and "3%: 2% / 4%" in table.stdout
    path = tmp_path / "tornado.xlsx"
    written = ecf(db_url, "export", str(path), "--years", "1", "--as-of", "30/11/2026", "--sensitivity")
    assert written.returncode == 0, written.stderr
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == "Sensitivity" and len(book["Sensitivity"]._charts) == 1
    sheet = book["Sensitivity"]
    assert sheet["B5"].value == "Pay award" and sheet["I5"].value == "=G5-$B$3"
    assert openpyxl.load_workbook(path)["Workers"].max_row > 1  # the Workers sheet is still the seventh


async def test_the_projection_tab_compares_inputs_and_draws_a_tornado(app):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    today = date(2026, 11, 23)
    ui = EcfTui(app, today=today)
    async with ui.run_test(size=(160, 50)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "projection"
        await loaded(ui, pilot)
        ui.query_one("#compare", Select).value = "retention"
        ui.query_one("#years").value = "2"  # type: ignore[attr-defined]
        await pilot.click("#compare-inputs")
        await loaded(ui, pilot)
        table = ui.query_one("#projection-table", DataTable)
        rows = {str(r[1]): r for r in (table.get_row_at(i) for i in range(table.row_count))}
        asye = rows["Leaving multiplier: asye"]
        assert asye[0] == "*" and [str(v) for v in asye[2:]] == ["1", "0.8"]
        assert isinstance(asye[2], Text) and "bold" in str(asye[2].style)
        assert rows["Total 2026/27"][2].startswith("£")
        await pilot.click("#sensitivity")
        await loaded(ui, pilot)
        found = comparison.sensitivity(app, "baseline", 2, today)
        shown = [table.get_row_at(i) for i in range(table.row_count)]
        assert [r[1] for r in shown] == [e.step.label for e in found.effects]
        assert [r[3] for r in shown] == [pounds(e.effect_low) for e in found.effects]
        assert "each assumption moved one at a time" in str(ui.query_one("#projection-status", Static).render())
        await pilot.click("#project")
        await loaded(ui, pilot)
        assert str(table.get_row_at(0)[0]) == "baseline"


def test_monte_carlo_from_the_command_line_gives_the_same_bands_for_the_same_seed(db_url):
    assert ecf(db_url, "import", str(OCTOBER)).returncode == 0
    args = ("project", "--years", "2", "--monte-carlo", "300", "--seed", "7", "--by", "financial_year", "--as-of",
            "30/11/2026", "--format", "csv")  # fmt: skip
    done = ecf(db_url, *args)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when the error stream is not a terminal
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["financial_year"] for r in rows] == ["2026/27", "2027/28", "2028/29"]
    assert {(r["runs"], r["seed"]) for r in rows} == {("300", "7")}
    for row in rows:
        p10, p50, p90 = (Decimal(row[f"total_p{q}"]) for q in (10, 50, 90))
        assert Decimal(0) < p10 <= p50 <= p90
    assert Decimal(rows[1]["total_p10"]) < Decimal(rows[1]["total_p90"])  # a year of leaving draws: a real spread
    assert ecf(db_url, *args).stdout == done.stdout
