"""Findings about an imported file, each with a stable code people and scripts can rely on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# Stable codes (frictionless-style): never renamed once released; new ones may be added.
CODES: dict[str, tuple[Severity, str]] = {
    "missing-value": (Severity.ERROR, "a required value is blank"),
    "invalid-date": (Severity.ERROR, "not a date this importer can read"),
    "implausible-date": (Severity.ERROR, "a date outside 1940–2100"),
    "invalid-number": (Severity.ERROR, "not a whole number"),
    "text-too-long": (Severity.ERROR, "text longer than 200 characters"),
    "invalid-fte": (Severity.ERROR, "not an FTE (0.6, 60% or '22.2 hours')"),
    "fte-out-of-range": (Severity.ERROR, "FTE outside (0, 1]"),
    "hours-out-of-range": (Severity.ERROR, "weekly hours outside (0, standard week]"),
    "negative-number": (Severity.ERROR, "a count or number of months below zero"),
    "unknown-contract-type": (Severity.ERROR, "not permanent, fixed-term or agency"),
    "invalid-yes-no": (Severity.ERROR, "not yes or no (the apprentice flag)"),
    "unknown-asye-status": (Severity.ERROR, "not an ASYE status"),
    "unknown-absence-type": (Severity.ERROR, "not an absence type"),
    "invalid-swe-number": (Severity.ERROR, "not a Social Work England number (SW + digits, no leading zero)"),
    "duplicate-employee-id": (Severity.ERROR, "the same employee ID on more than one row"),
    "leaving-before-start": (Severity.ERROR, "leaving date before start date"),
    "qualified-in-future": (Severity.ERROR, "date qualified after the as-of date"),
    "asye-before-qualified": (Severity.ERROR, "ASYE start before the date qualified"),
    "absence-end-before-start": (Severity.ERROR, "absence ends before it starts"),
    "absence-incomplete": (Severity.ERROR, "absence end or type without a start date"),
    "invalid-character": (Severity.ERROR, "a control character or Unicode non-character (NUL, ESC, U+FFFE …)"),
    "invalid-employee-id": (Severity.ERROR, "an employee ID that is a yes/no value or a number with a fraction"),
    "invisible-characters-removed": (Severity.WARNING, "zero-width or other invisible characters removed from an ID"),
    "start-in-future": (Severity.WARNING, "start date after the as-of date"),
    "started-before-qualified": (Severity.WARNING, "started in this council before qualifying"),
    "missing-swe-number": (Severity.WARNING, "no Social Work England number"),
    "asye-start-missing": (Severity.WARNING, "ASYE status given without an ASYE start date"),
    "fte-from-hours": (Severity.WARNING, "FTE and contracted hours disagree; FTE column used"),
    "absence-type-missing": (Severity.WARNING, "absence with no type; recorded as 'other'"),
    "field-absent": (Severity.WARNING, "the source does not carry this field (declared absent in the profile)"),
    "invalid-census-value": (Severity.WARNING, "a census item not recognised; left blank"),
    "month-first-dates": (Severity.WARNING, "a date column read month-first: its values are only valid that way"),
}


SHOWN_CHARACTERS = 100  # of a value, in a finding


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding, located as a person sees it: sheet, row number as the spreadsheet shows it, column header."""

    code: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.value is not None and len(self.value) > SHOWN_CHARACTERS:  # a 5 MB cell is not shown 5 MB long
            cut = f"{self.value[: SHOWN_CHARACTERS - 20]}… ({len(self.value):,} characters)"
            object.__setattr__(self, "value", cut)

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR
