"""The terminal UI, driven by a pilot as a workforce lead would use it."""

from __future__ import annotations

from conftest import SAMPLE
from textual.widgets import DataTable, Input

from ecf.services.imports import ImportRequest, import_file
from tui import EcfTui

MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))


async def test_the_workforce_tab_lists_who_is_in_post_and_filters_by_team(app):
    for path in MONTHS[-2:]:
        import_file(app, ImportRequest(path, write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 40)) as pilot:
        table = ui.query_one("#workers", DataTable)
        summary = ui.sub_title
        assert "Latest snapshot: 31/10/2026" in summary
        in_post = table.row_count
        assert f"In post: {in_post}" in summary and in_post > 250
        await pilot.press("slash")
        assert ui.focused is ui.query_one("#filter", Input)
        await pilot.press(*"Care Leavers")
        await pilot.pause()
        teams = {table.get_row_at(i)[2] for i in range(table.row_count)}
        assert teams == {"Care Leavers"} and 0 < table.row_count < in_post
        imports = ui.query_one("#import-list", DataTable)
        assert imports.row_count == 2 and imports.get_row_at(1)[2] == "31/10/2026"
        assert ui.query_one("#change-list", DataTable).row_count > 0


async def test_an_empty_database_shows_an_empty_workforce(app):
    ui = EcfTui(app)
    async with ui.run_test() as pilot:
        await pilot.pause()
        assert ui.query_one("#workers", DataTable).row_count == 0
        assert "none yet" in ui.sub_title


async def test_export_to_excel_from_the_terminal_ui(app, tmp_path):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, export_folder=tmp_path)
    async with ui.run_test(size=(160, 40)) as pilot:
        await pilot.press("x")
        await ui.workers.wait_for_complete()
        await pilot.pause()
        written = sorted(tmp_path.glob("ecf-projection-*.xlsx"))
        assert len(written) == 1
        assert any(f"Wrote {written[0]}" in n.message for n in ui._notifications)
