"""`ecf scenario import|delete|restore|history` and `ecf pay set|show|clear|history`: finance's scenarios and the
council's pay settings, stored in the database for every user."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.output import Format, console, errors, pounds, render
from ecf.cli.steps_bar import StepsBar

pay_app = typer.Typer(help="The council's pay settings (scales, grades, rates, agency rates and caps, LGPS), stored.")
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]


def register(app: typer.Typer, scenario_app: typer.Typer) -> None:
    app.add_typer(pay_app, name="pay")
    scenario_app.command("import")(scenario_import)
    scenario_app.command("delete")(scenario_delete)
    scenario_app.command("restore")(scenario_restore)
    scenario_app.command("history")(scenario_history)
    scenario_app.command("compare")(scenario_compare)


def scenario_import(
    book: Annotated[
        Path, typer.Argument(help="A workbook ecf exported, its Assumptions sheet edited.", metavar="BOOK.xlsx")
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="Store the one new or changed column under this name.")
    ] = None,
) -> None:
    """Store each new or changed scenario column of the workbook's Assumptions sheet, and show what differs from the
    scenario it was based on. Nothing is stored if any cell is wrong."""
    from ecf.services import scenarios
    from payscales.assumptions import shown

    try:
        results = scenarios.import_scenarios(open_app(), book, datetime.now(UTC), name)
    except scenarios.WorkbookProblem as exc:
        for problem in exc.problems:
            errors.print(f"[bold red]error:[/] {problem}", highlight=False, markup=True, soft_wrap=True)
        errors.print("Nothing was stored.", highlight=False)
        raise typer.Exit(1) from exc
    for result in results:
        if result.status == "unchanged":
            console.print(f"{result.name} (column {result.column}): unchanged", highlight=False)
            continue
        console.print(f"[bold]{result.name}[/] (column {result.column}): {result.status}, stored as version "
                      f"{result.version}, based on {result.based_on}", highlight=False)  # fmt: skip
        for item, before, after in result.changes:
            console.print(f"  {item.label}: {shown(item, before)} -> {shown(item, after)}", highlight=False,
                          soft_wrap=True)  # fmt: skip
        if not result.changes:
            console.print(f"  the same values as {result.based_on}", highlight=False)


def scenario_delete(name: Annotated[str, typer.Argument(help="A stored scenario.")]) -> None:
    """Delete a stored scenario (`ecf scenario restore NAME` brings it back)."""
    from ecf.services import scenarios

    try:
        version = scenarios.delete_scenario(open_app(), name, datetime.now(UTC))
    except scenarios.ScenarioError as exc:
        raise fail(str(exc), 1) from exc
    console.print(f"Deleted scenario {name} (version {version}); `ecf scenario restore {name}` undoes it.")


def scenario_restore(
    name: Annotated[str, typer.Argument(help="A stored scenario.")],
    version: Annotated[int | None, typer.Option("--version", help="The version to restore (see history).")] = None,
) -> None:
    """Store an earlier version of a scenario again: by default the one before the last change or deletion."""
    from ecf.services import scenarios

    try:
        new = scenarios.restore_scenario(open_app(), name, datetime.now(UTC), version)
    except scenarios.ScenarioError as exc:
        raise fail(str(exc), 1) from exc
    console.print(f"Restored scenario {name} (now version {new}).")


def scenario_history(name: str, fmt: FormatOption = Format.TABLE) -> None:
    """Every stored version of a scenario: when, who, where from."""
    from ecf.services import scenarios

    rows = [
        {"version": v.version, "saved_at": v.saved_at, "saved_by": v.saved_by or "", "based_on": v.based_on or "",
         "origin": v.origin or "", "deleted": v.content is None}
        for v in scenarios.history(open_app(), name)
    ]  # fmt: skip
    if not rows:
        raise fail(f"no stored versions of scenario '{name}'", 1)
    render(rows, ["version", "saved_at", "saved_by", "based_on", "origin", "deleted"], fmt)


@pay_app.command("set")
def pay_set(file: Annotated[Path, typer.Argument(help="The council's pay file (TOML), with any CSV it adds beside it.")]
            ) -> None:  # fmt: skip
    """Check the council's pay file and store it: every projection, export and screen then uses it."""
    from ecf.services import pay_settings
    from payscales.loader import PayDataError

    try:
        book, version = pay_settings.set_pay(open_app(), file, datetime.now(UTC))
    except PayDataError as exc:
        raise fail(str(exc), 1) from exc
    summary = f"{len(book.scales)} scales, {len(book.scenarios)} scenarios, LGPS {book.oncosts.pension.lgps_rate}"
    console.print(f"Stored {file.name} as pay settings version {version}: {summary}.", highlight=False)


