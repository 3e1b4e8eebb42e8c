"""Shared CLI plumbing: the database option, date arguments, and turning known failures into one clear line."""

from __future__ import annotations

import gc
from datetime import date
from typing import TYPE_CHECKING

import typer

from ecf.cli.output import clean, errors, markup

if TYPE_CHECKING:
    from ecf.services.context import App

state: dict[str, str | None] = {"db": None}


def open_app() -> App:
    from ecf.cli.admin_commands import check_command
    from ecf.services.context import App  # SQLAlchemy and the storage load here, when a command needs the data

    # A command is one short-lived process that builds tens of thousands of records and assessments, none in cycles:
    # the cyclic collector would rescan them all, again and again, for nothing (over a third of a national listing's
    # time). What a command frees is still freed at once by reference counting.
    gc.disable()
    app = App.open(state["db"])
    check_command(app)  # a login without the role this command needs is told so before any work starts
    return app


def parse_day(text: str) -> date:
    """A date typed by a person: ISO (2026-10-31) or UK (31/10/2026). Nothing else, to avoid surprises."""
    from importers.parsing import CellError, parse_date  # dateutil's parser: loaded for a date option only

    cleaned = text.strip()
    if not cleaned or not (cleaned[:4].isdigit() or "/" in cleaned):
        raise typer.BadParameter(f"'{clean(text)}' is not a date; use dd/mm/yyyy or yyyy-mm-dd")
    try:
        return parse_date(cleaned)
    except CellError as exc:
        raise typer.BadParameter(f"'{clean(text)}' is not a date; use dd/mm/yyyy or yyyy-mm-dd") from exc


def fail(message: str, code: int = 2) -> typer.Exit:
    """One line on stderr; the message may hold names or values from data, so it is shown as text, not markup."""
    errors.print(f"[bold red]error:[/] {markup(message)}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)
