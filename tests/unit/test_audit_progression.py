"""Issue #14, progression items: each test is one rule, dates worked by hand in its docstring, with its source."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.progression.calendar import add_days, add_months
from ecf.progression.engine import Engine
from ecf.progression.facts import Assessment, MilestoneStatus, Outcome, RecordedCompletion, Stage, WorkerFacts
from ecf.rules.loader import load_rulebook

D = date
ENGINE = Engine(load_rulebook())
ECF_ENGINE = Engine(load_rulebook("[council]\nruns_five_year_ecf = true\n"))


def record(**overrides: Any) -> WorkerRecord:
    values: dict[str, Any] = {
        "employee_id": "000101", "date_qualified": D(2022, 9, 1), "start_date": D(2025, 8, 1), "fte": Decimal(1),
        "contract_type": ContractType.PERMANENT, "swe_number": "SW123456", "asye_start_date": D(2025, 9, 1),
        "asye_status": AsyeStatus.IN_PROGRESS,
    }  # fmt: skip
    values.update(overrides)
    return WorkerRecord(**values)


def assess(
    as_of: date, engine: Engine = ENGINE, recorded: tuple[RecordedCompletion, ...] = (), **kw: Any
) -> Assessment:
    return engine.assess(WorkerFacts(record(**kw), recorded=recorded), as_of)


def step(assessment: Assessment, key: str, framework: str = "asye") -> Any:
    return next(m for m in assessment.milestones if m.key == key and m.framework == framework)


MATERNITY_181 = Absence(Period(D(2026, 1, 1), D(2026, 6, 30)), AbsenceType.MATERNITY)  # 31+28+31+30+31+30 = 181


# --- item 1: no cap cuts the ASYE short --------------------------------------------------------------------------


def test_maternity_leave_moves_the_final_review_past_four_years_from_qualifying() -> None:
    """Qualified 01/09/2022, ASYE from 01/09/2025, 181 days' maternity leave (01/01-30/06/2026). DfE (ASYE April
    2026 to March 2027: registration and funding, 26 Feb 2026) asks that the ASYE be *started* within 4 years of
    qualifying; it sets no end cap. Final review = 01/09/2025 + 12 months + 181 days = 01/03/2027 (was capped at
    qualified + 4 years = 01/09/2026); the panel a month later, 01/04/2027."""
    result = assess(D(2026, 7, 1), absences=(MATERNITY_181,))
    assert step(result, "final_review").due_date == D(2027, 3, 1)
    assert step(result, "final_review").explanation == (
        "ASYE start 01/09/2025 + 12 months + 181 days' maternity leave = 01/03/2027"
    )
    assert step(result, "moderation_panel").due_date == D(2027, 4, 1)
    assert result.programme_end == D(2027, 3, 1)
    assert not [a for a in result.alerts if a.code == "programme_cap"]  # within 24 months of the start


def test_part_time_final_review_is_not_cut_at_four_years_from_qualifying() -> None:
    """The same worker at 0.6 FTE, no leave: 12 / 0.6 = 20 months (rules.md R6) -> 01/05/2027 (was 01/09/2026). The
    stage stays ASYE until then, so the regrade to SW waits for it too."""
    result = assess(D(2026, 10, 1), fte=Decimal("0.6"))
    assert step(result, "final_review").due_date == D(2027, 5, 1)
    assert result.stage is Stage.ASYE
    assert next((c.on, c.stage) for c in result.stage_changes) == (D(2027, 5, 1), Stage.NOT_EARLY_CAREER)


def test_a_council_cap_raises_an_alert_and_never_moves_the_date() -> None:
    """0.6 FTE and 181 days' maternity: 01/05/2027 + 181 days = 29/10/2027, after the council's 24-month cap
    (Dorset: within 2 years, rules.md §1.6): 01/09/2025 + 24 months = 01/09/2027. The date stays; an alert asks the
    council to decide."""
    result = assess(D(2026, 7, 1), fte=Decimal("0.6"), absences=(MATERNITY_181,))
    assert step(result, "final_review").due_date == D(2027, 10, 29)
    assert [a.message for a in result.alerts if a.code == "programme_cap"] == [
        "ASYE final review and critical reflection 29/10/2027 is after the council's cap (24 months from the start: "
        "01/09/2027); the date is not moved: decide whether to extend the cap or end the programme"
    ]
    # A council that also caps at 4 years from qualifying (Reform Board 2011) sees the sooner cap, 01/09/2026.
    capped = Engine(load_rulebook("[overrides.asye.part_time]\nqualification_limit_years = 4\n"))
    again = assess(D(2026, 7, 1), capped, fte=Decimal("0.6"), absences=(MATERNITY_181,))
    assert step(again, "final_review").due_date == D(2027, 10, 29)
    assert "(4 years from qualifying: 01/09/2026)" in next(a.message for a in again.alerts if a.code == "programme_cap")


caps = st.sampled_from(
    [
        "",
        "[overrides.asye.part_time]\nmax_months = 12\n",
        "[overrides.asye.part_time]\nmax_months = 13\nqualification_limit_years = 1\n",
        "[overrides.asye.part_time]\nqualification_limit_years = 2\n",
        '[overrides.asye.part_time]\nrule = "pro_rata_months"\nmax_months = 120\n',
    ]
)
ENGINES: dict[str, Engine] = {}


def _engine(text: str) -> Engine:
    if text not in ENGINES:
        ENGINES[text] = Engine(load_rulebook(text))
    return ENGINES[text]


@st.composite
def asye_workers(draw: st.DrawFn) -> tuple[WorkerRecord, date]:
    qualified = draw(st.dates(min_value=D(2016, 1, 1), max_value=D(2027, 1, 1)))
    start = qualified + timedelta(days=draw(st.integers(0, 1600)))
    asye_start = start + timedelta(days=draw(st.integers(0, 200)))
    assume(asye_start <= D(2027, 8, 31))  # the ASYE's starts (later ones are the ECDP)
    fte = draw(st.sampled_from([Decimal(x) for x in ("0.2", "0.4", "0.5", "0.6", "0.75", "0.8", "1")]))
    leave = []
    for _ in range(draw(st.integers(0, 3))):
        first = asye_start + timedelta(days=draw(st.integers(-60, 900)))
        leave.append(
            Absence(
                Period(first, first + timedelta(days=draw(st.integers(0, 300)))),
                draw(st.sampled_from(list(AbsenceType))),
            )
        )
    status = draw(st.sampled_from([AsyeStatus.IN_PROGRESS, AsyeStatus.EXTENDED, AsyeStatus.PASSED, None]))
    final = asye_start + timedelta(days=draw(st.integers(200, 500))) if draw(st.booleans()) else None
    as_of = asye_start + timedelta(days=draw(st.integers(0, 1500)))
    worker = WorkerRecord(
        employee_id="000001", date_qualified=qualified, start_date=start, fte=fte, contract_type=ContractType.PERMANENT,
        asye_start_date=asye_start, asye_status=status, asye_review_final=final, absences=tuple(leave),
    )  # fmt: skip
    return worker, as_of


def _qualifying_days(worker: WorkerRecord, start: date, nominal_end: date, as_of: date) -> int:
    """Days of qualifying absence (asye.toml: maternity ... bereavement, 28 days or more, finished by the as-of
    date) lying wholly between the start and the nominal end, overlaps counted once: a lower bound on the pause."""
    kinds = {"maternity", "paternity", "adoption", "shared_parental", "sickness", "bereavement"}
    days: set[date] = set()
    for absence in worker.absences:
        first, last = absence.period.start, absence.period.end
        assert last is not None
        if (
            absence.absence_type.value in kinds
            and (last - first).days + 1 >= 28
            and start <= first
            and last < nominal_end
        ):
            days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return len(days)


@settings(max_examples=300, deadline=None)
@given(asye_workers(), caps)
def test_the_final_review_is_never_before_the_programme_length_at_the_fte_plus_qualifying_absences(
    case: tuple[WorkerRecord, date], cap: str
) -> None:
    """Whatever caps the council sets: final review >= start + 12 months x (1 / FTE) (rounded up to whole months,
    rules.md R6) + qualifying absences (R7). Issue #14 item 1: a programme is never cut below what its rules ask."""
    worker, as_of = case
    result = _engine(cap).assess(WorkerFacts(worker), as_of)
    start = worker.asye_start_date
    assert start is not None
    months = -(-12 * 100 // int(worker.fte * 100))  # ceil(12 / FTE)
    nominal_end = add_months(start, months)
    floor = add_days(nominal_end, _qualifying_days(worker, start, nominal_end, as_of))
    final = step(result, "final_review")
    assert final.due_date is not None and final.due_date >= floor


# --- item 2: the start windows --------------------------------------------------------------------------------------


def test_the_start_step_counts_to_the_dfe_four_year_window_and_lapses_into_an_alert() -> None:
    """Qualified 01/07/2025, joined 01/09/2025, not started. DfE 2026: start within 4 years of qualifying for
    funding -> the start step is due 01/07/2029 (was 01/07/2027, Skills for Care's 2 years, overdue for ever).
    On 02/07/2027 the Skills for Care window has passed: an alert, not an overdue step. On 02/07/2029 the funded
    window has closed: no step, stage not early-career, and an alert says so."""
    kw: dict[str, Any] = {
        "date_qualified": D(2025, 7, 1), "start_date": D(2025, 9, 1), "asye_start_date": None,
        "asye_status": AsyeStatus.NOT_STARTED,
    }  # fmt: skip
    early = assess(D(2027, 7, 2), **kw)
    assert step(early, "programme_start").due_date == D(2029, 7, 1)
    assert step(early, "programme_start").status is MilestoneStatus.UPCOMING
    assert [a.message for a in early.alerts if a.code == "start_window"] == [
        "ASYE not started within 2 years of qualifying (01/07/2027, Skills for Care); a start by 01/07/2029 is still "
        "DfE-fundable"
    ]
    late = assess(D(2029, 7, 2), **kw)
    assert late.stage is Stage.NOT_EARLY_CAREER and late.milestones == ()
    assert [a.message for a in late.alerts if a.code == "start_window_closed"] == [
        "no programme start recorded and the funded window closed on 01/07/2029 (4 years from qualifying): a start "
        "now is not DfE-funded"
    ]


def test_the_funded_window_applies_to_starts_from_1_april_2026() -> None:
    """The DfE 4-year funding criterion is dated: it is in the 2026-27 registration and funding guidance, for starts
    from 01/04/2026 (asye.toml start_window.funded_from). Qualified 01/01/2020: a start on 01/03/2026 (6 years on)
    is late but not flagged unfunded; a start on 01/05/2026 is."""
    before = assess(D(2026, 6, 1), date_qualified=D(2020, 1, 1), asye_start_date=D(2026, 3, 1))
    after = assess(D(2026, 6, 1), date_qualified=D(2020, 1, 1), asye_start_date=D(2026, 5, 1))
    assert [a.code for a in before.alerts if a.code.startswith("start")] == ["start_late"]
    assert [a.code for a in after.alerts if a.code.startswith("start")] == ["start_unfunded"]


# --- item 3: an extended ASYE is not complete -------------------------------------------------------------------


EXTENDED: dict[str, Any] = {
    "date_qualified": D(2025, 7, 1), "start_date": D(2025, 9, 1), "asye_start_date": D(2025, 9, 15),
    "asye_status": AsyeStatus.EXTENDED, "asye_review_final": D(2026, 9, 14),
}  # fmt: skip


def test_an_extended_asye_stays_on_the_asye_until_the_extended_final_review() -> None:
    """ASYE from 15/09/2025, final review held 14/09/2026 and extended (status `extended` on the HR sheet). An
    extension keeps the worker on the ASYE (rules.md R11; extension 3 months, asye.toml setting): the extended
    final review is 14/09/2026 + 3 months = 14/12/2026, the panel 14/01/2027. Before: final review "complete",
    stage "ECF year 2", and a £1,000 completion claim."""
    result = assess(D(2026, 10, 1), ECF_ENGINE, **EXTENDED)
    final = step(result, "final_review")
    assert (final.due_date, final.status) == (D(2026, 12, 14), MilestoneStatus.UPCOMING)
    assert (
        final.explanation == "final review and critical reflection held 14/09/2026 + 3 months' extension = 14/12/2026"
    )
    assert step(result, "moderation_panel").due_date == D(2027, 1, 14)
    assert result.stage is Stage.ASYE
    assert [g.claim for g in result.grants] == []


def test_the_extended_completion_claim_waits_for_the_pass() -> None:
    """Passed at the extended final review on 14/12/2026 (recorded, with the panel on 10/01/2027): the £1,000
    completion claim (DfE 2026-27 grant, rules.md R12) is claimable from 14/12/2026, in 2026/27."""
    passed = (
        RecordedCompletion("asye", "final_review", D(2026, 12, 14)),
        RecordedCompletion("asye", "moderation_panel", D(2027, 1, 10), Outcome.PASSED),
    )
    result = assess(D(2027, 1, 11), ECF_ENGINE, recorded=passed, **EXTENDED)
    assert [(g.claim, g.amount, g.claimable_from) for g in result.grants] == [
        ("completion", Decimal("1000.00"), D(2026, 12, 14))
    ]
    assert result.stage is Stage.ECF_YEAR_2


def test_the_extension_length_is_a_setting() -> None:
    """extension_months = 6 (a council's own): 14/09/2026 + 6 months = 14/03/2027."""
    engine = Engine(load_rulebook("[overrides.asye]\nextension_months = 6\n"))
    assert step(assess(D(2026, 10, 1), engine, **EXTENDED), "final_review").due_date == D(2027, 3, 14)


# --- item 4: who needs an ASYE ----------------------------------------------------------------------------------


def test_an_agency_worker_and_an_experienced_starter_are_not_pre_asye() -> None:
    """rules.md §1.1: the ASYE is for newly qualified social workers; agency NQSWs take part only if agency and host
    agree. Qualified 15/04/2023 with 36 months' declared PQE, no ASYE start: before, "pre-ASYE" with the start
    overdue since 15/04/2025. Now: agency -> stage "agency", no ASYE steps; permanent -> "joined with PQE"."""
    kw: dict[str, Any] = {
        "date_qualified": D(2023, 4, 15), "start_date": D(2025, 6, 1), "asye_start_date": None,
        "asye_status": None, "prior_pqe_months": 36,
    }  # fmt: skip
    agency = assess(D(2025, 10, 1), contract_type=ContractType.AGENCY, **kw)
    assert (agency.stage, agency.programme, agency.milestones) == (Stage.AGENCY, None, ())
    assert agency.programme_reason.startswith("agency worker: no ASYE start expected")
    staff = assess(D(2025, 10, 1), **kw)
    assert (staff.stage, staff.milestones) == (Stage.JOINED_WITH_PQE, ())
    assert "joined with 36 months' PQE elsewhere" in staff.programme_reason
    newly = assess(D(2025, 10, 1), **{**kw, "prior_pqe_months": 6})
    assert newly.stage is Stage.PRE_PROGRAMME
    assert step(newly, "programme_start").due_date == D(2027, 4, 15)


def test_who_needs_an_asye_is_a_setting() -> None:
    """needs.agency_workers = true: an agency NQSW is expected to start (qualified 15/04/2025, due 15/04/2029);
    needs.exempt_prior_pqe_months = 48: 36 months' PQE no longer exempts."""
    kw: dict[str, Any] = {
        "date_qualified": D(2025, 4, 15), "start_date": D(2025, 6, 1), "asye_start_date": None, "asye_status": None,
    }  # fmt: skip
    engine = Engine(load_rulebook("[overrides.asye.needs]\nagency_workers = true\nexempt_prior_pqe_months = 48\n"))
    agency = assess(D(2025, 10, 1), engine, contract_type=ContractType.AGENCY, **kw)
    assert agency.stage is Stage.PRE_PROGRAMME
    assert step(agency, "programme_start").due_date == D(2029, 4, 15)
    assert assess(D(2025, 10, 1), engine, prior_pqe_months=36, **kw).stage is Stage.PRE_PROGRAMME
    assert assess(D(2025, 10, 1), prior_pqe_months=36, **kw).stage is Stage.JOINED_WITH_PQE


# --- item 10: the stage path of a worker who never starts ---------------------------------------------------------


def test_a_worker_who_never_starts_becomes_not_early_career_four_years_after_qualifying() -> None:
    """Qualified 01/07/2025, joined 01/09/2025, never starts. Pre-ASYE until the DfE window closes (01/07/2029),
    not early-career from 02/07/2029, experienced practitioner from 01/09/2030 (60 months' PQE from joining,
    experienced.toml). Before: only "experienced" was listed."""
    result = assess(
        D(2025, 10, 1), date_qualified=D(2025, 7, 1), start_date=D(2025, 9, 1), asye_start_date=None, asye_status=None
    )
    assert result.stage is Stage.PRE_PROGRAMME
    assert [(c.on, c.stage) for c in result.stage_changes] == [
        (D(2029, 7, 2), Stage.NOT_EARLY_CAREER),
        (D(2030, 9, 1), Stage.EXPERIENCED),
    ]
