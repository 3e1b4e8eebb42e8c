"""Pay now, as the worker screen shows it: the spine point's salary for the financial year, at the worker's FTE."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import worker, write_xlsx

from ecf.services.imports import ImportRequest, import_file
from ecf.services.progression import worker_detail
from ecf.services.projection import pay_now, worker_pay


def test_pay_now_is_the_published_salary_at_the_workers_fte(app, tmp_path):
    import_file(app, ImportRequest(write_xlsx(tmp_path / "hr_2026-02-28.xlsx", [worker("000101", FTE=0.6)])))
    now = pay_now(worker_detail(app, "000101", date(2026, 3, 1)).assessed, date(2026, 3, 1))
    assert now is not None and now.financial_year == "2025/26" and now.assumed_award is None
    assert now.full_time == Decimal(40777)  # SCP 30 from 1 April 2025 (NJC 2025/26)
    assert now.paid == Decimal("24466.20")  # 0.6 of it


def test_pay_now_after_the_last_published_award_assumes_the_baselines_award(app, tmp_path):
    import_file(app, ImportRequest(write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101")])))
    now = pay_now(worker_detail(app, "000101", date(2026, 11, 23)).assessed, date(2026, 11, 23))
    assert now is not None and now.financial_year == "2026/27" and now.assumed_award == Decimal("0.03")
    assert now.full_time == Decimal(42000)  # £40,777 x 1.03 = £42,000.31, to the pound as NJC tables are
    assert now.paid == Decimal("42000.00")


def test_the_worker_screens_projection_runs_three_years_from_the_month_after_today(app, tmp_path):
    import_file(app, ImportRequest(write_xlsx(tmp_path / "hr_2026-10-31.xlsx", [worker("000101")])))
    projected = worker_pay(worker_detail(app, "000101", date(2026, 11, 23)).assessed, date(2026, 11, 23))
    assert (projected.first_month, projected.last_month) == (date(2026, 12, 1), date(2029, 11, 1))
    assert list(projected.years["financial_year"]) == ["2026/27", "2027/28", "2028/29", "2029/30"]
