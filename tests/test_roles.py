"""Roles on PostgreSQL, with real logins: what HR, a lead, finance and an admin can and cannot do, asked of the
database itself and of the CLI. Each run makes its own roles under a random prefix (roles are cluster-wide) and drops
them afterwards. Skipped on SQLite, which is single-user."""

from __future__ import annotations

import csv
import io
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import PG_URL, SAMPLE
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from ecf.services import admin
from ecf.services.context import App
from ecf.services.imports import ImportRequest, import_file
from ecf.storage.database import resolve

pytestmark = pytest.mark.skipif(not PG_URL, reason="roles are PostgreSQL's; SQLite is single-user")

MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
KINDS = ("hr", "lead", "finance", "admin")


@dataclass
class Logins:
    roles: admin.Roles
    urls: dict[str, str]  # kind (or "nobody") -> URL connecting as that login
    owner: App

    def engine(self, kind: str) -> Engine:
        return create_engine(resolve(self.urls[kind]).url)


def _drop_roles(owner: Engine, prefix: str) -> None:
    with owner.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}finance_views" CASCADE'))
        names = connection.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"{prefix}%"})
        for (name,) in list(names):
            connection.execute(text(f'DROP OWNED BY "{name}"'))
            connection.execute(text(f'DROP ROLE "{name}"'))


@pytest.fixture
def logins(app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[Logins]:
    prefix = f"h19_{secrets.token_hex(3)}_"
    roles = admin.Roles(prefix)
    monkeypatch.setenv(admin.PREFIX_VAR, prefix)  # the CLI run by the tests uses the same set
    for month in MONTHS[-1:]:
        import_file(app, ImportRequest(month))
    urls = {}
    try:
        admin.setup_roles(app, roles)
        with app.engine.begin() as connection:
            for kind in (*KINDS, "nobody"):
                connection.execute(text(f'CREATE ROLE "{prefix}{kind}_login" LOGIN'))
        for kind in (*KINDS, "nobody"):
            if kind != "nobody":
                admin.grant(app, f"{prefix}{kind}_login", kind, roles)
            urls[kind] = (
                make_url(resolve(str(PG_URL)).url)
                .set(username=f"{prefix}{kind}_login")
                .render_as_string(hide_password=False)
            )
        yield Logins(roles, urls, app)
    finally:
        _drop_roles(app.engine, prefix)


def ecf(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", url, *args],
                          capture_output=True, text=True, env=env, timeout=180)  # fmt: skip


def _refused(engine: Engine, sql: str) -> bool:
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    except DBAPIError as exc:
        return getattr(exc.orig, "sqlstate", None) == "42501"  # insufficient privilege, or the trigger's refusal
    return False


def _personal_values(owner: Engine) -> set[str]:
    with owner.connect() as connection:
        rows = connection.execute(text("SELECT employee_id, surname, forename, swe_number FROM worker_snapshots"))
        return {value for row in rows for value in row if value}


def test_finance_cannot_select_a_name_or_an_id_from_any_table_or_view(logins: Logins) -> None:
    personal = _personal_values(logins.owner.engine)
    finance = logins.engine("finance")
    readable = text(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' AND has_table_privilege(c.oid, 'SELECT')"
    )
    with finance.connect() as connection:
        relations = list(connection.execute(readable))
        assert ("public", "worker_snapshots") not in relations
        assert (logins.roles.views_schema, "worker_snapshots") in relations
        seen = 0
        for schema, name in relations:
            for row in connection.execute(text(f'SELECT * FROM "{schema}"."{name}"')):
                cells = {str(value) for value in row if value is not None}
                assert not cells & personal, f"{schema}.{name} shows personal data to finance"
                seen += 1
        assert seen > 300  # it did read the snapshot rows, under pseudonyms
    for table in ("worker_snapshots", "import_issues", "rejected_rows", "absences", "audit_events"):
        assert _refused(finance, f"SELECT * FROM public.{table}"), table
    finance.dispose()


def test_a_table_added_later_is_readable_by_hr_and_hidden_from_finance(logins: Logins) -> None:
    with logins.owner.engine.begin() as connection:  # as a later migration would, run by the owner
        connection.execute(text("CREATE TABLE special_category (employee_id text, ethnicity text)"))
        connection.execute(text("INSERT INTO special_category VALUES ('006516', 'x')"))
    hr, finance = logins.engine("hr"), logins.engine("finance")
    with hr.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM special_category")).scalar() == 1
    assert _refused(finance, "SELECT * FROM public.special_category")
    hr.dispose()
    finance.dispose()


def test_a_lead_cannot_import_but_can_record_and_hr_can_import(logins: Logins, tmp_path) -> None:
    lead = ecf(logins.urls["lead"], "import", str(MONTHS[-3]))
    assert lead.returncode == 2
    assert lead.stderr.strip() == f"error: importing needs the {logins.roles.hr} role; ask your ecf administrator"
    engine = logins.engine("lead")
    assert _refused(engine, "INSERT INTO imports (file_name, sha256, as_of, imported_at, header_row, rows_total, "
                            "rows_accepted, rows_rejected, warnings, accept_valid) VALUES "
                            "('x', 'x', '2026-01-01', now(), 1, 0, 0, 0, 0, false)")  # fmt: skip
    assert _refused(engine, "DELETE FROM worker_snapshots")
    with engine.begin() as connection:  # a lead records milestones (and the audit entry that goes with it)
        connection.execute(text("INSERT INTO milestone_events (employee_id, framework, milestone, recorded_at) "
                                "VALUES ('000001', 'asye', 'review_3m', now())"))  # fmt: skip
        connection.execute(text("INSERT INTO audit_events (at, actor, action) VALUES (now(), current_user, 'record')"))
    engine.dispose()
    hr = ecf(logins.urls["hr"], "import", str(MONTHS[-3]))
    assert hr.returncode == 0, hr.stderr
    with logins.owner.engine.connect() as connection:
        actor = connection.execute(text("SELECT actor FROM audit_events WHERE action = 'record'")).scalar()
    assert actor == f"{logins.roles.prefix}lead_login"


def test_cli_refusals_are_one_line_naming_the_role(logins: Logins) -> None:
    roles = logins.roles
    cases = [
        ("finance", ["workers"], f"reading workers' details needs the {roles.hr} or {roles.lead} or {roles.admin}"),
        ("lead", ["rules", "clear"], f"changing the rules needs the {roles.admin} role"),
        ("finance", ["record", "000001", "review_3m", "--date", "01/10/2026"], "recording a milestone needs"),
        ("hr", ["admin", "grant", f"{roles.prefix}nobody_login", "hr"], "managing roles needs the database owner"),
        ("nobody", ["workers"], "this login holds no ecf role there"),
    ]
    for kind, args, expected in cases:
        done = ecf(logins.urls[kind], *args)
        assert done.returncode == 2, (kind, args, done.stdout)
        line = done.stderr.strip()
        assert "\n" not in line and expected in line and "Traceback" not in line, (kind, args, line)


def test_finance_projects_and_exports_the_same_costs_as_hr_under_pseudonyms(logins: Logins, tmp_path) -> None:
    finance = ecf(logins.urls["finance"], "project", "--years", "2", "--format", "csv")
    hr = ecf(logins.urls["hr"], "project", "--years", "2", "--format", "csv")
    assert finance.returncode == 0, finance.stderr
    assert finance.stdout == hr.stdout and "baseline" in finance.stdout
    done = ecf(logins.urls["finance"], "export", str(tmp_path / "costs.xlsx"))
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "costs.xlsx", read_only=True)
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert not cells & _personal_values(logins.owner.engine)


