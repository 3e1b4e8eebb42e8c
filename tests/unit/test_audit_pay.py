"""Issue #14, pay items: each figure worked by hand in the docstring from the source it cites."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from ecf.domain.worker import ContractType
from ecf.progression.facts import Stage
from payscales.calibration import Calibration
from payscales.loader import load_paybook
from payscales.pay import MonthGrid, PeriodRates, employer_ni, ni_pennies
from payscales.projection import project
from payscales.rules import PayBook
from payscales.worker_columns import PayFacts

BOOK = load_paybook()
BASELINE = BOOK.scenarios["baseline"]
NOBODY_LEAVES = Calibration(0.0, 0.0, "test", 0.0, 0.0, 0, 0, "test: no leaving")


def worker(**overrides: object) -> PayFacts:
    values: dict[str, object] = {
        "employee_id": "000101", "team": "Child Protection", "grade": "SW", "point": 29, "fte": Decimal(1),
        "contract_type": ContractType.PERMANENT, "role": "Social Worker", "start_date": date(2020, 9, 1),
        "leaving_date": None, "stages": ((date(2021, 1, 1), Stage.NOT_EARLY_CAREER),),
    }  # fmt: skip
    values.update(overrides)
    return PayFacts(**values)  # type: ignore[arg-type]


def months(result, column: str) -> list[float]:  # type: ignore[no-untyped-def]
    return result.totals("month")[column].tolist()


# --- item 5: employer NI rounds half a penny down ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pay", "rate", "threshold", "expected"),
    [
        # 15%: SCP 23 2025/26 £34,434 / 12 = £2,869.50; (2,869.50 - 417) x 15% = £367.875 -> £367.87
        ("2869.50", "0.15", "417", "367.87"),
        # 13.8%: (2,760.50 - 758) x 13.8% = 2,002.50 x 0.138 = £276.345 -> £276.34
        ("2760.50", "0.138", "758", "276.34"),
        # 15.05%: (2,768.00 - 758) x 15.05% = 2,010 x 0.1505 = £302.505 -> £302.50
        ("2768.00", "0.1505", "758", "302.50"),
        # a shade over half a penny rounds up: (2,869.51 - 417) x 15% = £367.8765 -> £367.88
        ("2869.51", "0.15", "417", "367.88"),
    ],
)
def test_employer_ni_disregards_half_a_penny(pay: str, rate: str, threshold: str, expected: str) -> None:
    """SS(C)R 2001 reg 12(1): in calculating the contribution "½p or less is disregarded" (rounded down), more
    than ½p is a whole penny. Worked: pay less threshold, times the rate, to the penny, halves down."""
    assert employer_ni(Decimal(pay), Decimal(rate), Decimal(threshold)) == Decimal(expected)
    # The vectorised projection path gives the same penny in a month where this rate applies.
    day = {"0.15": date(2025, 4, 30), "0.138": date(2023, 4, 30), "0.1505": date(2022, 4, 30)}[rate]
    rates = PeriodRates.for_grid(MonthGrid((day.replace(day=1),)), BOOK.oncosts)
    assert ni_pennies(np.array([[float(pay)]]), rates)[0, 0] == float(expected)


def test_scp_23_full_time_in_2025_26_pays_367_87_employer_ni_a_month() -> None:
    """Issue #14 item 5; NJC 2025/26 SCP 23 = £34,434 (pay.md §1.2): £2,869.50 a month; NI 15% above £417 =
    £367.875, half a penny disregarded (SS(C)R 2001 reg 12(1)) -> £367.87 (the product said £367.88)."""
    result = project([worker(point=23, grade="NQSW")], BOOK, BASELINE, date(2025, 4, 30), 1, NOBODY_LEAVES)
    assert months(result, "salary")[0] == 2869.50
    assert months(result, "employer_ni")[0] == 367.87


def test_employer_ni_for_a_38626_worker_in_all_48_months_april_2022_to_march_2026() -> None:
    """HMRC rates and thresholds 2022/23-2025/26 (pay.md §3): £38,626 / 12 = £3,218.83 a month, paid on the month's
    last day. Apr-Oct 2022: 15.05% x (3,218.83 - 758) = £370.354915 -> £370.35 (7 months). Nov 2022 - Mar 2025:
    13.8% x 2,460.83 = £339.594540 -> £339.59 (29 months). Apr 2025 - Mar 2026: 15% x (3,218.83 - 417) =
    £420.2745 -> £420.27 (12 months)."""
    grid = MonthGrid.after(date(2022, 3, 31), 48)
    rates = PeriodRates.for_grid(grid, BOOK.oncosts)
    ni = ni_pennies(np.full((1, 48), 3218.83), rates)[0].tolist()
    assert ni == [370.35] * 7 + [339.59] * 29 + [420.27] * 12


# --- item 6: 2021/22 employer NI --------------------------------------------------------------------------------


def test_a_projection_from_before_6_april_2022_uses_the_2021_22_rate() -> None:
    """HMRC rates and thresholds for employers 2021 to 2022: 13.8% above £8,840 a year = £737 a month. SCP 29
    2021/22 = £33,486 (pay.md §1.2, verified Wychavon): £2,790.50 a month; (2,790.50 - 737) x 13.8% = £283.383 ->
    £283.38 in January-March 2022; April 2022 (SCP 30 2022/23 = £36,298 -> £3,024.83): 15.05% x (3,024.83 - 758)
    = £341.157915 -> £341.16."""
    result = project([worker()], BOOK, BASELINE, date(2021, 12, 31), 1, NOBODY_LEAVES)
    assert months(result, "salary")[:4] == [2790.50] * 3 + [3024.83]
    assert months(result, "employer_ni")[:4] == [283.38] * 3 + [341.16]


def test_no_rate_for_a_date_names_the_date_and_the_file() -> None:
    """Before 6 April 2021 nothing is loaded: the message says which pay day and which file."""
    with pytest.raises(ValueError, match=r"pay on 31/03/2021.*earliest loaded starts 06/04/2021.*oncosts\.toml"):
        project([worker()], BOOK, BASELINE, date(2021, 2, 28), 1, NOBODY_LEAVES)


# --- item 9: SCP 2 deleted from 1 April 2026 --------------------------------------------------------------------


def test_scp_2_is_off_the_spine_from_2026_27() -> None:
    """NJC 2025/26 agreement (23 July 2025, pay.md §1.1): "SCP2 deleted from 1 Apr 2026 (so SCP3 becomes the
    minimum)". 2025/26 still has SCP 2 = £24,413; 2026/27 (uprated by the 3% assumed award) starts at SCP 3:
    £24,796 x 1.03 = £25,539.88 -> £25,540."""
    from payscales.pay import salaries_for

    scale = BOOK.scales["njc"]
    assert salaries_for(scale, "2025/26", Decimal("0.03"))[2] == Decimal(24413)
    for year in ("2026/27", "2027/28", "2030/31"):
        points = salaries_for(scale, year, Decimal("0.03"))
        assert 2 not in points
        assert min(points) == 3
    assert salaries_for(scale, "2026/27", Decimal("0.03"))[3] == Decimal(25540)


# --- item 7: the levy allowance -------------------------------------------------------------------------------------


def council_pay(tmp_path: Path, text: str) -> PayBook:
    path = tmp_path / "pay.toml"
    path.write_text(text, encoding="utf-8")
    return load_paybook(path)


def test_the_levy_allowance_is_spread_as_payroll_does(tmp_path: Path) -> None:
    """pay.md §3: levy 0.5% of the pay bill less a £15,000 allowance; gov.uk (Pay Apprenticeship Levy): £1,250 a
    month, cumulative within the tax year. 100 workers at SCP 29 2024/25 (£3,218.83 a month): levy 100 x £16.09 =
    £1,609.00 a month -> £1,609.00 - £1,250 = £359.00 in January-March 2025; April 2025 (SCP 30 2025/26, £3,398.08:
    £16.99 each) -> £1,699.00 - £1,250 = £449.00. Default (apply_allowance = false): £1,609.00 unchanged."""
    staff = [worker(employee_id=f"{i:06d}") for i in range(100)]
    book = council_pay(tmp_path, "[overrides.employer_oncosts.levy]\napply_allowance = true\n")
    result = project(staff, book, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES)
    assert months(result, "levy")[:4] == [359.0, 359.0, 359.0, 449.0]
    assert months(project(staff, BOOK, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES), "levy")[:4] == [
        1609.0,
        1609.0,
        1609.0,
        1699.0,
    ]
    assert any("£15,000 allowance" in w for w in result.warnings)


def test_an_unused_levy_allowance_carries_forward_within_the_tax_year(tmp_path: Path) -> None:
    """One worker: £16.09 a month, well inside £1,250 a month: no levy at all (the rest carries forward)."""
    book = council_pay(tmp_path, "[overrides.employer_oncosts.levy]\napply_allowance = true\n")
    result = project([worker()], book, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES)
    assert months(result, "levy") == [0.0] * 12


# --- item 13: the LGPS secondary contribution -------------------------------------------------------------------


def test_the_lgps_secondary_contribution_as_a_rate(tmp_path: Path) -> None:
    """Primary 19.8% (SAB 2022 valuation, pay.md §3) plus a fund secondary rate of 2%: SCP 29 2024/25 £3,218.83 a
    month x 21.8% = £701.70494 -> £701.70 (primary alone: x 19.8% = £637.32834 -> £637.33)."""
    book = council_pay(tmp_path, '[overrides.employer_oncosts.pension]\nsecondary_rate = "0.02"\n')
    result = project([worker()], book, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES)
    assert months(result, "pension")[0] == 701.70
    assert months(project([worker()], BOOK, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES), "pension")[0] == 637.33


def test_the_lgps_secondary_contribution_as_a_lump_sum(tmp_path: Path) -> None:
    """A fund's secondary contribution of £12,000 a year for this workforce: £1,000.00 a month on top of the primary
    19.8% (£637.33): £1,637.33 a month, and every cut (here by team) adds up to the same."""
    book = council_pay(tmp_path, '[overrides.employer_oncosts.pension]\nsecondary_annual = "12000"\n')
    result = project([worker()], book, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES)
    assert months(result, "pension")[:3] == [1637.33] * 3
    assert result.totals("team")["pension"].sum() == pytest.approx(sum(months(result, "pension")))
