"""The terminal UI's second process for the reads of every month (ecf.services.side_reads): started only for a long
history; the same answers as reading here; the read done here when the helper cannot answer; the database's errors
as they are; stopped with the interface. SQLite, and PostgreSQL with ECF_TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Iterator
from datetime import date

import pytest
from conftest import SAMPLE
from textual.widgets import DataTable, Static

from ecf.services import side_reads
from ecf.services.census import reminder_line
from ecf.services.context import App
from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import indicator_trend
from ecf.services.side_reads import SideReads
from ecf.storage.database import DatabaseError

MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
DAY = date(2026, 11, 30)


@pytest.fixture
def council(app: App) -> App:
    for path in MONTHS[-3:]:
        import_file(app, ImportRequest(path, write_report=False))
    return app


@pytest.fixture
def always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(side_reads, "WORTH_A_PROCESS", 0)  # any history repays a helper


@pytest.fixture
def helper(council: App, always: None) -> Iterator[SideReads]:
    """A helper process for the council's reads, stopped after the test."""
    side = SideReads(council)
    yield side
    side.close()


def in_the_helper() -> bool:
    return multiprocessing.parent_process() is not None


def where(app: App) -> str:
    return "helper" if in_the_helper() else "here"


def fails_in_the_helper(app: App, value: int) -> int:
    if in_the_helper():
        raise RuntimeError("the helper cannot do this")
    return value


def the_database_refuses(app: App) -> None:
    raise DatabaseError("cannot read the database: permission denied for table worker_snapshots")


def waits(app: App, seconds: float) -> str:
    time.sleep(seconds)
    return "late"


def test_a_councils_history_starts_no_helper(council: App) -> None:
    side = SideReads(council)  # three months of a few hundred workers: far below the threshold
    assert not side.helping
    pending = side.start(council, indicator_trend, None, DAY)
    assert pending.handle is None
    assert pending.answer() == indicator_trend(council, None, DAY)


def test_the_helper_answers_as_a_read_here_would(council: App, helper: SideReads) -> None:
    assert helper.helping
    assert helper.start(council, where).answer() == "helper"
    trend = helper.start(council, indicator_trend, None, DAY)
    line = helper.start(council, reminder_line, date(2026, 10, 5))  # in the census season: a line
    assert trend.handle is not None and line.handle is not None
    found = trend.answer()
    assert found == indicator_trend(council, None, DAY) and found is not None and len(found) == 3
    assert line.answer() == reminder_line(council, date(2026, 10, 5)) is not None


def test_what_the_helper_cannot_do_is_done_here(council: App, helper: SideReads) -> None:
    assert helper.start(council, fails_in_the_helper, 7).answer() == 7


def test_the_databases_own_errors_come_back_as_they_are(council: App, helper: SideReads) -> None:
    with pytest.raises(DatabaseError, match="permission denied for table worker_snapshots"):
        helper.start(council, the_database_refuses).answer()


def test_a_wait_is_abandoned_when_the_interface_closes_and_closing_stops_the_helper(
    council: App, helper: SideReads
) -> None:
    side = helper
    pending = side.start(council, waits, 60)
    started = time.perf_counter()
    assert pending.answer(lambda: time.perf_counter() - started > 0.3) is None
    side.close()
    assert not side.helping
    assert side.start(council, indicator_trend, None, DAY).handle is None  # after closing: read here


@pytest.mark.usefixtures("always")
async def test_the_dashboard_shows_the_helpers_trend(council: App) -> None:
    from tui import EcfTui

    ui = EcfTui(council, today=DAY)
    assert ui.side_reads.helping
    async with ui.run_test(size=(160, 45)) as pilot:
        while pending := [w for w in ui.workers if w.group == "load" and not w.is_finished]:
            await asyncio.gather(*(w.wait() for w in pending), return_exceptions=True)
        await pilot.pause()
        indicators = ui.query_one("#indicators", DataTable)
        trends = [indicators.get_row_at(i)[2] for i in range(indicators.row_count)]
        assert any(trends) and all(len(trend) == 3 for trend in trends if trend)  # one mark per snapshot
        assert "Data as of 31/10/2026" in str(ui.query_one("#dashboard-headline", Static).render())
    assert not ui.side_reads.helping  # stopped with the interface


@pytest.mark.usefixtures("always")
def test_an_in_memory_database_is_never_read_by_a_helper() -> None:
    """Another process opening an in-memory SQLite database would find it empty: everything is read here."""
    memory = App.open("sqlite://")
    try:
        side = SideReads(memory)
        assert not side.helping and side.start(memory, where).answer() == "here"
    finally:
        memory.engine.dispose()


@pytest.mark.usefixtures("always")
def test_a_database_that_cannot_answer_starts_no_helper(council: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """The interface opens even when the database cannot say how much it holds: its own reads then say why."""

    def refused(app: App) -> int:
        raise DatabaseError("cannot read the database: the server closed the connection")

    monkeypatch.setattr(side_reads, "stored_rows", refused)
    assert not SideReads(council).helping