def test_nobody_but_the_owner_can_alter_the_audit_table(logins: Logins) -> None:
    with logins.owner.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar()  # roles-setup, role-grant …
    for kind in (*KINDS, "nobody"):
        engine = logins.engine(kind)
        for sql in (
            "UPDATE public.audit_events SET actor = 'x'",
            "DELETE FROM public.audit_events",
            "TRUNCATE public.audit_events",
            "DROP TABLE public.audit_events",
            "ALTER TABLE public.audit_events DISABLE TRIGGER audit_events_append_only",
        ):
            try:
                with engine.begin() as connection:
                    connection.execute(text(sql))
            except DBAPIError as exc:
                assert getattr(exc.orig, "sqlstate", None) == "42501", (kind, sql, exc)
            else:
                pytest.fail(f"{kind} could run {sql}")
        engine.dispose()
    # the owner is refused too, by the trigger, unless it lifts the guard on purpose (retention does, audited)
    assert _refused(logins.owner.engine, "UPDATE audit_events SET actor = 'x'")
    assert _refused(logins.owner.engine, "DELETE FROM audit_events")


def test_grant_revoke_and_the_owner_only_admin_commands(logins: Logins) -> None:
    login = f"{logins.roles.prefix}nobody_login"
    owner_url = str(PG_URL)
    done = ecf(owner_url, "admin", "grant", login, "lead")
    assert done.returncode == 0 and f"Granted {logins.roles.lead} to {login}" in done.stdout
    assert ecf(logins.urls["nobody"], "workers").returncode == 0
    listed = ecf(owner_url, "admin", "roles").stdout
    assert login in listed and logins.roles.lead in listed
    assert ecf(owner_url, "admin", "revoke", login, "lead").returncode == 0
    assert ecf(logins.urls["nobody"], "workers").returncode == 2
    unknown = ecf(owner_url, "admin", "grant", "h19_no_such_login", "hr")
    assert unknown.returncode == 2 and "no database login called 'h19_no_such_login'" in unknown.stderr
    bad_role = ecf(owner_url, "admin", "grant", login, "boss")
    assert bad_role.returncode == 2 and "no role 'boss'" in bad_role.stderr
    with logins.owner.engine.connect() as connection:
        actions = list(connection.execute(text("SELECT action, subject, actor FROM audit_events ORDER BY id")))
    assert ("role-revoke", f"role {logins.roles.lead}") in [(a, s) for a, s, _ in actions]


