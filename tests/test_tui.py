"""The terminal UI, driven by a pilot as a workforce lead would use it."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from conftest import SAMPLE
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from ecf.panes.table import VirtualTable
from ecf.panes.workforce import COLUMNS, CONTRACT
from ecf.progression.facts import Outcome
from ecf.services.imports import ImportRequest, import_file
from tui import EcfTui

MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))


async def loaded(ui, pilot) -> None:  # type: ignore[no-untyped-def]
    """The app reads the database in worker threads: wait for them (not the file tree's loader, which runs for as long
    as the tree does), then for the screen to catch up."""
    await pilot.pause()
    while pending := [w for w in ui.workers if w.group != "_loader" and not w.is_finished]:
        await asyncio.gather(*(w.wait() for w in pending), return_exceptions=True)
    await pilot.pause()
    # Textual's DataTable measures new rows when it next goes idle, which a loaded machine can put off past the
    # snapshot: wait until every one has.
    while any(t._require_update_dimensions or t._updated_cells for t in ui.query(DataTable)):
        await pilot.pause(0.01)
    await pilot.pause()


async def test_the_workforce_tab_lists_who_is_in_post_and_filters_by_team(app):
    for path in MONTHS[-2:]:
        import_file(app, ImportRequest(path, write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 40)) as pilot:
        await loaded(ui, pilot)
        table = ui.query_one("#workers", VirtualTable)
        summary = ui.sub_title
        assert "Latest snapshot: 31/10/2026" in summary
        in_post = len(ui.states)
        assert f"In post: {in_post}" in summary and in_post > 250
        assert table.row_count == in_post  # every worker: the table draws only the lines on screen
        assert f"{in_post} workers" in str(ui.query_one("#workforce-count", Static).render())
        await pilot.press("slash")
        assert ui.focused is ui.query_one("#filter", Input)
        await pilot.press(*"Care Leavers")
        await pilot.pause()
        teams = {table.get_row_at(i)[2] for i in range(table.row_count)}
        assert teams == {"Care Leavers"} and 0 < table.row_count < in_post
        imports = ui.query_one("#import-list", DataTable)
        assert imports.row_count == 2 and imports.get_row_at(1)[2] == "31/10/2026"
        assert ui.query_one("#change-list", VirtualTable).row_count > 0


async def test_an_empty_database_shows_an_empty_workforce(app):
    ui = EcfTui(app)
    async with ui.run_test() as pilot:
        await loaded(ui, pilot)
        assert ui.query_one("#workers", VirtualTable).row_count == 0
        assert "none yet" in ui.sub_title


async def test_export_to_excel_from_the_terminal_ui(app, tmp_path):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, export_folder=tmp_path)
    async with ui.run_test(size=(160, 40)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("x")
        await loaded(ui, pilot)
        written = sorted(tmp_path.glob("ecf-projection-*.xlsx"))
        assert len(written) == 1
        assert any(f"Wrote {written[0]}" in n.message for n in ui._notifications)


async def test_the_dashboard_shows_stages_milestones_and_indicators(app):
    from ecf.services.progression import save_rules

    save_rules(app, SAMPLE / "northmoor_rules.toml", datetime.now(UTC))
    for path in MONTHS[-3:]:
        import_file(app, ImportRequest(path, write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        headline = str(ui.query_one("#dashboard-headline", Static).render())
        assert "Data as of 31/10/2026" in headline and "overdue" in headline
        stages = ui.query_one("#stages", DataTable)
        labels = {stages.get_row_at(i)[0] for i in range(stages.row_count)}
        assert {"ASYE", "experienced"} <= labels
        indicators = ui.query_one("#indicators", DataTable)
        assert indicators.get_row_at(0)[0] == "Turnover (12m)" and indicators.get_row_at(0)[1].endswith("%")
        trends = [indicators.get_row_at(i)[2] for i in range(indicators.row_count)]
        assert all(len(trend) == 3 for trend in trends if trend)  # one mark per snapshot


def test_a_trend_is_one_block_per_snapshot_scaled_to_its_range():
    from decimal import Decimal

    from ecf.panes.dashboard import spark

    assert spark([Decimal("0.10"), Decimal("0.11"), Decimal("0.17")]) == "▁▂█"
    assert spark([None, 5, 5]) == " ▄▄"  # flat: the middle; unknown: a gap
    assert spark([None, None]) == ""


async def test_recording_a_milestone_from_the_milestones_tab_stores_an_event(app):
    from sqlalchemy import select

    from ecf.storage.models import MilestoneEventRow

    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "milestones"
        await pilot.pause()
        table = ui.query_one("#milestone-list", VirtualTable)
        assert table.row_count > 0
        first = table.get_row_at(0)
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog_input = ui.screen.query_one("#record-date", Input)
        dialog_input.value = "01/11/2026"
        await pilot.press("enter")
        await pilot.pause()
        with app.engine.connect() as connection:
            events = connection.execute(select(MilestoneEventRow.employee_id, MilestoneEventRow.completed_on)).all()
        assert [(e.employee_id, e.completed_on) for e in events] == [(first[0], date(2026, 11, 1))]


async def test_the_step_that_ends_the_asye_is_recorded_with_its_outcome_and_who_recorded_it(app):
    from sqlalchemy import select

    from ecf.panes.milestones import MilestonesPane
    from ecf.storage.models import MilestoneEventRow

    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, today=date(2026, 12, 1))  # final reviews fall due in December
    async with ui.run_test(size=(100, 30)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("m")
        pane = ui.query_one(MilestonesPane)
        final = next(row for row in pane.rows if row.ends_programme)
        assert final.milestone.key == "final_review"
        await pilot.press("slash", *f"{final.employee_id} final")
        assert ui.query_one("#milestone-list", VirtualTable).row_count == 1
        await pilot.press("enter", "enter")  # to the table, then record the one row left
        await pilot.pause()
        ui.screen.query_one("#record-date", Input).value = "20/11/2026"
        ui.screen.query_one("#record-outcome", Select).value = Outcome.PASSED
        await pilot.click("#record-ok")
        await loaded(ui, pilot)
        with app.engine.connect() as connection:
            events = connection.execute(select(MilestoneEventRow)).all()
        assert [(e.employee_id, e.milestone, e.completed_on, e.outcome) for e in events] == [
            (final.employee_id, "final_review", date(2026, 11, 20), "passed")
        ]
        assert events[0].recorded_by  # the login name, for the audit trail
        assert final.employee_id not in {r.employee_id for r in pane.rows if r.milestone.key == "final_review"}


async def test_enter_on_a_worker_opens_their_timeline_and_pay(app):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "workforce"
        await pilot.pause()
        table = ui.query_one("#workers", VirtualTable)
        assert "310 workers" in str(ui.query_one("#workforce-count", Static).render())
        employee = table.get_row_at(0)[0]
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert employee in ui.screen.title
        facts = str(ui.screen.query_one("#worker-facts", Static).render())
        assert "From the snapshot of 31/10/2026" in facts and "Stage:" in facts
        pay_now = str(ui.screen.query_one("#worker-pay-now", Static).render())
        assert "Pay now: £" in pay_now and "(part years at either end)" in pay_now
        pay = ui.screen.query_one("#worker-pay", DataTable)
        assert pay.row_count >= 3 and pay.get_row_at(0)[2].startswith("£")
        await pilot.press("escape")
        assert ui.query_one("#workers", VirtualTable) is table


async def test_a_search_then_enter_twice_opens_the_first_match(app):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(80, 24)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("w", "slash", *"patel")
        table = ui.query_one("#workers", VirtualTable)
        first = table.get_row_at(0)
        assert table.row_count == 4 and "Patel" in first[1]
        await pilot.press("enter")
        assert ui.focused is table
        await pilot.press("down", "up", "enter")
        await pilot.pause()
        assert first[0] in ui.screen.title
        await pilot.press("escape", "m", "down")  # Down from anywhere but a drop-down reaches the table too
        assert ui.focused is ui.query_one("#milestone-list", VirtualTable)


async def test_the_projection_tab_projects_the_baseline_when_opened_and_scrolls_to_its_chart_at_80x24(app):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, today=date(2026, 11, 23))
    async with ui.run_test(size=(80, 24)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("p")
        await loaded(ui, pilot)
        table = ui.query_one("#projection-table", DataTable)
        assert [[str(c) for c in table.get_row_at(i)[:2]] for i in range(table.row_count)] == [
            ["baseline", year]
            for year in ("2026/27 (Dec–Mar)", "2027/28", "2028/29", "2029/30", "2030/31", "2031/32 (Apr–Nov)")
        ]  # the part years at either end say which months they cover
        pane = ui.query_one("#projection-pane")
        assert ui.focused is pane and pane.scroll_y == 0
        await pilot.press("end")
        assert pane.scroll_y > 0 and ui.query_one("#projection-chart").region.bottom <= 23


async def test_the_projection_tab_projects_two_scenarios_and_draws_them(app, tmp_path):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, export_folder=tmp_path)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "projection"
        await pilot.pause()
        ui.query_one("#compare", Select).value = "retention"
        ui.query_one("#years", Input).value = "2"
        await pilot.click("#project")
        await loaded(ui, pilot)
        table = ui.query_one("#projection-table", DataTable)
        scenarios = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert scenarios == {"baseline", "retention", "retention − baseline"}  # with the difference rows
        assert str(table.get_row_at(0)[2]).startswith("£")  # the total
        assert "leaving hazard" in str(ui.query_one("#projection-status", Static).render())
        await pilot.click("#export")
        await loaded(ui, pilot)
        assert len(list(tmp_path.glob("ecf-projection-baseline-retention-*.xlsx"))) == 1


async def test_question_mark_shows_the_keys(app):
    ui = EcfTui(app)
    async with ui.run_test(size=(100, 30)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("question_mark")
        assert "ecf-tracker keys" in str(ui.screen.query_one("#help", Static).render())
        await pilot.press("escape")
        assert ui.screen is ui.screen_stack[0]


async def test_the_cohorts_tab_lists_intakes_and_their_members(app):
    for path in MONTHS[-2:]:
        import_file(app, ImportRequest(path, write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "cohorts"
        await pilot.pause()
        table = ui.query_one("#cohort-list", DataTable)
        assert table.row_count > 5 and table.get_row_at(0)[0] == "2026/27"
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        members = ui.query_one("#cohort-members", DataTable)
        assert members.row_count == int(table.get_row_at(0)[1])


async def test_the_import_tab_checks_a_file_before_storing_it(app, tmp_path):
    from conftest import worker, write_xlsx

    bad = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101", FTE=1.5), worker("000102")])
    good = write_xlsx(tmp_path / "hr_2026-11-30.xlsx", [worker("000101"), worker("000102")])
    ui = EcfTui(app, import_folder=tmp_path)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "import"
        await pilot.pause()
        ui.query_one("#import-path", Input).value = str(bad)
        await pilot.click("#import-check")
        await loaded(ui, pilot)
        status = str(ui.query_one("#import-status", Static).render())
        assert "1 error," in status and ui.query_one("#import-go").disabled
        findings = ui.query_one("#import-findings", VirtualTable)
        assert findings.get_row_at(0)[3] == "fte-out-of-range"
        await pilot.click("#import-report")  # HR's row-by-row copy, beside the file
        await loaded(ui, pilot)
        assert (tmp_path / "hr_2026-10-31.errors.xlsx").exists()
        ui.query_one("#import-path", Input).value = str(good)
        await pilot.click("#import-check")
        await loaded(ui, pilot)
        assert not ui.query_one("#import-go").disabled
        with app.unit_of_work() as uow:
            assert uow.imports.all() == []  # checking stores nothing
        await pilot.click("#import-go")
        await loaded(ui, pilot)
        assert "Imported hr_2026-11-30.xlsx as #1" in str(ui.query_one("#import-status", Static).render())
        with app.unit_of_work() as uow:
            assert [i.as_of.isoformat() for i in uow.imports.all()] == ["2026-11-30"]


async def test_hr_can_store_the_valid_rows_of_a_file_with_errors_and_replace_a_month(app, tmp_path):
    from conftest import worker, write_xlsx

    first = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101"), worker("000102")])
    again = write_xlsx(tmp_path / "hr_2026-10-31 v2.xlsx", [worker("000101", FTE=1.5), worker("000102")])
    import_file(app, ImportRequest(first, write_report=False))
    ui = EcfTui(app, import_folder=tmp_path)
    async with ui.run_test(size=(120, 40)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("i")
        ui.query_one("#import-path", Input).value = again.name  # relative to the tree's folder
        ui.query_one("#import-as-of", Input).value = "31/10/2026"
        await pilot.click("#import-check")
        await loaded(ui, pilot)
        assert ui.query_one("#import-go").disabled
        await pilot.click("#accept-valid")
        status = str(ui.query_one("#import-status", Static).render())
        assert status.startswith("2 rows: 1 valid, 1 error, 0 warnings. Import stores the 1 valid rows")
        await pilot.click("#import-go")
        await loaded(ui, pilot)
        assert "a snapshot for that date is already stored" in str(ui.query_one("#import-status", Static).render())
        await pilot.click("#replace")
        await pilot.click("#import-check")
        await loaded(ui, pilot)
        await pilot.click("#import-go")
        await loaded(ui, pilot)
        # 000101's row is rejected, so half the month would vanish: the guard asks before storing it
        assert "too many workers vanish" in str(ui.query_one("#import-status", Static).render())
        assert "1 of the 2 workers in post on 31/10/2026" in str(ui.screen.query_one("#confirm-question").render())
        await pilot.click("#confirm-yes")
        await loaded(ui, pilot)
        assert "Imported hr_2026-10-31 v2.xlsx as #2" in str(ui.query_one("#import-status", Static).render())
    with app.unit_of_work() as uow:
        imports = uow.imports.all()
        assert [(i.id, i.rows_accepted, i.rows_rejected, i.superseded_by) for i in imports] == [
            (1, 2, 0, 2),
            (2, 1, 1, None),
        ]
        assert uow.imports.rejected_count() == 1
        assert set(uow.snapshots.snapshot(date(2026, 10, 31))) == {"000102"}


async def test_the_workforce_sorts_by_a_column_and_filters_on_any_cell(app):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "workforce"
        await pilot.pause()
        table = ui.query_one("#workers", VirtualTable)
        fte_column = COLUMNS.index("FTE")
        table.post_message(VirtualTable.HeaderSelected(table, fte_column))
        await pilot.pause()
        ftes = [float(table.get_row_at(i)[fte_column]) for i in range(table.row_count)]
        assert ftes == sorted(ftes) and ftes[0] < 1
        await pilot.press("slash", *"agency")
        await pilot.pause()
        assert table.row_count > 0 and {table.get_row_at(i)[CONTRACT] for i in range(table.row_count)} == {"agency"}


async def test_the_workers_narrow_by_team_stage_contract_and_milestone_status(app):
    from ecf.panes.workforce import MILESTONES, STAGE, TEAM

    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, today=date(2026, 11, 23))
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("w")
        table = ui.query_one("#workers", VirtualTable)
        everyone = table.row_count
        assert everyone == 310 and all(table.get_row_at(i)[STAGE] != "…" for i in range(everyone))
        ui.query_one("#team-choice", Select).value = "Care Leavers"
        await pilot.pause()
        care_leavers = table.row_count
        assert 0 < care_leavers < everyone
        assert {table.get_row_at(i)[TEAM] for i in range(care_leavers)} == {"Care Leavers"}
        ui.query_one("#team-choice", Select).clear()
        ui.query_one("#stage-choice", Select).value = "ASYE"
        ui.query_one("#milestone-choice", Select).value = "overdue"
        await pilot.pause()
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows and {(r[STAGE], r[MILESTONES]) for r in rows} == {("ASYE", "overdue")}
        assert f"{len(rows)} of {everyone} workers match" in str(ui.query_one("#workforce-count", Static).render())
        ui.query_one("#stage-choice", Select).clear()
        ui.query_one("#milestone-choice", Select).clear()
        ui.query_one("#contract-choice", Select).value = "agency"
        await pilot.pause()
        agency = {table.get_row_at(i)[CONTRACT] for i in range(table.row_count)}
        assert agency == {"agency"}


async def test_every_tab_has_a_key_and_a_command_in_the_palette(app):
    from tui import TABS

    ui = EcfTui(app)
    async with ui.run_test(size=(100, 30)) as pilot:
        await loaded(ui, pilot)
        tabs = ui.query_one(TabbedContent)
        for tab, _, key, _ in TABS:
            await pilot.press(key)
            assert tabs.active == tab
        await pilot.press("slash", *"mx")  # letters typed into the search are text, not shortcuts
        assert tabs.active == "workforce" and ui.query_one("#filter", Input).value == "mx"
        await pilot.press("escape", "d")
        assert tabs.active == "dashboard"
        titles = [command.title for command in ui.get_system_commands(ui.screen)]
        assert {f"Go to {title} ({key})" for _, title, key, _ in TABS} <= set(titles)
        assert "Export to Excel (x)" in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"Go to Cohorts")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert tabs.active == "cohorts"


async def test_milestones_come_oldest_first_and_narrow_by_team_and_manager(app):
    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, today=date(2026, 11, 23))
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("m")
        table = ui.query_one("#milestone-list", VirtualTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        # by due date, then ID, as `ecf milestones` lists them: every overdue step above every one merely due
        keys = [(datetime.strptime(r[3], "%d/%m/%Y").date(), r[0]) for r in rows]
        assert keys == sorted(keys)
        statuses = [r[4] for r in rows]
        assert statuses == sorted(statuses, key=lambda s: s != "overdue") and statuses[0] == "overdue"
        groups = [(r[5], r[6]) for r in rows]  # team, manager
        team, manager = groups[-1]
        ui.query_one("#milestone-team", Select).value = team
        await pilot.pause()
        assert {table.get_row_at(i)[5] for i in range(table.row_count)} == {team}
        ui.query_one("#milestone-manager", Select).value = manager
        await pilot.pause()
        shown = [table.get_row_at(i) for i in range(table.row_count)]
        assert shown and {(r[5], r[6]) for r in shown} == {(team, manager)}
        assert f"{len(shown)} milestones due or overdue" in str(ui.query_one("#milestone-count", Static).render())


async def test_the_pseudonymised_export_carries_no_names_or_ids(app, tmp_path):
    from openpyxl import load_workbook

    import_file(app, ImportRequest(MONTHS[-1], write_report=False))
    ui = EcfTui(app, export_folder=tmp_path, today=date(2026, 11, 23))
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("p")
        ui.query_one("#years", Input).value = "1"
        ui.query_one("#pseudonymise").value = True
        await pilot.press("x")
        await loaded(ui, pilot)
        await pilot.press("x")  # a second export never overwrites the first
        await loaded(ui, pilot)
    written = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert written == ["ecf-projection-baseline-2026-11-23-2.xlsx", "ecf-projection-baseline-2026-11-23.xlsx"]
    sheet = load_workbook(tmp_path / written[1], read_only=True)["Workers"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    worker = header.index("Worker")
    assert str(first[worker]).startswith("W") and "Name" not in header and "Employee ID" not in header
    ids = {state.record.employee_id for state in ui.states}
    assert not ids & {str(row[worker]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_import_tree_shows_folders_and_spreadsheets_a_person_would_pick(tmp_path):
    from ecf.panes.importing import SpreadsheetTree

    for folder in (".git", "__pycache__", "ecf_tracker.egg-info", "archive"):
        (tmp_path / folder).mkdir()
    for file in ("HR Oct 2026.xlsx", "hr_2026-10-31.csv", "~$HR Oct 2026.xlsx", "hr.errors.xlsx", "notes.docx",
                 ".hidden.xlsx"):  # fmt: skip
        (tmp_path / file).touch()
    shown = SpreadsheetTree.filter_paths(None, sorted(tmp_path.iterdir()))  # type: ignore[arg-type]
    assert [p.name for p in shown] == ["HR Oct 2026.xlsx", "archive", "hr_2026-10-31.csv"]


async def test_the_import_tab_maps_a_column_saves_the_profile_and_imports(app, tmp_path):
    from textual.widgets import Select

    from ecf.panes.mapping import MappingScreen

    path = tmp_path / "itrent_2026-10-31.csv"
    path.write_text(
        "Person Ref No,Family Name,Qual Dt,Start date,FTE,Contract\n"
        "4512,Okafor,30/06/2019,01/09/2020,1,Permanent\n"
        "4513,Hughes,30/06/2018,01/09/2019,0.6,Agency\n"
    )
    ui = EcfTui(app, import_folder=tmp_path)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "import"
        await pilot.pause()
        ui.query_one("#import-path", Input).value = str(path)
        await pilot.click("#import-check")
        await loaded(ui, pilot)
        assert "required column(s) not found" in str(ui.query_one("#import-status", Static).render())
        await pilot.click("#import-mapping")
        await loaded(ui, pilot)
        screen = ui.screen
        assert isinstance(screen, MappingScreen)
        headers = [row.header for row in screen.rows]
        assert headers == ["Person Ref No", "Family Name", "Qual Dt", "Start date", "FTE", "Contract"]
        fields = {row.header: row.field for row in screen.rows}
        assert (fields["Family Name"], fields["Start date"], fields["Qual Dt"]) == ("surname", "start_date", "ignore")
        screen.query_one("#mapping-0", Select).value = "employee_id"  # the drop-downs a person changes
        screen.query_one("#mapping-2", Select).value = "date_qualified"
        await pilot.pause()
        screen.query_one("#mapping-name", Input).value = "itrent"
        await pilot.click("#mapping-save")
        await loaded(ui, pilot)
        assert ui.query_one("#import-profile", Select).value == "itrent"
        status = str(ui.query_one("#import-status", Static).render())
        assert "2 rows: 2 valid" in status, status
        await pilot.click("#import-go")
        await loaded(ui, pilot)
    with app.unit_of_work() as uow:
        (stored,) = uow.imports.all()
        workers = uow.snapshots.snapshot(date(2026, 10, 31))
        assert uow.profiles.get("itrent") is not None
    assert stored.profile == "itrent"
    assert sorted(workers) == ["4512", "4513"] and workers["4512"].date_qualified == date(2019, 6, 30)


async def test_opening_a_census_worker_without_a_qualification_date_says_why(app, tmp_path):
    import shutil
    from pathlib import Path

    from ecf.panes.worker import WorkerScreen

    census = Path(__file__).resolve().parent / "data" / "census" / "census_2024.xml"
    import_file(app, ImportRequest(Path(shutil.copy(census, tmp_path / census.name)), write_report=False))
    ui = EcfTui(app, import_folder=tmp_path)
    async with ui.run_test(size=(120, 40)) as pilot:
        await loaded(ui, pilot)
        ui.push_screen(WorkerScreen(app, "SW104233"))
        await loaded(ui, pilot)
        assert not isinstance(ui.screen, WorkerScreen)
        assert any("no qualification date yet" in n.message for n in ui._notifications)


async def test_history_undoes_and_restores_the_selected_import(app, tmp_path):
    from conftest import worker, write_xlsx

    from ecf.panes.history import HistoryPane

    first = write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101"), worker("000102")])
    second = write_xlsx(tmp_path / "hr_2026-10-31 v2.xlsx", [worker("000101", Grade="SP"), worker("000102")])
    import_file(app, ImportRequest(first, write_report=False))
    import_file(app, ImportRequest(second, replace=True, write_report=False))
    ui = EcfTui(app)
    async with ui.run_test(size=(120, 40)) as pilot:
        await loaded(ui, pilot)
        await pilot.press("h")
        table = ui.query_one("#import-list", DataTable)
        assert [table.get_row_at(n)[3] for n in range(2)] == ["superseded by #2", "active"]
        table.move_cursor(row=1)
        await pilot.click("#history-undo")
        await pilot.pause()
        assert "Undo #2" in str(ui.screen.query_one("#confirm-question").render())
        await pilot.click("#confirm-yes")
        await loaded(ui, pilot)
        await pilot.pause()
        assert [table.get_row_at(n)[3] for n in range(2)] == ["active", "withdrawn"]
        assert "Withdrew #2" in str(ui.query_one("#history-status", Static).render())
        table.move_cursor(row=1)
        await pilot.click("#history-restore")
        await loaded(ui, pilot)
        await pilot.pause()
        assert [table.get_row_at(n)[3] for n in range(2)] == ["superseded by #2", "active"]
        assert ui.query_one(HistoryPane).selected() is not None
