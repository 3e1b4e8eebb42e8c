"""Where each worker stands in the workforce as of the latest snapshot, derived from facts (never stored)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from ecf.domain.worker import WorkerRecord


class EmploymentStatus(StrEnum):
    IN_POST = "in_post"
    LEAVING = "leaving"  # a leaving date after the snapshot date: notice given
    LEFT = "left"  # a leaving date on or before the snapshot date
    GONE = "gone"  # absent from the latest sheet without a leaving date


def employment_status(record: WorkerRecord, last_seen: date, latest_snapshot: date) -> EmploymentStatus:
    return status_from(record.leaving_date, last_seen, latest_snapshot)


def status_from(leaving_date: date | None, last_seen: date, latest_snapshot: date) -> EmploymentStatus:
    """employment_status from the one fact it needs (for a read that builds no WorkerRecords)."""
    if leaving_date is not None and leaving_date <= latest_snapshot:
        return EmploymentStatus.LEFT
    if last_seen < latest_snapshot:
        return EmploymentStatus.GONE
    if leaving_date is not None:
        return EmploymentStatus.LEAVING
    return EmploymentStatus.IN_POST
