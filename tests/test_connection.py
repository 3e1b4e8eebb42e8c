"""Connection safety: a password never shown, TLS settings passed through, a lost connection one clear line, and the
app (the TUI too) reconnecting by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import PG_URL, SAMPLE
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ecf.services.connection import explain_failure, is_lost_connection
from ecf.services.context import App
from ecf.services.imports import ImportRequest, import_file
from ecf.services.workforce import current_workers
from ecf.storage.database import mask, resolve

SECRET = "s3cret-Pw"
needs_postgres = pytest.mark.skipif(not PG_URL, reason="a server to connect to")


def ecf(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db, *args],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip


def _with(url: str, password: str | None = None, **query: str) -> str:
    parsed = make_url(resolve(url).url)
    if password:
        parsed = parsed.set(username=parsed.username or "postgres", password=password)
    return parsed.update_query_dict(query).render_as_string(hide_password=False)


def test_mask_hides_passwords_in_urls_and_settings() -> None:
    assert mask("postgresql+psycopg://bob:pa@ss@db.council.gov.uk:5432/ecf failed") == (
        "postgresql+psycopg://bob:***@db.council.gov.uk:5432/ecf failed")  # fmt: skip
    assert mask("host=db password='a b' user=x") == "host=db password=*** user=x"
    assert mask("sqlite:////home/hr/ecf.sqlite3") == "sqlite:////home/hr/ecf.sqlite3"


@pytest.mark.parametrize("url", [f"foo://hr:{SECRET}@nowhere/db", f"postgresql://hr:{SECRET}@127.0.0.1:notaport/db",
                                 f"postgresql://hr:{SECRET}@nohost.invalid:5432/ecf?connect_timeout=2"])  # fmt: skip
def test_a_bad_url_with_a_password_is_one_line_without_it(url: str) -> None:
    done = ecf(url, "info")
    assert done.returncode == 2
    assert SECRET not in done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and "***" in done.stderr


@needs_postgres
def test_info_masks_the_password_and_passes_sslmode_through(app: App) -> None:
    url = _with(str(PG_URL), SECRET, sslmode="disable")
    for args in (["info"], ["info", "--format", "json"]):
        done = ecf(url, *args)
        assert done.returncode == 0, done.stderr
        assert SECRET not in done.stdout + done.stderr and "***" in done.stdout and "sslmode=disable" in done.stdout
    assert json.loads(ecf(url, "info", "--format", "json").stdout)[0]["backend"] == "postgresql"
    bogus = ecf(_with(str(PG_URL), SECRET, sslmode="bogus"), "info")  # libpq itself reads the setting
    assert bogus.returncode == 2 and 'invalid sslmode value: "bogus"' in bogus.stderr and SECRET not in bogus.stderr
    assert bogus.stderr.count("\n") == 1


def _drop_my_connections(url: str) -> int:
    """As if the server restarted: end every other session on this database."""
    owner = create_engine(resolve(url).url)
    with owner.begin() as connection:
        ended = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )).scalar()  # fmt: skip
    owner.dispose()
    return int(ended or 0)


@needs_postgres
def test_a_connection_lost_mid_session_is_one_clear_line(app: App) -> None:
    with app.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        assert _drop_my_connections(str(PG_URL)) >= 1
        with pytest.raises(DBAPIError) as lost:
            connection.execute(text("SELECT 1"))
    assert is_lost_connection(lost.value)
    message = explain_failure(lost.value)
    assert message is not None and message.startswith("lost the connection to the database") and "\n" not in message


@needs_postgres
def test_the_app_reconnects_after_the_server_dropped_its_connections(app: App) -> None:
    import_file(app, ImportRequest(sorted((SAMPLE / "monthly").glob("northmoor_hr_2026-10-31.xlsx"))[0]))
    before = len(current_workers(app))
    assert _drop_my_connections(str(PG_URL)) >= 1  # the pool's idle connection is now dead
    assert len(current_workers(app)) == before  # checked before use, and replaced


@needs_postgres
async def test_the_tui_reads_again_after_the_connection_was_lost(app: App) -> None:
    from test_tui import loaded

    from tui import EcfTui

    import_file(app, ImportRequest(sorted((SAMPLE / "monthly").glob("northmoor_hr_2026-10-31.xlsx"))[0]))
    ui = EcfTui(app)
    async with ui.run_test(size=(120, 30)) as pilot:
        await loaded(ui, pilot)
        assert "In post: 310" in ui.sub_title
        _drop_my_connections(str(PG_URL))
        await pilot.press("r")
        await loaded(ui, pilot)
        assert "In post: 310" in ui.sub_title
        assert not [n for n in ui._notifications if n.severity == "error"]
