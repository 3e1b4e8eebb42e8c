"""`ecf census`: the annual workforce census return (CSWW), its readiness check and the council's published figures."""

from __future__ import annotations

import shlex
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ecf.cli.common import fail, open_app
from ecf.cli.output import Format, console, render

if TYPE_CHECKING:
    from ecf.services.census import CensusBuild


def register(app: typer.Typer) -> None:
    app.command()(census)


def census(
    year: Annotated[
        int | None,
        typer.Option("--year", help="The census year, named by the 30 September it ends on. Default: the coming one."),
    ] = None,
    la: Annotated[str | None, typer.Option("--la", metavar="CODE", help="The DfE's 3-digit LA code.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the return (XML) to this file.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Show what is missing and which checks fail.")] = False,
    to_complete: Annotated[
        Path | None, typer.Option("--to-complete", help="Write the csv of items HR must fill in (with --check).")
    ] = None,
    previous: Annotated[
        Path | None, typer.Option("--previous", help="Last year's return (XML), to compare the published figures.")
    ] = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="Try a council rules file without storing it.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")] = Format.TABLE,
) -> None:
    """The children's social work workforce census return, built from the snapshots of the census year
    (1 October - 30 September): --out writes the XML, --check shows readiness; the published figures either way."""
    from ecf.census.figures import ReturnFileError
    from ecf.census.spec import SpecError
    from ecf.services import census as service

    app = open_app()
    chosen = year or service.coming_year(date.today())  # the interface reads the clock; the census code never does
    if out is not None:  # a missing setting or a file in the way: said before the census year is read
        try:
            service.check_before_writing(app, out, la_code=la, rules_file=rules, force=force)
        except service.CensusError as exc:
            raise fail(f"{exc}. See: ecf census --year {chosen} --check") from exc
    try:
        built = service.build_census(app, chosen, la_code=la, rules_file=rules, previous_return=previous)
    except (SpecError, ReturnFileError, service.CensusError) as exc:
        raise fail(str(exc)) from exc
    if check or to_complete is not None:
        _show_readiness(built, fmt)
    if to_complete is not None:
        try:
            files = service.write_to_complete(built, to_complete, force)
        except service.CensusError as exc:
            raise fail(str(exc)) from exc
        _show_to_complete(files)
    if out is not None:
        try:
            written = service.write_return(app, built, out, datetime.now(UTC), force)
        except service.CensusError as exc:
            raise fail(f"{exc}. See: ecf census --year {chosen} --check") from exc
        say(f"Wrote the {chosen} return to {out}: {written} worker records, valid against the schema", more=0)
        console.print()
    if (not check and to_complete is None) or fmt is Format.TABLE:
        _show_figures(built, fmt)


def _show_to_complete(written: list[tuple[Path, date, int]]) -> None:
    if not written:
        console.print("Nothing to complete: no csv written.")
        console.print()
        return
    total = sum(rows for _, _, rows in written)
    files = "one file" if len(written) == 1 else f"{len(written)} files, one per snapshot the rows come from"
    say(f"Wrote {total} {'row' if total == 1 else 'rows'} to complete ({files}):", more=0)
    for path, as_of, rows in written:
        console.print(f"  {path}  {rows} {'row' if rows == 1 else 'rows'} (snapshot {as_of:%d/%m/%Y})",
                      highlight=False, markup=False, soft_wrap=True)  # fmt: skip
    say("Fill in the blank columns, then import them back as corrections of their months:", more=0)
    paths = " ".join(shlex.quote(str(path)) for path, _, _ in written)
    console.print(f"  ecf import {paths} --correct", highlight=False, markup=False, soft_wrap=True)
    console.print()


def _show_readiness(built: CensusBuild, fmt: Format) -> None:
    from ecf.census.presentation import failing_rows, missing_rows

    ready = built.readiness
    spec = ready.spec
    if fmt is not Format.TABLE:  # machines get one row per finding
        rows = [
            {"employee_id": f.employee_id, "team": f.team, "item": f.item, "check": f.code, "message": f.message}
            for f in (*ready.missing, *ready.failing)
        ]
        render(rows, ["employee_id", "team", "item", "check", "message"], fmt)
        return
    say(f"Census {spec.year} (1 October {spec.year - 1} - 30 September {spec.year}), due {spec.due:%d/%m/%Y}", more=0)
    if ready.complete_records == ready.records and not ready.return_level:
        advice = "ready for --out FILE.xml"
    else:
        advice = "--to-complete FILE.csv writes what HR must fill in"
    say(f"{ready.complete_records} of {ready.records} records complete; {advice}", more=0)
    for line in ready.return_level:
        say(f"! {line}", more=2)
    missing, failing = missing_rows(ready), failing_rows(ready)
    console.print()
    if not missing and not failing:
        say("No item missing, no check fails.")
        console.print()
        return
    for title, empty, found, name in (
        ("Items missing (records, then the teams with most)", "No item missing.", missing, "label"),
        ("Checks the return would fail (records, then the teams)", "No check fails.", failing, "rule"),
    ):
        if not found:
            say(empty)
            continue
        say(title)
        for row in found:
            say(f"{row[name]}: {row['records']} ({row['by_team']})", indent=2)
        console.print()


def say(text: str, indent: int = 0, more: int = 4) -> None:
    """A paragraph for people, wrapped between words to the table width (every line's end is the text's own)."""
    import textwrap

    from ecf.cli.output import table_width
    from ecf.presentation.text import clean

    width = table_width() or 10_000
    lead = " " * indent
    for line in textwrap.wrap(clean(text), width, initial_indent=lead, subsequent_indent=lead + " " * more,
                              break_on_hyphens=False, break_long_words=False):  # fmt: skip
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _show_figures(built: CensusBuild, fmt: Format) -> None:
    from ecf.census.presentation import figure_rows

    rows = figure_rows(built.comparison)
    previous, year = built.previous, built.figures.year
    columns = ["figure", "this_year", "last_year", "difference"]
    if fmt is not Format.TABLE:
        render(rows, columns, fmt)
        return
    say(f"Published figures {year}, at 30/09/{year}" + (f"; last year from {previous.source}" if previous else ""))
    render(rows, columns, fmt, table_columns=columns if previous else columns[:2])
    if previous is None:
        say(f"No last year to compare: the snapshots do not reach 30/09/{year - 1}, and no earlier return was given "
            "(--previous FILE.xml).", more=0)  # fmt: skip
