"""A narrow read of one month's rows: the few facts a list of workers shows, a column each, without building whole
WorkerRecords (34 fields each, with their absences). At 40,000 workers and 60 months it is a fifth of the full
read of the current workforce, so the terminal UI's Workers table can be filled from it while the full read goes on.

The workers in post at a date are the workers of the newest snapshot on or before it (see employment_status: anyone
whose latest row is older is gone from the sheet), so no pointer or earlier month is needed: only the month's rows in
effect (its active import and corrections), read through the primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecf.domain.worker import ContractType
from ecf.storage.columns import each_distinct, fetch_columns, gather
from ecf.storage.models import ImportRow, WorkerSnapshotRow
from ecf.storage.repository import month_imports

# The facts read, named as WorkerRecord names them.
FACTS = ("employee_id", "forename", "surname", "team", "contract_type", "grade", "spinal_point", "fte", "role",
         "start_date", "leaving_date")  # fmt: skip


@dataclass(frozen=True)
class MonthFacts:
    """One month's rows in effect: each fact in FACTS, a value per worker, in the order the full read of the
    workforce (SnapshotRepository.latest_records) gives the same workers."""

    as_of: date
    columns: dict[str, Sequence[Any]]


class MonthFactsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def newest(self, on_or_before: date | None = None) -> MonthFacts | None:
        """The newest snapshot's facts (the newest on or before `on_or_before`, if given); None without one, or when
        that month has no rows in effect (then the full read works its answer out from earlier months: left to it)."""
        active = ImportRow.status == "active"
        newest_query = select(func.max(ImportRow.as_of)).where(active)
        newest = self.session.scalar(newest_query)
        if newest is None:
            return None
        month: date | None = newest
        if on_or_before is not None and on_or_before < newest:
            month = self.session.scalar(newest_query.where(ImportRow.as_of <= on_or_before))
        if month is None:
            return None
        imports = month_imports(self.session, month)  # one row in effect per worker among them
        w = WorkerSnapshotRow
        query = select(*(getattr(w, name) for name in FACTS)).where(w.import_id.in_(imports), w.in_effect)
        if month == newest:
            # latest_records reads the pointers in the database's own order of IDs (on PostgreSQL, its collation's)
            query = query.order_by(w.employee_id)
        columns = fetch_columns(self.session, query)
        if not columns[0]:  # a month without rows in effect: the full read looks further back (left to it)
            return None
        if month != newest:  # an earlier date: latest_records sorts the workers it works out in Python
            order = sorted(range(len(columns[0])), key=columns[0].__getitem__)
            columns = [gather(column, order) for column in columns]
        found = dict(zip(FACTS, columns, strict=True))
        found["contract_type"] = each_distinct(ContractType, found["contract_type"])
        return MonthFacts(month, found)
