"""How the census readiness and figures are shown, shared by the CLI and the terminal UI: plain rows of text."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from ecf.census.checks import Readiness
from ecf.census.figures import RATES, Comparison
from ecf.census.items import NO_ITEMS, CensusItems
from ecf.census.spec import CensusSpec


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
    size: Decimal | int = -value if value < 0 else value
    return ("+" if value >= 0 else "-") + figure(name, size)


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
    """'Census 2026: due 31/10/2026 (19 days) · 306 of 354 records complete'."""
    spec = ready.spec
    days, closing = (spec.due - today).days, (spec.closes - today).days
    if days >= 0:
        when = f"due {spec.due:%d/%m/%Y} ({days} days)"
    elif closing >= 0:
        when = f"was due {spec.due:%d/%m/%Y}; the collection closes {spec.closes:%d/%m/%Y} ({closing} days)"
    else:
        when = f"was due {spec.due:%d/%m/%Y}; the collection closed {spec.closes:%d/%m/%Y}"
    return f"Census {spec.year}: {when} · {ready.complete_records} of {ready.records} records complete"


def census_items_line(items: CensusItems | None, spec: CensusSpec) -> str:
    """The census items of one worker, for the one-worker view only (it holds special-category data)."""
    if items is None or items == NO_ITEMS:
        return "Census items: none imported"

    def coded(item: str, code: str | None) -> str:
        return "not given" if code is None else f"{spec.codes.get(item, {}).get(code, code)} ({code})"

    def flag(code: str | None) -> str:
        return {"1": "yes", "0": "no"}.get(code or "", "not given")

    born = items.date_of_birth.strftime("%d/%m/%Y") if items.date_of_birth else "not given"
    parts = [
        f"date of birth {born}", f"gender {coded('GenderCurrent', items.gender)}",
        f"ethnicity {coded('Ethnicity', items.ethnicity)}",
        f"qualified at {items.qual_institution or 'not given'}, level {coded('QualLevel', items.qual_level)}",
        f"Step Up {flag(items.step_up_grad)}", f"Frontline {flag(items.frontline_grad)}",
        f"start origin {coded('StartOrigin', items.start_origin)}",
    ]  # fmt: skip
    if items.leaver_destination:
        parts.append(f"leaver destination {coded('LeaverDestination', items.leaver_destination)}")
    if items.reason_for_absence:
        parts.append(f"reason for absence {coded('ReasonAbsence', items.reason_for_absence)}")
    return "Census items: " + "; ".join(parts)
