"""Rule files: the shipped ones load; a council's file overrides or adds; a bad file names the file and the key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ecf.domain.worker import AsyeStatus, ContractType, WorkerRecord
from ecf.progression.engine import Engine
from ecf.progression.facts import WorkerFacts
from ecf.rules.loader import RulesError, default_files, load_council_file, load_rulebook


def test_every_shipped_rule_has_a_source_and_the_book_is_consistent() -> None:
    book = load_rulebook()
    assert {r.id for r in book.rules} == {
        "asye", "ecdp", "five_year_ecf", "experienced_practitioner", "agency_rules_2024", "agency_proposal_2023",
        "social_work_england", "asye_grant_2026_27",
    }  # fmt: skip
    assert all(rule.source.title for rule in book.rules)
    assert book.programme_for(date(2027, 8, 31)).id == "asye"  # type: ignore[union-attr]
    assert book.programme_for(date(2027, 9, 1)).id == "ecdp"  # type: ignore[union-attr]
    assert not book.council.runs_five_year_ecf
    assert "council.toml" in default_files()


def test_a_council_file_overrides_a_setting_and_turns_on_the_framework() -> None:
    book = load_rulebook(
        '[council]\nname = "Northmoor"\nruns_five_year_ecf = true\n[overrides.asye.pauses]\nmin_days = 14\n',
        "northmoor.toml",
    )
    asye = book.programme_for(date(2026, 1, 1))
    assert asye is not None and asye.pauses.min_days == 14
    assert asye.pauses.absence_types  # the rest of the table is kept
    assert book.active_career_framework is not None
    assert book.origins["asye"] == "asye.toml + northmoor.toml (overrides.asye)"


def test_a_council_can_change_the_experienced_threshold_and_see_the_dates_move() -> None:
    record = WorkerRecord("1", date(2020, 7, 1), date(2020, 9, 1), Decimal(1), ContractType.PERMANENT,
                          asye_status=AsyeStatus.PASSED)  # fmt: skip
    default = Engine(load_rulebook()).assess(WorkerFacts(record), date(2026, 1, 1))
    assert default.experienced_from == date(2025, 9, 1)
    four = Engine(load_rulebook("[overrides.experienced_practitioner]\npqe_months = 48\n"))
    assert four.assess(WorkerFacts(record), date(2026, 1, 1)).experienced_from == date(2024, 9, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[overrides.asye.pauses]\nmin_dayz = 14\n", "council.toml (overrides.asye): pauses.min_dayz: unknown key"),
        ("[overrides.asye]\nduration_months = 'twelve'\n", "duration_months: Input should be a valid integer"),
        ("[overrides.asy]\nduration_months = 12\n", "overrides.asy: no such rule"),
        ("[councill]\nname = 'x'\n", "unknown section 'councill'"),
        ("[council]\ndue_window_days = -1\n", "council.due_window_days: Input should be greater than or equal to 0"),
        ("[council\nname = 'x'\n", "council.toml: not valid TOML"),
        ("[overrides.ecdp.applies]\nprogramme_start_from = 2027-08-01\n", "cover overlapping start dates"),
        ("[overrides.social_work_england]\nnumber_pattern = '^SW[0-9'\n", "not a valid regular expression"),
    ],
)
def test_a_bad_council_file_names_the_file_and_key(text: str, message: str) -> None:
    with pytest.raises(RulesError, match=None) as caught:
        load_rulebook(text, "council.toml")
    assert message in str(caught.value)


def test_milestones_out_of_order_are_rejected() -> None:
    text = """
[overrides.asye]
final_milestone = "final_review"
[[overrides.asye.milestones]]
key = "final_review"
name = "Final review"
offset_months = 12
[[overrides.asye.milestones]]
key = "review_3m"
name = "3-month review"
offset_months = 3
"""
    with pytest.raises(RulesError, match="milestone 'review_3m' is listed after a later one"):
        load_rulebook(text, "council.toml")


def test_a_council_can_add_a_rule_of_its_own() -> None:
    text = """
[[rules]]
kind = "agency"
id = "northmoor_agency"
name = "Northmoor agency policy (4 years)"
status = "local"
in_force_from = 2025-04-01
min_pqe_months = 48
[rules.source]
title = "Northmoor workforce strategy 2025"
confidence = "local"
[rules.counting]
"""
    book = load_rulebook(text, "northmoor.toml")
    assert "northmoor_agency" in {r.id for r in book.agency_rules}
    assert book.origins["northmoor_agency"] == "northmoor.toml (rules[0])"


def test_reading_a_council_file_that_is_missing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_council_file(tmp_path / "nope.toml")
