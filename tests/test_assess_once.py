"""Assess once, reuse (issue #20): a process works the workforce's assessment out once and hands it to every caller
while the data is unchanged, and sees at once any import, correction, undo, restore, recorded milestone or rules
change -- its own or another user's. Runs on SQLite and PostgreSQL (ECF_TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from conftest import worker

from ecf.services.context import App
from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.services.lifecycle import restore, undo
from ecf.services.progression import Progress, assess_workforce, clear_rules, record_milestone, save_rules
from ecf.services.projection import ProjectionRequest, run_projection
from ecf.services.workforce import current_workers

OCT, NOV = date(2026, 10, 31), date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
STARTER = {"Date Qualified": date(2026, 6, 30), "Start Date": date(2026, 9, 1), "ASYE Start Date": date(2026, 9, 1)}


def team_of_ten(overrides: dict[str, dict[str, object]] | None = None) -> list[dict[str, object]]:
    """Ten workers; 000101 began the ASYE on 01/09/2026, so its three-month review falls due on 01/12/2026."""
    rows = []
    for n in range(101, 111):
        employee_id = f"{n:06d}"
        row = worker(employee_id, **(STARTER if n == 101 else {}))
        row.update((overrides or {}).get(employee_id, {}))
        rows.append(row)
    return rows


def seen(progress: Progress) -> list[tuple[object, ...]]:
    """What a person would read: each worker's team, stage and every milestone's due date, status and completion."""
    return [
        (
            w.state.record.employee_id, w.state.record.team, w.state.status, w.assessment.stage,
            tuple((m.key, m.due_date, m.status, m.completed_date) for m in w.assessment.milestones),
        )
        for w in progress.workers
    ]  # fmt: skip


def fresh(db_url: str, as_of: date = NOV, **options: object) -> list[tuple[object, ...]]:
    """The answer a new process would give."""
    other = App.open(db_url)
    try:
        return seen(assess_workforce(other, as_of, **options))  # type: ignore[arg-type]
    finally:
        other.engine.dispose()


def test_a_second_ask_reuses_the_assessment_and_the_filters_share_it(app, xlsx):
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", team_of_ten({"000102": {"Team": "Fostering"}}))))
    first = assess_workforce(app, NOV)
    again = assess_workforce(app, NOV)
    assert [id(w) for w in again.workers] == [id(w) for w in first.workers]  # the very same objects: not redone
    fostering = assess_workforce(app, NOV, team="fostering")
    assert [w.state.record.employee_id for w in fostering.workers] == ["000102"]
    assert fostering.workers[0] is next(w for w in first.workers if w.state.record.employee_id == "000102")
    # a projection starts from the same assessment
    assert run_projection(app, ProjectionRequest("baseline", 1, NOV)).totals("financial_year")["total"].sum() > 0
    assert assess_workforce(app, NOV).workers[0] is first.workers[0]


def test_an_import_is_seen_at_once(app, db_url, xlsx):
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", team_of_ten())))
    before = seen(assess_workforce(app, NOV))
    november = team_of_ten({"000103": {"Team": "Adoption"}, "000104": {"Leaving Date": date(2026, 11, 15)}})
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", november)))
    after = seen(assess_workforce(app, NOV))
    assert after != before and after == fresh(db_url)
    assert ("000103", "Adoption") in {(row[0], row[1]) for row in after}
    assert "000104" not in {row[0] for row in after}  # left on 15/11/2026: no longer in post
    assert seen(assess_workforce(app, NOV, include_left=True)) == fresh(db_url, include_left=True)


def test_a_correction_an_undo_and_a_restore_are_each_seen_at_once(app, db_url, xlsx):
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", team_of_ten())))
    assess_workforce(app, NOV)
    fix = xlsx("fix.xlsx", [worker("000105", Team="Fostering")])
    assert import_file(app, ImportRequest(fix, as_of=NOV, correct=True)).outcome is Outcome.IMPORTED
    corrected = seen(assess_workforce(app, NOV))
    assert ("000105", "Fostering") in {(row[0], row[1]) for row in corrected} and corrected == fresh(db_url)
    undo(app, 2)
    undone = seen(assess_workforce(app, NOV))
    assert ("000105", "Child Protection") in {(row[0], row[1]) for row in undone} and undone == fresh(db_url)
    restore(app, 2)
    assert seen(assess_workforce(app, NOV)) == corrected


def test_a_recorded_milestone_is_seen_at_once(app, db_url, xlsx):
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", team_of_ten())))
    review = next(m for m in assess_workforce(app, NOV).workers[0].assessment.milestones if m.key == "review_3m")
    assert review.completed_date is None
    record_milestone(app, "000101", "review_3m", date(2026, 11, 27), recorded_at=NOW)
    after = assess_workforce(app, NOV)
    review = next(m for m in after.workers[0].assessment.milestones if m.key == "review_3m")
    assert review.completed_date == date(2026, 11, 27) and seen(after) == fresh(db_url)


def test_a_rules_change_stored_or_in_a_file_is_seen_at_once(app, db_url, xlsx, tmp_path):
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", team_of_ten())))

    def review_status(**options: object) -> str:
        progress = assess_workforce(app, NOV, **options)  # type: ignore[arg-type]
        return next(m for m in progress.workers[0].assessment.milestones if m.key == "review_3m").status.value

    assert review_status() == "due"  # due 01/12/2026, inside the shipped window
    rules = tmp_path / "council.toml"
    rules.write_text("[council]\ndue_window_days = 0\n", encoding="utf-8")
    save_rules(app, rules, NOW)
    assert review_status() == "upcoming" and seen(assess_workforce(app, NOV)) == fresh(db_url)
    clear_rules(app, NOW)
    assert review_status() == "due"
    # a file given for one run (to try a change before saving it) is known by its content's size and time
    trial = tmp_path / "trial.toml"
    trial.write_text("[council]\ndue_window_days = 0\n", encoding="utf-8")
    assert review_status(rules_file=trial) == "upcoming"
    trial.write_text("[council]\ndue_window_days = 10\n", encoding="utf-8")
    assert review_status(rules_file=trial) == "due"


def test_another_users_change_is_seen_at_once(app, db_url, xlsx):
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", team_of_ten())))
    assert len(current_workers(app)) == 10 and len(assess_workforce(app, NOV).workers) == 10
    other = App.open(db_url)  # a colleague's process on the same database
    try:
        fix = xlsx("fix.xlsx", [worker("000106", **{"Leaving Date": date(2026, 11, 20)})])
        assert import_file(other, ImportRequest(fix, as_of=NOV, correct=True)).outcome is Outcome.IMPORTED
    finally:
        other.engine.dispose()
    assert len(current_workers(app)) == 9
    assert "000106" not in {w.state.record.employee_id for w in assess_workforce(app, NOV).workers}


@pytest.mark.parametrize("as_of", [OCT, NOV])
def test_each_as_of_date_is_its_own_answer(app, db_url, xlsx, as_of):
    import_file(app, ImportRequest(xlsx("hr_2026-10-31.xlsx", team_of_ten())))
    import_file(app, ImportRequest(xlsx("hr_2026-11-30.xlsx", team_of_ten({"000107": {"Team": "Adoption"}}))))
    assess_workforce(app, NOV if as_of == OCT else OCT)  # the other date first: it must not be handed back
    assert seen(assess_workforce(app, as_of)) == fresh(db_url, as_of)


def test_a_command_pauses_the_cyclic_collector_and_the_terminal_ui_does_not(app, monkeypatch):
    import gc

    from ecf.cli import common
    from tui import EcfTui

    monkeypatch.setitem(common.state, "db", app.target.url)
    was = gc.isenabled()
    try:
        common.open_app()  # a command: tens of thousands of objects and no cycles, for a few seconds
        assert not gc.isenabled()
        EcfTui(app)  # the interface: hours of widgets and events, which do form cycles
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
