"""Workforce indicators from the monthly snapshots, with the DfE children's social work workforce census definitions
(rules.md §5, R23), computed over the twelve months to any snapshot rather than only the census year to 30 September:

- turnover = FTE of local-authority social workers who left in the 12 months / FTE in post on the snapshot date
- agency rate = agency FTE / (agency FTE + local-authority FTE), on the snapshot date
- vacancy rate = vacant FTE / (vacant FTE + FTE in post), where the council gives an establishment figure
- caseload = cases / FTE of the workers holding cases
- early leavers = leavers whose service was under 2 years
- service = share of the permanent workforce with 2+, 5+ and 8+ years in this council

Local-authority social workers are those on permanent or fixed-term contracts; agency workers are counted apart.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from itertools import accumulate, pairwise
from typing import Protocol

from ecf.domain.worker import ContractType
from ecf.progression.calendar import add_months, add_years

ALL = "all teams"
LA_CONTRACTS = (ContractType.PERMANENT, ContractType.FIXED_TERM)
SERVICE_YEARS = (2, 5, 8)


class SnapshotFact(Protocol):
    @property
    def as_of(self) -> date: ...
    @property
    def employee_id(self) -> str: ...
    @property
    def start_date(self) -> date: ...
    @property
    def leaving_date(self) -> date | None: ...
    @property
    def fte(self) -> Decimal: ...
    @property
    def contract_type(self) -> ContractType: ...
    @property
    def team(self) -> str | None: ...
    @property
    def caseload(self) -> int | None: ...


@dataclass(frozen=True)
class Indicators:
    scope: str
    snapshot: date
    headcount: int
    fte: Decimal
    agency_headcount: int
    agency_fte: Decimal
    agency_rate: Decimal | None
    leavers: int
    leavers_fte: Decimal
    leavers_without_date: int  # vanished from the sheets without a leaving date: counted at the first month missing
    turnover: Decimal | None
    early_leavers: int
    early_leaver_share: Decimal | None
    establishment_fte: Decimal | None
    vacancy_fte: Decimal | None
    vacancy_rate: Decimal | None
    caseload: Decimal | None
    service_2_plus: Decimal | None
    service_5_plus: Decimal | None
    service_8_plus: Decimal | None


@dataclass(frozen=True, slots=True)
class Leaver:
    left_on: date
    start_date: date
    fte: Decimal
    team: str | None
    dated: bool


def indicators(
    facts: Iterable[SnapshotFact],
    as_of: date,
    establishment: Mapping[str, Decimal] | None = None,
    by_team: bool = False,
) -> list[Indicators]:
    """Indicators on the newest snapshot on or before `as_of`: overall, then each team if asked."""
    by_date = _by_snapshot(facts)
    dates = [d for d in sorted(by_date) if d <= as_of]
    if not dates:
        return []
    snapshot = dates[-1]
    leavers = [leaver for leaver in _leavers(by_date, dates) if add_months(snapshot, -12) < leaver.left_on <= snapshot]
    in_post = _in_post(by_date[snapshot], snapshot)
    establishment = dict(establishment or {})
    total = sum(establishment.values(), Decimal(0)) if establishment else None
    results = [_measure(ALL, snapshot, in_post, leavers, total)]
    if by_team:
        teams = sorted({row.team or "" for row in in_post} | {leaver.team or "" for leaver in leavers})
        for team in teams:
            results.append(
                _measure(
                    team or "(no team)",
                    snapshot,
                    [row for row in in_post if (row.team or "") == team],
                    [leaver for leaver in leavers if (leaver.team or "") == team],
                    establishment.get(team) if establishment else None,
                )
            )
    return results


def trend(facts: Iterable[SnapshotFact], establishment: Mapping[str, Decimal] | None = None) -> list[Indicators]:
    """The overall indicators on every snapshot date, oldest first: the series behind a trend chart. Each is what
    `indicators` gives on that date, worked out in one pass over the months rather than one pass per month (five
    years of monthly snapshots would read them sixty times over)."""
    by_date = _by_snapshot(facts)
    dates = sorted(by_date)
    total = sum(establishment.values(), Decimal(0)) if establishment else None
    found = []
    for day, leavers in zip(dates, _leavers_on(by_date, dates, set(dates)), strict=True):
        recent = [leaver for leaver in leavers if add_months(day, -12) < leaver.left_on <= day]
        found.append(_measure(ALL, day, _in_post(by_date[day], day), recent, total))
    return found


def leavers_between(facts: Iterable[SnapshotFact], after: date, until: date) -> list[Leaver]:
    """Local-authority leavers who left after `after` and on or before `until`, from the snapshots up to `until`."""
    by_date = _by_snapshot(facts)
    dates = [d for d in sorted(by_date) if d <= until]
    if not dates:
        return []
    return [leaver for leaver in _leavers(by_date, dates) if after < leaver.left_on <= until]


def _by_snapshot(facts: Iterable[SnapshotFact]) -> dict[date, list[SnapshotFact]]:
    found: dict[date, list[SnapshotFact]] = defaultdict(list)
    for row in facts:
        found[row.as_of].append(row)
    return found


def _in_post(rows: Iterable[SnapshotFact], snapshot: date) -> list[SnapshotFact]:
    # A booked starter (start date after the snapshot) is not in post yet: the census counts them next year.
    return [row for row in rows
            if row.start_date <= snapshot and (row.leaving_date is None or row.leaving_date > snapshot)]  # fmt: skip


def _leavers(by_date: Mapping[date, Sequence[SnapshotFact]], dates: Sequence[date]) -> list[Leaver]:
    """Local-authority leavers up to the last of `dates`: each spell with a leaving date once, plus workers who
    dropped out of the sheets without one (dated at the first snapshot they were missing from)."""
    return next(_leavers_on(by_date, dates, {dates[-1]}))


def _leavers_on(
    by_date: Mapping[date, Sequence[SnapshotFact]], dates: Sequence[date], wanted: Collection[date]
) -> Iterator[list[Leaver]]:
    """The leavers as the snapshots up to each `wanted` date show them (see `_leavers`), in date order: one pass over
    the months, each one's rows read once, the leavers worked out only on the dates wanted."""
    with_date: dict[tuple[str, date], list[SnapshotFact]] = {}  # each spell's rows that carry a leaving date
    last_seen: dict[str, tuple[date, SnapshotFact]] = {}
    after = dict(pairwise(dates))  # the snapshot after each
    for day in dates:
        for row in by_date[day]:
            if row.contract_type not in LA_CONTRACTS:
                continue
            if row.leaving_date is not None:
                with_date.setdefault((row.employee_id, row.start_date), []).append(row)
            last_seen[row.employee_id] = (day, row)
        if day not in wanted:
            continue
        dated: dict[tuple[str, date], SnapshotFact] = {}
        for key, rows in with_date.items():  # the latest row whose leaving date has come by this snapshot
            chosen = next((row for row in reversed(rows) if row.leaving_date <= day), None)  # type: ignore[operator]
            if chosen is not None:
                dated[key] = chosen
        found = [Leaver(r.leaving_date, r.start_date, r.fte, r.team, True) for r in dated.values() if r.leaving_date]
        for employee_id, (seen, row) in last_seen.items():
            if seen == day or row.leaving_date is not None or (employee_id, row.start_date) in dated:
                continue
            found.append(Leaver(after[seen], row.start_date, row.fte, row.team, False))
        yield found


