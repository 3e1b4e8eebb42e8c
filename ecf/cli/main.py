"""The `ecf` command line."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from ecf import __version__
from ecf.cli import common
from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.import_command import run_imports, show_changes
from ecf.cli.output import Format, console, errors, human, render
from ecf.cli.pay_commands import register as register_pay
from ecf.cli.progression_commands import register as register_progression
from ecf.rules.loader import RulesError
from ecf.services.imports import AsOfRequired, changes_since, import_findings, list_imports
from ecf.services.workforce import current_workers, database_info
from ecf.storage.database import DatabaseError
from ecf.storage.repository import RECORD_FIELDS
from importers.mapping import ProfileError, load_profile
from importers.readers import UnreadableFile

app = typer.Typer(
    help="ecf-tracker: the early careers of a council's children's social workers, from the monthly HR file.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
profile_app = typer.Typer(help="Saved header mappings for HR systems whose exports use other headers.")
app.add_typer(profile_app, name="profile")
register_progression(app)
register_pay(app)

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]
DateOption = Annotated[date | None, typer.Option(parser=parse_day, metavar="DD/MM/YYYY")]


def _show_version(value: bool) -> None:
    """Eager, so `ecf --version` works without a command."""
    if value:
        console.print(f"ecf-tracker {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL or SQLite file path (default: ECF_DATABASE_URL, else a private "
            "SQLite file in your data folder).",
            metavar="URL",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", is_eager=True, callback=_show_version)
    ] = False,
    share_group: Annotated[
        bool,
        typer.Option(
            "--share-group", help="Make the files ecf writes (reports, exports) readable by your group (0640)."
        ),
    ] = False,
) -> None:
    from ecf import files

    files.set_share_group(share_group)
    common.state["db"] = db


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Monthly HR files (.xlsx, .xls, .ods or .csv).")],
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=parse_day,
            metavar="DD/MM/YYYY",
            help="Snapshot date. Default: the date in the file name, else you are asked.",
        ),
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", help="Header mapping: a .toml file or a saved profile's name.")
    ] = None,
    accept_valid: Annotated[
        bool, typer.Option("--accept-valid", help="Store the valid rows even if some rows have errors.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Supersede an existing snapshot for the same date (it is kept).")
    ] = False,
) -> None:
    """Import monthly HR files as dated snapshots. Exit code 0 stored (or already stored), 1 errors in the data,
    2 the file cannot be read."""
    raise typer.Exit(run_imports(files, as_of, profile, accept_valid, replace))


@app.command()
def workers(
    fmt: FormatOption = Format.TABLE,
    all_: Annotated[bool, typer.Option("--all", help="Include leavers (their last known facts).")] = False,
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
) -> None:
    """The workforce now: one row per worker, from the latest snapshot each appears in."""
    rows = []
    for state in current_workers(open_app(), include_left=all_, team=team):
        row = {name: getattr(state.record, name) for name in RECORD_FIELDS}
        row["absences"] = [
            {"start": a.period.start, "end": a.period.end, "type": a.absence_type.value} for a in state.record.absences
        ]
        row.update(status=state.status, last_seen=state.last_seen)
        rows.append(row)
    columns = [*RECORD_FIELDS, "absences", "status", "last_seen"]
    shown = [
        "employee_id",
        "surname",
        "forename",
        "team",
        "role",
        "grade",
        "spinal_point",
        "fte",
        "contract_type",
        "start_date",
        "status",
    ]
    render(rows, columns, fmt, table_columns=shown, title=f"{len(rows)} workers", empty="No workers stored yet.")


@app.command()
def imports(fmt: FormatOption = Format.TABLE) -> None:
    """Every import: file, SHA-256, snapshot date, row counts, when."""
    rows = []
    for info in list_imports(open_app()):
        row = asdict(info)
        row["status"] = "active" if info.active else f"superseded by #{info.superseded_by}"
        rows.append(row)
    columns = [
        "id",
        "file_name",
        "as_of",
        "imported_at",
        "sheet",
        "profile",
        "rows_total",
        "rows_accepted",
        "rows_rejected",
        "warnings",
        "accept_valid",
        "status",
        "sha256",
        "superseded_by",
    ]
    shown = [
        "id",
        "file_name",
        "as_of",
        "imported_at",
        "rows_total",
        "rows_accepted",
        "rows_rejected",
        "warnings",
        "status",
    ]
    render(rows, columns, fmt, table_columns=shown, title="Imports", empty="No imports yet.")


@app.command()
def findings(
    import_id: Annotated[
        int | None, typer.Argument(help="Import number (see ecf imports). Default: the newest.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The errors and warnings stored with an import: row, column, value, code and what is wrong."""
    found = import_findings(open_app(), import_id)
    if found is None:
        raise fail(f"no import #{import_id}" if import_id else "no imports yet")
    info, issues = found
    rows = [{**asdict(issue), "file_name": info.file_name} for issue in issues]
    columns = ["file_name", "row_number", "column", "value", "severity", "code", "message"]
    shown = ["row_number", "column", "value", "severity", "code", "message"]
    render(
        rows,
        columns,
        fmt,
        table_columns=shown,
        title=f"Import #{info.id}: {info.file_name}",
        empty=f"Import #{info.id} ({info.file_name}) has no findings.",
    )


