"""What changed between two monthly snapshots: joiners, leavers and changes of grade, FTE, team, contract, role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ecf.domain.worker import WorkerRecord


class ChangeKind(StrEnum):
    JOINER = "joiner"
    LEAVER = "leaver"
    GRADE = "grade"
    FTE = "fte"
    TEAM = "team"
    CONTRACT = "contract_type"
    ROLE = "role"


@dataclass(frozen=True, slots=True)
class Change:
    as_of: date
    employee_id: str
    name: str
    kind: ChangeKind
    before: str | None
    after: str | None
    detail: str


# The attributes compared field by field, in the order changes are listed.
_TRACKED: tuple[tuple[ChangeKind, str], ...] = (
    (ChangeKind.GRADE, "grade"),
    (ChangeKind.FTE, "fte"),
    (ChangeKind.TEAM, "team"),
    (ChangeKind.CONTRACT, "contract_type"),
    (ChangeKind.ROLE, "role"),
)


def display_name(record: WorkerRecord) -> str:
    return record.name or "(no name)"


def _text(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "value"):
        return str(value.value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # FTE 0.8000 reads as 0.8
    return str(value)


def diff_snapshots(
    previous: Mapping[str, WorkerRecord], current: Mapping[str, WorkerRecord], as_of: date
) -> list[Change]:
    """Changes that the snapshot dated `as_of` (`current`) shows against the one before it (`previous`).

    A leaver is someone whose leaving date appears for the first time, or who is gone from the sheet without one
    (a leaver already reported with a date is not reported again when they drop off the next month's sheet).
    """
    changes: list[Change] = []
    for employee_id in sorted(current.keys() | previous.keys()):
        before = previous.get(employee_id)
        after = current.get(employee_id)
        changes.extend(_changes_for(before, after, as_of))
    return changes


def _changes_for(before: WorkerRecord | None, after: WorkerRecord | None, as_of: date) -> Iterable[Change]:
    if after is None:
        assert before is not None
        if before.leaving_date is None:
            yield _change(before, as_of, ChangeKind.LEAVER, None, None, "gone from the sheet (no leaving date given)")
        return
    if before is None:
        yield _change(after, as_of, ChangeKind.JOINER, None, _text(after.start_date), _joiner_detail(after))
        if after.leaving_date is not None:
            yield _leaver(after, as_of)
        return
    if after.leaving_date is not None and after.leaving_date != before.leaving_date:
        yield _leaver(after, as_of)
    for kind, attribute in _TRACKED:
        old, new = getattr(before, attribute), getattr(after, attribute)
        if old != new:
            yield _change(after, as_of, kind, _text(old), _text(new), f"{attribute}: {_text(old)} → {_text(new)}")


def _joiner_detail(record: WorkerRecord) -> str:
    parts = [f"started {_text(record.start_date)}", record.contract_type.value]
    if record.role:
        parts.append(record.role)
    if record.team:
        parts.append(record.team)
    return ", ".join(parts)


def _leaver(record: WorkerRecord, as_of: date) -> Change:
    reason = f" ({record.leaving_reason})" if record.leaving_reason else ""
    return _change(
        record,
        as_of,
        ChangeKind.LEAVER,
        None,
        _text(record.leaving_date),
        f"leaving {_text(record.leaving_date)}{reason}",
    )


def _change(
    record: WorkerRecord, as_of: date, kind: ChangeKind, before: str | None, after: str | None, detail: str
) -> Change:
    return Change(as_of, record.employee_id, display_name(record), kind, before, after, detail)
