"""How the terminal UI fills in while it loads: the Workers rows before their search, tabs built when first opened,
what the loader reads for a tab not opened yet kept for it. The loader is held back here and its parts handed over by
hand, so each in-between state is looked at on purpose, not caught by timing."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SAMPLE
from textual.widgets import Input, Static

from ecf.panes.importing import ImportPane
from ecf.panes.milestones import prepare as prepare_milestones
from ecf.panes.table import VirtualTable, sort_key
from ecf.panes.workforce import Prepared, WorkforcePane, prepare_facts, prepare_workers, searchable
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import assess_workforce
from ecf.services.workforce import current_workers, in_post_facts
from tui import EcfTui

TODAY = date(2026, 11, 30)
LATEST = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"


def held_back(app) -> EcfTui:  # type: ignore[no-untyped-def]
    """The interface with its loader doing nothing: the test hands it what it would have read."""
    ui = EcfTui(app, today=TODAY)
    ui._load = lambda: None  # type: ignore[method-assign]
    return ui


def test_the_loader_shows_the_rows_read_narrowly_first_then_the_full_reads(app):
    import_file(app, ImportRequest(LATEST, write_report=False))
    ui = EcfTui(app, today=TODAY)
    sent: list[tuple[str, object]] = []
    ui._send = lambda tab, what, show, *found: sent.append((tab, found[0]))  # type: ignore[method-assign]
    ui.call_from_thread = lambda *_: None  # type: ignore[method-assign,assignment]
    ui._read_everything()
    first, facts, searched = [found for tab, found in sent if tab == "workforce"][:3]
    assert isinstance(first, Prepared) and first.search is None and first.states is None  # the narrow read's
    assert isinstance(facts, Prepared) and facts.states is not None and first.rows == facts.rows
    assert isinstance(searched, Prepared) and searched.search is not None
    sent.clear()
    ui.states = facts.states  # a refresh: the rows shown stay until the full read's arrive
    ui._read_everything()
    again = next(found for tab, found in sent if tab == "workforce")
    assert isinstance(again, Prepared) and again.states is not None


@pytest.mark.parametrize("narrow", [True, False], ids=["read-narrowly", "from-records"])
async def test_the_workers_rows_show_before_their_search_and_a_search_or_sort_made_meanwhile_holds(app, narrow):
    import_file(app, ImportRequest(LATEST, write_report=False))
    states = current_workers(app, as_of=TODAY)
    found = in_post_facts(app, as_of=TODAY)
    assert found is not None
    rows_first = prepare_facts(found) if narrow else prepare_workers(states)
    ui = held_back(app)
    async with ui.run_test(size=(160, 40)) as pilot:
        pane = ui.query_one(WorkforcePane)
        table = pane.table
        pane.show(rows_first)
        await pilot.pause()
        assert table.row_count == len(states) > 250
        assert f"{len(states):,} workers" in str(ui.query_one("#workforce-count", Static).render())
        ui.query_one("#filter", Input).value = "care"  # typed before the search is worked out: nothing breaks
        table.post_message(VirtualTable.HeaderSelected(table, 1))  # a click on Name
        await pilot.pause()
        assert table.row_count == len(states) and table.sorted_by == (1, False)
        pane.show(prepare_workers(states))  # the full read's rows before their search: the rows shown stay
        await pilot.pause()
        assert table.row_count == len(states) and table.sorted_by == (1, False)
        pane.show(searchable(prepare_workers(states)))  # the search arrives: the text typed and the sort apply to it
        await pilot.pause()
        shown = [table.get_row_at(i) for i in range(table.row_count)]
        wanted = sorted((r for r in rows_first.rows if "care" in " ".join(r).lower()), key=lambda r: sort_key(r[1]))
        assert shown == wanted and 0 < len(shown) < len(states)


async def test_a_tab_is_built_when_opened_and_shows_what_was_read_for_it_before_or_after(app):
    import_file(app, ImportRequest(LATEST, write_report=False))
    prepared = prepare_milestones(assess_workforce(app, TODAY))
    ui = held_back(app)
    async with ui.run_test(size=(160, 40)) as pilot:
        assert not ui.query("#milestone-list") and not ui.query("#change-list")  # not built until opened
        await pilot.press("m")
        table = ui.query_one("#milestone-list", VirtualTable)
        assert ui.focused is table and table.row_count == 0  # built, focused, still working out
        ui._fill("milestones", "show", lambda: ui._show_milestones(prepared))  # read after it was opened
        assert table.row_count == len(prepared.cells) > 0
        ui._fill("changes", "show", lambda: ui._show_changes([]))  # read before it is opened: kept for it
        ui._fill("imports", "show", lambda: ui.query_one("#history-pane").show([]))
        assert "changes" in ui.waiting and not ui.query("#change-list")
        await pilot.press("l")
        assert ui.focused is ui.query_one("#change-list", VirtualTable) and "changes" not in ui.waiting
        await ui._build_the_rest()  # the rest, as once everything is read
        assert not ui.waiting and ui.query("#import-tree") and ui.query("#projection-pane")


async def test_profile_names_read_after_the_import_pane_went_are_dropped(app):
    """The Import tab reads the saved profiles' names off the screen's thread: when they arrive after the app began
    closing (the pane and its choices gone), they are dropped, not a failure on the way out."""
    ui = held_back(app)
    async with ui.run_test(size=(160, 40)):
        await ui._build_the_rest()
        pane = ui.query_one("#import-pane", ImportPane)
        await pane.remove()
        pane._set_profiles(["council"], None)  # as the worker's callback runs it, late


async def test_export_before_the_projection_tab_was_opened(app, tmp_path):
    import_file(app, ImportRequest(LATEST, write_report=False))
    ui = held_back(app)
    ui.export_folder = tmp_path
    async with ui.run_test(size=(160, 40)) as pilot:
        await pilot.press("x")  # the Projection tab's choices (its defaults) are built for it
        await pilot.pause()
        for worker in [w for w in ui.workers if w.group == "export"]:
            await worker.wait()
        await pilot.pause()
        assert sorted(tmp_path.glob("ecf-projection-*.xlsx"))


async def test_the_rows_shown_first_keep_their_columns_when_the_full_reads_arrive(app):
    """The first rows arrive before the table has a scrollbar; once it shows, the columns are fitted again, so the
    full read's rows (the same) do not shift them sideways."""
    import_file(app, ImportRequest(LATEST, write_report=False))
    found = in_post_facts(app, as_of=TODAY)
    assert found is not None
    ui = held_back(app)
    async with ui.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        pane = ui.query_one(WorkforcePane)
        pane.show(prepare_facts(found))
        await pilot.pause()
        first = (list(pane.table.on_screen), list(pane.table.widths))
        assert pane.table.scrollable_content_region.width < 80  # the scrollbar took its columns
        pane.show(searchable(prepare_workers(current_workers(app, as_of=TODAY))))
        await pilot.pause()
        assert (list(pane.table.on_screen), list(pane.table.widths)) == first


async def test_quitting_while_the_tabs_are_built_ends_quietly(app):
    """`q` the moment loading ends, while the tabs not opened yet are being built in the background: the app closes
    without an error (a pane built as the screen is taken down would find its tables gone)."""
    import_file(app, ImportRequest(LATEST, write_report=False))
    for delay in (0.0, 0.02, 0.05):
        ui = EcfTui(app, today=TODAY)
        async with ui.run_test(size=(100, 30)) as pilot:
            while "load" in {w.name for w in ui.workers if not w.is_finished}:
                await pilot.pause(0.01)
            await pilot.pause(delay)
            await pilot.press("q")
        assert ui.return_code in (0, None)
        assert not getattr(ui, "_exception", None)