def _served(permanent: Sequence[SnapshotFact], snapshot: date) -> list[int]:
    """How many have served each of SERVICE_YEARS by the snapshot (start + years on or before it). The starts in
    order with a running count: start + years only grows with the start, so those who have served are a first part
    of them, found by halving (every month of the trend asked this of each of 40,000 workers)."""
    by_start = Counter(row.start_date for row in permanent)
    starts = sorted(by_start)
    up_to = list(accumulate(by_start[start] for start in starts))
    served = []
    for years in SERVICE_YEARS:
        first_not = bisect_right(starts, snapshot, key=partial(add_years, years=years))
        served.append(up_to[first_not - 1] if first_not else 0)
    return served


def _measure(
    scope: str,
    snapshot: date,
    in_post: Sequence[SnapshotFact],
    leavers: Sequence[Leaver],
    establishment: Decimal | None,
) -> Indicators:
    la = [row for row in in_post if row.contract_type in LA_CONTRACTS]
    agency = [row for row in in_post if row.contract_type is ContractType.AGENCY]
    la_fte = sum((row.fte for row in la), Decimal(0))
    agency_fte = sum((row.fte for row in agency), Decimal(0))
    leavers_fte = sum((leaver.fte for leaver in leavers), Decimal(0))
    early = sum(1 for leaver in leavers if leaver.left_on < add_years(leaver.start_date, 2))
    vacancy = None if establishment is None else max(Decimal(0), establishment - la_fte)
    holders = [row for row in in_post if row.caseload]
    holder_fte = sum((row.fte for row in holders), Decimal(0))
    permanent = [row for row in la if row.contract_type is ContractType.PERMANENT]
    shares = [_share(served, len(permanent)) for served in _served(permanent, snapshot)]
    return Indicators(
        scope=scope,
        snapshot=snapshot,
        headcount=len(la),
        fte=la_fte,
        agency_headcount=len(agency),
        agency_fte=agency_fte,
        agency_rate=ratio(agency_fte, agency_fte + la_fte),
        leavers=len(leavers),
        leavers_fte=leavers_fte,
        leavers_without_date=sum(1 for leaver in leavers if not leaver.dated),
        turnover=ratio(leavers_fte, la_fte),
        early_leavers=early,
        early_leaver_share=_share(early, len(leavers)),
        establishment_fte=establishment,
        vacancy_fte=vacancy,
        vacancy_rate=None if vacancy is None else ratio(vacancy, vacancy + la_fte),
        caseload=ratio(Decimal(sum(row.caseload or 0 for row in holders)), holder_fte, places=1),
        service_2_plus=shares[0],
        service_5_plus=shares[1],
        service_8_plus=shares[2],
    )


def ratio(part: Decimal, whole: Decimal, places: int = 4) -> Decimal | None:
    if not whole:
        return None
    return (part / whole).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    return ratio(Decimal(part), Decimal(whole))
