"""The pay model, by hand: each figure below is worked out in the docstring, to the penny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from ecf.domain.worker import ContractType
from ecf.progression.facts import Stage
from payscales.calibration import Calibration, calibrate
from payscales.loader import PayDataError, load_paybook
from payscales.projection import project
from payscales.worker_columns import PayFacts

BOOK = load_paybook()
BASELINE = BOOK.scenarios["baseline"]
NOBODY_LEAVES = Calibration(0.0, 0.0, "test", 0.0, 0.0, 0, 0, "test: no leaving")


def worker(**overrides: object) -> PayFacts:
    values: dict[str, object] = {
        "employee_id": "000101", "team": "Child Protection", "grade": "SW", "point": 29, "fte": Decimal(1),
        "contract_type": ContractType.PERMANENT, "role": "Social Worker", "start_date": date(2020, 9, 1),
        "leaving_date": None, "stages": ((date(2024, 12, 31), Stage.NOT_EARLY_CAREER),),
    }  # fmt: skip
    values.update(overrides)
    return PayFacts(**values)  # type: ignore[arg-type]


def months(result, column: str) -> list[float]:  # type: ignore[no-untyped-def]
    return result.totals("month")[column].tolist()


def test_full_time_worker_across_the_april_increment_award_and_ni_change() -> None:
    """SCP 29 in 2024/25 = £38,626: £3,218.83 a month; NI 13.8% above £758 = £339.59; LGPS 19.8% = £637.33;
    levy 0.5% = £16.09. On 1 April 2025 the increment to SCP 30 and the 2025/26 award: £40,777 = £3,398.08 a month;
    NI 15% above £417 = £447.16; LGPS £672.82; levy £16.99."""
    result = project([worker()], BOOK, BASELINE, date(2024, 12, 31), 1, NOBODY_LEAVES)
    assert months(result, "salary")[:6] == [3218.83] * 3 + [3398.08] * 3
    assert months(result, "employer_ni")[:6] == [339.59] * 3 + [447.16] * 3
    assert months(result, "pension")[:6] == [637.33] * 3 + [672.82] * 3
    assert months(result, "levy")[:6] == [16.09] * 3 + [16.99] * 3
    assert months(result, "total")[:4] == [4211.84, 4211.84, 4211.84, 4535.05]
    years = result.totals("financial_year").set_index("financial_year")
    assert years.loc["2024/25", "salary"] == 9656.49  # 3 x 3,218.83
    assert years.loc["2025/26", "salary"] == 30582.72  # 9 x 3,398.08
    assert years.loc["2025/26", "fte"] == 1.0


def test_a_worker_at_the_top_of_the_grade_gets_the_award_but_no_increment() -> None:
    """SCP 32 is the top of SW: 2025/26 SCP 32 = £42,839 -> £3,569.92 a month."""
    result = project([worker(point=32)], BOOK, BASELINE, date(2025, 3, 31), 1, NOBODY_LEAVES)
    assert months(result, "salary")[0] == 3569.92


def test_a_part_time_worker_is_paid_pro_rata() -> None:
    """0.6 FTE at SCP 30, 2025/26: £40,777 x 0.6 / 12 = £2,038.85; NI (2,038.85 - 417) x 15% = £243.28."""
    result = project([worker(point=30, fte=Decimal("0.6"))], BOOK, BASELINE, date(2025, 4, 30), 1, NOBODY_LEAVES)
    assert months(result, "salary")[0] == 2038.85
    assert months(result, "employer_ni")[0] == 243.28
    assert months(result, "fte")[0] == 0.6


def test_a_starter_mid_month_is_paid_for_the_days_worked() -> None:
    """Starts 15/05/2025 at SCP 29, 2025/26 £39,862: May = 39,862 / 12 x 17/31 = £1,821.65; June in full £3,321.83.
    No increment in April 2026: under 6 months' service on 1 April? No: 15/05/2025 + 6 months is before 1 April 2026,
    so SCP 30 from April 2026 (uprated 3%: £42,000 -> £3,500.00)."""
    starter = worker(start_date=date(2025, 5, 15), stages=((date(2025, 4, 30), Stage.NOT_EARLY_CAREER),))
    result = project([starter], BOOK, BASELINE, date(2025, 4, 30), 1, NOBODY_LEAVES)
    salary = months(result, "salary")
    assert salary[:2] == [1821.65, 3321.83]
    assert salary[11] == 3500.00  # April 2026: SCP 30 at 40,777 x 1.03 = 42,000.31 -> £42,000


def test_a_leaver_is_paid_to_the_leaving_date_and_the_post_is_covered_by_agency() -> None:
    """Leaves 20/06/2025 at SCP 30 (£40,777): June = 40,777 / 12 x 20/30 = £2,265.39. The post is covered by an
    agency social worker (£28 x 37 h x 47 weeks / 12 = £4,057.67 a month) for 3 months, then refilled."""
    leaver = worker(point=30, leaving_date=date(2025, 6, 20))
    result = project([leaver], BOOK, BASELINE, date(2025, 4, 30), 1, NOBODY_LEAVES)
    table = result.totals("month")
    assert table["salary"].tolist()[:2] == [3398.08, 2265.39]
    assert table["leavers"].tolist()[1] == 1.0
    assert table["agency"].tolist()[2:6] == [4057.67, 4057.67, 4057.67, 0.0]
    assert table["salary"].tolist()[5] == 3321.83  # October: the new hire at the bottom of SW, SCP 29


def test_totals_agree_however_they_are_cut() -> None:
    workers = [
        worker(employee_id="1", team="A", grade="SW", point=30),
        worker(employee_id="2", team="B", grade="SP", point=34, role="Senior Practitioner", fte=Decimal("0.8")),
        worker(employee_id="3", team="A", grade="NQSW", point=25, role="ASYE Social Worker",
               start_date=date(2025, 9, 1), programme_end=date(2026, 9, 1)),
        worker(employee_id="4", team="B", grade=None, point=None, role="Social Worker",
               contract_type=ContractType.AGENCY),
    ]  # fmt: skip
    hazards = calibrate(BOOK.hazards, [5.0, 8.0, 0.5])
    result = project(workers, BOOK, BASELINE, date(2025, 10, 31), 3, hazards)
    total = result.totals("scenario" if False else "source")["total"].sum()
    for keys in (("team",), ("grade",), ("stage",), ("financial_year",), ("month",)):
        assert result.totals(*keys)["total"].sum() == pytest.approx(total, abs=0.001)  # to the penny, every cut
    by_month = result.totals("month", "financial_year").groupby("financial_year")["salary"].sum().round(2)
    by_year = result.totals("financial_year").set_index("financial_year")["salary"]
    assert np.allclose(by_month.to_numpy(), by_year.to_numpy(), atol=0.01)


def test_an_asye_worker_moves_to_the_social_worker_grade_when_the_asye_ends() -> None:
    """NQSW at SCP 26; the ASYE ends 15/09/2025: from September, SCP 29 (the bottom of SW): £39,862 / 12 = £3,321.83."""
    nqsw = worker(grade="NQSW", point=26, role="ASYE Social Worker", programme_end=date(2025, 9, 15))
    result = project([nqsw], BOOK, BASELINE, date(2025, 6, 30), 1, NOBODY_LEAVES)
    salary = months(result, "salary")
    assert salary[0] == round(37280 / 12, 2)  # July: SCP 26, 2025/26
    assert salary[2] == 3321.83


def test_calibration_reproduces_national_turnover_and_the_under_5_share() -> None:
    """10 workers, 4 under 5 years: 13.8% x 10 = 1.38 leavers; 70.4% of them (0.97152) from the 4 -> 24.288%;
    the rest (0.40848) from the 6 -> 6.808%."""
    found = calibrate(BOOK.hazards, [1, 2, 3, 4, 6, 7, 8, 9, 10, 11])
    assert (round(found.under_5, 5), round(found.five_plus, 5)) == (0.24288, 0.06808)
    assert found.under_5 * 4 + found.five_plus * 6 == pytest.approx(1.38)


def test_a_bad_salary_table_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "county.csv").write_text("point,2025/26\n1,30000\n2,thirty\n", encoding="utf-8")
    (tmp_path / "pay.toml").write_text(
        '[[add]]\nkind = "scale"\nid = "county"\nname = "County scale"\nsalaries = "county.csv"\n'
        '[add.source]\ntitle = "County pay policy"\nconfidence = "local"\n', encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(PayDataError, match=r"county.csv: line 3, 2025/26: 'thirty' is not an amount"):
        load_paybook(tmp_path / "pay.toml")


def test_a_council_scale_loads_and_an_unknown_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "county.csv").write_text("point,2025/26\n1,30000\n2,31000\n", encoding="utf-8")
    (tmp_path / "pay.toml").write_text(
        '[[add]]\nkind = "scale"\nid = "county"\nname = "County scale"\nsalaries = "county.csv"\n'
        '[add.source]\ntitle = "County pay policy"\nconfidence = "local"\n'
        '[overrides.employer_oncosts.pension]\nlgps_rate = "0.211"\n', encoding="utf-8",
    )  # fmt: skip
    book = load_paybook(tmp_path / "pay.toml")
    assert book.scales["county"].salary("2025/26", 2) == Decimal(31000)
    assert book.oncosts.pension.lgps_rate == Decimal("0.211")
    (tmp_path / "bad.toml").write_text('[overrides.baseline]\npay_awrd = "0.02"\n', encoding="utf-8")
    with pytest.raises(PayDataError, match=r"baseline.toml \+ bad.toml: pay_awrd: unknown key"):
        load_paybook(tmp_path / "bad.toml")


def test_monte_carlo_is_seeded_and_its_mean_matches_the_expected_values() -> None:
    from payscales.montecarlo import simulate

    workers = [
        worker(employee_id=str(i), point=29 + i % 4, start_date=date(2015 + i % 10, 9, 1), team="AB"[i % 2])
        for i in range(40)
    ]
    hazards = calibrate(BOOK.hazards, [10.0 - i % 10 for i in range(40)])
    expected = project(workers, BOOK, BASELINE, date(2025, 10, 31), 3, hazards).totals("financial_year")
    first = simulate(workers, BOOK, BASELINE, date(2025, 10, 31), 3, hazards, 2000, seed=5)
    again = simulate(workers, BOOK, BASELINE, date(2025, 10, 31), 3, hazards, 2000, seed=5)
    assert np.array_equal(first.totals, again.totals)  # the same seed gives the same runs
    bands = first.bands()
    assert list(bands["financial_year"]) == list(expected["financial_year"])
    for mean, value in zip(bands["total_mean"], expected["total"], strict=True):
        assert mean == pytest.approx(value, rel=0.005)
    assert (bands["total_p10"] <= bands["total_p50"]).all() and (bands["total_p50"] <= bands["total_p90"]).all()
    assert bands["leavers_mean"].sum() == pytest.approx(expected["leavers"].sum(), rel=0.03)


def test_monte_carlo_runs_are_the_same_whatever_the_batch_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs are simulated a batch at a time to bound memory (a national workforce's hundred runs held whole took
    gigabytes): each batch draws the numbers all the runs at once would, so the seed alone decides the results."""
    import payscales.montecarlo as montecarlo

    workers = [
        worker(employee_id=str(i), point=29 + i % 4, start_date=date(2015 + i % 10, 9, 1), team="AB"[i % 2])
        for i in range(30)
    ]
    hazards = calibrate(BOOK.hazards, [10.0 - i % 10 for i in range(30)])

    def runs(cells: int) -> tuple[montecarlo.MonteCarlo, list[tuple[int, int]]]:
        monkeypatch.setattr(montecarlo, "BATCH_CELLS", cells)
        told: list[tuple[int, int]] = []
        found = montecarlo.simulate(workers, BOOK, BASELINE, date(2025, 10, 31), 2, hazards, 7, seed=3,
                                    on_progress=lambda done, total: told.append((done, total)))  # fmt: skip
        return found, told

    whole, told_once = runs(10**9)  # one batch: every run at once, as before batches
    assert told_once == [(7, 7)]
    for cells, told in ((1, [(n, 7) for n in range(1, 8)]), (90, [(3, 7), (6, 7), (7, 7)])):  # 1 run; 3, 3 and 1
        batched, progress = runs(cells)
        assert progress == told
        assert np.array_equal(batched.totals, whole.totals) and np.array_equal(batched.leavers, whole.leavers)
    assert whole.leavers.sum() > 0 and len({tuple(row) for row in whole.leavers}) > 1  # the runs differ


