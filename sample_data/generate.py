#!/usr/bin/env python3
"""Deterministic sample data for ecf-tracker: the children's social workers of a fictional council.

Northmoor County Council (fictional) employs about 300 children's social workers in eight teams. This script
simulates that workforce month by month from November 2025 to November 2026 and writes:

- ``monthly/northmoor_hr_<as-of>.xlsx``: twelve month-end HR extracts, 30/11/2025 to 31/10/2026;
- ``other_system/resourcelink_export_2026-10-31.csv`` and ``other_system/resourcelink.toml``: the 31/10/2026
  workforce as a second HR system exports it (Windows-1252, CRLF, its own headers and codes), with the mapping
  profile that reads it;
- ``messy/northmoor_hr_2026-11-30_messy.xlsx``: the following month, typed in by hand (mixed date and FTE forms,
  header spellings, stray spaces) with the planted faults below.

Only the standard library and xlsxwriter are used. All randomness comes from one ``random.Random(seed)`` and all
dates are constants, so two runs write byte-identical files.

Faults planted in the messy file (Excel row numbers; the header is row 1, rows 102 and 203 are fully blank):

- rows 4 and 5: the same Employee ID (row 4 is its genuine holder; row 5 is another worker given that ID)
- row 9: Leaving Date before Start Date
- row 14: FTE 1.2
- row 20: Date Qualified in the future (15/07/2027)
- row 26: unknown contract type "Casual"
- row 31: malformed SWE number "SW0123" (leading zero)
- row 33: malformed SWE number "12345" (no "SW" prefix)
- row 40: blank Employee ID (a required field)
- row 47: unparseable Start Date "31/02/2024"
- row 52: Surname '=HYPERLINK("http://example.invalid","x")' stored as a text cell (formula injection attempt)
- row 58: ASYE start "03/04/2024" as text. Not a fault but a trap: Date Qualified is 15/03/2024, so the date can
  only be day-first, 3 April 2024 (read month-first it would come before qualification); the row is valid.

Usage::

    python sample_data/generate.py [--out DIR] [--seed N]          # every committed file
    python sample_data/generate.py --workers 40000 --out /tmp/bench  # one national-scale benchmark extract
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

SAMPLE_DIR = Path(__file__).resolve().parent
DEFAULT_SEED = 2026
CREATED = datetime(2026, 11, 1)  # workbook "created" property, fixed so the xlsx files are byte-stable

COUNCIL = "Northmoor County Council"
TITLE = "Northmoor County Council - Children's Social Care workforce extract"
HOURS_PER_WEEK = 37

# --------------------------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------------------------


def month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, month_end(year, month + 1).day))


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (0 if `later` is not after it)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    return max(0, months)


def random_date(rng: random.Random, low: date, high: date) -> date:
    if high <= low:
        return low
    return low + timedelta(days=rng.randint(0, (high - low).days))


def random_weekday(rng: random.Random, low: date, high: date) -> date:
    """A random Monday-to-Friday between the two dates inclusive (`low` itself if there is none)."""
    days = [low + timedelta(days=n) for n in range((high - low).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    return rng.choice(weekdays) if weekdays else low


AS_OF_DATES: tuple[date, ...] = tuple(month_end(2025, 11 + n) for n in range(12))  # 30/11/2025 .. 31/10/2026
INITIAL_AS_OF = date(2025, 10, 31)  # the workforce the simulation starts from
MESSY_AS_OF = date(2026, 11, 30)
CENSUS_REFERENCE_DATE = date(2026, 9, 30)  # the 2026 workforce census (CSWW): the clean extracts carry what it needs
NATIONAL_AS_OF = date(2026, 10, 31)
APRIL_INCREMENT = date(2026, 4, 1)  # permanent staff step up one spinal column point
INCREMENT_SERVICE_FROM = date(2025, 10, 1)  # ... if they started on or before this day
EXCEL_EPOCH = date(1899, 12, 30)
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# --------------------------------------------------------------------------------------------------------------
# The council
# --------------------------------------------------------------------------------------------------------------

TEAM_SIZES: dict[str, int] = {  # target headcount per team, team manager included (sums to 300)
    "Front Door (MASH)": 32,
    "Assessment North": 42,
    "Assessment South": 42,
    "Child in Need East": 40,
    "Child in Need West": 40,
    "Child Protection": 42,
    "Children in Care": 38,
    "Care Leavers": 24,
}
TEAMS: tuple[str, ...] = tuple(TEAM_SIZES)
ASYE_TEAMS: tuple[str, ...] = (
    "Assessment North",
    "Assessment South",
    "Child in Need East",
    "Child in Need West",
    "Child Protection",
    "Children in Care",
)
HEADS_OF_SERVICE: dict[str, str] = {  # team managers' line managers (not social workers in the extract)
    "Front Door (MASH)": "Margaret Holroyd-Pearce",
    "Assessment North": "Margaret Holroyd-Pearce",
    "Assessment South": "Margaret Holroyd-Pearce",
    "Child in Need East": "Daniel Achebe",
    "Child in Need West": "Daniel Achebe",
    "Child Protection": "Daniel Achebe",
    "Children in Care": "Máire Gallagher",
    "Care Leavers": "Máire Gallagher",
}
HEADCOUNT_TARGET = 300
HEADCOUNT_TARGETS: dict[tuple[int, int], int] = {  # vacancies held over the summer for the September intake
    (2026, 7): 292,
    (2026, 8): 286,
    (2026, 9): 306,
    (2026, 10): 304,
    (2026, 11): 302,
}

ROLE_ASYE = "ASYE Social Worker"
ROLE_SW = "Social Worker"
ROLE_SP = "Senior Practitioner"
ROLE_AP = "Advanced Practitioner"
ROLE_TM = "Team Manager"
GRADES: dict[str, tuple[str, int, int]] = {  # role -> (grade, lowest SCP, highest SCP)
    ROLE_ASYE: ("NQSW", 24, 28),
    ROLE_SW: ("SW", 29, 32),
    ROLE_SP: ("SP", 33, 35),
    ROLE_AP: ("AP", 36, 37),
    ROLE_TM: ("TM", 38, 43),
}
CASELOADS: dict[str, tuple[int, int]] = {ROLE_SW: (12, 22), ROLE_SP: (10, 20), ROLE_AP: (8, 14)}

PERMANENT = "Permanent"
FIXED_TERM = "Fixed Term"
AGENCY = "Agency"
AGENCY_SHARE = 0.15
FIXED_TERM_SHARE = 0.08
PART_TIME_FTES: tuple[Decimal, ...] = tuple(
    Decimal(v) for v in ("0.5", "0.6", "0.6", "0.8", "0.8", "0.8", "0.81", "0.7", "0.9", "0.4")
)

PASSED, EXTENDED, FAILED = "Passed", "Extended", "Failed"
IN_PROGRESS, NOT_STARTED, EXEMPT = "In Progress", "Not Started", "Exempt"

MATERNITY, PATERNITY, ADOPTION = "Maternity", "Paternity", "Adoption"
SICKNESS, BEREAVEMENT = "Sickness", "Bereavement"
ABSENCE_DAYS: dict[str, tuple[int, int]] = {
    MATERNITY: (180, 365),
    PATERNITY: (14, 28),
    ADOPTION: (120, 365),
    SICKNESS: (28, 180),
    BEREAVEMENT: (10, 30),
}

# Planned events of the simulated year, keyed by (year, month) of the snapshot they first show in.
PROMOTION_PLAN: dict[tuple[int, int], tuple[str, ...]] = {
    (2026, 1): (ROLE_SP,),
    (2026, 4): (ROLE_SP, ROLE_SP, ROLE_AP),
    (2026, 7): (ROLE_SP,),
    (2026, 10): (ROLE_AP,),
}
AGENCY_CONVERSION_MONTHS: tuple[tuple[int, int], ...] = ((2026, 2), (2026, 6), (2026, 9))
SEPTEMBER_2026_INTAKE = 25
JANUARY_2026_INTAKE = 5

# --------------------------------------------------------------------------------------------------------------
# Names (all encodable in Windows-1252, a few with apostrophes and accents)
# --------------------------------------------------------------------------------------------------------------

FEMALE_FORENAMES = (
    "Amelia",
    "Olivia",
    "Sophie",
    "Charlotte",
    "Emily",
    "Hannah",
    "Grace",
    "Jessica",
    "Lucy",
    "Rachel",
    "Sarah",
    "Laura",
    "Rebecca",
    "Katie",
    "Gemma",
    "Claire",
    "Nicola",
    "Joanne",
    "Michelle",
    "Helen",
    "Amy",
    "Danielle",
    "Zoë",
    "Siobhán",
    "Aoife",
    "Niamh",
    "Chloé",
    "Renée",
    "Priya",
    "Aisha",
    "Fatima",
    "Amina",
    "Yasmin",
    "Nadia",
    "Shabana",
    "Chipo",
    "Adaeze",
    "Ngozi",
    "Abena",
    "Magdalena",
    "Agnieszka",
    "Leanne",
    "Kelly",
    "Jade",
    "Ellie",
    "Megan",
    "Bethan",
    "Ffion",
    "Catrin",
    "Mairéad",
    "Françoise",
    "Inés",
    "Lucía",
    "Anne-Marie",
    "Kirsty",
)
MALE_FORENAMES = (
    "James",
    "Oliver",
    "Thomas",
    "Daniel",
    "Matthew",
    "Christopher",
    "David",
    "Michael",
    "Andrew",
    "Mark",
    "Paul",
    "Richard",
    "Steven",
    "Jamie",
    "Ryan",
    "Liam",
    "Connor",
    "Seán",
    "Ciarán",
    "Declan",
    "Mohammed",
    "Imran",
    "Tariq",
    "Hamza",
    "Rajesh",
    "Arjun",
    "Kwame",
    "Emeka",
    "Tunde",
    "Tendai",
    "Piotr",
    "Tomasz",
    "José",
    "André",
    "Gareth",
    "Rhys",
    "Dylan",
    "Callum",
    "Lewis",
    "Nathan",
    "Jean-Luc",
    "Joël",
)
SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Ahmed",
    "Hussain",
    "Begum",
    "Ali",
    "Shah",
    "Singh",
    "Kaur",
    "Sharma",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Owusu",
    "Nwosu",
    "Mahlangu",
    "Moyo",
    "O'Brien",
    "O'Connor",
    "O'Neill",
    "McCarthy",
    "Ní Bhriain",
    "Ó Súilleabháin",
    "Murphy",
    "Kelly",
    "Byrne",
    "MacLeod",
    "McKenzie",
    "Fraser",
    "Campbell",
    "Llewellyn",
    "Pritchard",
    "Morgan",
    "Hughes",
    "Price",
    "Kowalczyk",
    "Nowak",
    "Lewandowski",
    "D'Souza",
    "Fernandes",
    "Gonçalves",
    "Müller",
    "Schäfer",
    "Brontë",
    "Lefèvre",
    "Nuñez",
    "García",
    "Rossi",
    "Romano",
    "Costa",
    "Silva",
    "Hernández",
    "Bianchi",
    "Andersson",
    "Jensen",
    "van der Berg",
    "Ashworth",
    "Barraclough",
    "Holroyd",
    "Sutcliffe",
    "Ackroyd",
    "Greenwood",
    "Heaton",
    "Pickles",
    "Thornton",
    "Marsden",
    "Hargreaves",
    "Crowther",
    "Whitaker",
    "Lister",
    "Booth",
    "Haigh",
    "Dyson",
    "Shackleton",
    "Fothergill",
    "Lloyd-Davies",
    "Smith-Jones",
    "Nguyen",
    "Tran",
    "Chen",
    "Wong",
    "Kim",
    "Osei",
    "Bangura",
    "Sesay",
    "Abubakar",
    "Yilmaz",
    "Demir",
)
AREA_PREFIXES = ("North", "South", "East", "West", "Upper", "Lower", "Great", "Little", "Mid", "High")
AREA_SUFFIXES = (
    "moor",
    "dale",
    "field",
    "ford",
    "wick",
    "ham",
    "bury",
    "ton",
    "ley",
    "worth",
    "minster",
    "bridge",
    "stead",
    "wood",
    "cliffe",
)

# --------------------------------------------------------------------------------------------------------------
# Columns: the facts of one row, and how each file spells them
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the importer's field name
    header: str  # monthly extracts
    rl_header: str  # ResourceLink export
    messy_header: str  # the hand-typed November file
    kind: str  # text | date | int | fte | contract | asye_status | swe


COLUMNS: tuple[Column, ...] = (
    Column("employee_id", "Employee ID", "Person Ref", "EMPLOYEE  ID ", "text"),
    Column("surname", "Surname", "Family Name", "surname", "text"),
    Column("forename", "Forename", "Given Name", "First Name", "text"),
    Column("swe_number", "SWE Registration Number", "SWE No", "SWE Reg No.", "swe"),
    Column("date_qualified", "Date Qualified", "Qualification Date", "Qualified Date", "date"),
    Column("start_date", "Start Date", "Continuous Service Date", "Start date", "date"),
    Column("leaving_date", "Leaving Date", "Termination Date", "Date Left", "date"),
    Column("leaving_reason", "Leaving Reason", "Termination Reason", "Reason for Leaving", "text"),
    Column("fte", "FTE", "Contracted Hours", "FTE", "fte"),
    Column("contract_type", "Contract Type", "Employment Type", "Contract", "contract"),
    Column("grade", "Grade", "Pay Grade", "Grade", "text"),
    Column("spinal_point", "Spinal Column Point", "SCP", "SCP", "int"),
    Column("team", "Team", "Service Unit", "Team", "text"),
    Column("line_manager", "Line Manager", "Reports To", "Line manager", "text"),
    Column("role", "Role", "Job Title", "Job Role", "text"),
    Column("caseload", "Caseload", "Open Cases", "Caseload", "int"),
    Column("asye_start_date", "ASYE Start Date", "ASYE Commenced", "ASYE start", "date"),
    Column("asye_status", "ASYE Status", "ASYE Outcome", "ASYE status", "asye_status"),
    Column("asye_review_3m", "ASYE 3 Month Review", "Review 3m", "ASYE 3 month review", "date"),
    Column("asye_review_6m", "ASYE 6 Month Review", "Review 6m", "ASYE 6 month review", "date"),
    Column("asye_review_9m", "ASYE 9 Month Review", "Review 9m", "ASYE 9 month review", "date"),
    Column("asye_review_final", "ASYE Final Review", "Review Final", "ASYE final review", "date"),
    Column("prior_pqe_months", "Prior PQE (months)", "Previous PQE Months", "Prior PQE (months)", "int"),
    # issue #14: the programme steps HR records (the agreement meeting, the five-year ECF's assessments)
    Column("support_agreement_date", "Support Agreement Date", "Agreement Meeting", "Support agreement", "date"),
    Column("ecf_year_two_assessment", "ECF Year 2 Assessment", "ECF Assessment Yr2", "ECF year 2 assessment", "date"),
    Column("ecf_year_three_review", "ECF Year 3 Review", "ECF Review Yr3", "Year 3 review", "date"),
    Column("absence_start", "Absence Start", "Absence From", "Absence start", "date"),
    Column("absence_end", "Absence End", "Absence To", "Absence end", "date"),
    Column("absence_type", "Absence Type", "Absence Reason", "Absence type", "text"),
)
RL_FIELD_NAMES: dict[str, str] = {"fte": "weekly_hours"}  # ResourceLink gives weekly hours, not FTE
RL_CONTRACT_CODES: dict[str, str] = {PERMANENT: "PERM", FIXED_TERM: "TEMP", AGENCY: "AGY"}
RL_ASYE_CODES: dict[str, str] = {
    NOT_STARTED: "NS",
    IN_PROGRESS: "IP",
    PASSED: "PASS",
    FAILED: "FAIL",
    EXTENDED: "EXT",
    EXEMPT: "EXEMPT",
}
CODE_FIELD_VALUES: dict[str, str] = {
    PERMANENT: "permanent",
    FIXED_TERM: "fixed_term",
    AGENCY: "agency",
    NOT_STARTED: "not_started",
    IN_PROGRESS: "in_progress",
    PASSED: "passed",
    FAILED: "failed",
    EXTENDED: "extended",
    EXEMPT: "exempt",
}

Value = str | int | Decimal | date | None
Row = dict[str, Value]
Cell = str | int | float | date | None  # what a messy cell holds: text, number or a real date cell

# --------------------------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Absence:
    start: date
    end: date  # planned last day; shown only once it has passed
    kind: str


@dataclass
class Person:
    employee_id: str
    forename: str
    surname: str
    female: bool
    swe_number: str | None
    date_qualified: date
    start_date: date
    contract: str
    fte: Decimal
    role: str
    team: str
    scp: int | None = None
    caseload: int | None = None
    prior_pqe: int | None = None
    swe_from: date | None = None  # registration not yet confirmed before this day
    asye_start: date | None = None
    asye_exempt: bool = False
    reviews: dict[str, date] = field(default_factory=dict)  # "3m" / "6m" / "9m" -> date held
    stages: list[tuple[date, str]] = field(default_factory=list)  # final-review decisions: (date, outcome)
    absence: Absence | None = None
    leaving_date: date | None = None
    leaving_reason: str | None = None
    planned_leaving: tuple[date, str] | None = None
    protected: bool = False  # kept out of random leaving: the people the sample data is built around

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def employed(self) -> bool:
        return self.contract != AGENCY

    @property
    def grade(self) -> str | None:
        return GRADES[self.role][0] if self.employed else None

    def in_post(self, as_of: date) -> bool:
        return self.start_date <= as_of and (self.leaving_date is None or self.leaving_date > as_of)

    def absent_on(self, day: date) -> bool:
        return self.absence is not None and self.absence.start <= day <= self.absence.end

    def asye_status(self, as_of: date) -> str | None:
        if self.asye_exempt:
            return EXEMPT
        if self.asye_start is None:
            return None
        if self.asye_start > as_of:
            return NOT_STARTED
        status = IN_PROGRESS
        for when, outcome in self.stages:
            if when <= as_of:
                status = outcome
        return status

    def final_review(self, as_of: date) -> date | None:
        held = [when for when, _ in self.stages if when <= as_of]
        return held[-1] if held else None

    def review(self, key: str, as_of: date) -> date | None:
        held = self.reviews.get(key)
        return held if held is not None and held <= as_of else None

    def steps(self, as_of: date) -> Row:
        """The agreement meeting a fortnight or so into the ASYE; on Northmoor's five-year ECF (intakes from
        September 2023) the year-2 assessment and year-3 review about when they fall due. No random draws (the rest of
        the data stays as it was); about one worker in eleven has a step not yet recorded, as in real sheets."""
        found: Row = {"support_agreement_date": None, "ecf_year_two_assessment": None, "ecf_year_three_review": None}
        start = self.asye_start
        if start is None or not self.employee_id.isdigit():
            return found
        number = int(self.employee_id)
        if number % 11 == 0:
            return found
        found["support_agreement_date"] = self._held(start + timedelta(days=14 + number % 10), as_of)
        passed = any(outcome == PASSED for when, outcome in self.stages if when <= as_of)
        if start >= date(2023, 9, 1) and passed:
            for key, months in (("ecf_year_two_assessment", 24), ("ecf_year_three_review", 36)):
                stretched = months if self.fte >= 1 else -(-months * 100 // int(self.fte * 100))
                found[key] = self._held(add_months(start, stretched) + timedelta(days=number % 20), as_of)
        return found

    @staticmethod
    def _held(day: date, as_of: date) -> date | None:
        return day if day <= as_of else None

    def row(self, as_of: date, line_manager: str) -> Row:
        absence = self.absence if self.absence is not None and self.absence.start <= as_of else None
        swe_known = self.swe_from is None or self.swe_from <= as_of
        return {
            "employee_id": self.employee_id,
            "surname": self.surname,
            "forename": self.forename,
            "swe_number": self.swe_number if swe_known else None,
            "date_qualified": self.date_qualified,
            "start_date": self.start_date,
            "leaving_date": self.leaving_date,
            "leaving_reason": self.leaving_reason,
            "fte": self.fte,
            "contract_type": self.contract,
            "grade": self.grade,
            "spinal_point": self.scp if self.employed else None,
            "team": self.team,
            "line_manager": line_manager,
            "role": self.role,
            "caseload": self.caseload,
            "asye_start_date": self.asye_start if self.asye_start is not None and self.asye_start <= as_of else None,
            "asye_status": self.asye_status(as_of),
            "asye_review_3m": self.review("3m", as_of),
            "asye_review_6m": self.review("6m", as_of),
            "asye_review_9m": self.review("9m", as_of),
            "asye_review_final": self.final_review(as_of),
            "prior_pqe_months": self.prior_pqe,
            **self.steps(as_of),
            "absence_start": absence.start if absence else None,
            "absence_end": absence.end if absence and absence.end <= as_of else None,
            "absence_type": absence.kind if absence else None,
        }


class NameIssuer:
    """Hands out names; unique full names for the council (line managers are named by their full name)."""

    def __init__(self, rng: random.Random, unique: bool = True) -> None:
        self.rng = rng
        self.unique = unique
        self.used: set[str] = set(HEADS_OF_SERVICE.values())

    def issue(self, female: bool) -> tuple[str, str]:
        for _ in range(1000):
            forename = self.rng.choice(FEMALE_FORENAMES if female else MALE_FORENAMES)
            surname = self.rng.choice(SURNAMES)
            full = f"{forename} {surname}"
            if not self.unique or full not in self.used:
                self.used.add(full)
                return forename, surname
        raise RuntimeError("ran out of names")


class SweIssuer:
    """Social Work England numbers: 'SW' + 1-6 digits, no leading zero, rising with the year of qualification."""

    def __init__(self, rng: random.Random, blank_share: float = 0.03) -> None:
        self.rng = rng
        self.blank_share = blank_share
        self.used: set[int] = set()

    def issue(self, qualified: date, allow_blank: bool = True) -> str | None:
        if allow_blank and self.rng.random() < self.blank_share:
            return None
        for _ in range(10_000):
            if qualified.year < 2020:
                number = self.rng.randint(1, 9_999) if self.rng.random() < 0.04 else self.rng.randint(10_000, 99_999)
            else:
                number = 100_000 + (qualified.year - 2020) * 12_000 + self.rng.randint(0, 11_999)
            if number not in self.used:
                self.used.add(number)
                return f"SW{number}"
        raise RuntimeError("ran out of SWE numbers")


class IdIssuer:
    """Six-digit employee IDs with leading zeros, rising over time with gaps."""

    def __init__(self, rng: random.Random, first: int, max_gap: int) -> None:
        self.rng = rng
        self.next = first
        self.max_gap = max_gap

    def issue(self) -> str:
        value = self.next
        self.next += self.rng.randint(1, self.max_gap)
        if value > 999_999:
            raise RuntimeError("employee IDs exhausted")
        return f"{value:06d}"


@dataclass
class Workforce:
    rng: random.Random
    names: NameIssuer
    swe: SweIssuer
    ids: IdIssuer
    people: list[Person] = field(default_factory=list)
    tally: Counter[str] = field(default_factory=Counter)
    swe_blank: list[Person] = field(default_factory=list)  # no SWE number in the hand-kept sheet
    vanished: list[tuple[date, Person]] = field(default_factory=list)  # (month, leaver) gone without a leaving date

    @classmethod
    def new(cls, seed: int, unique_names: bool = True, first_id: int = 1200, max_gap: int = 40) -> Workforce:
        rng = random.Random(seed)
        return cls(rng, NameIssuer(rng, unique_names), SweIssuer(rng), IdIssuer(rng, first_id, max_gap))

    def in_post(self, as_of: date) -> list[Person]:
        return [p for p in self.people if p.in_post(as_of)]


# --------------------------------------------------------------------------------------------------------------
# Making people
# --------------------------------------------------------------------------------------------------------------


def pick_fte(rng: random.Random, part_time_share: float) -> Decimal:
    return rng.choice(PART_TIME_FTES) if rng.random() < part_time_share else Decimal("1")


def pick_scp(rng: random.Random, role: str) -> int:
    _, low, high = GRADES[role]
    return rng.randint(low, high)


def sample_qualified(rng: random.Random, latest: date, earliest: date = date(1990, 1, 1)) -> date:
    """A qualification date, weighted towards recent years."""
    if latest <= earliest:
        return latest
    span = (latest - earliest).days
    return earliest + timedelta(days=int(span * rng.triangular(0.0, 1.0, 0.85)))


def role_for_experience(rng: random.Random, months: int, agency: bool) -> str:
    if agency:
        return ROLE_SP if months >= 48 and rng.random() < 0.35 else ROLE_SW
    if months < 36:
        return ROLE_SW
    if months < 96:
        return ROLE_SP if rng.random() < 0.45 else ROLE_SW
    return rng.choices((ROLE_SW, ROLE_SP, ROLE_AP), weights=(30, 50, 20))[0]


def new_person(
    state: Workforce, *, start: date, qualified: date, contract: str, role: str, team: str, fte: Decimal
) -> Person:
    rng = state.rng
    female = rng.random() < 0.82
    forename, surname = state.names.issue(female)
    person = Person(
        employee_id="",
        forename=forename,
        surname=surname,
        female=female,
        swe_number=state.swe.issue(qualified),
        date_qualified=qualified,
        start_date=start,
        contract=contract,
        fte=fte,
        role=role,
        team=team,
    )
    if person.swe_number is None:
        state.swe_blank.append(person)
    if contract != AGENCY:
        person.scp = pick_scp(rng, role)
    return person


def make_experienced(state: Workforce, *, start: date, contract: str, team: str, as_of: date) -> Person:
    """A qualified social worker hired with post-qualifying experience (or grown here in earlier years)."""
    rng = state.rng
    grown_here = contract == PERMANENT and start < date(2024, 1, 1) and rng.random() < 0.25
    if grown_here:
        qualified = max(date(1990, 1, 1), start - timedelta(days=rng.randint(30, 200)))
    else:
        qualified = sample_qualified(rng, start - timedelta(days=60))
    role = role_for_experience(rng, months_between(qualified, as_of), contract == AGENCY)
    part_time = 0.05 if contract == AGENCY else 0.19
    person = new_person(
        state,
        start=start,
        qualified=qualified,
        contract=contract,
        role=role,
        team=team,
        fte=pick_fte(rng, part_time),
    )
    if grown_here:
        person.prior_pqe = 0 if rng.random() < 0.5 else None
        if qualified >= date(2013, 9, 1):  # did the ASYE here once it existed
            plan_asye(rng, person, start, [PASSED])
    elif contract == AGENCY and rng.random() < 0.5:
        person.prior_pqe = None
    else:
        person.prior_pqe = min(240, max(0, months_between(qualified, start) - rng.randint(0, 6)))
        if contract != AGENCY and qualified >= date(2012, 9, 1) and rng.random() < 0.35:
            person.asye_exempt = True
    return person


def make_team_manager(state: Workforce, *, start: date, team: str) -> Person:
    rng = state.rng
    qualified = sample_qualified(rng, min(start - timedelta(days=60), date(2018, 7, 31)), date(1990, 1, 1))
    person = new_person(
        state,
        start=start,
        qualified=qualified,
        contract=PERMANENT,
        role=ROLE_TM,
        team=team,
        fte=pick_fte(rng, 0.08),
    )
    person.prior_pqe = min(240, max(0, months_between(qualified, start) - rng.randint(0, 6)))
    return person


def make_nqsw(state: Workforce, *, start: date, qualified: date, team: str, contract: str = PERMANENT) -> Person:
    """A newly qualified social worker starting the ASYE on their first day."""
    rng = state.rng
    person = new_person(
        state,
        start=start,
        qualified=qualified,
        contract=contract,
        role=ROLE_ASYE,
        team=team,
        fte=pick_fte(rng, 0.05),
    )
    person.scp = rng.choice((24, 24, 24, 25))
    person.prior_pqe = 0 if rng.random() < 0.5 else None
    plan_asye(rng, person, start, [PASSED])
    return person


def plan_asye(rng: random.Random, person: Person, start: date, outcomes: Sequence[str]) -> None:
    """Review dates at about 3, 6, (9) and 12 months; each outcome after the first follows an extension."""
    person.asye_start = start
    person.reviews = {
        "3m": add_months(start, 3) + timedelta(days=rng.randint(0, 14)),
        "6m": add_months(start, 6) + timedelta(days=rng.randint(0, 14)),
    }
    if rng.random() < 0.5:
        person.reviews["9m"] = add_months(start, 9) + timedelta(days=rng.randint(0, 14))
    when = add_months(start, 12) + timedelta(days=rng.randint(0, 28))
    person.stages = []
    for outcome in outcomes:
        person.stages.append((when, outcome))
        when = add_months(when, rng.choice((3, 4, 6))) + timedelta(days=rng.randint(0, 10))


def pause_asye(person: Person, absence: Absence) -> None:
    """A long absence during the ASYE pushes back every review still to come."""
    shift = timedelta(days=(absence.end - absence.start).days + 1)
    person.reviews = {k: (d + shift if d > absence.start else d) for k, d in person.reviews.items()}
    person.stages = [(d + shift if d > absence.start else d, outcome) for d, outcome in person.stages]


def make_absence(rng: random.Random, person: Person, start: date, kind: str | None = None) -> Absence:
    if kind is None:
        weights = (35, 0, 6, 40, 19) if person.female else (0, 30, 6, 45, 19)
        kind = rng.choices((MATERNITY, PATERNITY, ADOPTION, SICKNESS, BEREAVEMENT), weights=weights)[0]
    low, high = ABSENCE_DAYS[kind]
    return Absence(start, start + timedelta(days=rng.randint(low, high)), kind)


def start_absence(person: Person, absence: Absence) -> None:
    person.absence = absence
    if person.role == ROLE_ASYE and person.asye_start is not None:
        pause_asye(person, absence)


def update_caseload(rng: random.Random, person: Person, as_of: date) -> None:
    if person.role == ROLE_TM:
        person.caseload = 0  # holds no cases (the census wants 0, not blank)
        return
    if person.absent_on(as_of):
        person.caseload = 0  # cases reallocated while away
        return
    if person.role == ROLE_ASYE:
        months = -1 if person.asye_start is None else months_between(person.asye_start, as_of)
        low, high = (
            (0, 2)
            if months < 0
            else (0, 3)
            if months < 1
            else (2, 6)
            if months < 3
            else ((5, 10) if months < 6 else (8, 16))
        )
    else:
        low, high = CASELOADS[person.role]
    if person.caseload is None or not low <= person.caseload <= high:
        person.caseload = rng.randint(low, high)
    else:
        person.caseload = min(high, max(low, person.caseload + rng.randint(-2, 2)))


# --------------------------------------------------------------------------------------------------------------
# The workforce on 31/10/2025
# --------------------------------------------------------------------------------------------------------------


def team_with_most_room(state: Workforce, as_of: date, teams: Sequence[str] = TEAMS) -> str:
    counts = Counter(p.team for p in state.people if p.in_post(as_of))
    room = {team: TEAM_SIZES[team] - counts[team] for team in teams}
    best = max(room.values())
    return state.rng.choice([team for team in teams if room[team] == best])


def past_start(rng: random.Random, as_of: date, mean_years: float, max_years: float) -> date:
    years = min(rng.expovariate(1 / mean_years), max_years)
    day = as_of - timedelta(days=int(years * 365.25))
    return random_weekday(rng, day - timedelta(days=6), day)


def build_initial_workforce(state: Workforce) -> None:
    rng, as_of = state.rng, INITIAL_AS_OF
    for team in TEAMS:
        state.people.append(make_team_manager(state, start=past_start(rng, as_of, 6.0, 24.0), team=team))
    add_earlier_cohorts(state)
    for _ in range(45):
        start = past_start(rng, as_of, 0.9, 3.0)
        state.people.append(
            make_experienced(state, start=start, contract=AGENCY, team=team_with_most_room(state, as_of), as_of=as_of)
        )
    while len(state.people) < 302:
        contract = FIXED_TERM if sum(p.contract == FIXED_TERM for p in state.people) < 24 else PERMANENT
        start = past_start(rng, as_of, 1.6 if contract == FIXED_TERM else 5.0, 27.0)
        state.people.append(
            make_experienced(state, start=start, contract=contract, team=team_with_most_room(state, as_of), as_of=as_of)
        )
    for person in sorted(state.people, key=lambda p: (p.start_date, p.surname, p.forename)):
        person.employee_id = state.ids.issue()
    add_initial_absences(state)
    for person in state.people:
        update_caseload(rng, person, as_of)


def add_earlier_cohorts(state: Workforce) -> None:
    """The September 2024 and September 2025 ASYE intakes, and one spring 2024 starter."""
    rng, as_of = state.rng, INITIAL_AS_OF
    # September 2024: most passed in autumn 2025 and are social workers now; two were extended.
    for n in range(14):
        start = random_weekday(rng, date(2024, 9, 2), date(2024, 9, 13))
        qualified = random_date(rng, date(2024, 6, 14), date(2024, 7, 31))
        outcomes = [EXTENDED, PASSED] if n == 0 else [EXTENDED, FAILED] if n == 1 else [PASSED]
        person = make_nqsw(state, start=start, qualified=qualified, team=team_with_most_room(state, as_of, ASYE_TEAMS))
        plan_asye(rng, person, start, outcomes)
        if n == 0:
            person.stages[1] = (date(2026, 2, 17), PASSED)
            person.protected = True
        elif n == 1:
            person.stages[1] = (date(2026, 3, 10), FAILED)
            person.planned_leaving = (date(2026, 4, 17), "Dismissal")
            person.protected = True
        else:
            person.role, person.scp = ROLE_SW, rng.choice((29, 30))
        state.people.append(person)
    # September 2025: in their ASYE now. One goes on maternity leave and one is off sick during it.
    for n in range(22):
        start = random_weekday(rng, date(2025, 9, 1), date(2025, 9, 12))
        qualified = random_date(rng, date(2025, 6, 13), date(2025, 7, 31))
        person = make_nqsw(state, start=start, qualified=qualified, team=team_with_most_room(state, as_of, ASYE_TEAMS))
        if n in (2, 3):
            plan_asye(rng, person, start, [EXTENDED, PASSED])
        if n == 0:
            person.female = True
            person.forename = "Zoë" if "Zoë " + person.surname not in state.names.used else "Siobhán"
            start_absence(person, Absence(date(2026, 2, 16), date(2026, 12, 11), MATERNITY))
            person.protected = True
        elif n == 1:
            start_absence(person, Absence(date(2026, 3, 9), date(2026, 6, 26), SICKNESS))
            person.protected = True
        state.people.append(person)
    # A spring 2024 starter whose ASYE start date the messy file gives as the ambiguous text "03/04/2024".
    person = make_nqsw(state, start=date(2024, 4, 3), qualified=date(2024, 3, 15), team="Children in Care")
    person.role, person.scp, person.protected = ROLE_SW, 30, True
    if person.swe_number is None:
        person.swe_number = state.swe.issue(person.date_qualified, allow_blank=False)
    state.people.append(person)


def add_initial_absences(state: Workforce) -> None:
    rng = state.rng
    candidates = [p for p in state.people if p.employed and p.absence is None and p.role != ROLE_ASYE]
    plan = (
        (MATERNITY, True),
        (MATERNITY, True),
        (MATERNITY, True),
        (SICKNESS, None),
        (SICKNESS, None),
        (ADOPTION, None),
    )
    for kind, female in plan:
        pool = [p for p in candidates if p.absence is None and (female is None or p.female)]
        person = rng.choice(pool)
        start = random_weekday(rng, max(person.start_date, date(2025, 3, 1)), date(2025, 10, 24))
        start_absence(person, make_absence(rng, person, start, kind))
        if person.absence is not None and kind == SICKNESS:
            person.absence.end = max(person.absence.end, date(2025, 12, 5))


# --------------------------------------------------------------------------------------------------------------
# One month of the simulation
# --------------------------------------------------------------------------------------------------------------

LEAVING_REASONS_EMPLOYED = (
    ("Resignation", 40),
    ("Moved to another local authority", 27),
    ("Moved to agency work", 12),
    ("Retirement", 6),
    ("Dismissal", 3),
    ("Career break", 4),
    ("Relocation", 8),
)


def leaving_reason(rng: random.Random, person: Person) -> str:
    if person.contract == AGENCY:
        return "End of assignment"
    if person.contract == FIXED_TERM and rng.random() < 0.7:
        return "End of fixed term"
    if person.date_qualified.year < 2000 and rng.random() < 0.4:
        return "Retirement"
    reasons, weights = zip(*LEAVING_REASONS_EMPLOYED, strict=True)
    return str(rng.choices(reasons, weights=weights)[0])


def leave_probability(person: Person, as_of: date) -> float:
    if person.contract == AGENCY:
        return 0.03
    if person.role == ROLE_ASYE:
        return 0.004
    if person.role == ROLE_TM:
        return 0.006
    base = 0.011 if months_between(person.start_date, as_of) < 60 else 0.006
    return base + (0.01 if person.contract == FIXED_TERM else 0.0)


def set_leaving(person: Person, day: date, reason: str) -> None:
    person.leaving_date, person.leaving_reason = day, reason
    if person.absence is not None and person.absence.end > day:
        person.absence.end = max(person.absence.start, day)


def choose_leavers(state: Workforce, as_of: date) -> None:
    rng, month_start = state.rng, as_of.replace(day=1)
    for person in list(state.people):
        planned = person.planned_leaving
        if planned is not None and month_start <= planned[0] <= as_of:
            set_leaving(person, *planned)
            state.tally["leavers (dated)"] += 1
            continue
        if person.leaving_date or person.protected or person.start_date >= month_start or planned:
            continue
        if rng.random() >= leave_probability(person, as_of):
            continue
        vanish_chance = 0.6 if person.contract == AGENCY else 0.0 if person.role == ROLE_TM else 0.08
        if rng.random() < vanish_chance:  # drops out of the extract with no leaving date
            state.people.remove(person)
            state.vanished.append((as_of, person))
            state.tally["leavers (vanished)"] += 1
            continue
        if rng.random() < 0.7:
            day = random_weekday(rng, max(month_start, person.start_date + timedelta(days=1)), as_of)
        else:
            day = random_weekday(rng, as_of + timedelta(days=1), as_of + timedelta(days=21))
        set_leaving(person, day, leaving_reason(rng, person))
        state.tally["leavers (dated)"] += 1


def promote(state: Workforce, person: Person, role: str, reason: str) -> None:
    person.role = role
    if person.employed:
        _, low, _ = GRADES[role]
        person.scp = low if person.scp is None else max(low, person.scp + 1 if role == ROLE_SW else low)
    state.tally[reason] += 1


def promote_passed_asye(state: Workforce, as_of: date) -> None:
    previous = as_of.replace(day=1) - timedelta(days=1)
    for person in state.people:
        if person.role == ROLE_ASYE and person.asye_status(previous) == PASSED and person.leaving_date is None:
            promote(state, person, ROLE_SW, "promotions after ASYE")
            person.scp = 29 if (person.scp or 24) <= 26 else 30


def april_increments(state: Workforce, as_of: date) -> None:
    if not as_of.replace(day=1) <= APRIL_INCREMENT <= as_of:
        return
    for person in state.people:
        if person.contract != PERMANENT or person.scp is None or person.start_date > INCREMENT_SERVICE_FROM:
            continue
        if person.scp < GRADES[person.role][2]:
            person.scp += 1
            state.tally["SCP increments"] += 1


def appoint_team_managers(state: Workforce, as_of: date) -> None:
    rng = state.rng
    for team in TEAMS:
        if any(p.role == ROLE_TM and p.team == team and p.in_post(as_of) for p in state.people):
            continue
        pool = [
            p
            for p in state.people
            if p.team == team
            and p.role in (ROLE_SP, ROLE_AP)
            and p.contract == PERMANENT
            and p.leaving_date is None
            and not p.absent_on(as_of)
        ]
        if pool and rng.random() < 0.6:
            promote(state, rng.choice(pool), ROLE_TM, "promotions to team manager")
        else:
            start = random_weekday(rng, as_of.replace(day=1), as_of)
            manager = make_team_manager(state, start=start, team=team)
            hire(state, manager, as_of)


def hire(state: Workforce, person: Person, as_of: date) -> None:
    person.employee_id = state.ids.issue()
    update_caseload(state.rng, person, as_of)
    state.people.append(person)
    state.tally["joiners"] += 1


def pick_contract(state: Workforce, as_of: date) -> str:
    rng = state.rng
    staff = state.in_post(as_of)
    agency = sum(p.contract == AGENCY for p in staff) / len(staff)
    fixed = sum(p.contract == FIXED_TERM for p in staff) / len(staff)
    roll = rng.random()
    if agency < AGENCY_SHARE and roll < 0.6:
        return AGENCY
    if fixed < FIXED_TERM_SHARE and roll < 0.8:
        return FIXED_TERM
    return rng.choices((PERMANENT, AGENCY, FIXED_TERM), weights=(75, 15, 10))[0]


def hire_to_target(state: Workforce, as_of: date) -> None:
    rng = state.rng
    target = HEADCOUNT_TARGETS.get((as_of.year, as_of.month), HEADCOUNT_TARGET) + rng.randint(-3, 3)
    for _ in range(target - len(state.in_post(as_of))):
        contract = pick_contract(state, as_of)
        start = random_weekday(rng, as_of.replace(day=1), as_of)
        team = team_with_most_room(state, as_of)
        hire(state, make_experienced(state, start=start, contract=contract, team=team, as_of=as_of), as_of)


def intakes(state: Workforce, as_of: date) -> None:
    """The January and September ASYE intakes, and two October starters waiting to be registered."""
    rng, month = state.rng, (as_of.year, as_of.month)
    if month == (2026, 1):
        for _ in range(JANUARY_2026_INTAKE):
            start = random_weekday(rng, date(2026, 1, 5), date(2026, 1, 16))
            qualified = random_date(rng, date(2025, 7, 1), date(2025, 11, 28))
            team = team_with_most_room(state, as_of, ASYE_TEAMS)
            hire(state, make_nqsw(state, start=start, qualified=qualified, team=team), as_of)
    elif month == (2026, 9):
        for n in range(SEPTEMBER_2026_INTAKE):
            start = random_weekday(rng, date(2026, 9, 1), date(2026, 9, 15))
            qualified = random_date(rng, date(2026, 6, 12), date(2026, 7, 31))
            team = team_with_most_room(state, as_of, ASYE_TEAMS)
            contract = FIXED_TERM if n in (4, 17) else PERMANENT
            hire(state, make_nqsw(state, start=start, qualified=qualified, team=team, contract=contract), as_of)
    elif month == (2026, 10):
        for _ in range(2):  # SWE registration pending, so the ASYE has not started yet
            start = random_weekday(rng, date(2026, 10, 12), date(2026, 10, 16))
            qualified = random_date(rng, date(2026, 7, 1), date(2026, 7, 31))
            team = team_with_most_room(state, as_of, ASYE_TEAMS)
            person = make_nqsw(state, start=start, qualified=qualified, team=team)
            person.swe_number = state.swe.issue(qualified, allow_blank=False)
            person.swe_from = date(2026, 11, 5)
            plan_asye(rng, person, date(2026, 11, 9), [PASSED])
            person.protected = True
            hire(state, person, as_of)


def eligible(person: Person, as_of: date) -> bool:
    return person.leaving_date is None and not person.absent_on(as_of) and not person.protected


def planned_changes(state: Workforce, as_of: date) -> None:
    rng, month = state.rng, (as_of.year, as_of.month)
    for role in PROMOTION_PLAN.get(month, ()):
        below = ROLE_SW if role == ROLE_SP else ROLE_SP
        pool = [
            p
            for p in state.people
            if p.role == below
            and p.contract == PERMANENT
            and eligible(p, as_of)
            and months_between(p.date_qualified, as_of) >= 36
        ]
        promote(state, rng.choice(pool), role, "promotions (SW to SP, SP to AP)")
    if month in AGENCY_CONVERSION_MONTHS:
        pool = [
            p
            for p in state.people
            if p.contract == AGENCY and eligible(p, as_of) and p.start_date <= as_of - timedelta(days=120)
        ]
        person = rng.choice(pool)
        person.contract = PERMANENT
        person.scp = GRADES[person.role][1] + 1
        if person.prior_pqe is None:
            person.prior_pqe = min(240, months_between(person.date_qualified, person.start_date))
        state.tally["agency to permanent"] += 1


def random_changes(state: Workforce, as_of: date) -> None:
    rng = state.rng
    if rng.random() < 0.6:
        pool = [p for p in state.people if p.employed and p.role in (ROLE_SW, ROLE_SP, ROLE_AP) and eligible(p, as_of)]
        person = rng.choice(pool)
        person.team = rng.choice([t for t in TEAMS if t != person.team])
        state.tally["team moves"] += 1
    if rng.random() < 0.5:
        pool = [p for p in state.people if p.employed and p.role != ROLE_ASYE and eligible(p, as_of)]
        person = rng.choice(pool)
        person.fte = rng.choice(PART_TIME_FTES) if person.fte == 1 else Decimal("1")
        state.tally["FTE changes"] += 1


def absences(state: Workforce, as_of: date) -> None:
    rng, month_start = state.rng, as_of.replace(day=1)
    for person in state.people:
        absence = person.absence
        back = absence is not None and month_start <= absence.end <= as_of and person.leaving_date is None
        parental = absence is not None and absence.kind in (MATERNITY, ADOPTION)
        if back and parental and person.fte == 1 and rng.random() < 0.5:  # returns from parental leave part-time
            person.fte = rng.choice((Decimal("0.6"), Decimal("0.8")))
            state.tally["FTE changes"] += 1
    for person in state.people:
        if person.absence or not person.employed or person.leaving_date or person.start_date >= month_start:
            continue
        if rng.random() < 0.0045:
            start = random_weekday(rng, month_start, as_of)
            start_absence(person, make_absence(rng, person, start))
            state.tally["absences started"] += 1


def line_managers(state: Workforce, as_of: date) -> dict[str, str]:
    return {p.team: p.name for p in state.people if p.role == ROLE_TM and p.in_post(as_of)}


def snapshot(state: Workforce, as_of: date) -> list[Row]:
    managers = line_managers(state, as_of)
    rows = []
    for person in sorted(state.people, key=lambda p: p.employee_id):
        manager = managers[person.team]
        if manager == person.name or person.role == ROLE_TM:
            manager = HEADS_OF_SERVICE[person.team]
        rows.append(person.row(as_of, manager))
    return rows


def step(state: Workforce, as_of: date) -> list[Row]:
    """Advance the workforce to the month ending `as_of` and return that month's extract."""
    state.people = [p for p in state.people if p.leaving_date is None]  # last month's leavers are gone
    april_increments(state, as_of)
    promote_passed_asye(state, as_of)
    choose_leavers(state, as_of)
    appoint_team_managers(state, as_of)
    planned_changes(state, as_of)
    random_changes(state, as_of)
    absences(state, as_of)
    intakes(state, as_of)
    hire_to_target(state, as_of)
    for person in state.people:
        if person.start_date < as_of.replace(day=1):
            update_caseload(state.rng, person, as_of)
    return snapshot(state, as_of)


