"""`ecf payscale list|show`, `ecf scenario list|show` and `ecf project`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ecf.cli.common import fail, open_app, parse_day
from ecf.cli.output import Format, clean, console, markup, render
from ecf.cli.steps_bar import StepsBar
from ecf.presentation.formats import option_key, year_labels
from ecf.progression.calendar import uk

if TYPE_CHECKING:  # pandas and the pay model load when a command needs them: `ecf --help` stays instant
    import pandas as pd

    from payscales.results import Projection

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]
PayFileOption = Annotated[
    Path | None, typer.Option("--pay-file", help="A council pay file (TOML) laid over the shipped pay data.")
]

payscale_app = typer.Typer(help="Pay scales: the NJC spine and any local or proposed scale, by financial year.")
scenario_app = typer.Typer(help="Pay and retention scenarios.")
BY_CHOICES = ("month", "financial_year", "team", "grade", "stage", "source")


def register(app: typer.Typer) -> None:
    app.add_typer(payscale_app, name="payscale")
    app.add_typer(scenario_app, name="scenario")
    app.command()(project)
    app.command("export")(export)
    from ecf.cli.finance_commands import register as register_finance

    register_finance(app, scenario_app)


def _book(pay_file: Path | None) -> Any:
    from ecf.services import projection as service
    from payscales.loader import PayDataError

    try:
        return service.paybook(open_app(), pay_file)
    except PayDataError as exc:
        raise fail(str(exc)) from exc


@payscale_app.command("list")
def payscale_list(pay_file: PayFileOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The pay scales loaded, the years they cover and their sources."""
    book = _book(pay_file)
    rows = [
        {"name": s.id, "title": s.name, "years": ", ".join(s.years), "points": _points(s.table),
         "confidence": s.source.confidence.value, "source": s.source.title, "origin": book.origins.get(s.id, "")}
        for s in book.scales.values()
    ]  # fmt: skip
    render(rows, list(rows[0]), fmt, table_columns=["name", "title", "years", "points", "confidence", "origin"],
           keep=("name", "years"), drop=("origin", "title"))  # fmt: skip


def _points(table: dict[str, dict[int, Decimal]]) -> str:
    points = sorted({p for year in table.values() for p in year})
    return f"{points[0]}-{points[-1]}" if points else ""


