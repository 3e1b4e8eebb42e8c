"""How the census readiness and figures are shown, shared by the CLI and the terminal UI: plain rows of text."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from ecf.census.checks import Readiness
from ecf.census.figures import RATES, Comparison


def percent(value: Decimal | int | None) -> str:
    return "" if value is None else f"{Decimal(value) * 100:.1f}%"


def figure(name: str, value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if name in RATES:
        return percent(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def difference(name: str, value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if name in RATES:
        points = Decimal(value) * 100
        return f"{points:+.1f} pts"
    text = figure(name, abs(value))
    return ("+" if value >= 0 else "-") + text


def figure_rows(comparison: list[Comparison]) -> list[dict[str, str]]:
    return [
        {"figure": c.label, "this_year": figure(c.name, c.current), "last_year": figure(c.name, c.previous),
         "difference": difference(c.name, c.difference)}
        for c in comparison
    ]  # fmt: skip


def missing_rows(ready: Readiness) -> list[dict[str, str | int]]:
    """One row per item lacking, with the count by team, most first."""
    rows: list[dict[str, str | int]] = []
    for item, teams in ready.missing_by_item().items():
        by_team = _teams(teams)
        rows.append({"item": item, "label": ready.spec.label(item), "records": sum(teams.values()), "by_team": by_team})
    return rows


def failing_rows(ready: Readiness) -> list[dict[str, str | int]]:
    rows: list[dict[str, str | int]] = []
    for code, teams in ready.failing_by_check().items():
        by_team = _teams(teams)
        rows.append({"check": code, "rule": ready.spec.check_message(code), "records": sum(teams.values()),
                     "by_team": by_team})  # fmt: skip
    return rows


def _teams(teams: Counter[str], shown: int = 3) -> str:
    """'Child Protection 44, Assessment South 44, Assessment North 42 +5 teams': the teams with most first."""
    ranked = teams.most_common()
    text = ", ".join(f"{team} {count}" for team, count in ranked[:shown])
    return text + (f" +{len(ranked) - shown} teams" if len(ranked) > shown else "")


def deadline_line(ready: Readiness, today: date) -> str:
    """'CSWW 2026: due 31/10/2026 (32 days) · 27 of 354 records complete'."""
    spec = ready.spec
    days = (spec.due - today).days
    when = f"due {spec.due:%d/%m/%Y}" + (f" ({days} days)" if days >= 0 else f" ({-days} days late)")
    return f"Census {spec.year}: {when} · {ready.complete_records} of {ready.records} records complete"
