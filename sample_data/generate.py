"""Deterministic sample data for ecf-tracker: a fictional council's monthly HR extracts.

    python sample_data/generate.py                            # the committed files, into sample_data/
    python sample_data/generate.py --workers 40000 --out DIR   # one national-scale file for the benchmark

Northmoor County Council (fictional), children's social care, about 300 social workers, simulated month by month from
November 2025 to October 2026: a September ASYE intake and a January one, ASYE reviews and outcomes, April increments,
promotions, joiners, leavers (with a leaving date, or just gone from the sheet), agency and part-time staff, long
absences. Only `random.Random(seed)` is used and no clock is read, so the output is the same on every run.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter
from dateutil.relativedelta import relativedelta

HERE = Path(__file__).resolve().parent
COUNCIL = "Northmoor County Council"
TEAMS = ["Front Door (MASH)", "Assessment North", "Assessment South", "Child in Need East", "Child in Need West",
         "Child Protection", "Children in Care", "Care Leavers"]  # fmt: skip
GRADES = {  # role -> (grade, lowest SCP, highest SCP); the synthesis in shared/domain/pay.md section 2.2
    "ASYE Social Worker": ("NQSW", 24, 28),
    "Social Worker": ("SW", 29, 32),
    "Senior Practitioner": ("SP", 33, 35),
    "Advanced Practitioner": ("AP", 36, 37),
    "Team Manager": ("TM", 38, 43),
}
FORENAMES = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Hannah", "Chloe", "Priya", "Aisha",
             "Fatima", "Zoë", "Siobhán", "Niamh", "Bethan", "Rhiannon", "Joanne", "Claire", "Sarah", "Rachel", "Helen",
             "Oliver", "Jack", "Harry", "George", "Mohammed", "Tom", "Daniel", "James", "Kwame", "Tomasz", "Chidi",
             "Ewan", "Rory", "Declan", "Marcus", "Adebayo", "Liam"]  # fmt: skip
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Ahmed",
            "O'Brien", "Ní Bhriain", "McAllister", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes",
            "Okafor", "Nowak", "Kowalski", "Begum", "Hussain", "Clarke", "Green", "Hall", "Wood", "Harris", "Lewis",
            "Martin", "Jackson", "Wright-Hayes", "Fitzgerald", "Mensah", "Abara", "Sørensen", "Doyle",
            "Kaur"]  # fmt: skip
LEAVING_REASONS = ["Resignation", "Moved to another local authority", "Retirement", "Moved to agency work",
                   "Career change", "Relocation", "Dismissal"]  # fmt: skip
ABSENCES = ["Maternity", "Sickness", "Paternity", "Adoption", "Bereavement"]
HEADERS = ["Employee ID", "Surname", "Forename", "SWE Registration Number", "Date Qualified", "Start Date",
           "Leaving Date", "Leaving Reason", "FTE", "Contract Type", "Grade", "Spinal Column Point", "Team",
           "Line Manager", "Role", "Caseload", "ASYE Start Date", "ASYE Status", "ASYE 3 Month Review",
           "ASYE 6 Month Review", "ASYE 9 Month Review", "ASYE Final Review", "Prior PQE (months)", "Absence Start",
           "Absence End", "Absence Type"]  # fmt: skip
FIRST_MONTH = date(2025, 11, 30)


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


@dataclass
class Person:
    employee_id: str
    surname: str
    forename: str
    swe: str | None
    qualified: date
    start: date
    contract: str
    fte: float
    role: str
    scp: int | None
    team: str
    caseload: int | None
    prior_pqe: int | None = None
    asye_start: date | None = None
    asye_status: str | None = None
    reviews: dict[int, date] = field(default_factory=dict)
    absence: tuple[date, date | None, str] | None = None
    leaving: date | None = None
    leaving_reason: str | None = None
    vanish: bool = False

    @property
    def grade(self) -> str | None:
        return None if self.contract == "Agency" else GRADES[self.role][0]


class Council:
    """The simulated workforce; `step(month_end)` moves it on one month."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next_id = 4100
        self.next_swe = 104000
        self.people: list[Person] = []
        self.managers: dict[str, str] = {}

    def new_id(self) -> str:
        self.next_id += self.rng.randint(1, 7)
        return f"{self.next_id:06d}"

    def new_swe(self) -> str | None:
        self.next_swe += self.rng.randint(1, 20)  # stays within SW + six digits for 40,000 people
        return None if self.rng.random() < 0.03 else f"SW{self.next_swe}"

    def hire(self, start: date, role: str, contract: str, qualified: date, team: str | None = None) -> Person:
        rng = self.rng
        _, low, high = GRADES[role]
        asye = role == "ASYE Social Worker"
        years = max(0, (start - qualified).days // 365)
        person = Person(
            employee_id=self.new_id(), surname=rng.choice(SURNAMES), forename=rng.choice(FORENAMES),
            swe=self.new_swe(), qualified=qualified, start=start, contract=contract,
            fte=1.0 if rng.random() > 0.15 else rng.choice([0.5, 0.6, 0.8, 0.81]), role=role,
            scp=None if contract == "Agency" else min(high, low + min(years, high - low)),
            team=team or rng.choice(TEAMS), caseload=None if role == "Team Manager" else rng.randint(8, 22),
            prior_pqe=None if asye else rng.choice([0, 0, 6, 12, 24, 36, 60, 120, 240]),
            asye_start=start if asye else None, asye_status="In Progress" if asye else None,
        )  # fmt: skip
        if asye:
            person.caseload = rng.randint(0, 6)
        self.people.append(person)
        return person

    def seed(self, as_of: date) -> None:
        rng = self.rng
        for team in TEAMS:
            manager = self.hire(date(2012 + rng.randint(0, 10), rng.randint(1, 12), 1), "Team Manager", "Permanent",
                                date(2000 + rng.randint(0, 8), 7, 1), team)  # fmt: skip
            self.managers[team] = f"{manager.forename} {manager.surname}"
        roles = ["Social Worker"] * 182 + ["Senior Practitioner"] * 45 + ["Advanced Practitioner"] * 15
        for role in roles:
            qualified = date(rng.randint(1992, 2022), rng.choice([6, 7, 12]), 30)
            start = max(qualified + timedelta(days=rng.randint(60, 3000)), date(2005, 1, 1))
            start = min(start, as_of - timedelta(days=30))
            contract = "Agency" if rng.random() < 0.17 else ("Fixed Term" if rng.random() < 0.08 else "Permanent")
            self.hire(start, role, contract, qualified)
        for year, size in ((2024, 24), (2025, 26)):  # earlier September intakes
            for _ in range(size):
                person = self.hire(date(year, 9, rng.randint(1, 15)), "ASYE Social Worker", "Permanent",
                                   date(year, rng.choice([6, 7]), rng.randint(1, 28)))  # fmt: skip
                self.progress_asye(person, as_of)
        self.progress_asye_all(as_of)

    def progress_asye(self, person: Person, as_of: date) -> None:
        if person.asye_start is None or person.asye_status in ("Passed", "Failed"):
            return
        pause = 0
        if person.absence is not None:
            begin, end, _ = person.absence
            pause = ((end or as_of) - begin).days if begin >= person.asye_start else 0
        for months in (3, 6, 9, 12):
            due = person.asye_start + relativedelta(months=months) + timedelta(days=pause)
            if months == 9 and int(person.employee_id) % 2:
                continue  # the 9-month review is optional: about half have one
            if due <= as_of and months not in person.reviews:
                person.reviews[months] = due + timedelta(days=self.rng.randint(0, 10))
        if 12 in person.reviews and person.reviews[12] + timedelta(days=20) <= as_of:
            roll = int(person.employee_id) % 23
            person.asye_status = "Extended" if roll == 0 and pause == 0 else ("Failed" if roll == 1 else "Passed")
            if person.asye_status == "Extended":
                person.reviews.pop(12)
                person.asye_start_extended = True  # type: ignore[attr-defined]

    def progress_asye_all(self, as_of: date) -> None:
        for person in self.people:
            if person.asye_status == "Extended" and person.asye_start and \
                    person.asye_start + relativedelta(months=16) <= as_of:  # fmt: skip
                person.reviews[12] = person.asye_start + relativedelta(months=15)
                person.asye_status = "Passed"
            self.progress_asye(person, as_of)
            if person.asye_status == "Passed" and person.role == "ASYE Social Worker" and \
                    person.reviews[12] + relativedelta(months=1) <= as_of:  # fmt: skip
                person.role, person.scp = "Social Worker", 29
                person.caseload = self.rng.randint(12, 20)

    def step(self, as_of: date) -> None:
        rng = self.rng
        first = as_of.replace(day=1)
        self.people = [p for p in self.people if not (p.leaving and p.leaving <= first - timedelta(days=1))]
        self.people = [p for p in self.people if not p.vanish]
        if as_of.month == 4:
            for person in self.people:
                if person.scp is not None:
                    person.scp = min(person.scp + 1, GRADES[person.role][2])
        if as_of.month == 1 and as_of.year == 2026:
            for _ in range(5):
                self.hire(date(2026, 1, rng.randint(5, 19)), "ASYE Social Worker", "Permanent",
                          date(2025, 12, rng.randint(1, 15)))  # fmt: skip
        if as_of.month == 9:
            for _ in range(25):
                self.hire(date(as_of.year, 9, rng.randint(1, 15)), "ASYE Social Worker", "Permanent",
                          date(as_of.year, rng.choice([6, 7]), rng.randint(1, 28)))  # fmt: skip
        self.progress_asye_all(as_of)
        self.absences(first, as_of)
        self.changes(as_of)
        self.leavers(first, as_of)
        self.replace_leavers(first, as_of)

    def absences(self, first: date, as_of: date) -> None:
        rng = self.rng
        for person in self.people:
            if person.absence is not None:
                begin, end, kind = person.absence
                if end is None and rng.random() < 0.2:
                    person.absence = (begin, min(as_of, begin + timedelta(days=rng.randint(40, 300))), kind)
                elif end is not None and end < first - timedelta(days=60):
                    person.absence = None
            elif rng.random() < 0.012 or (person.asye_start and rng.random() < 0.02):
                person.absence = (first + timedelta(days=rng.randint(0, 20)), None, rng.choice(ABSENCES))

    def changes(self, as_of: date) -> None:
        rng = self.rng
        staff = [p for p in self.people if p.contract != "Agency" and p.leaving is None]
        for person in rng.sample(staff, 2):
            if person.role == "Social Worker":
                person.role, person.scp = "Senior Practitioner", 33
            elif person.role == "Senior Practitioner" and rng.random() < 0.5:
                person.role, person.scp = "Advanced Practitioner", 36
        rng.choice(staff).team = rng.choice(TEAMS)
        changer = rng.choice(staff)
        changer.fte = rng.choice([0.6, 0.8, 1.0])

    def leavers(self, first: date, as_of: date) -> None:
        rng = self.rng
        for person in self.people:
            if person.leaving or person.role == "Team Manager":
                continue
            early = (as_of - person.qualified).days < 5 * 365
            chance = (0.016 if early else 0.008) * (1.6 if person.contract == "Agency" else 1)
            if rng.random() < chance:
                if person.contract == "Agency" and rng.random() < 0.35:
                    person.vanish = True  # agency workers often drop off the extract without a date
                    continue
                person.leaving = min(as_of, first + timedelta(days=rng.randint(3, 27)))
                if person.leaving < person.start:
                    person.leaving = person.start
                person.leaving_reason = "End of assignment" if person.contract == "Agency" else (
                    "End of fixed term" if person.contract == "Fixed Term" else rng.choice(LEAVING_REASONS))

    def replace_leavers(self, first: date, as_of: date) -> None:
        rng = self.rng
        in_post = sum(1 for p in self.people if not p.leaving and not p.vanish)
        for _ in range(max(0, 300 - in_post)):
            contract = "Agency" if rng.random() < 0.3 else "Permanent"
            self.hire(first + timedelta(days=rng.randint(0, 25)), rng.choice(["Social Worker"] * 4 +
                      ["Senior Practitioner"]), contract, date(rng.randint(1995, 2022), 7, 1))  # fmt: skip

    def snapshot(self) -> list[Person]:
        return [replace(p, reviews=dict(p.reviews)) for p in sorted(self.people, key=lambda p: p.employee_id)]


def row_of(person: Person, managers: dict[str, str]) -> dict[str, Any]:
    absence = person.absence or (None, None, None)
    return {
        "Employee ID": person.employee_id, "Surname": person.surname, "Forename": person.forename,
        "SWE Registration Number": person.swe, "Date Qualified": person.qualified, "Start Date": person.start,
        "Leaving Date": person.leaving, "Leaving Reason": person.leaving_reason, "FTE": person.fte,
        "Contract Type": person.contract, "Grade": person.grade, "Spinal Column Point": person.scp,
        "Team": person.team, "Line Manager": None if person.role == "Team Manager" else managers.get(person.team),
        "Role": person.role, "Caseload": person.caseload, "ASYE Start Date": person.asye_start,
        "ASYE Status": person.asye_status, "ASYE 3 Month Review": person.reviews.get(3),
        "ASYE 6 Month Review": person.reviews.get(6), "ASYE 9 Month Review": person.reviews.get(9),
        "ASYE Final Review": person.reviews.get(12), "Prior PQE (months)": person.prior_pqe,
        "Absence Start": absence[0], "Absence End": absence[1], "Absence Type": absence[2],
    }  # fmt: skip


def open_workbook(path: Path, constant_memory: bool = False) -> Any:
    # strings_to_formulas off: every string from HR is text, even one starting with '='.
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "constant_memory": constant_memory})  # fmt: skip
    book.set_properties({"created": datetime(2026, 11, 1), "title": f"{COUNCIL} workforce extract"})
    return book