def simulate(seed: int) -> tuple[list[tuple[date, list[Row]]], Counter[str]]:
    """The twelve monthly snapshots and the messy file's month, in order."""
    state = Workforce.new(seed)
    build_initial_workforce(state)
    months = [(as_of, step(state, as_of)) for as_of in (*AS_OF_DATES, MESSY_AS_OF)]
    complete_for_the_census(state, months, seed)
    return months, state.tally


def complete_for_the_census(state: Workforce, months: list[tuple[date, list[Row]]], seed: int) -> None:
    """What the 2026 census needs, in the clean extracts up to its reference date, with random generators of their own
    (so the rest of the data is exactly as simulated): the SWE numbers the hand-kept sheet lacks, and the leavers who
    would otherwise drop off the extract without a leaving date, shown in their last month with the date and reason.
    From October 2026 some leavers drop off again, and the messy November sheet keeps its blank SWE numbers."""
    late = SweIssuer(random.Random(f"{seed}-swe"), blank_share=0)
    late.used = state.swe.used
    numbers = {
        p.employee_id: late.issue(p.date_qualified, allow_blank=False)
        for p in sorted(state.swe_blank, key=lambda p: p.employee_id)
        if p.swe_number is None and p.employee_id
    }
    dated = {as_of: [p for when, p in state.vanished if when == as_of] for as_of in AS_OF_DATES}
    for as_of, rows in months:
        if as_of == MESSY_AS_OF:
            continue
        for row in rows:
            if row["swe_number"] is None and row["employee_id"] in numbers:
                row["swe_number"] = numbers[str(row["employee_id"])]
        if as_of > CENSUS_REFERENCE_DATE or not dated[as_of]:
            continue
        managers = {r["team"]: r["line_manager"] for r in rows if r["role"] != ROLE_TM}
        for person in dated[as_of]:
            rng = random.Random(f"{seed}-leaving-{person.employee_id}")
            day = random_weekday(rng, max(as_of.replace(day=1), person.start_date + timedelta(days=1)), as_of)
            set_leaving(person, day, leaving_reason(rng, person))
            row = person.row(as_of, str(managers.get(person.team) or HEADS_OF_SERVICE[person.team]))
            if row["swe_number"] is None:
                row["swe_number"] = numbers.get(person.employee_id)
            rows.append(row)
            state.tally["leavers (vanished)"] -= 1
            state.tally["leavers (dated)"] += 1
        rows.sort(key=lambda r: str(r["employee_id"]))


