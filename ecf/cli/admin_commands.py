"""`ecf admin …` (roles on a shared PostgreSQL database), and the check every command makes before it starts: does the
connected login hold the role this command needs?"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ecf.cli import common
from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.lazy import lazy
from ecf.cli.output import console
from ecf.progression.calendar import uk

if TYPE_CHECKING:
    from ecf.services import admin
    from ecf.services.context import App
else:  # SQLAlchemy loads with the first command that needs the database, not with `ecf --help`
    admin = lazy("ecf.services.admin")

admin_app = typer.Typer(help="Roles and grants on a shared PostgreSQL database (run by the database owner).")

# Which capability (ecf.services.admin.CAPABILITIES) each command needs; a command not listed reads only what every
# role may read (rules, pay scales, aggregate indicators). Nested commands by their path: "rules set".
COMMAND_NEEDS: dict[str, str] = {
    "import": "import",
    "correct": "correct",
    "undo": "undo",
    "imports undo": "undo",
    "imports restore": "undo",
    "profile save": "profiles",
    "record": "record",
    "rules set": "rules",
    "rules clear": "rules",
    "pay set": "pay",
    "pay clear": "pay",
    "pay restore": "pay",
    "scenario import": "scenarios",
    "scenario delete": "scenarios",
    "scenario restore": "scenarios",
    "census": "census",
    "workers": "read",
    "worker": "read",
    "milestones": "read",
    "stages": "read",
    "grants": "read",
    "changes": "read",
    "findings": "read",
    "audit": "read",
    "project": "project",
    "export": "project",
    "subject-access": "subject-access",
    "backup": "backup",
    "restore": "restore",
}


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
    for command in (backup, restore, retention):
        app.command()(command)
    app.command("subject-access")(subject_access)


def command_path() -> str | None:
    """The running command as typed after `ecf` ("rules set"), or None outside a command."""
    from typer._click.globals import get_current_context

    context = get_current_context(silent=True)
    names: list[str] = []
    while context is not None and context.parent is not None:  # the root's name is however ecf was started
        names.insert(0, context.info_name or "")
        context = context.parent
    return " ".join(names) or None


def check_command(app: App) -> None:
    """Refuse, in one line naming the role, a command the connected login may not run (PostgreSQL only)."""
    path = command_path()
    needed = COMMAND_NEEDS.get(path or "")
    if needed is not None:
        admin.require(app, needed)


DbOption = Annotated[str | None, typer.Option("--db", metavar="URL", help="Database URL (the same as ecf --db).")]


def _use(db: str | None) -> None:
    if db is not None:
        common.state["db"] = db


@admin_app.command("setup-roles")
def setup_roles(
    db: DbOption = None,
    team_scopes: Annotated[
        bool | None,
        typer.Option(
            "--team-scopes/--no-team-scopes",
            help="Row-level security: a login given teams (ecf admin scope) sees only those teams.",
        ),
    ] = None,
) -> None:
    """Create the group roles (ecf_hr, ecf_lead, ecf_finance, ecf_admin, or another prefix set in ECF_ROLE_PREFIX)
    and grant each its rights. Safe to run again after an upgrade: it brings the grants up to date."""
    _use(db)
    result = admin.setup_roles(open_app(), team_scopes=team_scopes)
    console.print(f"Roles ready: {', '.join(result.roles)}; {result.tables} tables granted by schema; finance reads "
                  f"{len(result.views)} views with pseudonymised IDs.")  # fmt: skip


@admin_app.command("grant")
def grant(
    login: Annotated[str, typer.Argument(help="The database login (it must exist: CREATE ROLE name LOGIN).")],
    role: Annotated[str, typer.Argument(help="hr, lead, finance or admin (or its full name, e.g. ecf_hr).")],
    db: DbOption = None,
) -> None:
    """Give a login one of the ecf roles."""
    group = _membership(admin.grant, db, login, role)
    console.print(f"Granted {group} to {login}.")


@admin_app.command("revoke")
def revoke(
    login: Annotated[str, typer.Argument(help="The database login.")],
    role: Annotated[str, typer.Argument(help="hr, lead, finance or admin (or its full name).")],
    db: DbOption = None,
) -> None:
    """Take one of the ecf roles away from a login."""
    group = _membership(admin.revoke, db, login, role)
    console.print(f"Revoked {group} from {login}.")


def _membership(change: Callable[[App, str, str], str], db: str | None, login: str, role: str) -> str:
    """Grant or revoke: the group role changed, or one line saying why not."""
    _use(db)
    try:
        return change(open_app(), login, role)
    except ValueError as exc:
        raise fail(str(exc)) from exc


@admin_app.command("scope")
def scope(
    login: Annotated[str, typer.Argument(help="The database login (a team manager's).")],
    teams: Annotated[list[str] | None, typer.Argument(help="The teams it sees; none: every team.")] = None,
    db: DbOption = None,
) -> None:
    """Limit what a login sees to its teams' workers (needs setup-roles --team-scopes)."""
    from ecf.services.team_scopes import scope as set_scope

    _use(db)
    set_scope(open_app(), login, teams or [])
    console.print(f"{login} now sees {', '.join(teams) if teams else 'every team'}.", highlight=False)


