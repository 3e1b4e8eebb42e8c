"""Issue #14 item 7: no setting may silently do nothing. Each documented setting of the rules (the council's own, the
programmes' part-time, pause, start-window, who-needs-it and extension settings, how PQE is counted) and of the
on-costs (LGPS, levy) is changed on its own, and some output must change: a date, a status, a stage, an alert, an
eligibility, a grant, an indicator or a pound. A new setting without a line here fails the coverage check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.progression.engine import Engine
from ecf.progression.facts import WorkerFacts
from ecf.progression.indicators import indicators
from ecf.progression.rules import (
    CouncilSettings,
    ExperienceCounting,
    PartTimeRule,
    PauseRule,
    ProgrammeNeeds,
    StartWindow,
)
from ecf.rules.loader import load_rulebook
from ecf.storage.repository import TimelineRow
from payscales.calibration import Calibration
from payscales.loader import load_paybook
from payscales.projection import project
from payscales.rules import Levy, Pension
from payscales.worker_columns import PayFacts

D = date


def worker(employee_id: str, **overrides: Any) -> WorkerRecord:
    values: dict[str, Any] = {
        "employee_id": employee_id, "date_qualified": D(2025, 7, 1), "start_date": D(2025, 9, 1), "fte": Decimal(1),
        "contract_type": ContractType.PERMANENT, "swe_number": "SW123456", "asye_start_date": D(2025, 9, 15),
        "asye_status": AsyeStatus.IN_PROGRESS,
    }  # fmt: skip
    values.update(overrides)
    return WorkerRecord(**values)


LEAVE = (
    Absence(Period(D(2026, 1, 5), D(2026, 2, 14)), AbsenceType.MATERNITY),  # 41 days
    Absence(Period(D(2026, 3, 2), D(2026, 4, 15)), AbsenceType.SICKNESS),  # 45 days
)
WORKFORCE = (
    WorkerFacts(worker("1")),  # full time, nothing recorded: the agreement is overdue
    WorkerFacts(worker("2", fte=Decimal("0.6"), asye_start_date=D(2025, 9, 14), absences=LEAVE)),
    WorkerFacts(worker("3", asye_status=AsyeStatus.EXTENDED, asye_review_final=D(2026, 9, 14))),
    WorkerFacts(
        worker(
            "4",
            date_qualified=D(2024, 7, 1),
            start_date=D(2024, 9, 2),
            asye_start_date=None,
            asye_status=None,
            prior_pqe_months=0,
        )
    ),
    WorkerFacts(
        worker(
            "5",
            contract_type=ContractType.AGENCY,
            date_qualified=D(2023, 4, 15),
            start_date=D(2025, 6, 2),
            asye_start_date=None,
            asye_status=None,
            prior_pqe_months=30,
        )
    ),
    WorkerFacts(
        worker(
            "6",
            date_qualified=D(2023, 6, 5),
            start_date=D(2024, 1, 8),
            fte=Decimal("0.5"),
            asye_start_date=None,
            asye_status=None,
            prior_pqe_months=30,
            absences=(Absence(Period(D(2025, 1, 6), D(2025, 1, 24)), AbsenceType.SICKNESS),),
        )
    ),
    WorkerFacts(
        worker(
            "7",
            date_qualified=D(2018, 6, 30),
            start_date=D(2024, 3, 4),
            asye_start_date=None,
            asye_status=AsyeStatus.EXEMPT,
        )
    ),
    WorkerFacts(
        worker(
            "8",
            date_qualified=D(2021, 1, 4),
            start_date=D(2026, 4, 20),
            asye_start_date=D(2026, 5, 1),
            swe_number="SW0123",
        )
    ),
    WorkerFacts(worker("9", start_date=D(2026, 2, 2)), (Period(D(2025, 9, 1), D(2025, 12, 31)),)),
)
DATES = (D(2026, 3, 1), D(2026, 10, 15), D(2026, 12, 1), D(2027, 6, 1))


def fingerprint(council_text: str = "") -> list[Any]:
    engine = Engine(load_rulebook(council_text or None))
    found: list[Any] = []
    for facts in WORKFORCE:
        for day in DATES:
            a = engine.assess(facts, day)
            found.append((
                a.programme, a.stage, a.programme_end, a.milestones, a.stage_changes, a.alerts, a.experienced,
                a.agency, a.grants, a.pqe_months,
            ))  # fmt: skip
    return found


DEFAULT = fingerprint()

RULE_SETTINGS: dict[str, str] = {
    "CouncilSettings.runs_five_year_ecf": "[council]\nruns_five_year_ecf = true\n",
    "CouncilSettings.due_window_days": "[council]\ndue_window_days = 90\n",
    "CouncilSettings.tracked": '[council.tracked]\n"asye.support_agreement" = false\n',
    "Programme.duration_months": "[overrides.asye]\nduration_months = 15\n",
    "Programme.extension_months": "[overrides.asye]\nextension_months = 6\n",
    "PartTimeRule.rule": '[overrides.asye.part_time]\nrule = "none"\n',
    "PartTimeRule.max_months": "[overrides.asye.part_time]\nmax_months = 13\n",
    "PartTimeRule.qualification_limit_years": "[overrides.asye.part_time]\nqualification_limit_years = 1\n",
    "PauseRule.absence_types": '[overrides.asye.pauses]\nabsence_types = ["maternity"]\n',
    "PauseRule.min_days": "[overrides.asye.pauses]\nmin_days = 42\n",
    "PauseRule.breaks_in_service": "[overrides.asye.pauses]\nbreaks_in_service = false\n",
    "StartWindow.standard_years": "[overrides.asye.start_window]\nstandard_years = 3\n",
    "StartWindow.funded_years": "[overrides.asye.start_window]\nfunded_years = 3\n",
    "StartWindow.funded_from": "[overrides.asye.start_window]\nfunded_from = 2026-06-01\n",
    "ProgrammeNeeds.agency_workers": "[overrides.asye.needs]\nagency_workers = true\n",
    "ProgrammeNeeds.exempt_prior_pqe_months": "[overrides.asye.needs]\nexempt_prior_pqe_months = 36\n",
    "ExperienceCounting.count_prior_pqe": "[overrides.experienced_practitioner.counting]\ncount_prior_pqe = false\n",
    "ExperienceCounting.undeclared_prior_pqe": (
        '[overrides.experienced_practitioner.counting]\nundeclared_prior_pqe = "since_qualifying"\n'
    ),
    "ExperienceCounting.part_time_pro_rata": (
        "[overrides.experienced_practitioner.counting]\npart_time_pro_rata = true\n"
    ),
    "ExperienceCounting.long_absences_count": (
        "[overrides.experienced_practitioner.counting]\nlong_absences_count = false\n"
    ),
    "ExperienceCounting.absence_min_days": (
        "[overrides.experienced_practitioner.counting]\nlong_absences_count = false\nabsence_min_days = 10\n"
    ),
}
# Text that says where a value comes from, not a value: shown, never computed with.
WORDING = {
    "CouncilSettings.name", "StartWindow.standard_source", "StartWindow.funded_source", "Pension.note",
    "Pension.secondary_note", "Levy.note",
}  # fmt: skip


@pytest.mark.parametrize("setting", sorted(RULE_SETTINGS))
def test_each_rule_setting_changes_some_output(setting: str) -> None:
    assert fingerprint(RULE_SETTINGS[setting]) != DEFAULT, f"{setting} changed nothing"


def test_the_sample_councils_absence_threshold_baseline() -> None:
    """`ExperienceCounting.absence_min_days` matters only once long absences stop counting: the pair is tested
    against long_absences_count = false alone, so it is the threshold itself that moves the figure."""
    alone = fingerprint("[overrides.experienced_practitioner.counting]\nlong_absences_count = false\n")
    assert fingerprint(RULE_SETTINGS["ExperienceCounting.absence_min_days"]) != alone


def test_the_establishment_changes_the_vacancy_rate() -> None:
    """CouncilSettings.establishment_fte: 10 funded FTE with 8 in post -> vacancy 2 FTE, 20%; none given -> none."""
    rows = [
        TimelineRow(D(2026, 10, 31), str(i), D(2020, 1, 1), None, Decimal(1), ContractType.PERMANENT, "A", 10)
        for i in range(8)
    ]
    assert indicators(rows, D(2026, 10, 31))[0].vacancy_rate is None
    assert indicators(rows, D(2026, 10, 31), {"A": Decimal(10)})[0].vacancy_rate == Decimal("0.2")


ONCOST_SETTINGS: dict[str, str] = {
    "Pension.lgps_rate": '[overrides.employer_oncosts.pension]\nlgps_rate = "0.211"\n',
    "Pension.secondary_rate": '[overrides.employer_oncosts.pension]\nsecondary_rate = "0.013"\n',
    "Pension.secondary_annual": '[overrides.employer_oncosts.pension]\nsecondary_annual = "250000"\n',
    "Levy.rate": '[overrides.employer_oncosts.levy]\nrate = "0.006"\n',
    "Levy.apply_allowance": "[overrides.employer_oncosts.levy]\napply_allowance = true\n",
    "Levy.annual_allowance": '[overrides.employer_oncosts.levy]\napply_allowance = true\nannual_allowance = "30000"\n',
}
NOBODY_LEAVES = Calibration(0.0, 0.0, "test", 0.0, 0.0, 0, 0, "test: no leaving")
STAFF = [
    PayFacts(
        employee_id=f"{i:06d}",
        team="A",
        grade="SW",
        point=29,
        fte=Decimal(1),
        contract_type=ContractType.PERMANENT,
        role="Social Worker",
        start_date=D(2020, 9, 1),
        leaving_date=None,
        stages=(),
    )
    for i in range(150)
]


def costs(tmp_path: Path, text: str) -> list[float]:
    path = tmp_path / "pay.toml"
    path.write_text(text, encoding="utf-8")
    book = load_paybook(path if text else None)
    result = project(STAFF, book, book.scenarios["baseline"], D(2025, 12, 31), 1, NOBODY_LEAVES)
    return result.totals("month")["total"].tolist()


@pytest.mark.parametrize("setting", sorted(ONCOST_SETTINGS))
def test_each_oncost_setting_changes_the_cost(setting: str, tmp_path: Path) -> None:
    baseline = costs(tmp_path, "")
    if setting == "Levy.annual_allowance":  # the allowance is a figure only when it is applied
        baseline = costs(tmp_path, ONCOST_SETTINGS["Levy.apply_allowance"])
    assert costs(tmp_path, ONCOST_SETTINGS[setting]) != baseline, f"{setting} changed nothing"


def test_every_setting_is_covered() -> None:
    """The fields of every settings model, and the programme's own length settings, each have a line above."""
    models = (CouncilSettings, PartTimeRule, PauseRule, StartWindow, ProgrammeNeeds, ExperienceCounting, Pension, Levy)
    fields = {f"{model.__name__}.{name}" for model in models for name in model.model_fields}
    fields |= {"Programme.duration_months", "Programme.extension_months"}
    # The census block (LA code, the council's role and leaving-reason words) changes the return: tests/unit/
    # test_census.py::test_role_codes_and_the_councils_own_words and the LA code in tests/test_census_service.py.
    covered = set(RULE_SETTINGS) | set(ONCOST_SETTINGS) | WORDING | {"CouncilSettings.establishment_fte"}
    covered |= {"CouncilSettings.census"}
    # How long leavers' personal data is kept: tests/test_retention.py (the default cut-off moves with it).
    covered |= {"CouncilSettings.retention_years"}
    # The shrinking-month guard's share: tests/test_import_lifecycle.py (50% stores what 10% refuses).
    covered |= {"CouncilSettings.max_vanished_share"}
    assert sorted(fields - covered) == []
