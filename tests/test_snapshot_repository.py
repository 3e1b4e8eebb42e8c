"""Reading snapshots back: each worker's latest row across the active imports, and one date's snapshot. Runs on SQLite
and PostgreSQL (ECF_TEST_DATABASE_URL). The reads fetch through the driver and convert values themselves, so they are
checked against the plain SQLAlchemy query they replaced, kept here as the reference."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from ecf.services.months import refresh_month
from ecf.storage import columns as columns_module
from ecf.storage.models import AbsenceRow, ImportRow, WorkerSnapshotRow
from ecf.storage.repository import RECORD_FIELDS, NewImport

JUL, AUG, SEP, OCT = date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)


def record(employee_id: str, **overrides: Any) -> WorkerRecord:
    facts: dict[str, Any] = {
        "employee_id": employee_id, "date_qualified": date(2019, 6, 30), "start_date": date(2020, 9, 1),
        "fte": Decimal("1"), "contract_type": ContractType.PERMANENT, "team": "Child Protection",
    }  # fmt: skip
    return WorkerRecord(**{**facts, **overrides})


def store(app, as_of: date, records: list[WorkerRecord], replaces: int | None = None) -> int:
    """One import of `records` dated `as_of` (replacing import `replaces`), as the import service stores it."""
    with app.unit_of_work(write=True) as uow:
        if replaces is not None:
            uow.imports.set_status(replaces, "superseded")  # the database allows one active import per date
        import_id = uow.imports.add(
            NewImport(
                file_name=f"hr_{as_of.isoformat()}.xlsx", sha256=f"{as_of}{replaces}".ljust(64, "0"), as_of=as_of,
                imported_at=datetime(2026, 11, 1, tzinfo=UTC), sheet="Staff", header_row=1, profile=None,
                rows_total=len(records), rows_accepted=len(records), rows_rejected=0, warnings=0, accept_valid=False,
            )
        )  # fmt: skip
        uow.snapshots.add(import_id, as_of, list(enumerate(records, start=2)))
        if replaces is not None:
            uow.imports.supersede(replaces, import_id)
        refresh_month(uow, as_of, fresh=import_id)
        uow.commit()
    return import_id


def latest(app, employee_id: str | None = None) -> list[tuple[date, WorkerRecord]]:
    with app.unit_of_work() as uow:
        return uow.snapshots.latest_records(employee_id)


def test_a_worker_gone_from_the_newest_import_comes_from_their_latest_older_one(app):
    store(app, AUG, [record("000101", team="August team"), record("000102"), record("000103", team="August team")])
    store(app, SEP, [record("000101", team="September team"), record("000102")])
    store(app, OCT, [record("000102", team="October team")])
    found = [(as_of, r.employee_id, r.team) for as_of, r in latest(app)]
    assert found == [
        (SEP, "000101", "September team"),  # gone in October: the September row, not August's
        (OCT, "000102", "October team"),
        (AUG, "000103", "August team"),  # gone since August
    ]


def test_superseded_imports_are_ignored(app):
    store(app, SEP, [record("000101", team="September"), record("000102", team="September")])
    first_october = store(app, OCT, [record("000101", team="first October"), record("000102", team="first October")])
    store(app, OCT, [record("000101", team="corrected October")], replaces=first_october)
    found = [(as_of, r.employee_id, r.team) for as_of, r in latest(app)]
    # 000102 is only in the replaced October file: their latest active row is September's
    assert found == [(OCT, "000101", "corrected October"), (SEP, "000102", "September")]
    with app.unit_of_work() as uow:
        assert {r.team for r in uow.snapshots.snapshot(OCT).values()} == {"corrected October"}


def test_each_row_takes_the_absences_reported_with_it(app):
    sickness = Absence(Period(date(2026, 8, 3)), AbsenceType.SICKNESS)
    ended = Absence(Period(date(2026, 8, 3), date(2026, 9, 25)), AbsenceType.SICKNESS)
    maternity = Absence(Period(date(2026, 6, 1)), AbsenceType.MATERNITY)
    store(app, AUG, [record("000101", absences=(sickness,)), record("000102", absences=(maternity,))])
    store(app, SEP, [record("000101", absences=(maternity, ended)), record("000102", absences=(maternity,))])
    store(app, OCT, [record("000101"), record("000103", absences=(sickness,))])
    by_id = {r.employee_id: (as_of, r.absences) for as_of, r in latest(app)}
    assert by_id == {
        "000101": (OCT, ()),  # none in October's sheet, whatever the older sheets said
        "000102": (SEP, (maternity,)),  # from September's row, the one read
        "000103": (OCT, (sickness,)),
    }
    with app.unit_of_work() as uow:
        september = uow.snapshots.snapshot(SEP)
    assert september["000101"].absences == (maternity, ended)  # in the order they start


def test_one_workers_latest_row(app):
    store(app, SEP, [record("000101", team="September"), record("000102", team="September")])
    store(app, OCT, [record("000102", team="October"), record("000103", team="October")])
    assert [(as_of, r.team) for as_of, r in latest(app, "000101")] == [(SEP, "September")]
    assert [(as_of, r.team) for as_of, r in latest(app, "000102")] == [(OCT, "October")]
    assert latest(app, "000999") == []


def test_nothing_stored_reads_as_nothing(app):
    assert latest(app) == [] and latest(app, "000101") == []
    with app.unit_of_work() as uow:
        assert uow.snapshots.snapshot(OCT) == {}


def test_every_fact_reads_back_as_stored_with_money_exact(app):
    full = record(
        "000101", surname="Ní Bhriain", forename="Aoife", swe_number="SW123456", leaving_date=date(2026, 12, 31),
        leaving_reason="Resignation", fte=Decimal("0.6"), contract_type=ContractType.FIXED_TERM, grade="SW",
        spinal_point=31, team="Children in Care", line_manager="M. Okafor", role="Social Worker", caseload=17,
        asye_start_date=date(2019, 9, 2), asye_status=AsyeStatus.PASSED, asye_review_3m=date(2019, 12, 2),
        asye_review_6m=date(2020, 3, 2), asye_review_9m=date(2020, 6, 2), asye_review_final=date(2020, 9, 1),
        prior_pqe_months=14, market_supplement=Decimal("2345.67"), allowances=Decimal("0.10"),
        absences=(Absence(Period(date(2026, 1, 5), date(2026, 2, 6)), AbsenceType.UNPAID),),
    )  # fmt: skip
    store(app, OCT, [full, record("000102")])
    with app.unit_of_work() as uow:
        [(as_of, read), _] = uow.snapshots.latest_records()
        stored = uow.snapshots.snapshot(OCT)["000101"]
    assert as_of == OCT and read == full and stored == full
    assert type(read.fte) is Decimal and type(read.market_supplement) is Decimal
    assert (str(read.fte), str(read.market_supplement), str(read.allowances)) == ("0.6000", "2345.67", "0.10")


def test_the_same_results_as_the_query_it_replaced(app):
    """A few months of a small workforce with joiners, workers gone from later sheets, a corrected file, absences and
    every kind of value: the new read gives what the plain SQLAlchemy query gave, to the repr (Decimal scale too)."""
    rng = random.Random(7)
    ids = [f"{n:06d}" for n in range(1, 41)] + ["E-10", "E10", "e9", "Z1"]  # mixed IDs: the database's own order
    months = [JUL, AUG, SEP, OCT]
    replaced = None
    for number, as_of in enumerate(months):
        people = [random_record(rng, employee_id, as_of) for employee_id in ids if rng.random() < 0.85]
        import_id = store(app, as_of, people)
        if number == 2:  # September's file is corrected: the first one's rows must not count
            replaced = import_id
            store(app, as_of, [random_record(rng, e, as_of) for e in ids if rng.random() < 0.8], replaces=replaced)
    with app.unit_of_work() as uow:
        new = uow.snapshots.latest_records()
        assert repr(new) == repr(reference_latest(uow.snapshots.session))
        assert {as_of for as_of, _ in new} > {OCT}  # some workers' latest rows are older than October's
        for employee_id in [*ids[:5], "E-10", "e9", "nobody"]:
            one = uow.snapshots.latest_records(employee_id)
            assert repr(one) == repr(reference_latest(uow.snapshots.session, employee_id))
        for as_of in months:
            assert repr(uow.snapshots.snapshot(as_of)) == repr(reference_snapshot(uow.snapshots.session, as_of))


def test_rows_fetched_a_few_at_a_time_read_as_one_fetch_and_shared_text_is_equal_text(app, monkeypatch):
    """The driver's rows come FETCH_ROWS at a time (a long history is never held whole): any chunk size gives the
    plain query's values, and `shared_text` (the timeline's read of every month) holds one string per distinct
    text without changing a value."""
    rng = random.Random(11)
    for as_of in (JUL, AUG, SEP, OCT):
        store(app, as_of, [random_record(rng, f"{n:06d}", as_of) for n in range(1, 30) if rng.random() < 0.9])
    w = WorkerSnapshotRow
    query = select(w.as_of, w.employee_id, w.start_date, w.fte, w.team, w.caseload).order_by(w.as_of, w.employee_id)
    with app.unit_of_work() as uow:
        session = uow.snapshots.session
        plain = [tuple(row) for row in session.execute(query)]
        for rows in (1, 7, 50_000):
            monkeypatch.setattr(columns_module, "FETCH_ROWS", rows)
            for shared in (False, True):
                read = columns_module.fetch_columns(session, query, shared_text=shared)
                assert repr(list(zip(*read, strict=True))) == repr(plain)
        as_of, employee, *_, team, _ = columns_module.fetch_columns(session, query, shared_text=True)
        assert len({id(e) for e in employee}) == len(set(employee)) < len(employee)  # one string per worker
        assert len({id(t) for t in team if t is not None}) == len({t for t in team if t is not None})
        assert session.execute(select(func.count()).select_from(w)).scalar() == len(as_of)


def random_record(rng: random.Random, employee_id: str, as_of: date) -> WorkerRecord:
    def some_date(days: int = 3000) -> date:
        return as_of - timedelta(days=rng.randrange(days))

    def maybe(value: Any) -> Any:
        return value if rng.random() < 0.6 else None

    absences = tuple(
        Absence(Period(start, maybe(start + timedelta(days=rng.randrange(200)))), rng.choice(list(AbsenceType)))
        for start in sorted({some_date(400) for _ in range(rng.choice([0, 0, 0, 1, 2]))})
    )
    return WorkerRecord(
        employee_id=employee_id, date_qualified=some_date(6000), start_date=some_date(),
        fte=rng.choice([Decimal("1"), Decimal("0.6"), Decimal("0.8"), Decimal("0.5135")]),
        contract_type=rng.choice(list(ContractType)), surname=maybe(f"Surname{rng.randrange(9)}"), forename="Sam",
        swe_number=maybe(f"SW{rng.randrange(100000, 999999)}"), leaving_date=maybe(as_of + timedelta(days=20)),
        leaving_reason=maybe("Resignation"), grade=maybe("SW"), spinal_point=maybe(rng.randrange(20, 40)),
        team=rng.choice(["Child Protection", "Children in Care", None]), line_manager=maybe("A. Manager"),
        role=maybe("Social Worker"), caseload=maybe(rng.randrange(30)), asye_start_date=maybe(some_date()),
        asye_status=maybe(rng.choice(list(AsyeStatus))), asye_review_3m=maybe(some_date()),
        asye_review_6m=maybe(some_date()), asye_review_9m=maybe(some_date()), asye_review_final=maybe(some_date()),
        prior_pqe_months=maybe(rng.randrange(60)),
        market_supplement=maybe(Decimal(rng.randrange(0, 500000)) / 100), allowances=maybe(Decimal("450.5")),
        absences=absences,
    )  # fmt: skip


# The reads as they were before they fetched through the driver: SQLAlchemy's own rows and result processing.


def reference_latest(session: Session, employee_id: str | None = None) -> list[tuple[date, WorkerRecord]]:
    active = select(ImportRow.id).where(ImportRow.superseded_by.is_(None))
    w = WorkerSnapshotRow
    latest_query = select(w.employee_id, func.max(w.as_of).label("as_of")).where(w.import_id.in_(active))
    if employee_id is not None:
        latest_query = latest_query.where(w.employee_id == employee_id)
    newest = latest_query.group_by(w.employee_id).subquery()
    columns = [getattr(w, name) for name in RECORD_FIELDS]
    query = (
        select(w.as_of, w.import_id, *columns)
        .join(newest, (newest.c.employee_id == w.employee_id) & (newest.c.as_of == w.as_of))
        .where(w.import_id.in_(active))
        .order_by(w.employee_id)
    )
    rows = session.execute(query).all()
    absences = reference_absences(session, sorted({row.import_id for row in rows}), employee_id)
    return [(row.as_of, reference_record(row._mapping, absences[(row.import_id, row.employee_id)])) for row in rows]


def reference_snapshot(session: Session, as_of: date) -> dict[str, WorkerRecord]:
    query = select(ImportRow.id).where(ImportRow.as_of == as_of, ImportRow.superseded_by.is_(None))
    import_id = session.scalar(query)
    columns = [getattr(WorkerSnapshotRow, name) for name in RECORD_FIELDS]
    rows = session.execute(select(*columns).where(WorkerSnapshotRow.import_id == import_id)).all()
    absences = reference_absences(session, [import_id])
    return {row.employee_id: reference_record(row._mapping, absences[(import_id, row.employee_id)]) for row in rows}


def reference_absences(
    session: Session, import_ids: list[int], employee_id: str | None = None
) -> defaultdict[tuple[int, str], tuple[Absence, ...]]:
    found: defaultdict[tuple[int, str], tuple[Absence, ...]] = defaultdict(tuple)
    query = select(AbsenceRow).where(AbsenceRow.import_id.in_(import_ids))
    if employee_id is not None:
        query = query.where(AbsenceRow.employee_id == employee_id)
    for row in session.scalars(query.order_by(AbsenceRow.start_date)):
        absence = Absence(Period(row.start_date, row.end_date), AbsenceType(row.absence_type))
        found[(row.import_id, row.employee_id)] += (absence,)
    return found


def reference_record(row: Any, absences: tuple[Absence, ...]) -> WorkerRecord:
    values = {name: row[name] for name in RECORD_FIELDS}
    values["contract_type"] = ContractType(values["contract_type"])
    values["asye_status"] = AsyeStatus(values["asye_status"]) if values["asye_status"] else None
    return WorkerRecord(**values, absences=absences)