@admin_app.command("roles")
def roles(db: DbOption = None) -> None:
    """Who holds which ecf role."""
    _use(db)
    found = admin.members(open_app())
    if not found:
        console.print("No login holds an ecf role yet.")
    for membership in found:
        console.print(f"{membership.login:<30} {', '.join(membership.roles)}", highlight=False)


def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (a new file, private to you).")],
    pg_dump: Annotated[
        bool, typer.Option("--pg-dump", help="PostgreSQL only: write pg_dump's custom format instead.")
    ] = False,
) -> None:
    """A consistent copy of the whole database while others keep working: one SQLite file, whichever database it
    comes from (SQLite's online backup; on PostgreSQL one read-only snapshot), with its row counts."""
    from ecf.services import backup as service

    app = open_app()
    if pg_dump:
        console.print(
            f"Wrote {service.pg_dump_backup(app, file)} with pg_dump (restore it with pg_restore).", soft_wrap=True
        )
        return
    result = service.backup(app, file)
    console.print(f"Backed up {result.rows:,} rows in {sum(1 for n in result.counts.values() if n)} tables from "
                  f"{result.backend} (schema {result.revision}) to {result.path}.", soft_wrap=True)  # fmt: skip


def restore(file: Annotated[Path, typer.Argument(help="A backup written by ecf backup.")]) -> None:
    """Restore a backup into an empty database (a new SQLite file, or a new PostgreSQL database), checking that every
    table's row count matches the backup's before anything is stored."""
    from ecf.services import backup as service

    result = service.restore(open_app(), file)
    taken = datetime.fromisoformat(result.manifest.taken_at)
    console.print(f"Restored {result.rows:,} rows from a {result.manifest.backend} backup of "
                  f"{taken:%d/%m/%Y %H:%M} UTC; every table's count matches.", soft_wrap=True)  # fmt: skip


def retention(
    left_before: Annotated[
        date | None,
        typer.Option(
            "--left-before",
            parser=parse_day,
            metavar="DD/MM/YYYY",
            help="Workers who left before this date. Default: today less the council's retention_years (6).",
        ),
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Anonymise them (the database owner only).")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list them and what would change (the default).")
    ] = False,
) -> None:
    """List, then with --apply anonymise, the personal data of workers who left before a date: names, IDs, SWE
    numbers and free text go; the anonymous facts stay, so indicators and cohorts for those years still add up."""
    from ecf.services import retention as service

    app = open_app()
    cutoff = left_before or service.default_cutoff(app, date.today())
    result = service.apply(app, cutoff) if apply and not dry_run else service.plan(app, cutoff)
    if not result.leavers:
        console.print(f"No worker left before {uk(cutoff)} whose personal data is still held.")
        return
    done = apply and not dry_run
    console.print(f"{len(result.leavers)} worker(s) left before {uk(cutoff)}:", highlight=False)
    for leaver in result.leavers:
        console.print(f"  {leaver.employee_id:<12} left {uk(leaver.left_on)}  {leaver.team or ''}", highlight=False)
    parts = [f"{n} own row(s) in {t}" for t, n in result.own_rows.items()]
    parts += [f"{n} row(s) removed from {t}" for t, n in result.removed_rows.items()]
    parts += [f"{n} mention(s) in {t}" for t, n in result.mentions.items()]
    line = ("Anonymised: " if done else "Would anonymise: ") + "; ".join(parts) + "."
    console.print(line, highlight=False, soft_wrap=True)
    if not done:
        console.print("Nothing changed (a dry run). Run again with --apply to anonymise them.")


def subject_access(
    employee_id: Annotated[str, typer.Argument(help="The worker's employee ID.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write: FILE.xlsx and FILE.json (new files).")],
) -> None:
    """Everything held about one worker (every snapshot row, recorded milestones, findings and rejected rows, audit
    entries about them) as a readable workbook and as JSON, both private to you."""
    from ecf.services import subject_access as service

    try:
        held, workbook, data = service.subject_access(open_app(), employee_id, out)
    except service.SubjectAccessError as exc:
        raise fail(str(exc), 1) from exc
    counts = ", ".join(f"{table} {count}" for table, count in held.counts.items())
    console.print(f"Wrote {workbook} and {data}: {counts}.", highlight=False, soft_wrap=True)
