"""The census items HR's sheet may carry beside a worker's record (issue 17), as census codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

SENSITIVE = ("date_of_birth", "gender", "ethnicity")  # special-category data: a table of its own
OTHER = (
    "qual_institution", "qual_level", "step_up_grad", "frontline_grad", "start_origin", "leaver_destination",
    "reason_for_absence",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CensusItems:
    date_of_birth: date | None = None
    gender: str | None = None
    ethnicity: str | None = None
    qual_institution: str | None = None
    qual_level: str | None = None
    step_up_grad: str | None = None
    frontline_grad: str | None = None
    start_origin: str | None = None
    leaver_destination: str | None = None
    reason_for_absence: str | None = None

    @classmethod
    def of(cls, values: dict[str, Any]) -> CensusItems:
        return cls(**{name: value for name, value in values.items() if name in SENSITIVE + OTHER})


NO_ITEMS = CensusItems()
