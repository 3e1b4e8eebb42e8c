"""Tables. Facts only (snapshots as imported, findings, rejected rows); every status is derived when read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, text, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


ACTIVE_MONTH = "kind = 'import' AND status = 'active'"


class ImportRow(Base):
    """One imported file: the dated snapshot's header (kind `import`) or a correction of one (kind `correction`,
    `base_id` the import it corrects). Status `active`, `superseded` (`superseded_by` the import that replaced it) or
    `withdrawn` (undone); nothing is deleted. The database allows one active import per date, and each file once per
    reading (`read_key`: the mapping profile and date order used)."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sheet: Mapped[str | None] = mapped_column(String(255))
    header_row: Mapped[int] = mapped_column(Integer)
    profile: Mapped[str | None] = mapped_column(String(100))
    rows_total: Mapped[int] = mapped_column(Integer)
    rows_accepted: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    accept_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    kind: Mapped[str] = mapped_column(String(20), default="import", server_default="import")
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    base_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    read_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
    seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # order of status changes, for undo

    # and ux_imports_active_month, one active import per month: see partial_indexes()
    __table_args__ = (Index("ux_imports_identity", "sha256", "read_key", unique=True),)


class WorkerSnapshotRow(Base):
    """One worker's facts in one snapshot, as HR's sheet gave them on that as-of date."""

    __tablename__ = "worker_snapshots"

    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    row_number: Mapped[int] = mapped_column(Integer)
    surname: Mapped[str | None] = mapped_column(String(200))
    forename: Mapped[str | None] = mapped_column(String(200))
    swe_number: Mapped[str | None] = mapped_column(String(10))
    date_qualified: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    leaving_date: Mapped[date | None] = mapped_column(Date)
    leaving_reason: Mapped[str | None] = mapped_column(String(200))
    fte: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    contract_type: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(200))
    spinal_point: Mapped[int | None] = mapped_column(Integer)
    team: Mapped[str | None] = mapped_column(String(200))
    line_manager: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    caseload: Mapped[int | None] = mapped_column(Integer)
    asye_start_date: Mapped[date | None] = mapped_column(Date)
    asye_status: Mapped[str | None] = mapped_column(String(20))
    asye_review_3m: Mapped[date | None] = mapped_column(Date)
    asye_review_6m: Mapped[date | None] = mapped_column(Date)
    asye_review_9m: Mapped[date | None] = mapped_column(Date)
    asye_review_final: Mapped[date | None] = mapped_column(Date)
    prior_pqe_months: Mapped[int | None] = mapped_column(Integer)
    market_supplement: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    allowances: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # Programme steps a council may track, and the apprentice flag (issue #14, migration 0006_i14).
    support_agreement_date: Mapped[date | None] = mapped_column(Date)
    ecf_year_two_assessment: Mapped[date | None] = mapped_column(Date)
    ecf_year_three_review: Mapped[date | None] = mapped_column(Date)
    ecf_year_four_review: Mapped[date | None] = mapped_column(Date)
    ecf_year_five_assessment: Mapped[date | None] = mapped_column(Date)
    apprentice: Mapped[bool | None] = mapped_column(Boolean)
    # Set when this month's row was rejected (--accept-valid) and the facts are the ones last stored, from this date:
    # the worker is still here, not gone from the sheet.
    carried_from: Mapped[date | None] = mapped_column(Date)
    # 'rejected' (their row was rejected), 'matched' (a rejected row without a usable ID matched them by SWE number
    # or name and date qualified) or 'possible' (gone, while rows nobody could match were rejected).
    carried_reason: Mapped[str | None] = mapped_column(String(20))
    # The row is part of its month's current state: its import is active and no active correction replaces it.
    in_effect: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # No index by worker: one would grow with every month and each month's rows would land all over it. Reads by
    # worker use the primary key (one lookup per month) or worker_latest.


class WorkerLatestRow(Base):
    """Each worker's latest row in effect (the newest month that has them): the current workforce is read from here
    in one pass however many months are stored, and the returners found without reading every month. Every import,
    correction, undo and restore keeps it exact (ecf.storage.latest_pointers)."""

    __tablename__ = "worker_latest"

    employee_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    # The earliest and latest start dates among all the worker's rows in effect: two different, and the worker left
    # and came back under the same ID (the engine counts their earlier spell). Kept with the pointer; NULL in the
    # schema only because a column added to a table in place must allow it.
    first_start: Mapped[date | None] = mapped_column(Date)
    last_start: Mapped[date | None] = mapped_column(Date)