def test_a_starter_with_under_six_months_by_1_april_waits_a_year_for_the_first_increment() -> None:
    """Starts 15/10/2025 at SCP 29: 15/04/2026 is 6 months on, after 1 April, so no increment in April 2026 (SCP 29
    uprated: £39,862 x 1.03 = £41,058 -> £3,421.50) and SCP 30 from April 2027 (£40,777 x 1.03^2 = £43,260.31 ->
    £43,260 -> £3,605.00)."""
    starter = worker(start_date=date(2025, 10, 15), stages=((date(2025, 9, 30), Stage.NOT_EARLY_CAREER),))
    result = project([starter], BOOK, BASELINE, date(2025, 9, 30), 2, NOBODY_LEAVES)
    salary = months(result, "salary")
    assert salary[6] == 3421.50  # April 2026
    assert salary[18] == 3605.00  # April 2027


def test_anniversary_increments_follow_the_start_month() -> None:
    """Increments on each anniversary (a scenario setting): started September 2020, SCP 29 -> 30 in September 2025."""
    scenario = BASELINE.model_copy(update={"increment": "anniversary"})
    result = project([worker()], BOOK, scenario, date(2025, 4, 30), 1, NOBODY_LEAVES)
    salary = months(result, "salary")
    assert salary[3] == 3321.83  # August 2025: SCP 29, 2025/26
    assert salary[4] == round(40777 / 12, 2)  # September 2025: SCP 30


