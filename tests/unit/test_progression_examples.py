"""Hand-worked examples: each test is one rule, with the dates worked out by hand in its docstring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.progression.engine import Engine
from ecf.progression.facts import Assessment, MilestoneStatus, Outcome, RecordedCompletion, Stage, WorkerFacts
from ecf.rules.loader import load_rulebook

D = date
BOOK = load_rulebook()
ENGINE = Engine(BOOK)
ECF_ENGINE = Engine(load_rulebook("[council]\nruns_five_year_ecf = true\n"))


def record(**overrides: Any) -> WorkerRecord:
    values: dict[str, Any] = {
        "employee_id": "000101", "date_qualified": D(2025, 7, 1), "start_date": D(2025, 9, 1), "fte": Decimal(1),
        "contract_type": ContractType.PERMANENT, "swe_number": "SW123456", "asye_start_date": D(2025, 9, 15),
        "asye_status": AsyeStatus.IN_PROGRESS,
    }  # fmt: skip
    values.update(overrides)
    return WorkerRecord(**values)


def assess(as_of: date, engine: Engine = ENGINE, spells: tuple[Period, ...] = (), **overrides: Any) -> Assessment:
    return engine.assess(WorkerFacts(record(**overrides), spells), as_of)


def due(assessment: Assessment, framework: str = "asye") -> dict[str, date | None]:
    return {m.key: m.due_date for m in assessment.milestones if m.framework == framework}


def status(assessment: Assessment, key: str, framework: str = "asye") -> MilestoneStatus:
    return next(m.status for m in assessment.milestones if m.key == key and m.framework == framework)


def explanation(assessment: Assessment, key: str, framework: str = "asye") -> str:
    return next(m.explanation for m in assessment.milestones if m.key == key and m.framework == framework)


def test_full_time_asye_reviews_fall_3_6_9_12_months_after_the_start() -> None:
    """ASYE start 15/09/2025, full time: agreement 15/10/2025, reviews 15/12/2025, 15/03/2026, 15/06/2026, final
    15/09/2026, panel a month after the final review: 15/10/2026."""
    result = assess(D(2026, 1, 10))
    assert due(result) == {
        "programme_start": D(2029, 7, 1), "support_agreement": D(2025, 10, 15), "review_3m": D(2025, 12, 15),
        "review_6m": D(2026, 3, 15), "review_9m": D(2026, 6, 15), "final_review": D(2026, 9, 15),
        "moderation_panel": D(2026, 10, 15),
    }  # fmt: skip
    assert result.programme == "asye"
    assert result.programme_reason == "programme start 15/09/2025 is on or before 31/08/2027: ASYE (child and family)"
    assert status(result, "programme_start") is MilestoneStatus.COMPLETE
    assert status(result, "review_3m") is MilestoneStatus.OVERDUE  # 15/12/2025 passed, nothing recorded
    assert status(result, "review_6m") is MilestoneStatus.UPCOMING  # beyond the 28-day window
    assert result.stage is Stage.ASYE
    assert explanation(result, "review_6m") == "ASYE start 15/09/2025 + 6 months = 15/03/2026"


def test_a_review_is_due_within_the_window_and_complete_once_held() -> None:
    held = assess(D(2026, 3, 1), asye_review_3m=D(2025, 12, 12))
    assert status(held, "review_3m") is MilestoneStatus.COMPLETE
    assert status(held, "review_6m") is MilestoneStatus.DUE  # 15/03/2026 is 14 days ahead
    # The sheet has no column for the agreement, but the review held on 12/12/2025 means it happened.
    assert status(held, "support_agreement") is MilestoneStatus.COMPLETE
    assert "implied by the 3-month review on 12/12/2025" in explanation(held, "support_agreement")


def test_part_time_asye_stretches_each_offset_by_the_fte_rounded_up_to_whole_months() -> None:
    """0.6 FTE from 14/09/2025: 3/0.6 = 5 months -> 14/02/2026; 6/0.6 = 10 -> 14/07/2026; 9/0.6 = 15 -> 14/12/2026;
    12/0.6 = 20 -> 14/05/2027. The agreement is not stretched: 14/10/2025."""
    result = assess(D(2026, 1, 10), fte=Decimal("0.6"), asye_start_date=D(2025, 9, 14))
    dates = due(result)
    assert dates["support_agreement"] == D(2025, 10, 14)
    assert (dates["review_3m"], dates["review_6m"], dates["review_9m"]) == (
        D(2026, 2, 14),
        D(2026, 7, 14),
        D(2026, 12, 14),
    )
    assert dates["final_review"] == D(2027, 5, 14)
    assert explanation(result, "review_6m") == "ASYE start 14/09/2025 + 6 months at 0.6 FTE (10 months) = 14/07/2026"


def test_part_time_asye_past_the_24_month_cap_keeps_its_date_and_alerts() -> None:
    """0.4 FTE: 12/0.4 = 30 months ends 15/03/2028. The council's cap (15/09/2025 + 24 months = 15/09/2027) never
    cuts the programme short (issue #14 item 1): the date stays, an alert asks the council to decide."""
    result = assess(D(2026, 1, 10), fte=Decimal("0.4"))
    assert due(result)["final_review"] == D(2028, 3, 15)
    assert explanation(result, "final_review") == (
        "ASYE start 15/09/2025 + 12 months at 0.4 FTE (30 months) = 15/03/2028"
    )
    assert [a.message for a in result.alerts if a.code == "programme_cap"] == [
        "ASYE final review and critical reflection 15/03/2028 is after the council's cap (24 months from the start: "
        "15/09/2027); the date is not moved: decide whether to extend the cap or end the programme"
    ]


def test_maternity_leave_pauses_every_later_date_by_its_length() -> None:
    """0.6 FTE from 14/09/2025 with maternity leave 05/01/2026-14/02/2026 (27 + 14 = 41 days): the 3-month review
    (14/02/2026, after the leave began) moves to 27/03/2026, the 6-month review from 14/07/2026 to 24/08/2026."""
    leave = Absence(Period(D(2026, 1, 5), D(2026, 2, 14)), AbsenceType.MATERNITY)
    result = assess(D(2026, 1, 10), fte=Decimal("0.6"), asye_start_date=D(2025, 9, 14), absences=(leave,))
    dates = due(result)
    assert dates["support_agreement"] == D(2025, 10, 14)  # before the leave: unchanged
    assert dates["review_3m"] == D(2026, 3, 27)
    assert dates["review_6m"] == D(2026, 8, 24)
    assert explanation(result, "review_6m") == (
        "ASYE start 14/09/2025 + 6 months at 0.6 FTE (10 months) + 41 days' maternity leave = 24/08/2026"
    )


def test_a_short_sickness_absence_does_not_pause_but_an_ongoing_one_does() -> None:
    short = Absence(Period(D(2025, 11, 3), D(2025, 11, 14)), AbsenceType.SICKNESS)  # 12 days < 28
    assert due(assess(D(2026, 1, 10), absences=(short,)))["review_3m"] == D(2025, 12, 15)
    ongoing = Absence(Period(D(2025, 12, 1), None), AbsenceType.SICKNESS)  # 01/12/2025-10/01/2026 = 41 days so far
    result = assess(D(2026, 1, 10), absences=(ongoing,))
    assert due(result)["review_3m"] == D(2026, 1, 25)
    assert "41 days' sickness absence (ongoing)" in explanation(result, "review_3m")


def test_a_31_january_start_keeps_month_ends() -> None:
    """31/01/2026 + 1 month = 28/02/2026; + 3 = 30/04/2026; + 6 = 31/07/2026; + 12 = 31/01/2027; panel 28/02/2027."""
    result = assess(D(2026, 2, 1), asye_start_date=D(2026, 1, 31), start_date=D(2026, 1, 5))
    dates = due(result)
    assert dates["support_agreement"] == D(2026, 2, 28)
    assert dates["review_3m"] == D(2026, 4, 30)
    assert dates["review_6m"] == D(2026, 7, 31)
    assert dates["final_review"] == D(2027, 1, 31)
    assert dates["moderation_panel"] == D(2027, 2, 28)


def test_a_29_february_start() -> None:
    """29/02/2024 + 3 months = 29/05/2024; + 12 = 28/02/2025 (no 29th); experienced 60 months after joining on
    29/02/2024 = 28/02/2029."""
    result = assess(
        D(2024, 3, 1), date_qualified=D(2023, 7, 1), start_date=D(2024, 2, 29), asye_start_date=D(2024, 2, 29)
    )
    dates = due(result)
    assert dates["review_3m"] == D(2024, 5, 29)
    assert dates["review_9m"] == D(2024, 11, 29)
    assert dates["final_review"] == D(2025, 2, 28)
    assert result.experienced.eligible_from == D(2029, 2, 28)


def test_prior_experience_counts_towards_experienced_practitioner() -> None:
    """30 months declared + 30 months here from 09/01/2023 = 60 months on 09/07/2025."""
    result = assess(
        D(2026, 1, 1), date_qualified=D(2020, 7, 1), start_date=D(2023, 1, 9), prior_pqe_months=30,
        asye_start_date=None, asye_status=AsyeStatus.PASSED,
    )  # fmt: skip
    assert result.experienced.eligible_from == D(2025, 7, 9)
    assert result.experienced.eligible
    assert result.experienced.explanation == (
        "qualified 01/07/2020; 30 months' declared PQE + 30 months here from 09/01/2023 = 60 months on 09/07/2025"
    )
    assert result.stage is Stage.EXPERIENCED
    assert result.pqe_months == 30 + 35  # 09/01/2023 to 01/01/2026: 35 whole months


def test_a_leaver_who_returns_keeps_the_first_spell_for_experience() -> None:
    """First spell 02/09/2019-31/08/2021 = 23 whole months; back from 01/03/2022, 37 more months -> 01/04/2025."""
    first = Period(D(2019, 9, 2), D(2021, 8, 31))
    result = assess(
        D(2024, 1, 1), spells=(first,), date_qualified=D(2019, 7, 1), start_date=D(2022, 3, 1),
        asye_start_date=D(2019, 9, 16), asye_status=AsyeStatus.PASSED, asye_review_final=D(2020, 9, 14),
    )  # fmt: skip
    assert result.experienced.eligible_from == D(2025, 4, 1)
    assert "23 months here 02/09/2019-31/08/2021 + 37 months here from 01/03/2022" in result.experienced.explanation
    assert result.stage is Stage.NOT_EARLY_CAREER  # ASYE passed, five-year ECF not run by this council
    assert result.stage_changes[0].on == D(2025, 4, 1) and result.stage_changes[0].stage is Stage.EXPERIENCED


def test_a_break_in_service_during_the_asye_pauses_it() -> None:
    """ASYE from 04/01/2021; left 31/03/2021, back 01/06/2021: a 61-day break (01/04-31/05). The 3-month review
    (04/04/2021) moves to 04/06/2021, the 6-month review (04/07/2021) to 03/09/2021."""
    first = Period(D(2020, 11, 2), D(2021, 3, 31))
    result = assess(
        D(2021, 6, 10), spells=(first,), date_qualified=D(2020, 7, 1), start_date=D(2021, 6, 1),
        asye_start_date=D(2021, 1, 4),
    )  # fmt: skip
    assert due(result)["review_3m"] == D(2021, 6, 4)
    assert due(result)["review_6m"] == D(2021, 9, 3)
    assert "61 days' break in service" in explanation(result, "review_6m")


def test_a_worker_already_experienced_at_import() -> None:
    result = assess(
        D(2026, 10, 31), date_qualified=D(2010, 7, 1), start_date=D(2024, 4, 1), prior_pqe_months=96,
        asye_start_date=None, asye_status=None,
    )  # fmt: skip
    assert result.stage is Stage.EXPERIENCED
    assert result.experienced.eligible_from == D(2024, 4, 1)
    assert result.experienced.explanation == (
        "qualified 01/07/2010; already 60 months on joining (96 months' declared PQE)"
    )
    assert result.milestones == ()
    assert result.programme is None


def test_an_august_2027_start_is_asye_and_a_september_2027_start_is_ecdp() -> None:
    august = assess(
        D(2027, 9, 1), date_qualified=D(2027, 7, 1), start_date=D(2027, 8, 2), asye_start_date=D(2027, 8, 31)
    )
    assert august.programme == "asye"
    assert due(august)["final_review"] == D(2028, 8, 31)
    september = assess(
        D(2027, 9, 2), date_qualified=D(2027, 7, 1), start_date=D(2027, 8, 2), asye_start_date=D(2027, 9, 1)
    )
    assert september.programme == "ecdp"
    assert september.programme_reason.startswith("programme start 01/09/2027 is on or after 01/09/2027")
    assert due(september, "ecdp")["final_assessment"] == D(2029, 9, 1)
    assert september.stage is Stage.ECDP


def test_agency_eligibility_under_the_2024_rules_and_the_2023_proposal() -> None:
    """Qualified 01/07/2024 (after April 2024), here from 02/09/2024, ASYE passed at the final review 12/09/2025.
    2024 rules: 36 months -> 02/09/2027. 2023 proposal: 60 months and a passed ASYE -> 02/09/2029."""
    result = assess(
        D(2026, 10, 31), date_qualified=D(2024, 7, 1), start_date=D(2024, 9, 2), asye_start_date=D(2024, 9, 16),
        asye_status=AsyeStatus.PASSED, asye_review_final=D(2025, 9, 12), contract_type=ContractType.AGENCY,
    )  # fmt: skip
    rules = {e.rule: e for e in result.agency}
    assert rules["agency_rules_2024"].eligible_from == D(2027, 9, 2)
    assert not rules["agency_rules_2024"].eligible
    assert rules["agency_proposal_2023"].eligible_from == D(2029, 9, 2)
    assert any(a.code == "agency_pqe" for a in result.alerts)
    older = assess(D(2026, 10, 31), date_qualified=D(2020, 7, 1), start_date=D(2020, 9, 1), asye_start_date=None)
    proposal = next(e for e in older.agency if e.rule == "agency_proposal_2023")
    assert proposal.eligible and proposal.explanation.startswith("does not apply: qualified 01/07/2020")
    assert next(e for e in older.agency if e.rule == "agency_rules_2024").eligible_from == D(2023, 9, 1)


def test_an_extended_asye_moves_the_final_review_and_panel_by_three_months() -> None:
    result = assess(D(2026, 9, 1), asye_status=AsyeStatus.EXTENDED)
    assert due(result)["final_review"] == D(2026, 12, 15)
    assert due(result)["moderation_panel"] == D(2027, 1, 15)
    assert "+ 3 months' extension" in explanation(result, "final_review")


def test_exempt_and_failed_workers_have_no_live_asye_steps() -> None:
    exempt = assess(D(2026, 1, 10), asye_status=AsyeStatus.EXEMPT, asye_start_date=None)
    assert exempt.programme is None and exempt.milestones == ()
    failed = assess(D(2026, 10, 31), asye_status=AsyeStatus.FAILED, asye_review_3m=D(2025, 12, 15))
    assert status(failed, "review_6m") is MilestoneStatus.NOT_APPLICABLE
    assert status(failed, "moderation_panel") is MilestoneStatus.COMPLETE
    assert failed.stage is Stage.NOT_EARLY_CAREER


def test_a_recorded_completion_wins_over_the_sheet() -> None:
    facts = WorkerFacts(
        record(asye_review_3m=None),
        recorded=(RecordedCompletion("asye", "review_3m", D(2025, 12, 10)),
                  RecordedCompletion("asye", "moderation_panel", D(2026, 10, 20), Outcome.PASSED)),
    )  # fmt: skip
    result = ENGINE.assess(facts, D(2026, 11, 1))
    three = next(m for m in result.milestones if m.key == "review_3m")
    assert (three.status, three.completed_date, three.completed_source) == (
        MilestoneStatus.COMPLETE,
        D(2025, 12, 10),
        "recorded",
    )
    assert status(result, "moderation_panel") is MilestoneStatus.COMPLETE


def test_pre_asye_worker_past_the_two_year_window_gets_an_alert_not_an_overdue_step() -> None:
    """Qualified 01/07/2025; on 02/07/2027 the Skills for Care window (2 years: 01/07/2027) has passed: an alert.
    The start step counts to the DfE funding window, 01/07/2025 + 4 years = 01/07/2029 (issue #14 item 2)."""
    result = assess(D(2027, 7, 2), asye_start_date=None, asye_status=AsyeStatus.NOT_STARTED)
    assert result.stage is Stage.PRE_PROGRAMME
    assert status(result, "programme_start") is MilestoneStatus.UPCOMING
    assert due(result)["programme_start"] == D(2029, 7, 1)
    assert status(result, "review_3m") is MilestoneStatus.UPCOMING
    assert due(result)["review_3m"] is None
    assert [a.code for a in result.alerts if a.code.startswith("start")] == ["start_window"]


def test_five_year_ecf_stages_and_reviews_when_the_council_runs_it() -> None:
    """ASYE 15/09/2025 passed 14/09/2026: ECF year 2 to 15/09/2027 (start + 24 months), years 3-5 to 15/09/2030,
    experienced from 01/09/2030 (60 months after joining on 01/09/2025)."""
    result = assess(D(2026, 11, 1), ECF_ENGINE, asye_status=AsyeStatus.PASSED, asye_review_final=D(2026, 9, 14))
    assert result.stage is Stage.ECF_YEAR_2
    assert [(c.on, c.stage) for c in result.stage_changes] == [
        (D(2027, 9, 15), Stage.ECF_YEARS_3_5),
        (D(2030, 9, 1), Stage.EXPERIENCED),
    ]
    assert due(result, "five_year_ecf")["year_three_review"] == D(2028, 9, 15)
    assert status(result, "year_five_assessment", "five_year_ecf") is MilestoneStatus.NOT_APPLICABLE


def test_asye_grant_claims_2026_27() -> None:
    """Registered 15/05/2026 (in the grant year): £1,000 then; still on the programme in March 2027: the completion
    £1,000 is paid early, from 01/03/2027."""
    result = assess(
        D(2026, 6, 1), start_date=D(2026, 5, 1), date_qualified=D(2026, 4, 1), asye_start_date=D(2026, 5, 15)
    )
    claims = [(g.claim, g.amount, g.claimable_from, g.financial_year) for g in result.grants]
    assert claims == [
        ("registration", Decimal("1000.00"), D(2026, 5, 15), "2026/27"),
        ("completion", Decimal("1000.00"), D(2027, 3, 1), "2026/27"),
    ]


@pytest.mark.parametrize(
    ("as_of", "code"),
    [(D(2026, 9, 1), "swe_renewal"), (D(2026, 11, 30), "swe_renewal"), (D(2026, 12, 5), "swe_recheck")],
)
def test_social_work_england_renewal_window_alerts(as_of: date, code: str) -> None:
    assert code in {a.code for a in assess(as_of).alerts}


def test_swe_number_missing_is_an_alert() -> None:
    assert "swe_missing" in {a.code for a in assess(D(2026, 1, 10), swe_number=None).alerts}
