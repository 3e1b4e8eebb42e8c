"""The fields an HR sheet can carry, each with the header spellings it is recognised under."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INT = "int"
    FTE = "fte"
    HOURS = "hours"
    CONTRACT = "contract_type"
    ASYE_STATUS = "asye_status"
    ABSENCE_TYPE = "absence_type"
    SWE = "swe_number"
    MONEY = "money"
    YES_NO = "yes_no"  # e.g. the apprentice flag: a value that is not yes or no is an error
    # Census items (issue 17): each parser is in importers/census_codes.py; a value it cannot read is a warning.
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    ETHNICITY = "ethnicity"
    QUAL_LEVEL = "qual_level"
    START_ORIGIN = "start_origin"
    LEAVER_DESTINATION = "leaver_destination"
    CENSUS_FLAG = "census_flag"  # the census's 1/0 flags (Step Up, Frontline); a bad value is a warning
    CENSUS_ABSENCE = "census_absence"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind
    aliases: tuple[str, ...]
    required: bool = False


def normalise_header(text: object) -> str:
    """Case, spaces and punctuation are ignored when matching headers: 'EMPLOYEE  ID ' == 'Employee-Id'."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


FIELDS: tuple[Field, ...] = (
    Field(
        "employee_id",
        "Employee ID",
        Kind.TEXT,
        (
            "employee id",
            "employee no",
            "employee number",
            "emp id",
            "emp no",
            "staff id",
            "staff number",
            "staff no",
            "payroll number",
            "payroll no",
            "payroll id",
            "person id",
            "person number",
            "person ref",
            "employee ref",
            "employee reference",
            "id",
        ),
        required=True,
    ),
    Field("surname", "Surname", Kind.TEXT, ("surname", "last name", "family name", "lastname")),
    Field(
        "forename",
        "Forename",
        Kind.TEXT,
        (
            "forename",
            "first name",
            "given name",
            "forenames",
            "first names",
            "known as",
        ),
    ),
    Field(
        "swe_number",
        "SWE registration number",
        Kind.SWE,
        (
            "swe registration number",
            "swe number",
            "swe no",
            "swe reg no",
            "swe registration",
            "swe id",
            "social work england number",
            "social work england registration number",
            "swe reg number",
            "registration number",
            "swe ref",
        ),
    ),
    Field(
        "date_qualified",
        "Date qualified",
        Kind.DATE,
        (
            "date qualified",
            "qualified date",
            "qualification date",
            "date of qualification",
            "qualified",
            "date qualified as social worker",
        ),
        required=True,
    ),
    Field(
        "start_date",
        "Start date",
        Kind.DATE,
        (
            "start date",
            "date started",
            "start date in this council",
            "date of appointment",
            "appointment date",
            "continuous service date",
            "employment start date",
            "date joined",
            "service start date",
        ),
        required=True,
    ),
    Field(
        "leaving_date",
        "Leaving date",
        Kind.DATE,
        (
            "leaving date",
            "date left",
            "leave date",
            "end date",
            "termination date",
            "employment end date",
            "date of leaving",
        ),
    ),
    Field(
        "leaving_reason",
        "Leaving reason",
        Kind.TEXT,
        (
            "leaving reason",
            "reason for leaving",
            "termination reason",
            "reason left",
            "leaver reason",
        ),
    ),
    Field("fte", "FTE", Kind.FTE, ("fte", "full time equivalent", "wte", "fte percentage", "fte %")),
    Field(
        "weekly_hours",
        "Contracted hours",
        Kind.HOURS,
        (
            "contracted hours",
            "weekly hours",
            "hours per week",
            "hours",
            "contract hours",
            "working hours",
        ),
    ),
    Field(
        "contract_type",
        "Contract type",
        Kind.CONTRACT,
        (
            "contract type",
            "contract",
            "employment type",
            "contract status",
            "employment status",
            "worker type",
        ),
        required=True,
    ),
    Field("grade", "Grade", Kind.TEXT, ("grade", "pay grade", "salary grade", "band")),
    Field(
        "spinal_point",
        "Spinal column point",
        Kind.INT,
        (
            "spinal column point",
            "scp",
            "spinal point",
            "pay point",
            "spine point",
        ),
    ),
    Field("team", "Team", Kind.TEXT, ("team", "team name", "service unit", "unit", "department", "service")),
    Field(
        "line_manager",
        "Line manager",
        Kind.TEXT,
        (
            "line manager",
            "manager",
            "reports to",
            "supervisor",
            "line manager name",
        ),
    ),
    Field("role", "Role", Kind.TEXT, ("role", "job role", "job title", "post title", "position", "post")),
    Field("caseload", "Caseload", Kind.INT, ("caseload", "cases", "open cases", "cases held", "case load")),
    Field(
        "asye_start_date",
        "ASYE start date",
        Kind.DATE,
        (
            "asye start date",
            "asye start",
            "asye commenced",
            "asye started",
            "date asye started",
        ),
    ),
    Field("asye_status", "ASYE status", Kind.ASYE_STATUS, ("asye status", "asye outcome", "asye")),
    Field(
        "asye_review_3m",
        "ASYE 3-month review",
        Kind.DATE,
        (
            "asye 3 month review",
            "3 month review",
            "review 3m",
            "asye review 3m",
            "asye 3m review",
        ),
    ),
    Field(
        "asye_review_6m",
        "ASYE 6-month review",
        Kind.DATE,
        (
            "asye 6 month review",
            "6 month review",
            "review 6m",
            "asye review 6m",
            "asye 6m review",
        ),
    ),
    Field(
        "asye_review_9m",
        "ASYE 9-month review",
        Kind.DATE,
        (
            "asye 9 month review",
            "9 month review",
            "review 9m",
            "asye review 9m",
            "asye 9m review",
        ),
    ),
    Field(
        "asye_review_final",
        "ASYE final review",
        Kind.DATE,
        (
            "asye final review",
            "final review",
            "review final",
            "asye review final",
            "asye 12 month review",
            "12 month review",
        ),
    ),
    Field(
        "prior_pqe_months",
        "Prior PQE (months)",
        Kind.INT,
        (
            "prior pqe months",
            "prior pqe",
            "previous pqe months",
            "prior post qualifying experience months",
            "prior post qualifying experience",
            "pqe elsewhere months",
            "previous pqe",
        ),
    ),
    Field(
        "market_supplement",
        "Market supplement",
        Kind.MONEY,
        (
            "market supplement",
            "market supplement annual",
            "market premium",
            "market rate supplement",
            "recruitment and retention payment",
            "retention payment",
        ),
    ),
    Field("allowances", "Allowances", Kind.MONEY, ("allowances", "allowance", "other allowances", "annual allowances")),
    # --- issue #14: programme steps a council may track, and the apprentice flag ---
    Field(
        "support_agreement_date",
        "Support agreement",
        Kind.DATE,
        (
            "support agreement",
            "support agreement date",
            "support and assessment agreement",
            "asye agreement",
            "learning agreement",
            "asye support agreement",
            "agreement meeting",
            "sdp agreement",
        ),
    ),
    Field(
        "ecf_year_two_assessment",
        "ECF year 2 assessment",
        Kind.DATE,
        (
            "ecf year 2 assessment",
            "ecf year two assessment",
            "year 2 assessment",
            "ecf assessment year 2",
            "ecf 2 year assessment",
        ),
    ),
    Field(
        "ecf_year_three_review",
        "ECF year 3 review",
        Kind.DATE,
        (
            "ecf year 3 review",
            "ecf year three review",
            "year 3 review",
            "ecf review year 3",
        ),
    ),
    Field(
        "ecf_year_four_review",
        "ECF year 4 review",
        Kind.DATE,
        (
            "ecf year 4 review",
            "ecf year four review",
            "year 4 review",
            "ecf review year 4",
        ),
    ),
    Field(
        "ecf_year_five_assessment",
        "ECF year 5 assessment",
        Kind.DATE,
        (
            "ecf year 5 assessment",
            "ecf year five assessment",
            "year 5 assessment",
            "ecf assessment year 5",
            "ecf final assessment",
        ),
    ),
    Field(
        "apprentice",
        "Apprentice",
        Kind.YES_NO,
        (
            "apprentice",
            "apprenticeship",
            "degree apprentice",
            "social work apprentice",
            "is apprentice",
            "apprentice flag",
            "apprentice under 25",
            "ni category h",
        ),
    ),
    Field(
        "absence_start",
        "Absence start",
        Kind.DATE,
        (
            "absence start",
            "absence start date",
            "absence from",
            "long absence start",
            "leave start",
        ),
    ),
    Field(
        "absence_end",
        "Absence end",
        Kind.DATE,
        (
            "absence end",
            "absence end date",
            "absence to",
            "long absence end",
            "leave end",
        ),
    ),
    Field(
        "absence_type",
        "Absence type",
        Kind.ABSENCE_TYPE,
        (
            "absence type",
            "absence reason",
            "long absence type",
            "leave type",
        ),
    ),
)

