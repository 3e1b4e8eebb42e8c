"""Every tab, and the worker screen, in an 80x24 terminal: the key columns on screen without scrolling (SVG
snapshots in tests/__snapshots__/; `--snapshot-update` after a deliberate change), and what each must show asserted
in words."""

from __future__ import annotations

from test_tui import loaded
from test_tui_snapshots import council
from textual.widgets import DataTable, Select, TabbedContent

from ecf.panes.table import VirtualTable

SIZE = (80, 24)


def on_screen(table: VirtualTable) -> list[str]:
    return [table.columns[i] for i in table.on_screen]


def tab_test(tab: str):  # type: ignore[no-untyped-def]
    def test(app, snap_compare):  # type: ignore[no-untyped-def]
        ui = council(app)

        async def ready(pilot):  # type: ignore[no-untyped-def]
            await loaded(ui, pilot)
            ui.query_one(TabbedContent).active = tab
            await pilot.pause()
            await loaded(ui, pilot)

        assert snap_compare(ui, terminal_size=SIZE, run_before=ready)

    return test


test_dashboard_at_80x24 = tab_test("dashboard")
test_import_at_80x24 = tab_test("import")
test_history_at_80x24 = tab_test("imports")
test_changes_at_80x24 = tab_test("changes")


def test_workers_at_80x24_show_id_name_team_stage_and_next_milestone(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("w")
        await loaded(ui, pilot)
        shown = on_screen(ui.query_one("#workers", VirtualTable))
        assert {"ID", "Name", "Team", "Stage", "Next milestone", "Due"} <= set(shown)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_milestones_at_80x24_show_worker_milestone_due_and_status(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("m")
        await loaded(ui, pilot)
        shown = on_screen(ui.query_one("#milestone-list", VirtualTable))
        assert {"Name", "Milestone", "Due", "Status"} <= set(shown)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_cohort_members_have_names_at_80x24(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("c")
        await loaded(ui, pilot)
        ui.query_one("#cohort-list", DataTable).focus()
        await pilot.press("enter")
        await loaded(ui, pilot)
        members = ui.query_one("#cohort-members", DataTable)
        assert members.row_count and all(str(members.get_row_at(r)[1]) for r in range(members.row_count))

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_choosing_a_comparison_projects_at_once_with_the_difference(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("p")
        await loaded(ui, pilot)
        ui.query_one("#compare", Select).value = "retention"  # no Project button pressed
        await loaded(ui, pilot)
        table = ui.query_one("#projection-table", DataTable)
        scenarios = {str(table.get_row_at(r)[0]) for r in range(table.row_count)}
        assert scenarios == {"baseline", "retention", "retention − baseline"}

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_the_worker_screen_scrolls_through_the_whole_timeline_at_80x24(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("w", "slash", *"006516", "escape", "enter")
        await loaded(ui, pilot)
        timeline = ui.screen.query_one("#worker-milestones", DataTable)
        assert timeline.row_count > 3 and timeline.size.height >= timeline.row_count + 1  # every row, none hidden

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


async def test_the_palette_offers_light_and_dark_themes(app):
    ui = council(app)
    async with ui.run_test(size=SIZE) as pilot:
        commands = {command.title: command for command in ui.get_system_commands(ui.screen)}
        commands["Light theme"].callback()
        await pilot.pause()
        assert ui.theme == "textual-light"
        commands["Dark theme"].callback()
        await pilot.pause()
        assert ui.theme == "textual-dark"


async def test_every_tab_shows_markup_and_escape_sequences_as_text(app, db_url, tmp_path):
    from conftest import HEADERS, write_csv
    from test_tables import hostile_rows, importable, plant
    from textual.widgets import Static

    from ecf.services.imports import ImportRequest, import_file
    from tui import EcfTui

    rows = hostile_rows()
    for n, row in enumerate(rows):
        row["Line Manager"] = importable(n) + "Boss"  # the import refuses control characters (issue 13) ...
    path = write_csv(tmp_path / "hr_[b]x_2026-10-31.csv", rows, headers=[*HEADERS, "Line Manager"])
    import_file(app, ImportRequest(path, write_report=False))
    if db_url.startswith("sqlite"):
        plant(db_url)  # ... so they are planted afterwards, as data that came some other way
    ui = EcfTui(app, import_folder=tmp_path)
    async with ui.run_test(size=SIZE) as pilot:
        await loaded(ui, pilot)
        for key in "dmcpwihl":
            await pilot.press(key)
            await loaded(ui, pilot)
        workers = ui.query_one("#workers", VirtualTable)
        drawn = "\n".join(workers._line(row) for row in workers.rows)
        assert "[/]For0 [/]Sur0" in drawn and "[link=http://evil" in drawn
        assert not any(bad in drawn for bad in ("\x1b", "\x07", "\x9b", "\ufffe", "\u202e"))
        await pilot.press("w", "slash", *"000102", "escape", "enter")  # the [link=…] worker
        await loaded(ui, pilot)
        facts = str(ui.screen.query_one("#worker-facts", Static).render())
        assert "[link=http://evil]click[/link]" in facts
        await pilot.press("escape", "w", "slash", *"000104", "escape", "enter")  # the clear-screen worker
        await loaded(ui, pilot)
        assert "\x1b" not in str(ui.screen.query_one("#worker-facts", Static).render())
