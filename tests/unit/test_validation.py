"""Row and cross-field rules: each finding has its code, the row number Excel shows, the sheet's column header and
the cell as typed; errors reject the row, warnings do not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, AsyeStatus, ContractType, WorkerRecord
from importers.issues import Issue, Severity
from importers.mapping import map_columns, parse_profile
from importers.readers import RawTable, read_table
from importers.validation import ValidatedFile, validate_table

AS_OF = date(2026, 10, 31)
HEADERS = [
    "Employee ID", "Surname", "Forename", "SWE number", "Date qualified", "Start date", "Leaving date", "FTE",
    "Contract type", "Team", "Spinal column point", "ASYE start date", "ASYE status", "Absence start", "Absence end",
    "Absence type",
]  # fmt: skip
HEADER_ROW = 4  # three title rows above the header, as council extracts have
FIRST_ROW = HEADER_ROW + 1


def row(**cells: Any) -> dict[str, Any]:
    """A valid row; keyword names are headers with spaces as underscores (Date_qualified='01/01/2020')."""
    values: dict[str, Any] = {
        "Employee ID": "4512",
        "Surname": "Okafor",
        "Forename": "Ada",
        "SWE number": "SW104233",
        "Date qualified": "30/06/2019",
        "Start date": "01/09/2020",
        "FTE": "1",
        "Contract type": "Permanent",
    }
    values.update({key.replace("_", " "): value for key, value in cells.items()})
    return values


def validate(*rows: dict[str, Any] | None, headers: list[str] = HEADERS, profile=None) -> ValidatedFile:
    """None is a blank row."""
    cells = [["" for _ in headers] if r is None else [r.get(h, "") for h in headers] for r in rows]
    table = RawTable(Path("northmoor_hr_2026-10-31.csv"), None, HEADER_ROW, headers, cells, FIRST_ROW)
    return validate_table(table, map_columns(headers, profile, "northmoor_hr_2026-10-31.csv"), AS_OF, profile)


def only(result: ValidatedFile, code: str) -> Issue:
    found = [issue for issue in result.issues if issue.code == code]
    assert len(found) == 1, result.issues
    return found[0]


def rejected_rows(result: ValidatedFile) -> list[int]:
    return [r.row for r in result.rejected]


def accepted_rows(result: ValidatedFile) -> list[int]:
    return [number for number, _ in result.records]


def record(result: ValidatedFile) -> WorkerRecord:
    assert len(result.records) == 1, result.issues
    return result.records[0][1]


def test_a_valid_row_is_accepted_without_findings():
    result = validate(row())
    assert result.issues == []
    assert accepted_rows(result) == [FIRST_ROW]
    assert result.rejected == []


# --- required values -----------------------------------------------------------------------------------------------


def test_missing_employee_id():
    result = validate(row(Employee_ID=""))
    issue = only(result, "missing-value")
    assert (issue.row, issue.column, issue.value) == (5, "Employee ID", "")
    assert issue.message == "Employee ID is required"
    assert issue.severity is Severity.ERROR
    assert rejected_rows(result) == [5]
    assert result.records == []


def test_an_employee_id_of_n_a_is_missing():
    assert only(validate(row(Employee_ID="N/A")), "missing-value").column == "Employee ID"


def test_missing_date_qualified():
    result = validate(row(Date_qualified=""))
    issue = only(result, "missing-value")
    assert (issue.row, issue.column, issue.value) == (5, "Date qualified", "")
    assert issue.message == "Date qualified is required"
    assert rejected_rows(result) == [5]


def test_an_unreadable_required_date_is_reported_once_as_invalid_not_also_as_missing():
    result = validate(row(Start_date="sometime"))
    issue = only(result, "invalid-date")
    assert (issue.row, issue.column, issue.value) == (5, "Start date", "sometime")
    assert [i.code for i in result.issues] == ["invalid-date"]
    assert rejected_rows(result) == [5]


# --- field rules ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fte", ["1.2", "0"])
def test_fte_out_of_range(fte):
    result = validate(row(FTE=fte))
    issue = only(result, "fte-out-of-range")
    assert (issue.row, issue.column, issue.value) == (5, "FTE", fte)
    assert issue.message == f"FTE {fte} is outside (0, 1]; give 0.6, 60% or hours such as '22.2 hours'"
    assert rejected_rows(result) == [5]


def test_fte_of_exactly_one_is_in_range():
    assert record(validate(row(FTE="100%"))).fte == Decimal(1)


def test_fte_that_is_not_a_number():
    issue = only(validate(row(FTE="full time")), "invalid-fte")
    assert (issue.row, issue.column, issue.value) == (5, "FTE", "full time")


def test_an_fte_of_inf_rejects_the_row_and_does_not_stop_the_import():
    result = validate(row(FTE="inf"), row(Employee_ID="4513"))
    assert only(result, "invalid-fte").row == 5
    assert accepted_rows(result) == [6]


def test_unknown_contract_type():
    result = validate(row(Contract_type="Casual"))
    issue = only(result, "unknown-contract-type")
    assert (issue.row, issue.column, issue.value) == (5, "Contract type", "Casual")
    assert issue.message == "'Casual' is not a known contract type (agency, fixed_term, permanent)"
    assert rejected_rows(result) == [5]


@pytest.mark.parametrize("swe", ["SW0123", "12345", "SW1234567"])
def test_invalid_swe_number(swe):
    result = validate(row(SWE_number=swe))
    issue = only(result, "invalid-swe-number")
    assert (issue.row, issue.column, issue.value) == (5, "SWE number", swe)
    assert issue.message == (
        f"'{swe}' is not a Social Work England number (SW then digits, no leading zero, e.g. SW104233)"
    )
    assert rejected_rows(result) == [5]
    assert "missing-swe-number" not in [i.code for i in result.issues]


def test_a_lower_case_swe_number_is_stored_upper_case():
    assert record(validate(row(SWE_number="sw104233"))).swe_number == "SW104233"


def test_implausible_date():
    result = validate(row(Date_qualified="01/01/1901"))
    issue = only(result, "implausible-date")
    assert (issue.row, issue.column, issue.value) == (5, "Date qualified", "01/01/1901")
    assert issue.message == "01/01/1901 is outside 1940–2100"
    assert rejected_rows(result) == [5]
    assert "missing-value" not in [i.code for i in result.issues]


def test_a_spinal_point_above_99_is_an_invalid_number():
    issue = only(validate(row(Spinal_column_point="120")), "invalid-number")
    assert (issue.row, issue.column, issue.value) == (5, "Spinal column point", "120")


def test_a_negative_spinal_point_is_a_negative_number():
    issue = only(validate(row(Spinal_column_point="-1")), "negative-number")
    assert (issue.row, issue.column, issue.value) == (5, "Spinal column point", "-1")


def test_overlong_text_is_not_reported_as_an_invalid_number():
    issue = next(i for i in validate(row(Team="x" * 201)).issues if i.column == "Team")
    assert issue.code != "invalid-number"


# --- cross-field rules ---------------------------------------------------------------------------------------------


def test_leaving_before_start():
    result = validate(row(Start_date="01/09/2020", Leaving_date="31/08/2020"))
    issue = only(result, "leaving-before-start")
    assert (issue.row, issue.column, issue.value) == (5, "Leaving date", "31/08/2020")
    assert issue.message == "leaving date 31/08/2020 is before the start date 01/09/2020"
    assert rejected_rows(result) == [5]


def test_leaving_on_the_start_date_is_allowed():
    assert record(validate(row(Start_date="01/09/2020", Leaving_date="01/09/2020"))).leaving_date == date(2020, 9, 1)


def test_qualified_in_future():
    result = validate(row(Date_qualified="01/11/2026", Start_date="01/12/2026"))
    issue = only(result, "qualified-in-future")
    assert (issue.row, issue.column, issue.value) == (5, "Date qualified", "01/11/2026")
    assert issue.message == "date qualified 01/11/2026 is after the as-of date 31/10/2026"
    assert rejected_rows(result) == [5]


def test_qualified_on_the_as_of_date_is_not_in_the_future():
    assert record(validate(row(Date_qualified="31/10/2026", Start_date="31/10/2026"))).date_qualified == AS_OF


def test_asye_before_qualified():
    result = validate(row(Date_qualified="30/06/2019", ASYE_start_date="29/06/2019"))
    issue = only(result, "asye-before-qualified")
    assert (issue.row, issue.column, issue.value) == (5, "ASYE start date", "29/06/2019")
    assert issue.message == "ASYE start 29/06/2019 is before qualifying on 30/06/2019"
    assert rejected_rows(result) == [5]


def test_absence_end_before_start():
    result = validate(row(Absence_start="01/05/2024", Absence_end="30/04/2024", Absence_type="Maternity"))
    issue = only(result, "absence-end-before-start")
    assert (issue.row, issue.column, issue.value) == (5, "Absence end", "30/04/2024")
    assert issue.message == "absence ends 30/04/2024 before it starts 01/05/2024"
    assert rejected_rows(result) == [5]


def test_absence_end_before_start_in_the_second_absence_names_its_own_column():
    headers = [*HEADERS, "Absence 2 start", "Absence 2 end", "Absence 2 type"]
    result = validate(
        row(Absence_2_start="01/05/2024", Absence_2_end="30/04/2024", Absence_2_type="Sickness"), headers=headers
    )
    issue = only(result, "absence-end-before-start")
    assert (issue.row, issue.column, issue.value) == (5, "Absence 2 end", "30/04/2024")


def test_absence_end_or_type_without_a_start_is_incomplete():
    result = validate(row(Absence_end="30/04/2024", Absence_type="Sickness"))
    issue = only(result, "absence-incomplete")
    assert (issue.row, issue.column) == (5, "Absence start")
    assert rejected_rows(result) == [5]


def test_a_field_error_and_a_cross_field_error_in_one_row_are_both_reported():
    result = validate(row(Contract_type="Casual", Start_date="01/09/2020", Leaving_date="31/08/2020"))
    assert sorted((i.code, i.column) for i in result.issues) == [
        ("leaving-before-start", "Leaving date"),
        ("unknown-contract-type", "Contract type"),
    ]
    assert all(i.row == 5 for i in result.issues)
    assert rejected_rows(result) == [5]


def test_a_pydantic_field_error_and_a_cross_field_error_in_one_row_are_both_reported():
    result = validate(row(FTE="1.5", Date_qualified="30/06/2019", ASYE_start_date="01/01/2019"))
    assert sorted(i.code for i in result.issues) == ["asye-before-qualified", "fte-out-of-range"]


# --- duplicates ----------------------------------------------------------------------------------------------------


def test_duplicate_employee_id_flags_both_rows_naming_the_other():
    result = validate(row(Employee_ID="4512"), row(Employee_ID="4513"), row(Employee_ID="4512", Surname="Other"))
    found = [i for i in result.issues if i.code == "duplicate-employee-id"]
    assert [(i.row, i.column, i.value, i.message) for i in found] == [
        (5, "Employee ID", "4512", "employee ID 4512 is also on row 7"),
        (7, "Employee ID", "4512", "employee ID 4512 is also on row 5"),
    ]
    assert rejected_rows(result) == [5, 7]
    assert accepted_rows(result) == [6]


def test_an_id_typed_as_a_number_duplicates_the_same_id_typed_as_text():
    result = validate(row(Employee_ID=4512.0), row(Employee_ID="4512"))
    assert rejected_rows(result) == [5, 6]


def test_three_rows_with_one_id_each_name_the_other_two():
    result = validate(row(), row(), row())
    messages = [i.message for i in result.issues if i.code == "duplicate-employee-id"]
    assert messages == [
        "employee ID 4512 is also on row 6, 7",
        "employee ID 4512 is also on row 5, 7",
        "employee ID 4512 is also on row 5, 6",
    ]


# --- warnings: the row is kept ---------------------------------------------------------------------------------------


def test_absence_without_a_type_is_recorded_as_other_with_a_warning():
    result = validate(row(Absence_start="01/05/2024", Absence_end="31/10/2024"))
    issue = only(result, "absence-type-missing")
    assert (issue.row, issue.column, issue.value) == (5, "Absence type", "")
    assert issue.severity is Severity.WARNING
    assert record(result).absences == (Absence(Period(date(2024, 5, 1), date(2024, 10, 31)), AbsenceType.OTHER),)


def test_start_in_future():
    result = validate(row(Start_date="01/11/2026"))
    issue = only(result, "start-in-future")
    assert (issue.row, issue.column, issue.value) == (5, "Start date", "01/11/2026")
    assert issue.message == "start date 01/11/2026 is after the as-of date 31/10/2026"
    assert issue.severity is Severity.WARNING
    assert accepted_rows(result) == [5]


def test_missing_swe_number():
    result = validate(row(SWE_number=""))
    issue = only(result, "missing-swe-number")
    assert (issue.row, issue.column, issue.value) == (5, "SWE number", "")
    assert issue.severity is Severity.WARNING
    assert record(result).swe_number is None


def test_missing_swe_number_when_the_sheet_has_no_swe_column():
    headers = [h for h in HEADERS if h != "SWE number"]
    issue = only(validate(row(), headers=headers), "missing-swe-number")
    assert issue.column == "SWE registration number"


def test_started_before_qualified():
    result = validate(row(Date_qualified="30/06/2019", Start_date="01/09/2017"))
    issue = only(result, "started-before-qualified")
    assert (issue.row, issue.column, issue.value) == (5, "Start date", "01/09/2017")
    assert accepted_rows(result) == [5]


def test_asye_status_without_an_asye_start_date():
    result = validate(row(ASYE_status="In progress"))
    issue = only(result, "asye-start-missing")
    assert (issue.row, issue.column, issue.value) == (5, "ASYE status", "In progress")
    assert record(result).asye_status is AsyeStatus.IN_PROGRESS


def test_fte_and_contracted_hours_that_disagree_use_the_fte_column():
    headers = [*HEADERS, "Contracted hours"]
    result = validate(row(FTE="1", Contracted_hours="18.5"), headers=headers)
    issue = only(result, "fte-from-hours")
    assert (issue.row, issue.column) == (5, "FTE")
    assert record(result).fte == Decimal(1)


def test_contracted_hours_alone_give_the_fte():
    headers = [h if h != "FTE" else "Contracted hours" for h in HEADERS]
    assert record(validate(row(Contracted_hours="22.2"), headers=headers)).fte == Decimal("0.6")


def test_contracted_hours_use_the_profiles_standard_week():
    headers = [h if h != "FTE" else "Contracted hours" for h in HEADERS]
    profile = parse_profile({"name": "x", "hours_per_week": 36}, "x.toml")
    assert record(validate(row(Contracted_hours="18"), headers=headers, profile=profile)).fte == Decimal("0.5")


def test_a_profiles_value_words_are_used():
    profile = parse_profile({"name": "x", "values": {"contract_type": {"Contractor": "agency"}}}, "x.toml")
    assert record(validate(row(Contract_type="Contractor"), profile=profile)).contract_type is ContractType.AGENCY


# --- rows and values -------------------------------------------------------------------------------------------------


def test_blank_rows_are_skipped_without_shifting_row_numbers():
    result = validate(row(Employee_ID="4512"), None, {h: "" for h in HEADERS}, row(Employee_ID="4513", FTE="2"))
    assert result.blank_rows == 2
    assert accepted_rows(result) == [5]
    assert only(result, "fte-out-of-range").row == 8
    assert rejected_rows(result) == [8]
    assert result.data_rows == 2


def test_a_row_of_n_a_and_dashes_is_blank():
    result = validate({h: "N/A" if i % 2 else "-" for i, h in enumerate(HEADERS)})
    assert result.blank_rows == 1
    assert result.issues == []


def test_the_rejected_row_keeps_the_cells_as_typed():
    result = validate(row(FTE="1.2", Team="  Child   Protection "))
    rejected = result.rejected[0]
    assert rejected.values["FTE"] == "1.2"
    assert rejected.values["Team"] == "  Child   Protection "
    assert rejected.values["Employee ID"] == "4512"


def test_an_accepted_record_has_typed_values():
    result = validate(
        row(
            Employee_ID="004512",
            Surname="  Okafor ",
            SWE_number="SW104233",
            Date_qualified="30/06/2019",
            Start_date="2020-09-01",
            Leaving_date="31 Dec 2026",
            FTE="60%",
            Contract_type="Fixed-term",
            Team="Child   Protection",
            Spinal_column_point="30",
            ASYE_start_date=43709,
            ASYE_status="Passed",
            Absence_start="01/05/2024",
            Absence_end="",
            Absence_type="Mat leave",
        )
    )
    assert result.records[0][0] == 5
    assert record(result) == WorkerRecord(
        employee_id="004512",
        surname="Okafor",
        forename="Ada",
        swe_number="SW104233",
        date_qualified=date(2019, 6, 30),
        start_date=date(2020, 9, 1),
        leaving_date=date(2026, 12, 31),
        fte=Decimal("0.6000"),
        contract_type=ContractType.FIXED_TERM,
        team="Child Protection",
        spinal_point=30,
        asye_start_date=date(2019, 9, 1),
        asye_status=AsyeStatus.PASSED,
        absences=(Absence(Period(date(2024, 5, 1), None), AbsenceType.MATERNITY),),
    )
    accepted = record(result)
    assert isinstance(accepted.fte, Decimal)
    assert type(accepted.contract_type) is ContractType


def test_read_table_and_map_columns_keep_a_leading_zero_employee_id(tmp_path: Path):
    path = tmp_path / "northmoor_hr_2026-10-31.csv"
    path.write_text(
        "Northmoor Council HR extract\r\n\r\n\r\n"
        "Employee ID,Date Qualified,Start Date,FTE,Contract,SWE Registration Number\r\n"
        "004512,30/06/2019,01/09/2020,0.6,Perm,SW104233\r\n"
        "\r\n"
        "004513,30/06/2019,01/09/2020,0.6,Casual,SW104234\r\n"
    )
    table = read_table(path)
    result = validate_table(table, map_columns(table.headers, None, path.name), AS_OF)
    assert accepted_rows(result) == [5]
    assert record(result).employee_id == "004512"
    issue = only(result, "unknown-contract-type")
    assert (issue.row, issue.column, issue.value) == (7, "Contract", "Casual")