def write_cells(sheet: Any, row: int, values: Iterable[Any], date_format: Any) -> None:
    for column, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, date):
            sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), date_format)
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value)
        else:
            sheet.write_string(row, column, str(value))


def write_month(path: Path, as_of: date, rows: list[dict[str, Any]], constant_memory: bool = False) -> None:
    book = open_workbook(path, constant_memory)
    notes = book.add_worksheet("Notes")
    notes.write_string(0, 0, f"{COUNCIL}: monthly children's social care establishment extract.")
    notes.write_string(1, 0, "Source: HR/payroll system. Contains personal data: handle under the council's policy.")
    staff = book.add_worksheet("Staff")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    staff.write_string(0, 0, f"{COUNCIL} - Children's Social Care workforce extract")
    staff.write_string(1, 0, f"Run date: {as_of:%d/%m/%Y}")
    staff.write_row(3, 0, HEADERS, book.add_format({"bold": True}))
    for r, row in enumerate(rows, start=4):
        write_cells(staff, r, (row[h] for h in HEADERS), date_format)
    book.close()


OTHER_HEADERS = {  # ResourceLink header -> our header in HEADERS
    "Person Ref": "Employee ID", "Family Name": "Surname", "Given Name": "Forename",
    "SWE No": "SWE Registration Number",
    "Qualification Date": "Date Qualified", "Continuous Service Date": "Start Date", "Termination Date": "Leaving Date",
    "Termination Reason": "Leaving Reason", "Contracted Hours": "FTE", "Employment Type": "Contract Type",
    "Pay Grade": "Grade", "SCP": "Spinal Column Point", "Service Unit": "Team", "Reports To": "Line Manager",
    "Job Title": "Role", "Open Cases": "Caseload", "ASYE Commenced": "ASYE Start Date", "ASYE Outcome": "ASYE Status",
    "Review 3m": "ASYE 3 Month Review", "Review 6m": "ASYE 6 Month Review", "Review 9m": "ASYE 9 Month Review",
    "Review Final": "ASYE Final Review", "Previous PQE Months": "Prior PQE (months)", "Absence From": "Absence Start",
    "Absence To": "Absence End", "Absence Reason": "Absence Type",
}  # fmt: skip
OTHER_CONTRACT = {"Permanent": "PERM", "Fixed Term": "TEMP", "Agency": "AGY"}
OTHER_ASYE = {"Not Started": "NS", "In Progress": "IP", "Passed": "PASS", "Failed": "FAIL", "Extended": "EXT",
              "Exempt": "EXEMPT"}  # fmt: skip