# --------------------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------------------


def new_workbook(path: Path, constant_memory: bool = False) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    if constant_memory:
        options["constant_memory"] = True
    else:
        options["in_memory"] = True  # zip entries get fixed timestamps: byte-stable output
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties(
        {
            "title": TITLE,
            "author": "ecf-tracker sample data generator",
            "company": COUNCIL,
            "created": CREATED,
        }
    )
    return workbook


def write_value(sheet: Any, row: int, col: int, value: Value | float, date_format: Any) -> None:
    """Typed cells: text as text (never a formula), numbers as numbers, dates as real date cells."""
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(row, col, value)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, date_format)
    else:
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)


def notes_lines(as_of: date) -> list[str]:
    return [
        f"{COUNCIL} - Children's Social Care",
        f"Workforce extract for the early career framework return, as at {as_of:%d/%m/%Y}.",
        "The Staff sheet has one row per social worker in post, plus anyone who left or gave notice this month.",
        "Agency workers are included; their grade and spinal column point are blank.",
        "Dates are dd/mm/yyyy. FTE is a fraction of a 37-hour week. Reviews show once they have taken place.",
        "Synthetic data made by sample_data/generate.py: these are not real people.",
    ]


def write_staff_sheet(workbook: Any, name: str, as_of: date, rows: Iterable[Row], census: bool = False) -> int:
    """Two title lines, a blank row, the header on row 4, then the rows. Returns the number of rows. With `census`,
    the census items follow the usual columns."""
    sheet = workbook.add_worksheet(name)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_string(0, 0, TITLE, bold)
    sheet.write_string(1, 0, f"Run date: {as_of:%d/%m/%Y}")
    headers = [column.header for column in COLUMNS] + (list(CENSUS_HEADERS) if census else [])
    for col, header in enumerate(headers):
        sheet.write_string(3, col, header, bold)
        sheet.set_column(col, col, 20 if col >= len(COLUMNS) or COLUMNS[col].kind == "text" else 13)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, column in enumerate(COLUMNS):
            write_value(sheet, 3 + count, col, row[column.key], date_format)
        if census:
            for col, value in enumerate(census_values(row, as_of), start=len(COLUMNS)):
                write_value(sheet, 3 + count, col, value, date_format)
    return count


