"""What the DfE will publish for the council from its return: headcount and FTE, agency worker rate, turnover,
vacancy rate and average caseload, with the workforce indicators' definitions and rounding (so they equal
`ecf indicators` on the reference date), and the difference from an earlier year.

The earlier year comes from whatever holds it: the snapshots (through the indicators), or an earlier return's XML
(`figures_from_xml`), stored or given as a file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ecf.census.build import CensusReturn
from ecf.census.spec import latest_spec
from ecf.progression.indicators import (
    Indicators,
    ratio,  # the indicators' own rounding, so the figures agree
)


@dataclass(frozen=True)
class Figures:
    year: int
    source: str  # "return", "snapshots" or an earlier return's file name
    headcount: int
    fte: Decimal
    agency_headcount: int
    agency_fte: Decimal
    agency_rate: Decimal | None
    leavers: int
    leavers_fte: Decimal
    turnover: Decimal | None
    vacancy_fte: Decimal | None
    vacancy_rate: Decimal | None
    caseload: Decimal | None


FIGURES: tuple[tuple[str, str], ...] = (
    ("headcount", "Headcount (LA social workers)"),
    ("fte", "FTE (LA social workers)"),
    ("agency_headcount", "Agency workers"),
    ("agency_fte", "Agency FTE"),
    ("agency_rate", "Agency worker rate"),
    ("leavers", "Leavers in the year"),
    ("turnover", "Turnover rate"),
    ("vacancy_fte", "Vacancies (FTE)"),
    ("vacancy_rate", "Vacancy rate"),
    ("caseload", "Average caseload"),
)
RATES = frozenset({"agency_rate", "turnover", "vacancy_rate"})


def figures_from_return(census: CensusReturn) -> Figures:
    """The published figures computed from the return's own records and its LA-level block."""
    la = [w for w in census.workers if not w.agency]
    in_post = [w for w in census.workers if w.in_post]
    la_in_post = [w for w in la if w.in_post]
    agency = [w for w in in_post if w.agency]
    la_fte = sum((_decimal(w.items.get("FTE30")) for w in la_in_post), Decimal(0))
    agency_fte = sum((_decimal(w.items.get("FTE30")) for w in agency), Decimal(0))
    leavers = [w for w in la if w.is_leaver]
    leavers_fte = sum((_decimal(w.items.get("FTE")) for w in leavers), Decimal(0))
    holders = [w for w in in_post if w.items.get("Cases30")]
    cases = sum((_decimal(w.items.get("Cases30")) for w in holders), Decimal(0))
    holder_fte = sum((_decimal(w.items.get("FTE30")) for w in holders), Decimal(0))
    vacancy = census.la_level.vacancies
    return Figures(
        census.spec.year, "return", len(la_in_post), la_fte, len(agency), agency_fte,
        ratio(agency_fte, agency_fte + la_fte), len(leavers), leavers_fte, ratio(leavers_fte, la_fte),
        vacancy, None if vacancy is None else ratio(vacancy, vacancy + la_fte), ratio(cases, holder_fte, places=1),
    )  # fmt: skip


def figures_from_indicators(year: int, found: Indicators) -> Figures:
    return Figures(
        year, "snapshots", found.headcount, found.fte, found.agency_headcount, found.agency_fte, found.agency_rate,
        found.leavers, found.leavers_fte, found.turnover, found.vacancy_fte, found.vacancy_rate, found.caseload,
    )  # fmt: skip


class ReturnFileError(ValueError):
    """An earlier return that cannot be read (the message names the file)."""


def figures_from_xml(xml: bytes, name: str) -> Figures:
    """The published figures of an earlier return (the census XML as submitted)."""
    from importers.census_xml import collection_year, parse_return, worker_rows  # the census input's own reader
    from importers.readers import UnreadableFile

    try:
        root = parse_return(xml, name)
    except UnreadableFile as exc:
        raise ReturnFileError(str(exc)) from exc
    year = collection_year(root)
    if str(root.tag).rsplit("}", 1)[-1] != "Message" or year is None:
        raise ReturnFileError(f"{name}: not a CSWW return (no Message/Header/CollectionDetails/Year)")
    rows = worker_rows(root)
    la = [r for r in rows if r.get("AgencyWorker") == "0"]
    # A leaver has a role end date, or no FTE at 30 September (one who left the sheets without a date).
    in_post = [r for r in rows if not r.get("RoleEndDate") and _decimal(r.get("FTE30")) > 0]
    la_in_post = [r for r in in_post if r.get("AgencyWorker") == "0"]
    agency = [r for r in in_post if r.get("AgencyWorker") == "1"]
    la_fte = sum((_decimal(r.get("FTE30")) for r in la_in_post), Decimal(0))
    agency_fte = sum((_decimal(r.get("FTE30")) for r in agency), Decimal(0))
    staying = {id(r) for r in in_post}
    leavers = [r for r in la if id(r) not in staying]
    leavers_fte = sum((_decimal(r.get("FTE")) for r in leavers), Decimal(0))
    holders = [r for r in in_post if _decimal(r.get("Cases30")) > 0]
    cases = sum((_decimal(r.get("Cases30")) for r in holders), Decimal(0))
    holder_fte = sum((_decimal(r.get("FTE30")) for r in holders), Decimal(0))
    vacancy_text = next((e.text for e in root.iter() if str(e.tag).endswith("NumberOfVacancies")), None)
    vacancy = _decimal(vacancy_text.strip()) if vacancy_text and vacancy_text.strip() else None
    return Figures(
        year, name, len(la_in_post), la_fte, len(agency), agency_fte, ratio(agency_fte, agency_fte + la_fte),
        len(leavers), leavers_fte, ratio(leavers_fte, la_fte), vacancy,
        None if vacancy is None else ratio(vacancy, vacancy + la_fte), ratio(cases, holder_fte, places=1),
    )  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    name: str
    label: str
    current: Decimal | int | None
    previous: Decimal | int | None

    @property
    def difference(self) -> Decimal | int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def compare(current: Figures, previous: Figures | None) -> list[Comparison]:
    return [
        Comparison(name, label, _number(current, name), _number(previous, name) if previous else None)
        for name, label in FIGURES
    ]


def _number(figures: Figures, name: str) -> Decimal | int | None:
    value = getattr(figures, name)
    assert value is None or isinstance(value, Decimal | int)
    return value


def reference_date_of(year: int) -> date:
    """The census's reference day in `year` (30 September), as the newest specification has it."""
    day = latest_spec().reference_date
    return date(year, day.month, day.day)


def _decimal(value: object) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)