PROFILE_FIELDS = {
    "Person Ref": "employee_id", "Family Name": "surname", "Given Name": "forename", "SWE No": "swe_number",
    "Qualification Date": "date_qualified", "Continuous Service Date": "start_date", "Termination Date": "leaving_date",
    "Termination Reason": "leaving_reason", "Contracted Hours": "weekly_hours", "Employment Type": "contract_type",
    "Pay Grade": "grade", "SCP": "spinal_point", "Service Unit": "team", "Reports To": "line_manager",
    "Job Title": "role", "Open Cases": "caseload", "ASYE Commenced": "asye_start_date", "ASYE Outcome": "asye_status",
    "Review 3m": "asye_review_3m", "Review 6m": "asye_review_6m", "Review 9m": "asye_review_9m",
    "Review Final": "asye_review_final", "Previous PQE Months": "prior_pqe_months", "Absence From": "absence_start",
    "Absence To": "absence_end", "Absence Reason": "absence_type",
}  # fmt: skip


def other_value(header: str, value: Any) -> str:
    if value is None:
        return ""
    if header == "Contracted Hours":
        return f"{round(value * 37, 2):g}"
    if header == "Employment Type":
        return OTHER_CONTRACT[value]
    if header == "ASYE Outcome":
        return OTHER_ASYE[value]
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def write_other_system(folder: Path, as_of: date, rows: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"resourcelink_export_{as_of:%Y-%m-%d}.csv").open("w", encoding="cp1252", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(OTHER_HEADERS)
        for row in rows:
            out.writerow(other_value(h, row[ours]) for h, ours in OTHER_HEADERS.items())
    lines = ['name = "resourcelink"',
             "description = \"ResourceLink payroll export used by Northmoor's shared service centre\"",
             "hours_per_week = 37", "", "[columns]"]  # fmt: skip
    lines += [f'"{header}" = "{name}"' for header, name in PROFILE_FIELDS.items()]
    lines += ["", "[values.contract_type]", 'PERM = "permanent"', 'TEMP = "fixed_term"', 'AGY = "agency"', "",
              "[values.asye_status]", 'NS = "not_started"', 'IP = "in_progress"', 'PASS = "passed"',
              'FAIL = "failed"', 'EXT = "extended"', 'EXEMPT = "exempt"']  # fmt: skip
    (folder / "resourcelink.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


MESSY_HEADERS = ["EMPLOYEE  ID ", "surname", "First Name", "SWE Reg No.", "Qualified Date", "Start date", "Date Left",
                 "Reason for Leaving", "FTE", "Contract", "Grade", "SCP", "Team", "Line manager", "Job Role",
                 "Caseload", "ASYE start", "ASYE status", "ASYE 3 month review", "ASYE 6 month review",
                 "ASYE 9 month review", "ASYE final review", "Prior PQE (months)", "Absence start", "Absence end",
                 "Absence type"]  # fmt: skip
# The faults the messy month carries, each on one row (Excel row numbers; the header is row 1).
MESSY_FAULTS = {
    5: "duplicate Employee ID (the same ID as row 4)",
    9: "Leaving Date before Start Date",
    14: "FTE 1.2",
    20: "Date Qualified in the future (2027)",
    26: "unknown contract type 'Casual'",
    31: "malformed SWE number 'SW0123'",
    33: "malformed SWE number '12345'",
    40: "blank Employee ID",
    47: "unreadable date '31/02/2024' in Start Date",
    52: "surname '=HYPERLINK(...)': a formula-injection attempt, stored as text",
    58: "ambiguous '03/04/2024' in ASYE start: 3 April 2024 (valid)",
}


def messy_date(rng: random.Random, value: date) -> Any:
    form = rng.randint(0, 5)
    if form == 0:
        return value
    if form == 1:
        return float((value - date(1899, 12, 30)).days)  # an Excel serial number as a plain number
    if form == 2:
        return f"{value:%d/%m/%Y}"
    if form == 3:
        return f"{value.day}/{value.month}/{value:%y}"
    if form == 4:
        return f"{value.day} {value:%b %Y}"
    return value.isoformat()


def messy_row(rng: random.Random, row: dict[str, Any]) -> list[Any]:
    cells = []
    for header in HEADERS:
        value = row[header]
        if isinstance(value, date):
            value = messy_date(rng, value)
        elif header == "FTE":
            value = rng.choice([value, str(value), f"{round(value * 100):g}%", f"{round(value * 37, 1):g} hours"])
        elif header == "Contract Type":
            value = rng.choice([value, value.lower(), value.upper(), {"Permanent": "perm", "Agency": "locum"}.get(
                value, value)])  # fmt: skip
        elif isinstance(value, str) and rng.random() < 0.2:
            value = f" {value}  "
        cells.append(value)
    return cells


def write_messy(folder: Path, as_of: date, rows: list[dict[str, Any]], rng: random.Random) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    grid = [messy_row(rng, row) for row in rows]
    col = {h: i for i, h in enumerate(HEADERS)}

    def at(excel_row: int) -> list[Any]:
        return grid[excel_row - 2]  # row 2 is the first data row

    at(5)[col["Employee ID"]] = at(4)[col["Employee ID"]]
    at(9)[col["Start Date"]], at(9)[col["Leaving Date"]] = "01/06/2024", "15/05/2024"
    at(14)[col["FTE"]] = 1.2
    at(20)[col["Date Qualified"]] = "2027-07-01"
    at(26)[col["Contract Type"]] = "Casual"
    at(31)[col["SWE Registration Number"]] = "SW0123"
    at(33)[col["SWE Registration Number"]] = "12345"
    at(40)[col["Employee ID"]] = None
    at(47)[col["Start Date"]] = "31/02/2024"
    at(52)[col["Surname"]] = '=HYPERLINK("http://example.invalid","x")'
    at(58)[col["Date Qualified"]], at(58)[col["Start Date"]] = "2023-07-01", "2023-09-04"
    at(58)[col["ASYE Start Date"]], at(58)[col["ASYE Status"]] = "03/04/2024", "In Progress"
    for excel_row in (4, 5, 9, 14, 20, 26, 31, 33, 47, 52):  # keep each row's only fault the listed one
        at(excel_row)[col["Leaving Date"]] = at(excel_row)[col["Leaving Date"]] if excel_row == 9 else None
    book = open_workbook(folder / f"northmoor_hr_{as_of:%Y-%m-%d}_messy.xlsx")
    sheet = book.add_worksheet("Sheet1")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, MESSY_HEADERS)
    r = 1
    for index, cells in enumerate(grid):
        if index in (100, 200):
            r += 1  # two fully blank rows in the middle, as exports have
        write_cells(sheet, r, cells, date_format)
        r += 1
    book.close()


def write_national(folder: Path, workers: int, seed: int) -> Path:
    rng = random.Random(seed)
    council = Council(rng)
    as_of = date(2026, 10, 31)
    rows = []
    for _ in range(workers):
        role = rng.choice(["ASYE Social Worker"] + ["Social Worker"] * 6 + ["Senior Practitioner"] * 2 +
                          ["Advanced Practitioner", "Team Manager"])  # fmt: skip
        qualified = date(rng.randint(1990, 2026), rng.choice([6, 7]), rng.randint(1, 28))
        start = min(as_of, qualified + timedelta(days=rng.randint(30, 3000)))
        contract = "Agency" if rng.random() < 0.15 else ("Fixed Term" if rng.random() < 0.08 else "Permanent")
        rows.append(row_of(council.hire(start, role, contract, qualified), {}))
        council.people.clear()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"hr_extract_national_{as_of:%Y-%m-%d}.xlsx"
    write_month(path, as_of, rows, constant_memory=True)
    return path


def write_all(out: Path, seed: int) -> list[Path]:
    rng = random.Random(seed)
    council = Council(rng)
    council.seed(FIRST_MONTH)
    written: list[Path] = []
    monthly = out / "monthly"
    monthly.mkdir(parents=True, exist_ok=True)
    as_of = FIRST_MONTH
    rows: list[dict[str, Any]] = []
    for month in range(13):
        if month:
            council.step(as_of)
        rows = [row_of(p, council.managers) for p in council.snapshot()]
        if month == 12:
            write_messy(out / "messy", as_of, rows, rng)
            written.append(out / "messy")
            break
        path = monthly / f"northmoor_hr_{as_of:%Y-%m-%d}.xlsx"
        write_month(path, as_of, rows)
        written.append(path)
        if as_of == date(2026, 10, 31):
            write_other_system(out / "other_system", as_of, rows)
            written.append(out / "other_system")
        as_of = month_end(as_of + timedelta(days=1))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: sample_data/)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, help="write one national-scale file with this many rows instead")
    args = parser.parse_args()
    if args.workers:
        print(f"wrote {write_national(args.out, args.workers, args.seed)}")
        return
    for path in write_all(args.out, args.seed):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
