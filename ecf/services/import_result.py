"""What an import was asked to do and what came of it: shared by the import use case, its storing, the CLI and the
TUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from ecf.domain.changes import Change
from ecf.domain.matching import Shrinkage
from ecf.progression.calendar import uk
from ecf.storage.repository import ImportInfo
from importers.date_order import DateOrder
from importers.validation import ValidatedFile

Progress = Callable[[str, int, int], None]


class AsOfRequired(Exception):
    """No --as-of and no date in the file name: the interface must ask."""


class Outcome(StrEnum):
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"
    REJECTED = "rejected"
    CONFLICT = "conflict"
    NO_VALID_ROWS = "no_valid_rows"
    NOT_ACTIVE = "not_active"  # this file was imported, then withdrawn or superseded: restore it instead
    NEEDS_CORRECT = "needs_correct"  # the error report's "Rows to fix" sheet: import it with --correct
    NOTHING_TO_CORRECT = "nothing_to_correct"  # --correct, but no snapshot for the date
    TOO_MANY_VANISH = "too_many_vanish"  # the shrinking-month guard (--allow-drop overrides)


@dataclass
class ImportResult:
    outcome: Outcome
    path: Path
    as_of: date | None = None
    import_id: int | None = None
    validated: ValidatedFile | None = None
    report: Path | None = None
    previous_as_of: date | None = None
    newer_as_of: date | None = None
    changes: list[Change] = field(default_factory=list)
    existing: ImportInfo | None = None
    replaced: ImportInfo | None = None
    carried_forward: int = 0  # workers whose rejected row left last month's facts in place
    report_problem: str | None = None  # why the error report could not be saved
    correction: bool = False
    corrected: int = 0  # a correction: workers whose row it replaced (the rest of its rows add workers)
    possibly_rejected: int = 0  # gone, while rows nobody could match were rejected: kept, not leavers yet
    shrinkage: Shrinkage | None = None  # the guard's count, when it refused the file
    max_share: Decimal | None = None
    missing_months: list[date] = field(default_factory=list)  # months without a snapshot between stored ones

    @property
    def carried_note(self) -> str:
        if not self.carried_forward:
            return ""
        workers = "worker keeps" if self.carried_forward == 1 else "workers keep"
        return (f"{self.carried_forward} {workers} the facts of {uk(self.previous_as_of)} until their rejected "
                "rows are fixed (not counted as leavers)")  # fmt: skip

    @property
    def possibly_note(self) -> str:
        if not self.possibly_rejected:
            return ""
        return (f"{self.possibly_rejected} gone from the sheet possibly in a rejected row (no usable ID): kept, not "
                "counted as leavers until a later import settles it")  # fmt: skip

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome in (Outcome.IMPORTED, Outcome.ALREADY_IMPORTED) else 1


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    as_of: date | None = None
    profile: str | None = None
    accept_valid: bool = False
    replace: bool = False
    write_report: bool = True
    correct: bool = False  # apply the file to the month's snapshot: only the workers in it change
    allow_drop: bool = False  # store it even if many workers vanish without a leaving date
    dates: DateOrder = DateOrder.AUTO