@pay_app.command("clear")
def pay_clear() -> None:
    """Go back to the shipped pay data (the stored versions are kept: `ecf pay set` again to return)."""
    from ecf.services import pay_settings
    from payscales.loader import PayDataError

    try:
        version = pay_settings.clear_pay(open_app(), datetime.now(UTC))
    except PayDataError as exc:
        raise fail(f"cannot clear: {exc}", 1) from exc
    console.print(f"Pay settings cleared (version {version}): the shipped pay data is in force.")


@pay_app.command("restore")
def pay_restore(
    version: Annotated[
        int | None, typer.Option("--version", help="The version to restore (see ecf pay history).")
    ] = None,
) -> None:
    """Store an earlier version of the pay settings again: by default the one before the newest (undoes a set or a
    clear)."""
    from ecf.services import pay_settings
    from payscales.loader import PayDataError

    try:
        new = pay_settings.restore_pay(open_app(), datetime.now(UTC), version)
    except PayDataError as exc:
        raise fail(str(exc), 1) from exc
    console.print(f"Pay settings restored (now version {new}).")


@pay_app.command("show")
def pay_show(fmt: FormatOption = Format.TABLE) -> None:
    """The pay settings in force, each value with where it comes from (shipped, the council's file, stored)."""
    from ecf.services import pay_settings

    _, settings = pay_settings.settings_in_force(open_app())
    rows = [{"setting": s.setting, "value": s.value, "source": s.source} for s in settings]
    render(rows, ["setting", "value", "source"], fmt)


@pay_app.command("history")
def pay_history(fmt: FormatOption = Format.TABLE) -> None:
    """Every version of the stored pay settings: file, when, who."""
    from ecf.services import pay_settings

    rows = [
        {"version": p.version, "file": p.file_name, "saved_at": p.saved_at, "saved_by": p.saved_by or "",
         "cleared": p.content is None}
        for p in pay_settings.pay_history(open_app())
    ]  # fmt: skip
    render(rows, ["version", "file", "saved_at", "saved_by", "cleared"], fmt)


