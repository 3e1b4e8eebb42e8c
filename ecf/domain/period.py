"""One interval concept for every dated span in the product: absences, employment, rule validity, pay years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A run of days from `start` to `end`, both inclusive; `end=None` means still open.

    Inclusive ends match how HR records dates: a leaving date or an absence end date is the last day of the span.
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def is_open(self) -> bool:
        return self.end is None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        return not (
            (self.end is not None and self.end < other.start) or (other.end is not None and other.end < self.start)
        )

    def clipped_to(self, day: date) -> Period | None:
        """The part of this period on or before `day` (None if it starts after it): what is known as of that day."""
        if self.start > day:
            return None
        end = day if self.end is None or self.end > day else self.end
        return Period(self.start, end)

    def days(self, as_of: date) -> int:
        """Length in days, counting an open period (or one running past `as_of`) up to `as_of` inclusive."""
        clipped = self.clipped_to(as_of)
        if clipped is None or clipped.end is None:
            return 0
        return (clipped.end - clipped.start).days + 1
