"""The hostile corpus through `ecf import`: each file refused (exit 2) or its rows refused (exit 1), in one clear
line or a findings table, with no traceback, no internal error, nothing stored, under 1 GB and 10 s each."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.hostile.generate import generate

ROOT = Path(__file__).resolve().parent.parent
MAX_SECONDS = 10
MAX_RSS_KB = 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("hostile"))


def run_import(db_url: str, path: Path) -> tuple[int, str, str, float, int]:
    """Exit code, stdout, stderr, seconds and the child's peak memory (KB), measured for this child alone."""
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env["COLUMNS"] = "100"
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "ecf.cli.main", "--db", db_url, "import", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        out, err = child.communicate(timeout=MAX_SECONDS * 3)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    seconds = time.monotonic() - started
    _, _, usage = os.wait4(child.pid, os.WNOHANG) if child.returncode is None else (0, 0, None)
    rss = usage.ru_maxrss if usage else _peak_of_children()
    return child.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds, rss


def _peak_of_children() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def stored_imports(db_url: str) -> int:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM imports")).scalar_one())
    except Exception:  # no schema: nothing was ever stored
        return 0
    finally:
        engine.dispose()


def test_every_hostile_file_is_refused_cleanly(corpus: list[Path], db_url: str) -> None:
    failures = []
    for path in corpus:
        code, out, err, seconds, rss = run_import(db_url, path)
        problems = []
        if code not in (1, 2):
            problems.append(f"exit {code}")
        if "Traceback" in out + err or "internal error" in out + err:
            problems.append("traceback or internal error")
        if code == 2 and len(err.strip().splitlines()) != 1:
            problems.append(f"{len(err.strip().splitlines())} lines on stderr")
        if seconds > MAX_SECONDS:
            problems.append(f"{seconds:.1f} s")
        if rss > MAX_RSS_KB:
            problems.append(f"{rss // 1024} MB")
        if "\x1b]" in out + err or "\x1b[2J" in out + err:
            problems.append("a terminal escape from the file reached the terminal")
        if stored_imports(db_url):
            problems.append("something was stored")
        if problems:
            failures.append(f"{path.name!r}: {', '.join(problems)}: {(err or out).strip()[-300:]!r}")
    assert not failures, "\n".join(failures)


async def test_the_tui_import_tab_survives_the_corpus(app, tmp_path: Path) -> None:
    """The same files picked in the Import tab: Check (and Import where allowed) says what is wrong in the status
    line, the app stays up, nothing is stored."""
    import asyncio

    from textual.widgets import Input, Static, TabbedContent

    from tests.hostile import generate as hostile
    from tui import EcfTui

    makers = [
        hostile.far_cell, hostile.shared_string_bomb, hostile.two_million_rows, hostile.wide_row,
        hostile.huge_surname_xlsx, hostile.unclosed_quote, hostile.truncated_zip, hostile.a_fifo, hostile.a_folder,
        hostile.header_only, hostile.markup_file_name, hostile.escape_in_file_name, hostile.markup_sheet_name,
        hostile.long_sheet_name, hostile.billion_laughs,
    ]  # fmt: skip
    paths = [make(tmp_path) for make in makers] + hostile.bad_value_files(tmp_path)[:12]
    ui = EcfTui(app, import_folder=tmp_path)
    async with ui.run_test(size=(120, 40)) as pilot:

        async def settle() -> None:
            await pilot.pause()
            while pending := [w for w in ui.workers if w.group != "_loader" and not w.is_finished]:
                await asyncio.gather(*(w.wait() for w in pending), return_exceptions=True)
            await pilot.pause()

        await settle()
        ui.query_one(TabbedContent).active = "import"
        await pilot.pause()
        for path in paths:
            ui.query_one("#import-path", Input).value = str(path)
            await pilot.click("#import-check")
            await settle()
            status = str(ui.query_one("#import-status", Static).render())
            assert ui.is_running, path.name
            assert "Checking" not in status and status.strip(), path.name
            assert "\x1b" not in status, path.name
            if not ui.query_one("#import-go").disabled:  # let it try: it must refuse without a crash
                await pilot.click("#import-go")
                await settle()
        with app.unit_of_work() as uow:
            assert uow.imports.all() == []
