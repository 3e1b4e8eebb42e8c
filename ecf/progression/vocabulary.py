"""The progression's words: outcomes, milestone statuses and stages, with their labels. Apart from ecf.progression.facts
(the engine's values, re-exported there) so that the command line can offer them as choices without loading those."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class MilestoneStatus(StrEnum):
    COMPLETE = "complete"
    DUE = "due"  # falls within the council's due window from the as-of date
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    NOT_APPLICABLE = "not_applicable"


# How far along a status is: as the as-of date moves forward a milestone's status never moves to a lower rank.
STATUS_RANK = {
    MilestoneStatus.UPCOMING: 0,
    MilestoneStatus.DUE: 1,
    MilestoneStatus.OVERDUE: 2,
    MilestoneStatus.NOT_APPLICABLE: 2,  # e.g. an optional review whose date passed without it
    MilestoneStatus.COMPLETE: 3,
}


class Stage(StrEnum):
    PRE_PROGRAMME = "pre_asye"
    ASYE = "asye"
    ECDP = "ecdp"
    ECF_YEAR_2 = "ecf_year_2"
    ECF_YEARS_3_5 = "ecf_years_3_5"
    JOINED_WITH_PQE = "joined_with_pqe"  # qualified elsewhere with post-qualifying experience: no ASYE here
    AGENCY = "agency"  # an agency worker: no ASYE expected unless the council sets it
    EXPERIENCED = "experienced"
    NOT_EARLY_CAREER = "not_early_career"
    LEFT = "left"


STAGE_LABELS = {
    Stage.PRE_PROGRAMME: "pre-ASYE",
    Stage.ASYE: "ASYE",
    Stage.ECDP: "ECDP",
    Stage.ECF_YEAR_2: "ECF year 2",
    Stage.ECF_YEARS_3_5: "ECF years 3-5",
    Stage.JOINED_WITH_PQE: "joined with PQE",
    Stage.AGENCY: "agency (no ASYE)",
    Stage.EXPERIENCED: "experienced",
    Stage.NOT_EARLY_CAREER: "not early-career",
    Stage.LEFT: "left",
}


OPEN_STATUSES = frozenset({MilestoneStatus.OVERDUE, MilestoneStatus.DUE, MilestoneStatus.UPCOMING})
PRESSING = (MilestoneStatus.OVERDUE, MilestoneStatus.DUE, MilestoneStatus.UPCOMING, MilestoneStatus.COMPLETE)
