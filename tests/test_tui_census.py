"""The Census screen (`s`) and the census deadline on the dashboard from September."""

from __future__ import annotations

from datetime import UTC, date, datetime

from conftest import SAMPLE
from test_tui import MONTHS, loaded
from textual.widgets import DataTable, Static

from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import save_rules
from tui import EcfTui


def council(app, today: date) -> EcfTui:  # type: ignore[no-untyped-def]
    save_rules(app, SAMPLE / "northmoor_rules.toml", datetime(2026, 9, 1, tzinfo=UTC))
    for path in MONTHS[-3:-1]:  # August and September 2026
        import_file(app, ImportRequest(path, write_report=False))
    return EcfTui(app, import_folder=SAMPLE, today=today)


async def test_the_census_screen_and_the_deadline_on_the_dashboard(app):  # type: ignore[no-untyped-def]
    ui = council(app, date(2026, 10, 12))
    async with ui.run_test(size=(80, 24)) as pilot:
        await loaded(ui, pilot)
        line = str(ui.query_one("#dashboard-census", Static).render())
        assert line.startswith("Census 2026: due 31/10/2026 (19 days) · ") and "records complete" in line
        await pilot.press("s")
        await pilot.pause()
        screen = ui.screen
        status = str(screen.query_one("#census-status", Static).render())
        assert status.startswith("Census 2026: due 31/10/2026 (19 days)") and "no LA code" not in status
        missing = screen.query_one("#census-missing", DataTable)
        items = {missing.get_row_at(i)[0] for i in range(missing.row_count)}
        assert "date of birth" in items  # September's starters: their census items come in October's sheet
        figures = screen.query_one("#census-figures", DataTable)
        assert figures.get_row_at(0)[0] == "Headcount (LA social workers)" and figures.row_count == 10
        await pilot.press("escape")
        assert ui.screen is not screen


async def test_no_deadline_on_the_dashboard_before_september(app):  # type: ignore[no-untyped-def]
    ui = council(app, date(2026, 8, 20))
    async with ui.run_test(size=(80, 24)) as pilot:
        await loaded(ui, pilot)
        assert not ui.query_one("#dashboard-census", Static).display