# The census items (issue 17). Date of birth, gender and ethnicity are special-category data: stored in a table of
# their own, never logged, listed or exported except in the census return and the one-worker view.
CENSUS_FIELDS: tuple[Field, ...] = (
    Field("date_of_birth", "Date of birth", Kind.BIRTH_DATE,
          ("date of birth", "dob", "birth date", "birthdate", "d o b", "person birth date")),
    Field("gender", "Gender", Kind.GENDER, ("gender", "sex", "gender current", "gender identity")),
    Field("ethnicity", "Ethnicity", Kind.ETHNICITY, ("ethnicity", "ethnic origin", "ethnic group", "ethnicity code")),
    Field("qual_institution", "Qualification institution", Kind.TEXT,
          ("qualification institution", "qualifying institution", "qual inst", "university", "institution",
           "awarding institution", "qualifying university")),
    Field("qual_level", "Qualification level", Kind.QUAL_LEVEL,
          ("qualification level", "qual level", "level of qualification", "degree level")),
    Field("step_up_grad", "Step Up graduate", Kind.CENSUS_FLAG,
          ("step up graduate", "step up", "step up to social work", "step up grad")),
    Field("frontline_grad", "Frontline graduate", Kind.CENSUS_FLAG,
          ("frontline graduate", "frontline", "frontline grad")),
    Field("start_origin", "Start origin", Kind.START_ORIGIN,
          ("start origin", "origin", "source of recruitment", "previous employment", "came from")),
    Field("leaver_destination", "Leaver destination", Kind.LEAVER_DESTINATION,
          ("leaver destination", "destination", "destination on leaving", "leaving destination")),
    Field("reason_for_absence", "Reason for absence", Kind.CENSUS_ABSENCE,
          ("reason for absence", "census absence reason", "reason absence")),
)  # fmt: skip
SENSITIVE_FIELDS: frozenset[str] = frozenset({"date_of_birth", "gender", "ethnicity"})
FIELDS = FIELDS + CENSUS_FIELDS

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
REQUIRED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
ALIASES: dict[str, str] = {normalise_header(alias): f.name for f in FIELDS for alias in (f.name, *f.aliases)}

# A sheet may carry further absences as numbered column groups: "Absence 2 start", "Absence 2 end", "Absence 2 type".
MAX_EXTRA_ABSENCES = 4
for _n in range(2, MAX_EXTRA_ABSENCES + 2):
    for _part in ("start", "end", "type"):
        _name = f"absence{_n}_{_part}"
        _kind = Kind.ABSENCE_TYPE if _part == "type" else Kind.DATE
        FIELDS_BY_NAME[_name] = Field(_name, f"Absence {_n} {_part}", _kind, ())
        for _alias in (f"absence {_n} {_part}", f"absence {_n} {_part} date", f"absence{_n} {_part}"):
            ALIASES.setdefault(normalise_header(_alias), _name)
ALIASES[normalise_header("absence 1 start")] = "absence_start"
ALIASES[normalise_header("absence 1 end")] = "absence_end"
ALIASES[normalise_header("absence 1 type")] = "absence_type"