@payscale_app.command("show")
def payscale_show(
    name: Annotated[str, typer.Argument(help="Scale name, e.g. njc.")],
    year: Annotated[str | None, typer.Option("--year", metavar="YYYY/YY", help="Financial year, e.g. 2025/26.")] = None,
    pay_file: PayFileOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A scale's annual salaries by point for one financial year (default: the latest it has)."""
    from ecf.services import projection as service

    book = _book(pay_file)
    try:
        scale = service.scale(book, name)
    except service.UnknownName as exc:
        raise fail(str(exc)) from exc
    wanted = year or scale.years[-1]
    if wanted not in scale.table:
        raise fail(f"scale '{name}' has no salaries for {wanted} (it has {', '.join(scale.years)})")
    rows = [
        {"point": point, "annual_salary": int(salary) if salary == salary.to_integral_value() else salary}
        for point, salary in sorted(scale.table[wanted].items())
    ]
    award = next((a for a in scale.awards if a.year == wanted), None)
    if fmt is Format.TABLE:
        console.print(clean(f"{scale.name}, {wanted}" + (f": {award.rule} ({award.source})" if award else "")),
                      markup=False, highlight=False)  # fmt: skip
    render(rows, ["point", "annual_salary"], fmt)


@scenario_app.command("list")
def scenario_list(pay_file: PayFileOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The scenarios loaded."""
    book = _book(pay_file)
    rows = [{"name": s.id, "title": s.name, "origin": book.origins.get(s.id, ""), "description": s.description}
            for s in book.scenarios.values()]  # fmt: skip
    render(rows, ["name", "title", "origin", "description"], fmt, table_columns=["name", "title", "origin"])


@scenario_app.command("show")
def scenario_show(name: str, pay_file: PayFileOption = None) -> None:
    """Every input of a scenario, with the on-costs, agency rates and hazards it runs with."""
    from ecf.services import projection as service

    book = _book(pay_file)
    try:
        chosen = service.scenario(book, name)
    except service.UnknownName as exc:
        raise fail(str(exc)) from exc
    console.print(f"[bold]{markup(chosen.name)}[/] ({markup(chosen.id)}): {markup(chosen.description)}", soft_wrap=True)
    console.print(f"From: {markup(book.origins.get(chosen.id, 'shipped'))}", highlight=False, soft_wrap=True)
    console.print_json(chosen.model_dump_json(exclude={"kind", "id", "name", "description"}))
    console.print(
        f"On-costs: {markup(book.oncosts.name)}; LGPS {book.oncosts.pension.lgps_rate}, levy {book.oncosts.levy.rate}"
    )
    for period in book.oncosts.employer_ni:
        console.print(f"  employer NI from {uk(period.from_)}: {period.rate} above £{period.monthly_threshold}/month")
    rates = ", ".join(f"{role} £{rate}/h" for role, rate in book.agency.rates.items())
    console.print(f"Agency: {markup(rates)}; {book.agency.hours_per_week} h x {book.agency.weeks_per_year} weeks")
    console.print(f"Leaving: turnover {book.hazards.turnover}, {book.hazards.share_of_leavers_under_5_years} of "
                  f"leavers under 5 years' service ({markup(book.hazards.source.title)})")  # fmt: skip


def project(
    years: Annotated[int, typer.Option("--years", min=1, max=10, help="Years to project (1-10).")] = 5,
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario name (see ecf scenario list).")] = "baseline",
    compare: Annotated[str | None, typer.Option("--compare", help="A second scenario, side by side.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="month, financial_year, team, grade, stage or source (comma list).")
    ] = None,
    as_of: Annotated[
        date | None,
        typer.Option("--as-of", parser=parse_day, metavar="DD/MM/YYYY", help="Project from this date (default today)."),
    ] = None,
    calibrate: Annotated[
        str, typer.Option("--calibrate", help="Leaving hazard: national (DfE figures) or own (your snapshots).")
    ] = "national",
    lgps_rate: Annotated[
        float | None, typer.Option("--lgps-rate", help="Your fund's employer rate, e.g. 0.211 (default 0.198).")
    ] = None,
    monte_carlo: Annotated[
        int | None, typer.Option("--monte-carlo", metavar="RUNS", help="Also run this many random runs: p10/p50/p90.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --monte-carlo (same seed, same bands).")] = 1,
    pay_file: PayFileOption = None,
    fmt: FormatOption = Format.TABLE,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Move each main assumption one at a time: which ones matter.")
    ] = False,
) -> None:
    """Project pay, on-costs, agency cost, leavers and new experienced practitioners month by month. Table output
    sums by financial year unless --by says otherwise; csv and json give every month."""
    if sensitivity:
        from ecf.cli.finance_commands import sensitivity as run_sensitivity

        run_sensitivity(scenario, years, as_of or date.today(), fmt, calibrate)
        return
    from ecf.services import projection as service
    from payscales.loader import PayDataError

    # `financial year` as the table heads it, or `financial_year`
    keys = [option_key(k) for k in (by or ("financial_year" if fmt is Format.TABLE else "month")).split(",")]
    if monte_carlo is not None:
        _monte_carlo(scenario, years, as_of, calibrate, lgps_rate, pay_file, monte_carlo, seed, keys, fmt)
        return
    unknown = [k for k in keys if k not in BY_CHOICES]
    if unknown:
        raise typer.BadParameter(f"--by {clean(unknown[0])}: choose from {', '.join(BY_CHOICES)}")
    if calibrate not in ("national", "own"):
        raise typer.BadParameter("--calibrate must be national or own")
    app = open_app()
    day = as_of or date.today()
    lgps = Decimal(str(lgps_rate)) if lgps_rate is not None else None
    tables = []
    for name in [scenario, *([compare] if compare else [])]:
        request = service.ProjectionRequest(name, years, day, calibrate, lgps, pay_file)
        try:
            result = service.run_projection(app, request)
        except (service.UnknownName, PayDataError, ValueError) as exc:
            raise fail(str(exc)) from exc
        tables.append((result, _table(result, keys)))
    rows = [row for result, table in tables for row in _rows(result, table, keys, fmt is Format.TABLE)]
    if compare:
        rows += _difference(tables, keys, fmt is Format.TABLE)
    columns = ["scenario", *(["month", "financial_year"] if "month" in keys else keys)]
    columns += [c for c in ("fte", "salary", "employer_ni", "pension", "levy", "agency", "total", "leavers",
                            "grant_income", "net_total", "experienced") if c not in columns]  # fmt: skip
    if fmt is Format.TABLE:
        first = tables[0][0]
        cal = first.calibration
        console.print(
            f"From {uk(day)} for {years} years. Leaving hazard ({cal.method}): {cal.under_5:.1%} a year under 5 "
            f"years' service, {cal.five_plus:.1%} from 5 years ({markup(cal.source)}).", highlight=False,
        )  # fmt: skip
        for warning in first.warnings:
            console.print(f"[yellow]note:[/] {markup(warning)}", highlight=False)
    if fmt is Format.TABLE:  # a part year says which months it covers; csv and json keep the plain key
        labels = months_of(tables[0][0])
        for row in rows:
            if "financial_year" in row:
                row["financial_year"] = labels.get(row["financial_year"], row["financial_year"])
    shown = [c for c in columns if c not in ("grant_income", "net_total")] if fmt is Format.TABLE else None
    money = ("salary", "employer_ni", "pension", "levy", "agency", "total", "grant_income", "net_total")
    render(rows, columns, fmt, table_columns=shown, title="Pay and retention projection (expected values)",
           money=money, keep=("scenario", *keys, "total"), atomic=("scenario", "financial_year"),
           drop=("experienced", "levy", "employer_ni", "pension", "fte", "agency", "leavers"))  # fmt: skip


def _monte_carlo(
    scenario: str, years: int, as_of: date | None, calibrate: str, lgps_rate: float | None, pay_file: Path | None,
    runs: int, seed: int, keys: list[str], fmt: Format,
) -> None:  # fmt: skip
    from ecf.services import projection as service
    from payscales.loader import PayDataError

    by = "month" if "month" in keys else "financial_year"
    lgps = Decimal(str(lgps_rate)) if lgps_rate is not None else None
    request = service.ProjectionRequest(scenario, years, as_of or date.today(), calibrate, lgps, pay_file)
    try:
        with StepsBar("Simulating", "runs") as bar:
            result = service.run_monte_carlo(open_app(), request, runs, seed, bar)
    except (service.UnknownName, PayDataError, ValueError) as exc:
        raise fail(str(exc)) from exc
    table = result.bands(by)
    rows = []
    for record in table.to_dict("records"):
        row: dict[str, Any] = {"scenario": scenario, "runs": runs, "seed": seed, **record}
        for name in [c for c in record if c.startswith("total_")]:
            money = Decimal(str(record[name])).quantize(Decimal("0.01"))
            row[name] = money
        for name in [c for c in record if c.startswith("leavers_")]:
            row[name] = round(float(record[name]), 2)
        rows.append(row)
    columns = ["scenario", by, "total_p10", "total_p50", "total_p90", "total_mean", "leavers_p10", "leavers_p50",
               "leavers_p90", "leavers_mean", "runs", "seed"]  # fmt: skip
    shown = [c for c in columns if c not in ("runs", "seed")]
    render(rows, columns, fmt, table_columns=shown, money=[c for c in columns if c.startswith("total_")],
           title=f"Monte Carlo: {runs} runs, seed {seed} (total = pay + on-costs + agency)",
           keep=("scenario", by, "total_p50"), drop=("leavers_mean", "total_mean"))  # fmt: skip


def _difference(
    tables: list[tuple[Projection, pd.DataFrame]], keys: list[str], for_people: bool
) -> list[dict[str, Any]]:
    """The second scenario less the first, row by row: what the change costs or saves."""
    (first, base), (second, other) = tables
    group = [k for k in base.columns if k in ("month", "financial_year", *BY_CHOICES)]
    merged = other.merge(base, on=group, how="outer", suffixes=("", "_base")).fillna(0)
    for name in ("fte", "salary", "employer_ni", "pension", "levy", "agency", "total", "leavers", "grant_income",
                 "net_total", "experienced"):  # fmt: skip
        merged[name] = merged[name] - merged[f"{name}_base"]
    label = f"{second.scenario.id} - {first.scenario.id}"
    difference = merged[[*group, *(c for c in other.columns if c not in group)]]
    return [{**row, "scenario": label} for row in _rows(second, difference, keys, for_people)]


def months_of(result: Projection) -> dict[str, str]:
    monthly = result.totals("month")
    return year_labels(zip(monthly["financial_year"], monthly["month"], strict=True))


def _table(result: Projection, keys: list[str]) -> pd.DataFrame:
    group = ["month", "financial_year"] if "month" in keys else keys
    group += [k for k in keys if k not in group]
    return result.totals(*group)


def _rows(result: Projection, table: pd.DataFrame, keys: list[str], for_people: bool) -> list[dict[str, Any]]:
    rows = []
    for record in table.to_dict("records"):
        row: dict[str, Any] = {"scenario": result.scenario.id, **record}
        for name in ("salary", "employer_ni", "pension", "levy", "agency", "total", "grant_income", "net_total"):
            money = Decimal(str(record[name])).quantize(Decimal("0.01"))
            row[name] = money
        for name in ("fte", "leavers", "experienced"):
            row[name] = Decimal(str(record[name])).quantize(Decimal("0.01"))
        rows.append(row)
    return rows


__all__ = ["register"]


def export(
    path: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).", metavar="FILE.xlsx")],
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario name (see ecf scenario list).")] = "baseline",
    compare: Annotated[
        str | None, typer.Option("--compare", help="A second scenario, with a difference block.")
    ] = None,
    years: Annotated[int, typer.Option("--years", min=1, max=10, help="Years to project (1-10).")] = 5,
    as_of: Annotated[
        date | None,
        typer.Option("--as-of", parser=parse_day, metavar="DD/MM/YYYY", help="Project from this date (default today)."),
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option("--pseudonymise", help="Stable codes instead of employee IDs and names on the Workers sheet."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    lgps_rate: Annotated[float | None, typer.Option("--lgps-rate", help="Your fund's employer rate.")] = None,
    calibrate: Annotated[str, typer.Option("--calibrate", help="national or own.")] = "national",
    pay_file: PayFileOption = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Add a Sensitivity sheet with a tornado chart (the first scenario).")
    ] = False,
) -> None:
    """Write the finance workbook: cover, assumptions, summary by financial year (live formulas), monthly, by team,
    by grade and stage, workers, and charts."""
    from ecf.exports.errors import ExportError
    from ecf.services import projection as service
    from payscales.loader import PayDataError

    day = as_of or date.today()
    lgps = Decimal(str(lgps_rate)) if lgps_rate is not None else None
    requests = [
        service.ProjectionRequest(name, years, day, calibrate, lgps, pay_file)
        for name in [scenario, *([compare] if compare else [])]
    ]
    try:
        app = open_app()
        tornado = None
        if sensitivity:
            from ecf.services.comparison import sensitivity as run_sensitivity

            with StepsBar("Projecting", "scenarios") as bar:
                tornado = run_sensitivity(app, scenario, years, day, calibrate, bar)
        written = service.export_workbook(app, requests, path, datetime.now(), pseudonymise, force, tornado)
    except (service.UnknownName, PayDataError, ExportError, ValueError) as exc:
        raise fail(str(exc)) from exc
    console.print(f"Wrote {markup(written)} ({written.stat().st_size / 1e6:.1f} MB).", highlight=False)