def test_the_ecf_linked_scale_pays_early_career_workers_by_stage() -> None:
    """On the illustrative national scale an ASYE worker is on point 1 (2025/26 £37,280 -> £3,106.67 a month) and
    moves to point 2 (£39,152 -> £3,262.67) when ECF year 2 begins on 15/09/2025."""
    linked = BOOK.scenarios["ecf_linked"]
    nqsw = worker(
        grade="NQSW", point=26, role="ASYE Social Worker", start_date=date(2024, 9, 2),
        stages=((date(2025, 6, 30), Stage.ASYE), (date(2025, 9, 15), Stage.ECF_YEAR_2)),
    )  # fmt: skip
    result = project([nqsw], BOOK, linked, date(2025, 6, 30), 1, NOBODY_LEAVES)
    salary = months(result, "salary")
    assert salary[0] == 3106.67  # July 2025
    assert salary[2] == 3262.67  # September 2025


def test_market_supplements_and_allowances_are_paid_with_the_salary() -> None:
    """SCP 30 in 2025/26 (£40,777) + a £2,000 market supplement + £500 allowances, at 0.5 FTE:
    (40,777 + 2,500) x 0.5 / 12 = £1,803.21; NI (1,803.21 - 417) x 15% = £207.93."""
    paid = worker(point=30, fte=Decimal("0.5"), supplements=Decimal(2500))
    result = project([paid], BOOK, BASELINE, date(2025, 4, 30), 1, NOBODY_LEAVES)
    assert months(result, "salary")[0] == 1803.21
    assert months(result, "employer_ni")[0] == 207.93


