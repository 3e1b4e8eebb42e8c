"""The projection's workers as arrays: months are counted from the grid's first month, the as-of stage and each
change land in their month (never before the grid), and single-month events outside the grid are left out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ecf.domain.worker import ContractType
from ecf.progression.facts import Stage
from payscales.loader import load_paybook
from payscales.worker_columns import NO_LEAVING, NO_MONTH, STAGE_INDEX, C, PayFacts, worker_columns

GRADE = next(g for g in load_paybook().grades["default_grades"].grades if g.grade == "SW")
FIRST = date(2026, 12, 1)  # the grid: December 2026 for 12 months


def worker(**overrides: object) -> PayFacts:
    values: dict[str, object] = {
        "employee_id": "000101", "team": "Child Protection", "grade": "SW", "point": 29, "fte": Decimal("0.8"),
        "contract_type": ContractType.PERMANENT, "role": "Social Worker", "start_date": date(2020, 9, 14),
        "leaving_date": None, "stages": ((date(2026, 11, 30), Stage.NOT_EARLY_CAREER),),
    }  # fmt: skip
    values.update(overrides)
    return PayFacts(**values)  # type: ignore[arg-type]


def test_a_settled_worker_and_an_early_career_one_side_by_side() -> None:
    settled = worker()
    newcomer = worker(
        employee_id="000102", point=None, fte=Decimal("1.0"), start_date=date(2027, 2, 1),
        leaving_date=date(2027, 9, 30), apprentice=True, supplements=Decimal("1200"),
        stages=((date(2026, 11, 30), Stage.PRE_PROGRAMME), (date(2027, 2, 1), Stage.ASYE),
                (date(2028, 2, 1), Stage.ECF_YEAR_2)),
        programme_end=date(2028, 1, 31), experienced_from=date(2032, 2, 1),
        grants=((date(2027, 3, 1), Decimal("2000")), (date(2025, 1, 1), Decimal("1"))),
    )  # fmt: skip
    cols = worker_columns([settled, newcomer], [GRADE, GRADE], FIRST, 12)
    assert cols.fte.tolist() == [0.8, 1.0]
    assert cols.start.tolist() == [date(2020, 9, 14).toordinal(), date(2027, 2, 1).toordinal()]
    assert cols.leave.tolist() == [NO_LEAVING, date(2027, 9, 30).toordinal()]
    assert cols.first_point.tolist() == [29, GRADE.points[0]]  # no point: the bottom of the grade
    assert cols.top.tolist() == [GRADE.points[1]] * 2
    assert cols.start_month.tolist() == [-75, 2]  # September 2020 and February 2027, counted from December 2026
    assert cols.start_day.tolist() == [14, 1]
    assert cols.start_calendar_month.tolist() == [9, 2]
    assert cols.programme_end.tolist() == [NO_MONTH, 13]
    assert cols.experienced.tolist() == [NO_MONTH, 62]
    assert cols.supplements.tolist() == [0.0, 1200.0]
    assert cols.apprentice.tolist() == [False, True]
    # the as-of stage from the first month; a settled worker's unused slots say "never" (month 12)
    assert cols.stage_months.tolist() == [[0, 12, 12], [0, 2, 14]]
    assert cols.stage_values.tolist() == [
        [STAGE_INDEX[Stage.NOT_EARLY_CAREER], 0, 0],
        [STAGE_INDEX[Stage.PRE_PROGRAMME], STAGE_INDEX[Stage.ASYE], STAGE_INDEX[Stage.ECF_YEAR_2]],
    ]
    # experienced in 2032 and the 2025 grant fall outside the grid: only the March 2027 grant is left
    assert cols.event_component.tolist() == [C["grant_income"]]
    assert cols.event_row.tolist() == [1]
    assert cols.event_month.tolist() == [3]
    assert cols.event_amount.tolist() == [2000.0]


def test_a_worker_with_no_stages_has_none_in_any_month() -> None:
    cols = worker_columns([worker(stages=())], [GRADE], FIRST, 12)
    assert cols.stage_months.tolist() == [[12]]
    assert cols.stage_values.tolist() == [[0]]


def test_a_chunk_renumbers_its_events() -> None:
    workers = [worker(employee_id=f"{i:06d}", grants=((date(2027, 1, 5), Decimal(i)),)) for i in range(4)]
    part = worker_columns(workers, [GRADE] * 4, FIRST, 12).take(2, 4)
    assert part.event_row.tolist() == [0, 1]
    assert part.event_amount.tolist() == [2.0, 3.0]
    assert part.event_month.tolist() == [1, 1]