@app.command()
def changes(
    since: Annotated[
        date | None,
        typer.Option(
            "--since",
            parser=parse_day,
            metavar="DD/MM/YYYY",
            help="Show changes in snapshots dated on or after this. Default: the latest snapshot's.",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Joiners, leavers and changes of grade, FTE, team, contract and role between monthly snapshots."""
    found = changes_since(open_app(), since)
    if fmt is Format.TABLE:
        show_changes(found, f"Changes in snapshots from {human(since)}" if since else "Changes in the latest snapshot")
        return
    rows = [{**asdict(c), "change": c.kind.value} for c in found]
    render(rows, ["as_of", "employee_id", "name", "change", "before", "after", "detail"], fmt)


@app.command()
def info(fmt: FormatOption = Format.TABLE) -> None:
    """Which database is in use and what it holds."""
    facts = asdict(database_info(open_app()))
    if fmt is not Format.TABLE:
        render([facts], list(facts), fmt)
        return
    labels = {
        "url": "Database",
        "source": "Chosen by",
        "backend": "Backend",
        "schema_revision": "Schema revision",
        "workers": "Workers (ever seen)",
        "in_post": "In post at the latest snapshot",
        "imports": "Imports",
        "snapshots": "Monthly snapshots",
        "latest_as_of": "Latest snapshot date",
        "rejected_rows": "Rejected rows kept",
        "file_size": "File size (bytes)",
    }
    for key, label in labels.items():
        if facts[key] is not None or key not in ("file_size",):
            console.print(f"{label:<32} {human(facts[key]) or '-'}", soft_wrap=True)


@profile_app.command("save")
def profile_save(
    file: Annotated[Path, typer.Argument(help="A mapping profile .toml file.")],
    name: Annotated[str | None, typer.Option("--name", help="Save under this name (default: the file's).")] = None,
) -> None:
    """Check a profile file and save it in the database, to use later as --profile NAME."""
    profile = load_profile(file)
    saved_as = name or profile.name
    with open_app().unit_of_work() as uow:
        uow.profiles.save(saved_as, profile.to_toml(), datetime.now(UTC))
        uow.commit()
    console.print(f"Saved mapping profile '{saved_as}' ({len(profile.columns)} columns).")


@profile_app.command("list")
def profile_list(fmt: FormatOption = Format.TABLE) -> None:
    """The saved mapping profiles."""
    with open_app().unit_of_work() as uow:
        rows = [{"name": name, "saved_at": saved} for name, saved in uow.profiles.all()]
    render(rows, ["name", "saved_at"], fmt, empty="No saved profiles.")


@profile_app.command("show")
def profile_show(name: str) -> None:
    """Print a saved profile as TOML."""
    with open_app().unit_of_work() as uow:
        content = uow.profiles.get(name)
    if content is None:
        raise fail(f"no saved profile called '{name}'")
    console.print(content, highlight=False, markup=False)


@app.command()
def tui(
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="URL", help="Database URL or SQLite file path (the same as ecf --db)."),
    ] = None,
) -> None:
    """Open the terminal UI on the same database."""
    from tui import EcfTui

    if db is not None:  # `ecf tui --db X` as `python tui.py --db X` has it, not only `ecf --db X tui`
        common.state["db"] = db
    EcfTui(open_app()).run()


@app.command()
def demo(
    open_ui: Annotated[bool, typer.Option("--tui/--no-tui", help="Open the terminal UI on it afterwards.")] = True,
) -> None:
    """Build a fresh demo council from sample_data/ (twelve months, its rules) in its own database and open it."""
    from ecf.services.demo import DemoUnavailable, build_demo

    try:
        with console.status("Building the demo council…") as status:
            built = build_demo(tick=lambda name: status.update(f"Imported {name}"))
    except DemoUnavailable as exc:
        raise fail(str(exc)) from exc
    console.print(f"Demo council ready: {built.months} monthly snapshots in {built.path}")
    if open_ui:
        from tui import EcfTui

        EcfTui(built.app).run()


def run() -> None:
    """Entry point: known failures become one line and an exit code, never a traceback."""
    from ecf.files import remove_on_terminate

    remove_on_terminate()  # kill -TERM unwinds like Ctrl-C: the transaction rolls back, temporary files go
    try:
        _run()
    finally:  # the work is done and said: a Ctrl-C while Python shuts down must not turn success into a kill
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run() -> None:
    try:
        code = app(standalone_mode=False)  # click returns the exit code instead of exiting in this mode
    except typer.Exit as exit_:
        code = exit_.exit_code
    except (UnreadableFile, AsOfRequired, ProfileError, DatabaseError, RulesError) as exc:
        from ecf.textsafe import shown

        errors.print(f"[bold red]error:[/] {shown(exc)}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        interrupted()
    except typer.Abort:  # click turns Ctrl-C at a prompt into Abort
        interrupted()
    except Exception as exc:  # usage errors know how to show themselves; anything else is a bug
        # Typer raises click's usage errors (vendored inside typer from 0.2x on, so matched by shape, not class).
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        if os.environ.get("ECF_DEBUG"):
            raise
        from ecf.storage.errors import describe

        database = describe(exc)
        if database is not None:
            errors.print(f"[bold red]error:[/] {database}", highlight=False, markup=True, soft_wrap=True)
            sys.exit(2)
        # The exception's text may quote a cell or a row (names): only its type and where it happened are shown.
        errors.print(
            f"[bold red]internal error:[/] {type(exc).__name__} at {_where(exc)}. Nothing half-stored: each "
            "import is one transaction. Run again with ECF_DEBUG=1 for details.",
            highlight=False,
        )
        sys.exit(3)
    if code == 130:  # typer turns Ctrl-C inside a command into exit code 130, silently
        interrupted()
    sys.exit(code if isinstance(code, int) else 0)


def interrupted() -> None:
    """Ctrl-C anywhere: one line, exit 130. Whatever was being stored was rolled back."""
    errors.print("Interrupted: anything not yet stored was rolled back (an import is stored whole or not at all).")
    sys.exit(130)


def _where(exc: BaseException) -> str:
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    if frame is None:
        return "an unknown place"
    return f"{Path(frame.tb_frame.f_code.co_filename).name}:{frame.tb_lineno}"


if __name__ == "__main__":
    run()