def test_fte_over_a_period_is_the_average_of_the_months_of_the_years_each_team_is_there() -> None:
    """A grid of January 2026 to December 2027 spans 2025/26 (3 months), 2026/27 (12) and 2027/28 (9). Team C's only
    worker is booked to start on 01/06/2027, so C has figures in 2027/28 alone, 7 months of 1.0 FTE: over the whole
    horizon its FTE is those 7 over the 9 months of 2027/28 (0.7778), not over all 24; team A, here throughout,
    averages 1.0 over all 24."""
    staying = worker(employee_id="000101", team="A")
    booked = worker(employee_id="000103", team="C", start_date=date(2027, 6, 1))
    result = project([staying, booked], BOOK, BASELINE, date(2025, 12, 31), 2, NOBODY_LEAVES)
    by_team = result.totals("team").set_index("team")
    assert by_team.loc["A", "fte"] == 1.0
    assert by_team.loc["C", "fte"] == 0.7778
    by_year = result.totals("financial_year", "team").set_index(["financial_year", "team"])
    assert by_year.loc[("2027/28", "C"), "fte"] == 0.7778
    assert ("2025/26", "C") not in by_year.index and ("2026/27", "C") not in by_year.index
    assert by_year.loc[("2025/26", "A"), "fte"] == 1.0
