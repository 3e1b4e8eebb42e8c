"""Workforce indicators (census definitions, R23) and intake cohorts, on small hand-counted workforces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ecf.domain.worker import AsyeStatus, ContractType, WorkerRecord
from ecf.progression.calendar import add_years
from ecf.progression.cohorts import CohortMember, cohorts
from ecf.progression.engine import Engine
from ecf.progression.facts import WorkerFacts
from ecf.progression.indicators import SERVICE_YEARS, _served, indicators, trend
from ecf.rules.loader import load_rulebook

P, F, A = ContractType.PERMANENT, ContractType.FIXED_TERM, ContractType.AGENCY


@dataclass(frozen=True)
class Row:
    as_of: date
    employee_id: str
    start_date: date
    leaving_date: date | None
    fte: Decimal
    contract_type: ContractType
    team: str | None
    caseload: int | None


def snapshot(day: date, *rows: tuple[str, date, date | None, str, ContractType, str, int | None]) -> list[Row]:
    return [Row(day, e, s, left, Decimal(f), c, t, k) for e, s, left, f, c, t, k in rows]


SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)
FACTS = [
    *snapshot(
        SEP,
        ("1", date(2015, 1, 5), None, "1", P, "East", 15),
        ("2", date(2021, 3, 1), None, "0.5", P, "East", 8),
        ("3", date(2025, 9, 1), date(2026, 10, 15), "1", P, "West", 12),  # leaves in October, 13 months' service
        ("4", date(2024, 1, 8), None, "1", F, "West", None),
        ("5", date(2026, 5, 1), None, "1", A, "West", 20),
        ("6", date(2019, 6, 3), None, "1", P, "West", 10),  # vanishes from October's sheet, no leaving date
    ),
    *snapshot(
        OCT,
        ("1", date(2015, 1, 5), None, "1", P, "East", 15),
        ("2", date(2021, 3, 1), None, "0.5", P, "East", 8),
        ("3", date(2025, 9, 1), date(2026, 10, 15), "1", P, "West", 12),
        ("4", date(2024, 1, 8), None, "1", F, "West", None),
        ("5", date(2026, 5, 1), None, "1", A, "West", 20),
    ),
]


def test_indicators_follow_the_census_definitions() -> None:
    total, east, west = indicators(FACTS, date(2026, 11, 23), {"East": Decimal(2), "West": Decimal(3)}, by_team=True)
    assert total.snapshot == OCT
    # In post on 31/10/2026: 1 (1.0), 2 (0.5), 4 (1.0) local authority; 5 agency (1.0). 3 left on 15/10.
    assert (total.headcount, total.fte, total.agency_fte) == (3, Decimal("2.5"), Decimal(1))
    assert total.agency_rate == Decimal("0.2857")  # 1 / (1 + 2.5)
    # Leavers: 3 (dated 15/10, FTE 1) and 6 (missing from October's sheet, FTE 1): 2 / 2.5 = 80%.
    assert (total.leavers, total.leavers_fte, total.leavers_without_date) == (2, Decimal(2), 1)
    assert total.turnover == Decimal("0.8000")
    assert total.early_leavers == 1 and total.early_leaver_share == Decimal("0.5000")  # 3 left after 13 months
    # Vacancies: establishment 5 - 2.5 in post = 2.5; rate 2.5 / (2.5 + 2.5) = 50%.
    assert (total.vacancy_fte, total.vacancy_rate) == (Decimal("2.5"), Decimal("0.5000"))
    # Caseload: (15 + 8 + 20) cases / (1 + 0.5 + 1) case-holding FTE = 17.2.
    assert total.caseload == Decimal("17.2")
    # Permanent in post: 1 (11 years) and 2 (5 years 7 months): both 2+ and 5+, one 8+.
    assert (total.service_2_plus, total.service_5_plus, total.service_8_plus) == (
        Decimal(1),
        Decimal(1),
        Decimal("0.5000"),
    )
    assert (east.scope, east.fte, east.leavers, east.vacancy_rate) == ("East", Decimal("1.5"), 0, Decimal("0.2500"))
    assert (west.scope, west.leavers, west.turnover) == ("West", 2, Decimal("2.0000"))


def test_the_trend_has_one_point_per_snapshot() -> None:
    points = trend(FACTS)
    assert [p.snapshot for p in points] == [SEP, OCT]
    assert points[0].leavers == 0 and points[0].vacancy_rate is None


def test_a_cohort_counts_its_intake_stages_and_retention() -> None:
    engine = Engine(load_rulebook())
    as_of = date(2026, 11, 1)

    def member(employee_id: str, start: date, left: date | None, status: AsyeStatus) -> CohortMember:
        record = WorkerRecord(
            employee_id, date(2025, 7, 1), start, Decimal(1), P, asye_start_date=start, asye_status=status,
            leaving_date=left, asye_review_3m=date(2025, 12, 10),
        )  # fmt: skip
        return CohortMember(record, engine.assess(WorkerFacts(record), as_of), left)

    people = [
        member("1", date(2025, 9, 8), None, AsyeStatus.PASSED),
        member("2", date(2025, 9, 15), date(2026, 3, 31), AsyeStatus.IN_PROGRESS),  # left after 6 months
        member("3", date(2026, 1, 5), None, AsyeStatus.IN_PROGRESS),
        member("4", date(2024, 9, 9), None, AsyeStatus.PASSED),
    ]
    newest, older = cohorts(people, as_of)
    assert (newest.intake, newest.size, newest.in_post) == ("2025/26", 3, 2)
    twelve = newest.retention[0]
    # Only 1 and 2 started 12 months before 01/11/2026; 2 left before 12 months.
    assert (twelve.months, twelve.reached, twelve.retained) == (12, 2, 1)
    assert (older.intake, older.size, older.retention[0].retained) == ("2024/25", 1, 1)


@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(st.dates(date(2012, 2, 1), date(2026, 12, 31)), max_size=40),
    day=st.dates(date(2016, 1, 1), date(2027, 3, 31)),
)
def test_service_shares_count_each_worker_whose_anniversary_has_come(starts: list[date], day: date) -> None:
    """Served y years by the snapshot: start + y years (29/02 + 1 year is 28/02) on or before it, counted per worker
    as the rule says, however the count is found."""
    rows = [Row(day, str(i), start, None, Decimal(1), P, None, None) for i, start in enumerate(starts)]
    assert _served(rows, day) == [sum(1 for s in starts if add_years(s, y) <= day) for y in SERVICE_YEARS]


def test_a_leap_day_start_has_served_two_years_on_28_february() -> None:
    leap = [Row(date(2021, 3, 1), "1", date(2020, 2, 29), None, Decimal(1), P, None, None)]
    assert _served(leap, date(2022, 2, 27)) == [0, 0, 0]
    assert _served(leap, date(2022, 2, 28)) == [1, 0, 0]
