"""The trend is the indicators on every snapshot date (issue #20): worked out in one pass over the months, it equals
`indicators` asked on each date in turn, for any history -- leavers with and without a date, workers who vanish and
come back, a leaving date later withdrawn or moved, agency workers, booked starters, leavers leaving the twelve months'
window."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ecf.domain.worker import ContractType
from ecf.progression.calendar import add_months
from ecf.progression.indicators import indicators, trend
from ecf.storage.repository import TimelineRow as Row  # the rows the trend is given

# Twenty months: a leaver drops out of the twelve months' window before the history ends, and may come back into it
# when a later row corrects their leaving date.
MONTHS = [add_months(date(2025, 1, 31), n) for n in range(20)]


@st.composite
def histories(draw: st.DrawFn) -> list[Row]:
    rows = []
    for worker in range(draw(st.integers(1, 12))):
        start = date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 900)))
        fte = draw(st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("0.81")]))
        contract = draw(st.sampled_from(list(ContractType)))
        team = draw(st.sampled_from(["North", "South", None]))
        for month in MONTHS:
            if not draw(st.booleans()):  # absent from this month's sheet (vanished, or not yet there)
                continue
            leaving = draw(st.one_of(st.none(), st.just(month - timedelta(days=draw(st.integers(-400, 60))))))
            rows.append(Row(month, f"{worker:06d}", start, leaving, fte, contract, team, draw(st.integers(0, 20))))
    return rows


@settings(max_examples=300, deadline=None)
@given(histories(), st.sampled_from([None, {"North": Decimal("3"), "South": Decimal("2.5")}]))
def test_the_trend_is_the_indicators_on_each_snapshot_date(rows, establishment):
    dates = sorted({row.as_of for row in rows})
    assert trend(rows, establishment) == [indicators(rows, day, establishment)[0] for day in dates]