# --------------------------------------------------------------------------------------------------------------
# Census items (issue 17): drawn from a generator of their own per worker, so the rest of the data is unchanged
# --------------------------------------------------------------------------------------------------------------

CENSUS_HEADERS = (
    "Date of Birth", "Gender", "Ethnicity", "Qualifying Institution", "Qualification Level", "Step Up Graduate",
    "Frontline Graduate", "Start Origin", "Leaver Destination",
)  # fmt: skip
# Spellings as HR systems write them (the importer reads them all); weights roughly as the national workforce.
ETHNICITIES = (
    ("White British", 58), ("White - Irish", 1), ("Any other White background", 6),
    ("Mixed: White and Black Caribbean", 2),
    ("White and Black African", 1), ("White and Asian", 1), ("Any other mixed background", 1),
    ("Asian or Asian British - Indian", 3), ("Pakistani", 3), ("Bangladeshi", 1), ("Any other Asian background", 1),
    ("Black Caribbean", 4), ("Black or Black British: African", 10), ("Any other Black background", 1),
    ("Chinese", 1), ("Any other ethnic group", 2), ("Prefer not to say", 3), ("Not known", 1),
)  # fmt: skip
INSTITUTIONS = (
    "University of Northmoor", "Northmoor Metropolitan University", "University of Leeds", "University of Manchester",
    "Sheffield Hallam University", "University of York", "Open University", "University of Birmingham",
    "Lancaster University", "University of Salford",
)  # fmt: skip
START_ORIGINS = (
    ("Another local authority", 45), ("Agency", 20), ("Social worker role outside England", 5),
    ("Other social work role, non-local authority (England)", 10), ("Other social care role (England)", 10),
    ("Other", 5), ("Not known", 5),
)  # fmt: skip
AGENCY_START_ORIGINS = (
    ("Agency", 60), ("Another local authority", 20), ("Social worker role outside England", 8),
    ("Other social work role, non-local authority (England)", 6), ("Not known", 6),
)  # fmt: skip
DESTINATIONS = {
    "Moved to another local authority": "Another local authority",
    "Moved to agency work": "Agency",
    "Career break": "Non-social care role, outside England, no employment or career break",
    "Retirement": "Non-social care role, outside England, no employment or career break",
}
LEAVER_DESTINATIONS = (  # where the other leavers went
    ("Another local authority", 30), ("Agency", 15), ("Other social work role, non-local authority (England)", 12),
    ("Other social care role (England)", 10),
    ("Non-social care role, outside England, no employment or career break", 13), ("Other", 8), ("Not known", 12),
)  # fmt: skip
CENSUS_LAG_DAYS = 45  # HR collects the census items at induction: a starter's show from the second month


