"""`ecf imports` (list, undo, restore) and `ecf audit`: the import lifecycle and who did what, when."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time
from typing import Annotated

import typer

from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.output import Format, console, human, render

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]

IMPORT_COLUMNS = [
    "id", "kind", "file_name", "as_of", "imported_at", "sheet", "profile", "rows_total", "rows_accepted",
    "rows_rejected", "warnings", "accept_valid", "status", "base_id", "superseded_by", "sha256",
]  # fmt: skip
IMPORT_SHOWN = ["id", "kind", "file_name", "as_of", "imported_at", "rows_total", "rows_accepted", "rows_rejected",
                "status"]  # fmt: skip


def register(app: typer.Typer) -> None:
    imports_app = typer.Typer(help="Every import and correction; undo or restore one.", invoke_without_command=True)
    app.add_typer(imports_app, name="imports")
    imports_app.callback(invoke_without_command=True)(imports)
    imports_app.command("undo")(undo)
    imports_app.command("restore")(restore)
    app.command("audit")(audit)


def imports(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Every import and correction: kind, file, snapshot date, row counts, status (active, superseded, withdrawn)."""
    if ctx.invoked_subcommand is not None:
        return
    from ecf.services.import_history import list_imports

    listed = list_imports(open_app())
    by_id = {info.id: info for info in listed}
    rows = []
    for info in listed:
        row = asdict(info)
        row["status"] = info.status
        base = by_id.get(info.base_id) if info.base_id else None
        if base is not None and info.active and not base.active:
            row["status"] = f"inactive (its import #{base.id} is {base.status})"
        elif fmt is Format.TABLE and info.superseded_by and info.status == "superseded":
            row["status"] = f"superseded by #{info.superseded_by}"
        if fmt is Format.TABLE and info.base_id:
            row["kind"] = f"correction of #{info.base_id}"
        rows.append(row)
    render(rows, IMPORT_COLUMNS, fmt, table_columns=IMPORT_SHOWN, title="Imports", empty="No imports yet.")


def undo(import_id: Annotated[int, typer.Argument(help="Import or correction number (see ecf imports).")]) -> None:
    """Withdraw an import or correction: its month falls back to what it was before it. Nothing is deleted."""
    from ecf.services.lifecycle import LifecycleError
    from ecf.services.lifecycle import undo as undo_import

    try:
        done = undo_import(open_app(), import_id)
    except LifecycleError as exc:
        raise fail(str(exc), 1) from exc
    what = "correction" if done.target.is_correction else "import"
    console.print(f"Withdrew {what} #{import_id} ({done.target.file_name}). {_month_now(done.as_of, done.now_active)}")
    console.print(f"  To bring it back: ecf imports restore {import_id}")


def restore(import_id: Annotated[int, typer.Argument(help="Import or correction number (see ecf imports).")]) -> None:
    """Make a withdrawn or superseded import (or a withdrawn correction) active again."""
    from ecf.services.lifecycle import LifecycleError
    from ecf.services.lifecycle import restore as restore_import

    try:
        done = restore_import(open_app(), import_id)
    except LifecycleError as exc:
        raise fail(str(exc), 1) from exc
    displaced = f", superseding #{done.displaced.id}" if done.displaced else ""
    now = _month_now(done.as_of, done.now_active)
    console.print(f"Restored #{import_id} ({done.target.file_name}){displaced}. {now}")
    if done.target.is_correction and (done.now_active is None or done.now_active.id != done.target.base_id):
        console.print(f"  It applies once its import #{done.target.base_id} is in effect again.")


def _month_now(as_of: date, active: object) -> str:
    from ecf.storage.repository import ImportInfo

    if isinstance(active, ImportInfo):
        return f"The snapshot for {human(as_of)} is now import #{active.id} ({active.file_name}) with its corrections."
    return f"There is now no snapshot for {human(as_of)}."


def audit(
    since: Annotated[
        date | None,
        typer.Option("--since", parser=parse_day, metavar="DD/MM/YYYY", help="Only events on or after this day."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Who changed what, when: imports, corrections, undos, restores, recorded milestones, rules changes."""
    from ecf.services.audit import events

    start = datetime.combine(since, time.min).astimezone(UTC) if since else None
    rows = [asdict(event) for event in events(open_app(), start)]
    for row in rows:
        row["at"] = row["at"].replace(tzinfo=row["at"].tzinfo or UTC)
    columns = ["id", "at", "actor", "action", "subject", "details"]
    render(rows, columns, fmt, title="Audit trail", empty="No audited changes yet.")
