"""Periods, what changed between two monthly snapshots, and where each worker stands."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ecf.domain.changes import Change, ChangeKind, diff_snapshots, display_name
from ecf.domain.period import Period
from ecf.domain.worker import ContractType, WorkerRecord
from ecf.domain.workforce import EmploymentStatus, employment_status

SEPT = date(2026, 9, 30)
OCT = date(2026, 10, 31)


# --- Period --------------------------------------------------------------------------------------------------------


def test_a_period_contains_its_first_and_last_day():
    period = Period(date(2024, 5, 1), date(2024, 5, 31))
    assert period.contains(date(2024, 5, 1))
    assert period.contains(date(2024, 5, 31))
    assert not period.contains(date(2024, 4, 30))
    assert not period.contains(date(2024, 6, 1))


def test_an_open_period_contains_every_day_from_its_start():
    period = Period(date(2024, 5, 1))
    assert period.is_open
    assert period.contains(date(2099, 1, 1))
    assert not period.contains(date(2024, 4, 30))


def test_periods_sharing_one_day_overlap():
    assert Period(date(2024, 1, 1), date(2024, 5, 1)).overlaps(Period(date(2024, 5, 1), date(2024, 6, 1)))


def test_back_to_back_periods_do_not_overlap():
    may = Period(date(2024, 5, 1), date(2024, 5, 31))
    june = Period(date(2024, 6, 1), date(2024, 6, 30))
    assert not may.overlaps(june)
    assert not june.overlaps(may)


def test_open_periods_overlap_what_runs_on_or_after_their_start():
    open_from_may = Period(date(2024, 5, 1))
    assert open_from_may.overlaps(Period(date(2024, 4, 1), date(2024, 5, 1)))
    assert not open_from_may.overlaps(Period(date(2024, 4, 1), date(2024, 4, 30)))
    assert open_from_may.overlaps(Period(date(2020, 1, 1)))
    assert Period(date(2020, 1, 1)).overlaps(open_from_may)


def test_days_counts_both_ends():
    assert Period(date(2024, 5, 1), date(2024, 5, 31)).days(OCT) == 31
    assert Period(date(2024, 5, 1), date(2024, 5, 1)).days(OCT) == 1


def test_days_of_an_open_period_count_up_to_the_as_of_date_inclusive():
    assert Period(date(2026, 10, 1)).days(OCT) == 31


def test_days_of_a_period_running_past_the_as_of_date_stop_at_it():
    assert Period(date(2026, 10, 30), date(2026, 12, 31)).days(OCT) == 2


def test_days_of_a_period_starting_after_the_as_of_date_are_zero():
    assert Period(date(2026, 11, 1), date(2026, 11, 30)).days(OCT) == 0


def test_days_across_29_february():
    assert Period(date(2024, 2, 28), date(2024, 3, 1)).days(OCT) == 3


def test_clipped_to_keeps_what_is_known_on_that_day():
    assert Period(date(2026, 10, 1)).clipped_to(OCT) == Period(date(2026, 10, 1), OCT)
    assert Period(date(2026, 10, 1), date(2026, 12, 1)).clipped_to(OCT) == Period(date(2026, 10, 1), OCT)
    assert Period(date(2026, 1, 1), date(2026, 2, 1)).clipped_to(OCT) == Period(date(2026, 1, 1), date(2026, 2, 1))
    assert Period(OCT).clipped_to(OCT) == Period(OCT, OCT)
    assert Period(date(2026, 11, 1)).clipped_to(OCT) is None


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match=r"period ends \(2024-04-30\) before it starts \(2024-05-01\)"):
        Period(date(2024, 5, 1), date(2024, 4, 30))


# --- diff_snapshots ------------------------------------------------------------------------------------------------


def worker(employee_id: str = "4512", **changes) -> WorkerRecord:
    base = WorkerRecord(
        employee_id=employee_id,
        forename="Ada",
        surname="Okafor",
        date_qualified=date(2019, 6, 30),
        start_date=date(2020, 9, 1),
        fte=Decimal("1"),
        contract_type=ContractType.PERMANENT,
        grade="SW2",
        team="Child Protection",
        role="Social Worker",
    )
    return replace(base, **changes)


def snapshot(*records: WorkerRecord) -> dict[str, WorkerRecord]:
    return {r.employee_id: r for r in records}


def test_nothing_changed():
    assert diff_snapshots(snapshot(worker()), snapshot(worker()), OCT) == []


def test_a_joiner():
    joiner = worker("4513", start_date=date(2026, 10, 6), contract_type=ContractType.AGENCY)
    assert diff_snapshots(snapshot(), snapshot(joiner), OCT) == [
        Change(
            OCT,
            "4513",
            "Ada Okafor",
            ChangeKind.JOINER,
            None,
            "06/10/2026",
            "started 06/10/2026, agency, Social Worker, Child Protection",
        )
    ]


def test_a_joiner_who_already_has_a_leaving_date_is_also_a_leaver():
    joiner = worker(start_date=date(2026, 10, 6), leaving_date=date(2026, 12, 31))
    assert [c.kind for c in diff_snapshots(snapshot(), snapshot(joiner), OCT)] == [
        ChangeKind.JOINER,
        ChangeKind.LEAVER,
    ]


def test_a_leaver_with_a_leaving_date_and_reason():
    leaving = worker(leaving_date=date(2026, 10, 24), leaving_reason="Resignation")
    assert diff_snapshots(snapshot(worker()), snapshot(leaving), OCT) == [
        Change(OCT, "4512", "Ada Okafor", ChangeKind.LEAVER, None, "24/10/2026", "leaving 24/10/2026 (Resignation)")
    ]


def test_a_leaver_gone_from_the_sheet_without_a_date():
    assert diff_snapshots(snapshot(worker()), snapshot(), OCT) == [
        Change(OCT, "4512", "Ada Okafor", ChangeKind.LEAVER, None, None, "gone from the sheet (no leaving date given)")
    ]


def test_a_leaver_already_reported_with_a_date_is_not_reported_again_when_they_drop_off_the_sheet():
    september = snapshot(worker(leaving_date=date(2026, 9, 26)))
    assert diff_snapshots(september, snapshot(), OCT) == []


def test_an_unchanged_leaving_date_is_not_reported_again():
    leaver = worker(leaving_date=date(2026, 11, 30))
    assert diff_snapshots(snapshot(leaver), snapshot(leaver), OCT) == []


def test_a_moved_leaving_date_is_reported_again():
    before = worker(leaving_date=date(2026, 11, 30))
    after = worker(leaving_date=date(2026, 12, 31))
    assert [(c.kind, c.after) for c in diff_snapshots(snapshot(before), snapshot(after), OCT)] == [
        (ChangeKind.LEAVER, "31/12/2026")
    ]


@pytest.mark.parametrize(
    ("field", "old", "new", "kind", "before", "after"),
    [
        ("grade", "SW2", "SW3", ChangeKind.GRADE, "SW2", "SW3"),
        ("fte", Decimal("1"), Decimal("0.6"), ChangeKind.FTE, "1", "0.6"),
        ("team", "Child Protection", "Fostering", ChangeKind.TEAM, "Child Protection", "Fostering"),
        ("contract_type", ContractType.AGENCY, ContractType.PERMANENT, ChangeKind.CONTRACT, "agency", "permanent"),
        ("role", "Social Worker", "Senior Social Worker", ChangeKind.ROLE, "Social Worker", "Senior Social Worker"),
        ("team", None, "Fostering", ChangeKind.TEAM, None, "Fostering"),
    ],
)
def test_a_change_of_grade_fte_team_contract_or_role(field, old, new, kind, before, after):
    changes = diff_snapshots(snapshot(worker(**{field: old})), snapshot(worker(**{field: new})), OCT)
    assert changes == [Change(OCT, "4512", "Ada Okafor", kind, before, after, f"{field}: {before} → {after}")]


def test_fte_is_compared_as_a_number_so_trailing_zeros_are_no_change():
    before = snapshot(worker(fte=Decimal("0.6000")))
    after = snapshot(worker(fte=Decimal("0.6")))
    assert diff_snapshots(before, after, OCT) == []


def test_several_changes_are_listed_in_a_fixed_order_by_employee_id():
    before = snapshot(worker("2", grade="SW2", role="SW"), worker("1"))
    after = snapshot(worker("2", grade="SW3", role="Senior SW"), worker("1", team="Fostering"))
    assert [(c.employee_id, c.kind) for c in diff_snapshots(before, after, OCT)] == [
        ("1", ChangeKind.TEAM),
        ("2", ChangeKind.GRADE),
        ("2", ChangeKind.ROLE),
    ]


def test_display_name():
    assert display_name(worker(forename="Ada", surname="Okafor")) == "Ada Okafor"
    assert display_name(worker(forename=None, surname="Okafor")) == "Okafor"
    assert display_name(worker(forename=None, surname=None)) == "(no name)"


# --- employment_status ---------------------------------------------------------------------------------------------


def test_in_post():
    assert employment_status(worker(), last_seen=OCT, latest_snapshot=OCT) is EmploymentStatus.IN_POST


def test_leaving_when_the_leaving_date_is_after_the_latest_snapshot():
    record = worker(leaving_date=date(2026, 11, 30))
    assert employment_status(record, last_seen=OCT, latest_snapshot=OCT) is EmploymentStatus.LEAVING


def test_left_when_the_leaving_date_is_on_the_latest_snapshot():
    record = worker(leaving_date=OCT)
    assert employment_status(record, last_seen=OCT, latest_snapshot=OCT) is EmploymentStatus.LEFT


def test_left_when_the_leaving_date_is_before_the_latest_snapshot_even_if_no_longer_on_the_sheet():
    record = worker(leaving_date=date(2026, 9, 15))
    assert employment_status(record, last_seen=SEPT, latest_snapshot=OCT) is EmploymentStatus.LEFT


def test_gone_when_missing_from_the_latest_sheet_without_a_leaving_date():
    assert employment_status(worker(), last_seen=SEPT, latest_snapshot=OCT) is EmploymentStatus.GONE


def test_gone_when_missing_from_the_latest_sheet_with_a_leaving_date_still_ahead():
    record = worker(leaving_date=date(2026, 12, 31))
    assert employment_status(record, last_seen=SEPT, latest_snapshot=OCT) is EmploymentStatus.GONE


def test_worker_record_has_left_by_and_employment_period():
    record = worker(leaving_date=date(2026, 10, 24))
    assert record.has_left_by(date(2026, 10, 24))
    assert not record.has_left_by(date(2026, 10, 23))
    assert not worker().has_left_by(OCT)
    assert record.employment == Period(date(2020, 9, 1), date(2026, 10, 24))