def census_values(row: Row, as_of: date) -> list[Value]:
    """The census items of one row, the same every month for the same worker (blank while HR collects them)."""
    started, qualified = row["start_date"], row["date_qualified"]
    assert isinstance(started, date) and isinstance(qualified, date)
    if (as_of - started).days < CENSUS_LAG_DAYS:
        return [None] * len(CENSUS_HEADERS)
    rng = random.Random(f"census-{row['employee_id']}")
    if row["contract_type"] == AGENCY:  # the agency's worker: only where they came from, from the agency
        return [None] * (len(CENSUS_HEADERS) - 2) + [pick(rng, AGENCY_START_ORIGINS), None]
    female = row["forename"] in FEMALE_FORENAMES
    born = qualified - timedelta(days=365 * rng.choice((21, 22, 22, 23, 24, 26, 29, 33, 38, 44)) + rng.randint(0, 364))
    gender = ("Female" if female else "Male") if rng.random() > 0.01 else "Prefer not to say"
    ethnicity = pick(rng, ETHNICITIES)
    level = rng.choices(("Undergraduate", "Postgraduate", "Other"), weights=(55, 40, 5))[0]
    step_up = "Yes" if qualified.year >= 2010 and level == "Postgraduate" and rng.random() < 0.08 else "No"
    frontline = "Yes" if qualified.year >= 2015 and level == "Postgraduate" and rng.random() < 0.2 else "No"
    origin = "Newly qualified" if (started - qualified).days < 366 else pick(rng, START_ORIGINS)
    destination = None
    if isinstance(row["leaving_date"], date):  # known once they give notice
        destination = DESTINATIONS.get(str(row["leaving_reason"] or "")) or pick(rng, LEAVER_DESTINATIONS)
    return [born, gender, ethnicity, rng.choice(INSTITUTIONS), level, step_up, frontline, origin, destination]


def pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return str(rng.choices(values, weights=weights)[0])


def write_monthly(path: Path, as_of: date, rows: list[Row]) -> None:
    workbook = new_workbook(path)
    notes = workbook.add_worksheet("Notes")
    notes.set_column(0, 0, 100)
    for line_no, line in enumerate(notes_lines(as_of)):
        notes.write_string(line_no, 0, line)
    write_staff_sheet(workbook, "Staff", as_of, rows, census=True)
    workbook.close()


def hours_text(fte: Decimal) -> str:
    hours = (fte * HOURS_PER_WEEK).quantize(Decimal("0.01"))
    return format(hours.normalize(), "f")


def resourcelink_value(column: Column, value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if column.key == "fte":
        assert isinstance(value, Decimal)
        return hours_text(value)
    if column.key == "contract_type":
        return RL_CONTRACT_CODES[str(value)]
    if column.key == "asye_status":
        return RL_ASYE_CODES[str(value)]
    return str(value)


def write_resourcelink_csv(path: Path, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(rows, key=lambda r: (str(r["surname"]), str(r["forename"]), str(r["employee_id"])))
    with path.open("w", encoding="cp1252", errors="strict", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([c.rl_header for c in COLUMNS])
        for row in ordered:
            writer.writerow([resourcelink_value(c, row[c.key]) for c in COLUMNS])


def resourcelink_profile() -> str:
    lines = [
        'name = "resourcelink"',
        'description = "ResourceLink payroll export used by Northmoor\'s shared service centre"',
        f"hours_per_week = {HOURS_PER_WEEK}",
        "",
        "[columns]",
        *(f'"{c.rl_header}" = "{RL_FIELD_NAMES.get(c.key, c.key)}"' for c in COLUMNS),
        "",
        "[values.contract_type]",
        *(f'{code} = "{CODE_FIELD_VALUES[value]}"' for value, code in RL_CONTRACT_CODES.items()),
        "",
        "[values.asye_status]",
        *(f'{code} = "{CODE_FIELD_VALUES[value]}"' for value, code in RL_ASYE_CODES.items()),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------------------
# The messy November file
# --------------------------------------------------------------------------------------------------------------

# Excel row numbers (header = row 1) of the planted faults; the module docstring and README list them.
MESSY_ROWS: dict[str, int] = {
    "duplicate_id_original": 4,
    "duplicate_id": 5,
    "leaving_before_start": 9,
    "fte_over_one": 14,
    "qualified_in_future": 20,
    "unknown_contract": 26,
    "swe_leading_zero": 31,
    "swe_no_prefix": 33,
    "blank_employee_id": 40,
    "impossible_start_date": 47,
    "formula_surname": 52,
    "ambiguous_asye_start": 58,
}
MESSY_BLANK_ROWS = (102, 203)
FORMULA_SURNAME = '=HYPERLINK("http://example.invalid","x")'
CONTRACT_SPELLINGS: dict[str, tuple[str, ...]] = {
    PERMANENT: ("Permanent", "Permanent", "perm", "PERMANENT", "permanent"),
    FIXED_TERM: ("FIXED TERM", "Fixed Term", "fixed term", "Fixed term"),
    AGENCY: ("Agency", "Agency", "locum", "AGENCY", "Locum"),
}


def messy_date(rng: random.Random, day: date) -> Cell:
    form = rng.choices(("cell", "serial", "dmy", "dmy_short", "d_mon_y", "iso"), weights=(40, 15, 15, 10, 10, 10))
    match form[0]:
        case "cell":
            return day
        case "serial":
            return (day - EXCEL_EPOCH).days
        case "dmy":
            return f"{day:%d/%m/%Y}"
        case "dmy_short":
            return f"{day.day}/{day.month}/{day:%y}"
        case "d_mon_y":
            return f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"
        case _:
            return day.isoformat()


def messy_fte(rng: random.Random, fte: Decimal) -> Cell:
    match rng.choice(("text", "number", "percent", "hours")):
        case "text":
            return format(fte.normalize(), "f")
        case "number":
            return 1 if fte == 1 else float(fte)
        case "percent":
            return format((fte * 100).normalize(), "f") + "%"
        case _:
            return f"{hours_text(fte)} hours"


def stray_spaces(rng: random.Random, text: str) -> str:
    if rng.random() < 0.1:
        return rng.choice((" {}", "{} ", "  {}  ", "{}  ")).format(text)
    return text


def messy_cells(rng: random.Random, row: Row, plain_dates: bool) -> list[Cell]:
    cells: list[Cell] = []
    for column in COLUMNS:
        value = row[column.key]
        cell: Cell
        if value is None:
            cell = None
        elif isinstance(value, date):
            cell = value if plain_dates else messy_date(rng, value)
        elif column.kind == "fte":
            assert isinstance(value, Decimal)
            cell = messy_fte(rng, value)
        elif column.kind == "contract":
            cell = stray_spaces(rng, rng.choice(CONTRACT_SPELLINGS[str(value)]))
        elif isinstance(value, str):
            cell = value if column.key in ("employee_id", "swe_number") else stray_spaces(rng, value)
        else:
            assert isinstance(value, int)
            cell = value
        cells.append(cell)
    return cells


def plant_faults(rng: random.Random, rows: list[Row]) -> dict[int, list[Cell]]:
    """Take one suitable row out of `rows` for each fault and return the faulty cells by Excel row number."""
    index = {c.key: i for i, c in enumerate(COLUMNS)}

    def take(test: Any) -> Row:
        pool = [r for r in rows if test(r)]
        row = rng.choice(pool)
        rows.remove(row)
        return row

    def settled(row: Row) -> bool:
        return row["leaving_date"] is None and row["asye_start_date"] is None and row["contract_type"] != AGENCY

    placed: dict[int, list[Cell]] = {}
    ambiguous = take(lambda r: r["asye_start_date"] == date(2024, 4, 3))
    placed[MESSY_ROWS["ambiguous_asye_start"]] = cells = messy_cells(rng, ambiguous, plain_dates=True)
    cells[index["asye_start_date"]] = "03/04/2024"
    original = take(settled)
    placed[MESSY_ROWS["duplicate_id_original"]] = messy_cells(rng, original, plain_dates=True)
    placed[MESSY_ROWS["duplicate_id"]] = cells = messy_cells(rng, take(settled), plain_dates=True)
    cells[index["employee_id"]] = str(original["employee_id"])
    late = take(lambda r: settled(r) and isinstance(r["start_date"], date) and r["start_date"].year >= 2015)
    placed[MESSY_ROWS["leaving_before_start"]] = cells = messy_cells(rng, late, plain_dates=True)
    assert isinstance(late["start_date"], date)
    cells[index["leaving_date"]] = late["start_date"] - timedelta(days=45)
    cells[index["leaving_reason"]] = "Resignation"
    faults: tuple[tuple[str, str, Cell], ...] = (
        ("fte_over_one", "fte", 1.2),
        ("qualified_in_future", "date_qualified", date(2027, 7, 15)),
        ("unknown_contract", "contract_type", "Casual"),
        ("swe_leading_zero", "swe_number", "SW0123"),
        ("swe_no_prefix", "swe_number", "12345"),
        ("blank_employee_id", "employee_id", None),
        ("impossible_start_date", "start_date", "31/02/2024"),
        ("formula_surname", "surname", FORMULA_SURNAME),
    )
    for fault, key, bad in faults:
        placed[MESSY_ROWS[fault]] = cells = messy_cells(rng, take(settled), plain_dates=True)
        cells[index[key]] = bad
    return placed


def messy_layout(rng: random.Random, rows: list[Row]) -> list[list[Cell] | None]:
    """Every data row from Excel row 2 on, in order; None is a fully blank row."""
    remaining = sorted(rows, key=lambda r: (str(r["team"]), str(r["surname"]), str(r["forename"])))
    placed = plant_faults(rng, remaining)
    total = len(remaining) + len(placed) + len(MESSY_BLANK_ROWS)
    queue = iter(remaining)
    layout: list[list[Cell] | None] = []
    for excel_row in range(2, total + 2):
        if excel_row in MESSY_BLANK_ROWS:
            layout.append(None)
        elif excel_row in placed:
            layout.append(placed[excel_row])
        else:
            layout.append(messy_cells(rng, next(queue), plain_dates=False))
    return layout


def write_messy(path: Path, rows: list[Row], rng: random.Random) -> int:
    workbook = new_workbook(path)
    sheet = workbook.add_worksheet("Sheet1")
    formats = [workbook.add_format({"num_format": f}) for f in ("dd/mm/yyyy", "d mmm yyyy")]
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.messy_header)
    layout = messy_layout(rng, rows)
    for offset, cells in enumerate(layout):
        for col, cell in enumerate(cells or []):
            if isinstance(cell, date):
                sheet.write_datetime(1 + offset, col, cell, formats[(offset + col) % 2])
            else:
                write_value(sheet, 1 + offset, col, cell, None)
    workbook.close()
    return sum(cells is not None for cells in layout)


# --------------------------------------------------------------------------------------------------------------
# The national-scale benchmark extract
# --------------------------------------------------------------------------------------------------------------


def area_names() -> list[str]:
    return [prefix + suffix for suffix in AREA_SUFFIXES for prefix in AREA_PREFIXES]


def national_member(state: Workforce, team: str, as_of: date) -> Person:
    rng = state.rng
    roll = rng.random()
    if roll < 0.03:
        start = random_weekday(rng, date(2026, 9, 1), date(2026, 9, 15))
        return make_nqsw(
            state, start=start, qualified=random_date(rng, date(2026, 6, 12), date(2026, 7, 31)), team=team
        )
    if roll < 0.06:
        start = random_weekday(rng, date(2025, 9, 1), date(2025, 9, 12))
        person = make_nqsw(
            state, start=start, qualified=random_date(rng, date(2025, 6, 12), date(2025, 7, 31)), team=team
        )
        if person.asye_status(as_of) == PASSED and person.stages[0][0] <= as_of - timedelta(days=31):
            person.role, person.scp = ROLE_SW, 29
        return person
    if roll < 0.08:
        start = random_weekday(rng, date(2026, 1, 5), date(2026, 1, 16))
        return make_nqsw(
            state, start=start, qualified=random_date(rng, date(2025, 7, 1), date(2025, 11, 28)), team=team
        )
    contract = AGENCY if roll < 0.23 else FIXED_TERM if roll < 0.31 else PERMANENT
    start = past_start(rng, as_of, 0.9 if contract == AGENCY else 1.6 if contract == FIXED_TERM else 5.0, 27.0)
    return make_experienced(state, start=start, contract=contract, team=team, as_of=as_of)


def national_people(n: int, seed: int) -> Iterator[Person]:
    """`n` workers, team by team across fictional councils, as at 31/10/2026, with team managers first."""
    as_of = NATIONAL_AS_OF
    state = Workforce.new(seed, unique_names=False, first_id=1, max_gap=max(1, min(20, 1_800_000 // n - 1)))
    rng, areas = state.rng, area_names()
    produced = team_no = 0
    while produced < n:
        area_no, base = divmod(team_no, len(TEAMS))
        area = areas[area_no % len(areas)] + (f" {area_no // len(areas) + 1}" if area_no >= len(areas) else "")
        team = f"{area} - {TEAMS[base]}"
        size = min(n - produced, rng.randint(30, 44))
        for k in range(size):
            if k == 0:
                person = make_team_manager(state, start=past_start(rng, as_of, 6.0, 24.0), team=team)
            else:
                person = national_member(state, team, as_of)
                if rng.random() < 0.025 and person.employed:
                    start = random_weekday(rng, max(person.start_date, date(2025, 11, 3)), date(2026, 10, 23))
                    start_absence(person, make_absence(rng, person, start))
            if rng.random() < 0.012 and person.start_date < date(2026, 10, 1):
                set_leaving(
                    person, random_weekday(rng, date(2026, 10, 1), date(2026, 11, 20)), leaving_reason(rng, person)
                )
            person.employee_id = state.ids.issue()
            update_caseload(rng, person, as_of)
            yield person
        produced += size
        team_no += 1


def national_rows(n: int, seed: int) -> Iterator[Row]:
    manager = ""
    for person in national_people(n, seed):
        if person.role == ROLE_TM:
            manager = person.name
            yield person.row(NATIONAL_AS_OF, "Head of Service")
        else:
            yield person.row(NATIONAL_AS_OF, manager)


def write_national(path: Path, n: int, seed: int) -> int:
    workbook = new_workbook(path, constant_memory=True)
    count = write_staff_sheet(workbook, "Staff", NATIONAL_AS_OF, national_rows(n, seed))
    workbook.close()
    return count


# --------------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------------


def in_post_count(rows: list[Row], as_of: date) -> int:
    return sum(1 for r in rows if not isinstance(r["leaving_date"], date) or r["leaving_date"] > as_of)


def write_all(out: Path, seed: int) -> list[Path]:
    months, tally = simulate(seed)
    written: list[Path] = []
    print(f"{'as of':<12}{'rows':>6}{'in post':>9}{'agency':>8}{'part-time':>11}")
    for as_of, rows in months[:-1]:
        path = out / "monthly" / f"northmoor_hr_{as_of.isoformat()}.xlsx"
        write_monthly(path, as_of, rows)
        written.append(path)
        staff = [r for r in rows if not isinstance(r["leaving_date"], date) or r["leaving_date"] > as_of]
        agency = sum(r["contract_type"] == AGENCY for r in staff) / len(staff)
        part_time = sum(r["fte"] != 1 for r in staff) / len(staff)
        print(f"{as_of:%d/%m/%Y}  {len(rows):>6}{len(staff):>9}{agency:>8.1%}{part_time:>11.1%}")
    october = months[-2][1]
    csv_path = out / "other_system" / "resourcelink_export_2026-10-31.csv"
    write_resourcelink_csv(csv_path, october)
    toml_path = out / "other_system" / "resourcelink.toml"
    toml_path.write_text(resourcelink_profile(), encoding="utf-8", newline="\n")
    messy_path = out / "messy" / "northmoor_hr_2026-11-30_messy.xlsx"
    messy_rows = write_messy(messy_path, months[-1][1], random.Random(seed + 1))
    written += [csv_path, toml_path, messy_path]
    print("events over the simulation (Nov 2025 - Nov 2026): " + ", ".join(f"{k} {v}" for k, v in tally.items()))
    print(f"messy file: {messy_rows} data rows, blank rows {MESSY_BLANK_ROWS}, faults at {MESSY_ROWS}")
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="output directory (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="instead write one national-scale extract with this many rows (benchmarks)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    if args.workers is not None:
        if not 1 <= args.workers <= 900_000:
            parser.error("--workers must be between 1 and 900000")
        path = out / f"hr_extract_national_{NATIONAL_AS_OF.isoformat()}.xlsx"
        began = time.perf_counter()
        count = write_national(path, args.workers, args.seed)
        print(f"wrote {path} ({count} rows) in {time.perf_counter() - began:.1f}s")
        return
    for path in write_all(out, args.seed):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
