"""The dates that decide a worker's stage, and the stages ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecf.progression.calendar import add_days
from ecf.progression.facts import Outcome, Stage, StageChange
from ecf.progression.rules import Programme


@dataclass(slots=True)
class Timeline:
    """The dates that decide a worker's stage. `stage_at` reads them for any day, so the next changes are found by
    asking it about each date where something could change."""

    programme: Programme | None
    start: date | None
    end: date | None
    outcome: Outcome | None
    year_two_end: date | None
    ecf_end: date | None
    experienced_from: date | None
    leaving: date | None
    pre_programme_until: date | None  # last day a programme start is still expected (the funded window)
    no_programme_stage: Stage

    def stage_at(self, day: date) -> Stage:
        if self.leaving is not None and day > self.leaving:
            return Stage.LEFT
        if self.experienced_from is not None and day >= self.experienced_from:
            return Stage.EXPERIENCED
        if self.programme is None or self.start is None:
            if self.pre_programme_until is not None and day <= self.pre_programme_until:
                return Stage.PRE_PROGRAMME
            return self.no_programme_stage
        if day < self.start:
            return Stage.PRE_PROGRAMME
        if self.end is None or day < self.end:
            return Stage.ECDP if self.programme.label == "ECDP" else Stage.ASYE
        if self.outcome is Outcome.FAILED:
            return Stage.NOT_EARLY_CAREER
        if self.year_two_end is not None and day < self.year_two_end:
            return Stage.ECF_YEAR_2
        if self.ecf_end is not None and day < self.ecf_end:
            return Stage.ECF_YEARS_3_5
        return Stage.NOT_EARLY_CAREER

    def changes_after(self, as_of: date) -> tuple[StageChange, ...]:
        candidates = [self.start, self.end, self.year_two_end, self.ecf_end, self.experienced_from]
        if self.pre_programme_until is not None:
            candidates.append(add_days(self.pre_programme_until, 1))
        if self.leaving is not None:
            candidates.append(add_days(self.leaving, 1))
        days = sorted({d for d in candidates if d is not None and d > as_of})
        changes: list[StageChange] = []
        current = self.stage_at(as_of)
        for day in days:
            stage = self.stage_at(day)
            if stage is not current:
                changes.append(StageChange(day, stage))
                current = stage
        return tuple(changes)