class AbsenceRow(Base):
    """A long absence as reported in one snapshot (an ongoing one gets its end date in a later month's sheet)."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    absence_type: Mapped[str] = mapped_column(String(20))

    __table_args__ = (Index("ix_absences_import_employee", "import_id", "employee_id"),)


class ImportIssueRow(Base):
    """A finding about an imported file: error or warning, where it is, and what is wrong."""

    __tablename__ = "import_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int | None] = mapped_column(Integer)
    column_header: Mapped[str | None] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)


class RejectedRowRecord(Base):
    """A row left out by `--accept-valid`, kept with its cells so it can be fixed and re-imported."""

    __tablename__ = "rejected_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    cells: Mapped[dict[str, Any]] = mapped_column(JSON)


class MappingProfileRow(Base):
    """A saved header mapping for an HR system whose export uses other headers."""

    __tablename__ = "mapping_profiles"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MilestoneEventRow(Base):
    """A milestone a person recorded as done. A fact of its own: HR imports never touch it. A correction is a new
    event; the latest one for a worker's milestone counts, and the earlier ones stay as the audit trail."""

    __tablename__ = "milestone_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(40))
    framework: Mapped[str] = mapped_column(String(40))
    milestone: Mapped[str] = mapped_column(String(40))
    completed_on: Mapped[date | None] = mapped_column(Date)  # None: the record was withdrawn
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (Index("ix_milestone_events_employee", "employee_id", "framework", "milestone"),)


class CouncilRulesRow(Base):
    """The council's own rules file (TOML), kept in the database so every user of it works to the same rules.
    Each save is a new row; the newest is in force and the older ones show what changed when."""

    __tablename__ = "council_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[str | None] = mapped_column(Text)  # None: cleared, back to the shipped rules
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEventRow(Base):
    """One change a person made (import, correction, undo, restore, recorded milestone, rules or pay change, retention,
    role grant): who (the login name, or the database user on PostgreSQL), when and what. Append-only: nothing in the
    application updates or deletes it."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))  # e.g. "import", "correction", "undo", "restore", "record"
    subject: Mapped[str | None] = mapped_column(String(200))  # e.g. "import 12", "rules"; never a name
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_events_at", "at"),)


class CouncilPayRow(Base):
    """The council's pay file (TOML) with the CSV salary tables it adds, kept so every projection, export and screen
    uses the same pay settings. Each save is a new row: the newest is in force, the older ones show what changed."""

    __tablename__ = "council_pay"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[str | None] = mapped_column(Text)  # None: cleared, back to the shipped pay data
    files: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # CSV name -> text, for the scales the file adds
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    saved_by: Mapped[str | None] = mapped_column(String(100))


class StoredScenarioRow(Base):
    """One version of a named scenario (finance's, usually imported from an edited workbook). The newest row for a
    name is in force; content None means deleted. Older rows are the history, so any change can be undone."""

    __tablename__ = "stored_scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the scenario as the pay files spell it
    based_on: Mapped[str | None] = mapped_column(String(40))
    origin: Mapped[str | None] = mapped_column(String(255))  # e.g. the workbook it was imported from
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    saved_by: Mapped[str | None] = mapped_column(String(100))


class CensusItemRow(Base):
    """A worker's census items as one snapshot gave them (issue 17): qualification, graduate schemes, start origin,
    leaver destination, reason for absence. Only rows that give at least one item are stored."""

    __tablename__ = "census_items"

    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    qual_institution: Mapped[str | None] = mapped_column(String(200))
    qual_level: Mapped[str | None] = mapped_column(String(4))
    step_up_grad: Mapped[str | None] = mapped_column(String(1))
    frontline_grad: Mapped[str | None] = mapped_column(String(1))
    start_origin: Mapped[str | None] = mapped_column(String(4))
    leaver_destination: Mapped[str | None] = mapped_column(String(4))
    reason_for_absence: Mapped[str | None] = mapped_column(String(4))


class PersonalDetailRow(Base):
    """Special-category and sensitive personal data (date of birth, gender, ethnicity), as one snapshot gave them, in
    a table of its own: read only by the census return and the one-worker view, never logged, listed or exported."""

    __tablename__ = "personal_details"

    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(4))


def partial_indexes() -> None:
    """Adds to the metadata the partial unique index migration 0011 made: one active import per month. It is not
    declared on ImportRow because its WHERE is given per backend, and naming PostgreSQL's imports PostgreSQL's
    dialect (a fifth of a second) for every command, SQLite's users' too. The migrations' env adds it, where the
    metadata is compared with a database."""
    table = Base.metadata.tables[ImportRow.__tablename__]
    if not any(index.name == "ux_imports_active_month" for index in table.indexes):
        where = text(ACTIVE_MONTH)
        Index("ux_imports_active_month", table.c.as_of, unique=True, sqlite_where=where, postgresql_where=where)
