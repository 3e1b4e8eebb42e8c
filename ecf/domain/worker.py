"""The facts HR holds about one social worker on one as-of date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ecf.domain.frozen import stored_at_once
from ecf.domain.period import Period


class ContractType(StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    AGENCY = "agency"


class AsyeStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"
    EXTENDED = "extended"
    EXEMPT = "exempt"


class AbsenceType(StrEnum):
    MATERNITY = "maternity"
    PATERNITY = "paternity"
    ADOPTION = "adoption"
    SHARED_PARENTAL = "shared_parental"
    SICKNESS = "sickness"
    BEREAVEMENT = "bereavement"
    UNPAID = "unpaid"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Absence:
    period: Period
    absence_type: AbsenceType


def full_name(forename: str | None, surname: str | None) -> str:
    """Forename and surname as the HR sheet gives them, either left out when unknown ("" for neither)."""
    return f"{forename} {surname}" if forename and surname else forename or surname or ""


@stored_at_once  # forty thousand per read of a national workforce
@dataclass(frozen=True, slots=True)
class WorkerRecord:
    """One row of one monthly snapshot, typed and validated. Status is never stored here: it is derived later."""

    employee_id: str
    date_qualified: date | None  # None when the source lacks it (a census return): no milestones until it is known
    start_date: date
    fte: Decimal
    contract_type: ContractType
    surname: str | None = None
    forename: str | None = None
    swe_number: str | None = None
    leaving_date: date | None = None
    leaving_reason: str | None = None
    grade: str | None = None
    spinal_point: int | None = None
    team: str | None = None
    line_manager: str | None = None
    role: str | None = None
    caseload: int | None = None
    asye_start_date: date | None = None
    asye_status: AsyeStatus | None = None
    asye_review_3m: date | None = None
    asye_review_6m: date | None = None
    asye_review_9m: date | None = None
    asye_review_final: date | None = None
    prior_pqe_months: int | None = None
    market_supplement: Decimal | None = None  # a year, full-time, in pounds
    allowances: Decimal | None = None  # a year, full-time, in pounds
    # Programme steps a council may track (issue #14): the dates they were held.
    support_agreement_date: date | None = None
    ecf_year_two_assessment: date | None = None
    ecf_year_three_review: date | None = None
    ecf_year_four_review: date | None = None
    ecf_year_five_assessment: date | None = None
    apprentice: bool | None = None  # a degree apprentice under 25: employer NI category H
    absences: tuple[Absence, ...] = field(default=())

    @property
    def qualified_on(self) -> date:
        """The qualification date, for the rules that count from it. The services leave a worker without one out of
        milestones (see `has_qualified_date`), so reaching here without one is a programming error."""
        if self.date_qualified is None:
            raise ValueError("this worker has no qualification date yet; milestones need one")
        return self.date_qualified

    @property
    def name(self) -> str:
        return full_name(self.forename, self.surname)

    @property
    def has_qualified_date(self) -> bool:
        return self.date_qualified is not None

    def has_left_by(self, as_of: date) -> bool:
        return self.leaving_date is not None and self.leaving_date <= as_of

    @property
    def employment(self) -> Period:
        return Period(self.start_date, self.leaving_date)
