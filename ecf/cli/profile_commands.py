"""`ecf profile …`: the built-in and saved mapping profiles, the fields they map to, and drafting one from a file;
and what `ecf import --check` shows."""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ecf.cli.common import fail, open_app
from ecf.cli.output import Format, console, render

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]


def register(profile_app: typer.Typer) -> None:
    profile_app.command("save")(profile_save)
    profile_app.command("list")(profile_list)
    profile_app.command("show")(profile_show)
    profile_app.command("fields")(profile_fields)
    profile_app.command("suggest")(profile_suggest)


def profile_save(
    file: Annotated[Path, typer.Argument(help="A mapping profile .toml file.")],
    name: Annotated[str | None, typer.Option("--name", help="Save under this name (default: the file's).")] = None,
) -> None:
    """Check a profile file and save it in the database, to use later as --profile NAME."""
    from ecf.services.profiles import save_profile
    from importers.mapping import load_profile

    profile = load_profile(file)
    saved_as = save_profile(open_app(), profile, name)
    console.print(f"Saved mapping profile '{saved_as}' ({len(profile.columns)} columns).")


def profile_list(fmt: FormatOption = Format.TABLE) -> None:
    """The built-in mapping profiles and the council's saved ones."""
    from ecf.services.profiles import list_profiles

    rows = [asdict(info) for info in list_profiles(open_app())]
    render(rows, ["name", "kind", "description", "saved_at"], fmt, empty="No profiles.")


def profile_show(name: str) -> None:
    """Print a saved or built-in profile as TOML."""
    from ecf.services.profiles import profile_text

    console.print(profile_text(open_app(), name), highlight=False, markup=False)


def profile_fields(fmt: FormatOption = Format.TABLE) -> None:
    """Every field a profile can map a column to: what it means, whether a file must carry it, and the header
    spellings recognised without a profile (case, spaces and punctuation aside)."""
    from ecf.services.profiles import field_list

    rows = [asdict(info) for info in field_list()]
    columns = ["name", "label", "required", "meaning", "spellings"]
    render(rows, columns, fmt, table_columns=["name", "required", "meaning", "spellings"])


def profile_suggest(
    file: Annotated[Path, typer.Argument(help="An HR export (.xlsx, .xls, .ods or .csv).")],
    save: Annotated[
        str | None, typer.Option("--save", help="Write the draft to NAME.toml (private to you) to edit and save.")
    ] = None,
) -> None:
    """Draft a mapping profile from a file: each header with the field it maps to and why. Uncertain lines are
    written commented ('# ? '): check each, remove the mark, then `ecf profile save NAME.toml`."""
    from ecf.services.profiles import draft_profile
    from importers.profiles.suggest import suggestion_summary

    draft = draft_profile(file)
    name = Path(save).stem if save else file.stem
    rows = suggestion_summary(draft)
    title = f"Suggested mapping for {file.name}"
    render(rows, ["header", "field", "sure", "why", "samples"], Format.TABLE, title=title)
    for label in draft.missing:
        console.print(f"  [yellow]not found:[/] {label}")
    text = draft.to_toml(name)
    if save is None:
        console.print()
        console.print(text, highlight=False, markup=False, soft_wrap=True)
        return
    target = Path(save if save.endswith(".toml") else f"{save}.toml")
    if target.exists():
        raise fail(f"{target} already exists; choose another name or remove it")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    console.print(
        f"Draft written to {target}. Check the lines marked '# ?' (remove the mark to confirm one), "
        f"then: ecf profile save {target}"
    )


def run_check(paths: list[Path], as_of: date | None, profile: str | None) -> int:
    """`ecf import --check`: the mapping and every finding for each file, with nothing stored."""
    from rich.table import Table

    from ecf.services.profiles import check_file
    from importers.report import issue_rows

    app, worst = open_app(), 0
    for path in paths:
        validated = check_file(app, path, as_of, profile)
        table = validated.table
        console.print(f"[bold]{path.name}[/]: checked with {('profile ' + repr(profile)) if profile else 'no profile'}"
                      "; nothing stored")  # fmt: skip
        mapping = Table(title="Mapping", header_style="bold", title_justify="left")
        for column in ("Column in the file", "Field"):
            mapping.add_column(column, overflow="fold")
        for name, header in validated.columns.headers.items():
            mapping.add_row(header, name)
        for header in validated.columns.ignored:
            mapping.add_row(header, "[dim](not used)[/]")
        console.print(mapping)
        for note in validated.columns.duplicates:
            console.print(f"  [yellow]duplicate column[/] {note}")
        for row in issue_rows(path, table.sheet, validated.issues):  # every one: this is the check
            style = "red" if row[5] == "error" else "yellow"
            where = f"row {row[2]}, " if row[2] else ""
            value = f" {row[4]!r}" if row[4] else ""
            console.print(f"  [{style}]{row[6]}[/] {where}{row[3]}{value}: {row[7]}", soft_wrap=True)
        console.print(
            f"  {validated.data_rows} rows: {len(validated.records)} valid, {len(validated.rejected)} with errors "
            f"({len(validated.errors)} errors, {len(validated.warnings)} warnings)"
        )
        worst = max(worst, 1 if validated.errors else 0)
    return worst
