"""The `ecf` command line."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ecf import __version__
from ecf.cli import common, output
from ecf.cli.admin_commands import register as register_admin
from ecf.cli.census_command import register as register_census
from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.import_command import ImportOptions, run_imports, show_changes
from ecf.cli.lazy import defer_rich_extras, lazy, lazy_group
from ecf.cli.lifecycle_commands import register as register_lifecycle
from ecf.cli.output import Format, console, errors, human, markup, render
from ecf.cli.pay_commands import register as register_pay
from ecf.cli.profile_commands import register as register_profiles
from ecf.cli.profile_commands import run_check
from ecf.cli.progression_commands import register as register_progression
from importers.date_order import DateOrder

if TYPE_CHECKING:
    from ecf.services import import_history as import_service
    from ecf.services import workforce
    from ecf.storage import repository
    from importers import mapping
else:  # storage, pandas and the readers load when a command runs: `ecf --help` is instant
    import_service, workforce = lazy("ecf.services.import_history"), lazy("ecf.services.workforce")
    repository, mapping = lazy("ecf.storage.repository"), lazy("importers.mapping")

# Failures that are the user's to fix (one line, exit 2), by module and class: a module not yet imported cannot
# have raised one, so none is imported just to be caught.
KNOWN_ERRORS = (
    ("importers.readers", "UnreadableFile"), ("ecf.services.imports", "AsOfRequired"),
    ("importers.mapping", "ProfileError"), ("ecf.storage.database", "DatabaseError"),
    ("ecf.rules.loader", "RulesError"),
)  # fmt: skip

defer_rich_extras()
# Commands and groups are registered on `commands` and built one at a time by the group `app` makes (ecf.cli.lazy):
# typer reads a command's signature only when it runs, and `ecf --help` reads only the help texts.
commands = typer.Typer()
app = typer.Typer(
    help="ecf-tracker: the early careers of a council's children's social workers, from the monthly HR file.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    cls=lazy_group(commands),
)
profile_app = typer.Typer(help="Header mappings for HR systems whose exports use other headers: built-in and saved.")
commands.add_typer(profile_app, name="profile")
register_progression(commands)
register_pay(commands)
register_profiles(profile_app)
register_census(commands)
register_admin(commands)
register_lifecycle(commands)

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
    width: Annotated[
        int | None,
        typer.Option("--width", min=20, metavar="N", help="Fit tables to N columns (default: the terminal's, or 80)."),
    ] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Show every column of a table, however wide.")] = False,
    share_group: Annotated[
        bool,
        typer.Option(
            "--share-group", help="Make the files ecf writes (reports, exports) readable by your group (0640)."
        ),
    ] = False,
) -> None:
    from ecf import files

    files.set_share_group(share_group)
    output.view.update(width=width, wide=wide)
    if width is not None:
        console.width = width
    common.state["db"] = db


@commands.command("import")
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
        str | None,
        typer.Option("--profile", help="Header mapping: a .toml file, a saved profile's name or a built-in one's."),
    ] = None,
    accept_valid: Annotated[
        bool, typer.Option("--accept-valid", help="Store the valid rows even if some rows have errors.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Supersede an existing snapshot for the same date (it is kept).")
    ] = False,
    check: Annotated[bool, typer.Option("--check", help="Show the mapping and every finding; store nothing.")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="List every finding's row, not only the counts by kind.")
    ] = False,
    correct: Annotated[
        bool,
        typer.Option("--correct", help="Apply a partial file to the month's snapshot: only the workers in it change."),
    ] = False,
    allow_drop: Annotated[
        bool, typer.Option("--allow-drop", help="Store it even if many workers vanish without a leaving date.")
    ] = False,
    dates: Annotated[
        DateOrder, typer.Option("--dates", help="Date order of d/m/y text: auto (per column), dmy or mdy.")
    ] = DateOrder.AUTO,
) -> None:
    """Import monthly HR files (or census XML returns) as dated snapshots. Exit code 0 stored (or already stored),
    1 errors in the data, 2 the file cannot be read."""
    if check:
        raise typer.Exit(run_check(files, as_of, profile))
    options = ImportOptions(accept_valid, replace, correct, allow_drop, dates)
    raise typer.Exit(run_imports(files, as_of, profile, options, details))


@commands.command()
def workers(
    fmt: FormatOption = Format.TABLE,
    all_: Annotated[bool, typer.Option("--all", help="Include leavers (their last known facts).")] = False,
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
) -> None:
    """The workforce now: one row per worker, from the latest snapshot each appears in."""
    rows = []
    for state in workforce.current_workers(open_app(), include_left=all_, team=team):
        row = {name: getattr(state.record, name) for name in repository.RECORD_FIELDS}
        row["absences"] = [
            {"start": a.period.start, "end": a.period.end, "type": a.absence_type.value} for a in state.record.absences
        ]
        row.update(status=state.status, last_seen=state.last_seen)
        row["name"] = state.record.name
        rows.append(row)
    columns = [*repository.RECORD_FIELDS, "absences", "status", "last_seen"]
    shown = [
        "employee_id",
        "name",
        "team",
        "role",
        "grade",
        "spinal_point",
        "fte",
        "contract_type",
        "start_date",
        "status",
    ]
    render(rows, columns, fmt, table_columns=shown, title=f"{len(rows)} workers", empty="No workers stored yet.",
           keep=("employee_id", "name", "status"))  # fmt: skip


@commands.command()
def findings(
    import_id: Annotated[
        int | None, typer.Argument(help="Import number (see ecf imports). Default: the newest.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The errors and warnings stored with an import: row, column, value, code and what is wrong."""
    found = import_service.import_findings(open_app(), import_id)
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
        keep=("row_number", "code", "message"),
        headers={"code": "Problem", "message": "What is wrong"},
        drop=("severity",),
    )