def scenario_compare(
    names: Annotated[list[str], typer.Argument(help="Two scenarios or more; the first is the one compared against.")],
    years: Annotated[int, typer.Option("--years", min=1, max=10, help="Years to project (1-10).")] = 5,
    as_of: Annotated[
        date | None,
        typer.Option("--as-of", parser=parse_day, metavar="DD/MM/YYYY", help="Project from this date (default today)."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Scenarios side by side: every input (the ones that differ marked), then the total cost by financial year and
    each scenario's difference from the first."""
    from rich import box
    from rich.table import Table

    from ecf.services import comparison
    from ecf.services.projection import UnknownName

    try:
        found = comparison.compare(open_app(), names, years, as_of or date.today())
    except (UnknownName, ValueError) as exc:
        raise fail(str(exc)) from exc
    settings = [
        {"setting": row.label, "unit": row.unit, **dict(zip(names, row.values, strict=True)), "differs": row.differs}
        for row in found.settings
    ]
    totals: list[dict[str, object]] = []
    for index, year in enumerate(found.years):
        row: dict[str, object] = {"financial_year": year}
        for name in names:
            row[name] = found.totals[name][index]
            if name != names[0]:
                row[f"{name} - {names[0]}"] = found.difference(name)[index]
        totals.append(row)
    total_columns = ["financial_year", *(c for n in names for c in (n, f"{n} - {names[0]}") if c != f"{names[0]} - "
                                         f"{names[0]}")]  # fmt: skip
    if fmt is not Format.TABLE:
        render([{"part": "setting", **r} for r in settings] + [{"part": "total", **r} for r in totals],
               ["part", "setting", "unit", *names, "differs", "financial_year",
                *(c for c in total_columns if c not in names and c != "financial_year")], fmt)  # fmt: skip
        return
    table = Table(title="Inputs (differences in bold yellow, marked *)", header_style="bold", title_justify="left")
    for column in ("", "setting", *names):
        table.add_column(column, overflow="fold")
    for setting in found.settings:
        table.add_row("*" if setting.differs else "", setting.label, *setting.values,
                      style="bold yellow" if setting.differs else None)  # fmt: skip
    console.print(table)
    money = Table(title="Total cost by financial year (£, expected values; ± the first scenario)",
                  header_style="bold", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    columns = [names[0], *(c for n in names[1:] for c in (n, f"±{names[0]}"))]
    money.add_column("year", no_wrap=True)
    for column in columns:
        money.add_column(column, justify="right", no_wrap=True)
    figures: list[list[Decimal]] = []
    for index, _ in enumerate(found.years):
        line = [found.totals[names[0]][index]]
        for name in names[1:]:
            line += [found.totals[name][index], found.difference(name)[index]]
        figures.append(line)
    for year, line in zip(found.years, figures, strict=True):
        money.add_row(year, *(pounds(f) for f in line))
    money.add_row("all", *(pounds(sum(column, Decimal(0))) for column in zip(*figures, strict=True)), style="bold")
    console.print(money)


def sensitivity(scenario: str, years: int, day: date, fmt: Format, calibrate: str = "national") -> None:
    """`ecf project --sensitivity`: each main assumption moved by its stated step, ranked by effect on the total."""
    from rich import box
    from rich.table import Table

    from ecf.services import comparison
    from ecf.services.projection import UnknownName
    from payscales.loader import PayDataError

    try:
        with StepsBar("Projecting", "scenarios") as bar:
            found = comparison.sensitivity(open_app(), scenario, years, day, calibrate, bar)
    except (UnknownName, PayDataError, ValueError) as exc:
        raise fail(str(exc)) from exc
    largest = max((e.swing for e in found.effects), default=Decimal(0)) or Decimal(1)
    if fmt is not Format.TABLE:
        columns = ["rank", "assumption", "value", "low", "high", "effect_low", "effect_high", "swing"]
        rows = [
            {"scenario": scenario, "total": found.total, "rank": rank, "assumption": e.step.label, "step": e.step.note,
             "value": e.base, "low": e.low, "high": e.high, "total_low": e.total_low, "total_high": e.total_high,
             "effect_low": e.effect_low, "effect_high": e.effect_high, "swing": e.swing}
            for rank, e in enumerate(found.effects, start=1)
        ]  # fmt: skip
        render(rows, ["scenario", "total", *columns], fmt)
        return
    console.print(f"{scenario}: total cost over {years} years from {day:%d/%m/%Y} {pounds(found.total)}. Each "
                  "assumption moved down and up one at a time; the effect is the change in that total:",
                  highlight=False)  # fmt: skip
    table = Table(title="Sensitivity, largest effect first", header_style="bold", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    # At 80 columns a national workforce's effects take 13 characters each: the bar gives way first (half as long
    # below 100 columns), then the names and values wrap at their spaces, each kept wide enough for its words (never
    # a name cut to "Agen…").
    span = 12 if console.width >= 100 else 6
    table.add_column("assumption", min_width=14)
    table.add_column("value: low / high", min_width=11)
    for column in ("if low", "if high"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("swing", no_wrap=True)
    for rank, e in enumerate(found.effects, start=1):
        table.add_row(f"{rank}. {e.step.label}", f"{e.base}: {e.low} / {e.high}", pounds(e.effect_low),
                      pounds(e.effect_high), "█" * max(1, round(span * e.swing / largest)))  # fmt: skip
    console.print(table)
    console.print("Steps: " + "; ".join(f"{e.step.label} {e.step.note}" for e in found.effects), highlight=False,
                  soft_wrap=False)  # fmt: skip