def test_team_scopes_let_a_managers_login_see_only_their_teams(logins: Logins) -> None:
    from ecf.services import team_scopes

    admin.setup_roles(logins.owner, logins.roles, team_scopes=True)
    lead_login = f"{logins.roles.prefix}lead_login"
    team_scopes.scope(logins.owner, lead_login, ["Child Protection", "Care Leavers"])
    lead, hr = logins.engine("lead"), logins.engine("hr")
    query = text("SELECT DISTINCT team FROM worker_snapshots")
    with lead.connect() as connection:
        assert {team for (team,) in connection.execute(query)} == {"Child Protection", "Care Leavers"}
        absent = connection.execute(text(
            "SELECT count(*) FROM absences a WHERE NOT EXISTS "
            "(SELECT 1 FROM worker_snapshots w WHERE w.employee_id = a.employee_id)")).scalar()  # fmt: skip
        assert absent == 0
    with hr.connect() as connection:
        assert len({team for (team,) in connection.execute(query)}) > 2  # not scoped: every team
    listed = ecf(logins.urls["lead"], "workers", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    teams = {row["team"] for row in csv.DictReader(io.StringIO(listed.stdout))}
    assert teams <= {"Child Protection", "Care Leavers"} and teams
    team_scopes.scope(logins.owner, lead_login, [])  # back to every team
    with lead.connect() as connection:
        assert len({team for (team,) in connection.execute(query)}) > 2
    refused = ecf(logins.urls["admin"], "admin", "scope", lead_login, "Care Leavers")
    assert refused.returncode == 2 and "managing roles needs the database owner" in refused.stderr
    admin.setup_roles(logins.owner, logins.roles, team_scopes=False)
    lead.dispose()
    hr.dispose()


async def test_the_tui_tells_a_lead_importing_which_role_it_needs(logins: Logins, tmp_path) -> None:
    from conftest import worker, write_xlsx
    from test_tui import loaded
    from textual.widgets import Input, Static, TabbedContent

    from tui import EcfTui

    good = write_xlsx(tmp_path / "hr_2026-11-30.xlsx", [worker("000101"), worker("000102")])
    ui = EcfTui(App.open(logins.urls["lead"]), import_folder=tmp_path)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        assert "In post:" in ui.sub_title  # a lead reads everything
        ui.query_one(TabbedContent).active = "import"
        await pilot.pause()
        ui.query_one("#import-path", Input).value = str(good)
        await pilot.click("#import-check")
        await loaded(ui, pilot)
        await pilot.click("#import-go")
        await loaded(ui, pilot)
        status = str(ui.query_one("#import-status", Static).render())
        assert status == f"importing needs the {logins.roles.hr} role; ask your ecf administrator"
    ui.ecf.engine.dispose()


async def test_finance_opens_the_tui_on_pseudonymised_workers_without_names(logins: Logins) -> None:
    from test_tui import loaded

    from ecf.panes.table import VirtualTable
    from tui import EcfTui

    personal = _personal_values(logins.owner.engine)
    ui = EcfTui(App.open(logins.urls["finance"]))
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        assert "In post: 310" in ui.sub_title
        assert not [n for n in ui._notifications if n.severity == "error"]
        table = ui.query_one("#workers", VirtualTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert len(rows) == 310 and all(str(row[0]).startswith("P") for row in rows)
        assert not {str(cell) for row in rows for cell in row} & personal
    ui.ecf.engine.dispose()


def test_an_upgrade_widens_finance_view_of_worker_latest_so_its_projection_still_runs(logins: Logins) -> None:
    """A finance view made before worker_latest kept start dates lists the table's columns as they were; the
    migration that adds them adds them to the view too, so finance projects before anyone runs setup-roles again."""
    import importlib.util
    import re
    from pathlib import Path

    view = f'"{logins.roles.views_schema}"."worker_latest"'
    finance = f'"{logins.roles.finance}"'
    with logins.owner.engine.begin() as connection:
        definition = connection.execute(text("SELECT pg_get_viewdef(CAST(:v AS regclass))"), {"v": view}).scalar()
        before = re.sub(r",\s*t\.first_start,\s*t\.last_start", "", str(definition)).rstrip().rstrip(";")
        assert "first_start" not in before
        connection.execute(text(f"DROP VIEW {view}"))
        connection.execute(text(f"CREATE VIEW {view} AS {before}"))
        connection.execute(text(f"GRANT SELECT ON {view} TO {finance}"))
    path = Path(admin.__file__).parent.parent / "storage" / "migrations" / "versions" / "0012_i20_returners.py"
    spec = importlib.util.spec_from_file_location("i20", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with logins.owner.engine.begin() as connection:
        migration.widen_finance_views(connection)
    with logins.engine("finance").connect() as connection:
        rows = connection.execute(text("SELECT employee_id, first_start, last_start FROM worker_latest")).all()
    assert rows and all(first is not None and last is not None and id_.startswith("P") for id_, first, last in rows)
    finance_run = ecf(logins.urls["finance"], "project", "--years", "1", "--format", "csv")
    assert finance_run.returncode == 0, finance_run.stderr
    assert finance_run.stdout == ecf(logins.urls["hr"], "project", "--years", "1", "--format", "csv").stdout