@commands.command()
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
    found = import_service.changes_since(open_app(), since)
    if fmt is Format.TABLE:
        show_changes(found, f"Changes in snapshots from {human(since)}" if since else "Changes in the latest snapshot")
        return
    rows = [{**asdict(c), "change": c.kind.value} for c in found]
    render(rows, ["as_of", "employee_id", "name", "change", "before", "after", "detail"], fmt)


@commands.command()
def info(fmt: FormatOption = Format.TABLE) -> None:
    """Which database is in use and what it holds."""
    facts = asdict(workforce.database_info(open_app()))
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
        "missing_months": "Months without a snapshot",
        "rejected_rows": "Rejected rows kept",
        "file_size": "File size (bytes)",
    }
    for key, label in labels.items():
        if facts[key] is not None or key not in ("file_size",):
            value = human(facts[key]) or "-"
            # A path is never split: too long to sit beside its label, it goes on the next line.
            line = f"{label:<32} {value}" if 33 + len(value) <= console.width else f"{label}\n  {value}"
            console.print(line, soft_wrap=True, markup=False, highlight=False)


@commands.command()
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


@commands.command()
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


VIEW_OPTIONS = ("--wide", "--width")


def hoisted(args: list[str]) -> list[str]:
    """`ecf workers --wide` as well as `ecf --wide workers`: the table options belong to the main command, so they
    are moved in front of the subcommand wherever they are typed (the footer of a narrowed table suggests them)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--wide" or arg.startswith("--width="):
            front.append(arg)
        elif arg == "--width" and i + 1 < len(args):
            front += [arg, args[i + 1]]
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def known(exc: BaseException) -> bool:
    for module_name, class_name in KNOWN_ERRORS:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(exc, getattr(module, class_name)):
            return True
    return False


def run() -> None:
    """Entry point: known failures become one line and an exit code, never a traceback."""
    from ecf.files import remove_on_terminate

    remove_on_terminate()  # kill -TERM unwinds like Ctrl-C: the transaction rolls back, temporary files go
    try:
        _run()
    finally:  # the work is done and said: a Ctrl-C while Python shuts down must not turn success into a kill
        import gc
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Python's last act is a full collection of every object the command made, to free memory the system takes
        # back anyway: a tenth of a second after `ecf --help`, more after a big listing. Frozen, they are left be
        # (objects still go as their references do; files are closed by the with-blocks that opened them).
        gc.freeze()


def _run() -> None:
    try:
        # click returns the exit code instead of exiting in this mode
        code = app(args=hoisted(sys.argv[1:]), prog_name="ecf", standalone_mode=False)
    except typer.Exit as exit_:
        code = exit_.exit_code
    except KeyboardInterrupt:
        interrupted()
    except typer.Abort:  # click turns Ctrl-C at a prompt into Abort
        interrupted()
    except Exception as exc:  # usage errors know how to show themselves; anything else is a bug
        if known(exc):
            errors.print(f"[bold red]error:[/] {markup(exc)}", highlight=False, soft_wrap=True)
            sys.exit(2)
        # Typer raises click's usage errors (vendored inside typer from 0.2x on, so matched by shape, not class).
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        if os.environ.get("ECF_DEBUG"):
            raise
        from ecf.services.connection import explain_failure
        from ecf.storage.errors import describe

        explained = explain_failure(exc)  # a refused permission or a lost connection: one plain line
        if explained:
            errors.print(f"[bold red]error:[/] {markup(explained)}", highlight=False, soft_wrap=True)
            sys.exit(2)
        database = describe(exc)  # what failed and what to do, never the SQL or its values (names)
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
    errors.print(
        "Interrupted: anything not yet stored was rolled back (an import is stored whole or not at all).",
        soft_wrap=True,  # one line, whatever the width
    )
    # CPython marks a Ctrl-C that lands inside code run from a string (exec of source text, as dataclasses build
    # their methods while modules load) as never handled, and at exit kills itself with SIGINT instead of exiting
    # 130, however it was handled here. Running any string to its end clears that mark.
    exec("pass")
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
