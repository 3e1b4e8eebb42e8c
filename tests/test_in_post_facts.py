"""The narrow read the Workers table is first filled from (in_post_facts, ecf/storage/month_facts.py) gives exactly
the rows the full read of the workforce gives: the same workers in the same order, the same cells and statuses,
leavers left out, at any as-of date, with corrections, withdrawn imports and workers gone from a later sheet. Runs on
SQLite and PostgreSQL (ECF_TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import SAMPLE, worker

from ecf.panes.workforce import prepare_facts, prepare_workers
from ecf.services import memo
from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.services.lifecycle import undo
from ecf.services.workforce import current_workers, in_post_facts

SEP, OCT, NOV = date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30)
MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))


def same_rows(app, as_of: date | None) -> int:
    """Asserts the narrow rows equal the full rows at `as_of`; how many there are."""
    memo.forget(app)
    full = prepare_workers(current_workers(app, as_of=as_of))
    found = in_post_facts(app, as_of=as_of)
    if found is None:  # nothing to read narrowly: the table waits for the full read
        assert full.rows == []
        return 0
    narrow = prepare_facts(found)
    assert narrow.rows == full.rows
    assert narrow.widths == full.widths
    return len(narrow.rows)


def test_the_sample_councils_rows_read_narrowly_equal_the_full_reads_at_every_date(app):
    for path in MONTHS:  # twelve months: joiners, leavers (some under notice) and workers gone from the sheet
        import_file(app, ImportRequest(path, write_report=False))
    dates = [date.fromisoformat(p.stem.rsplit("_", 1)[1]) for p in MONTHS]
    counts = {when: same_rows(app, when) for when in [None, date(2026, 11, 30), dates[0] - timedelta(days=1)]}
    assert counts[None] == counts[date(2026, 11, 30)] > 250 and counts[dates[0] - timedelta(days=1)] == 0
    for when in dates:  # each month as it stood, and a day before the next one
        assert same_rows(app, when) > 250
        assert same_rows(app, when + timedelta(days=20)) > 250


def test_leavers_corrections_and_an_undone_month(app, xlsx):
    ten = [f"{n:06d}" for n in range(101, 111)]
    import_file(app, ImportRequest(xlsx("sep.xlsx", [worker(e) for e in ten]), as_of=SEP))
    october = [worker(e) for e in ten[:8]]  # two gone from the sheet
    october[0]["Leaving Date"] = date(2026, 10, 15)  # left
    october[1]["Leaving Date"] = date(2026, 12, 31)  # under notice: leaving
    october.append(worker("000120", Surname="", Forename="Sam", Team=None))  # a joiner with one name and no team
    assert stored(app, xlsx("oct.xlsx", october), as_of=OCT, allow_drop=True)
    fix = xlsx("fix.xlsx", [worker("000103", Team="Fostering", FTE=0.5), worker("000104", Forename="")])
    assert stored(app, fix, as_of=OCT, correct=True)
    assert same_rows(app, None) == 8  # the leaver left out; the one under notice kept
    statuses = {row[0]: row[-1] for row in prepare_facts(in_post_facts(app)).rows}  # type: ignore[arg-type]
    assert statuses["000102"] == "leaving" and statuses["000103"] == "in post" and "000101" not in statuses
    assert same_rows(app, SEP) == 10 and same_rows(app, OCT - timedelta(days=1)) == 10
    november = xlsx("nov.xlsx", [worker(e) for e in ten[2:]])
    newest = import_file(app, ImportRequest(november, as_of=NOV, allow_drop=True)).import_id
    assert newest is not None and same_rows(app, None) == 8
    undo(app, newest)  # October (with its correction) is the newest again
    assert same_rows(app, None) == 8 and same_rows(app, NOV) == 8


def stored(app, path, **options) -> bool:
    return import_file(app, ImportRequest(path, write_report=False, **options)).outcome is Outcome.IMPORTED


@pytest.mark.parametrize("as_of", [None, OCT])
def test_nothing_stored_reads_as_nothing(app, as_of):
    assert in_post_facts(app, as_of=as_of) is None
