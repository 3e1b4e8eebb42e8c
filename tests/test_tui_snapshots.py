"""What the main screens look like (SVG snapshots in tests/__snapshots__/; `--snapshot-update` after a deliberate
change). The day is fixed, so the screens do not change with the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from conftest import SAMPLE
from test_tui import MONTHS, loaded
from textual.widgets import Input, Select, TabbedContent

from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import save_rules
from tui import EcfTui

DAY = date(2026, 11, 23)
SIZE = (110, 32)


def council(app):  # type: ignore[no-untyped-def]
    save_rules(app, SAMPLE / "northmoor_rules.toml", datetime(2026, 11, 23, tzinfo=UTC))
    for path in MONTHS[-2:]:
        import_file(app, ImportRequest(path, write_report=False))
    return EcfTui(app, import_folder=SAMPLE, today=DAY)


def test_dashboard(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_milestones(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "milestones"
        await pilot.pause()

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_cohorts(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "cohorts"
        await pilot.pause()

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_dashboard_in_the_light_theme(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        ui.theme = "textual-light"
        await loaded(ui, pilot)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_workers_narrowed_to_one_team(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("w")
        ui.query_one("#team-choice", Select).value = "Care Leavers"
        await pilot.pause()

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_worker_screen(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("w", "slash", *"006516", "escape", "enter")
        await loaded(ui, pilot)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_import_check_of_a_messy_file(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("i")
        ui.query_one("#import-path", Input).value = "messy/northmoor_hr_2026-11-30_messy.xlsx"
        await pilot.click("#import-check")
        await loaded(ui, pilot)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)


def test_projection_comparing_two_scenarios(app, snap_compare):
    ui = council(app)

    async def ready(pilot):  # type: ignore[no-untyped-def]
        await loaded(ui, pilot)
        await pilot.press("p")
        ui.query_one("#compare", Select).value = "retention"
        await pilot.click("#project")
        await loaded(ui, pilot)

    assert snap_compare(ui, terminal_size=SIZE, run_before=ready)
