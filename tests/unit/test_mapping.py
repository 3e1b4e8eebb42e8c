"""Matching a sheet's headers to fields, and mapping profiles for other HR systems' exports."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from importers.fields import normalise_header
from importers.mapping import MappingProfile, ProfileError, load_profile, map_columns, parse_profile
from importers.readers import UnreadableFile

USUAL = ["EMPLOYEE  ID ", "Surname", "Qualified Date", "Start date", "FTE", "Contract"]


def test_normalise_header_ignores_case_spaces_and_punctuation():
    assert normalise_header("EMPLOYEE  ID ") == "employeeid"
    assert normalise_header("Employee-Id") == "employeeid"
    assert normalise_header("FTE %") == "fte"
    assert normalise_header("Date\nQualified") == "datequalified"


def test_normalise_header_of_a_number_cell():
    assert normalise_header(2024) == "2024"


def test_the_usual_spellings_map_to_their_fields_by_column_position():
    columns = map_columns(USUAL, None, "hr.xlsx")
    assert columns.columns == {
        "employee_id": 0,
        "surname": 1,
        "date_qualified": 2,
        "start_date": 3,
        "fte": 4,
        "contract_type": 5,
    }


def test_the_sheets_own_header_text_is_kept_for_the_report():
    columns = map_columns(USUAL, None, "hr.xlsx")
    assert columns.headers["employee_id"] == "EMPLOYEE  ID "
    assert columns.headers["date_qualified"] == "Qualified Date"


def test_a_missing_required_column_is_unreadable_and_named():
    headers = ["Employee ID", "Qualified Date", "FTE", "Contract"]
    with pytest.raises(UnreadableFile) as caught:
        map_columns(headers, None, "hr.xlsx")
    message = str(caught.value)
    assert message.startswith("hr.xlsx: required column(s) not found: Start date.")
    assert "'Employee ID', 'Qualified Date', 'FTE', 'Contract'" in message
    assert "--profile" in message


def test_every_missing_required_column_is_named():
    with pytest.raises(UnreadableFile) as caught:
        map_columns(["Employee ID", "Surname"], None, "hr.csv")
    assert "Date qualified, Start date, Contract type, FTE (or contracted hours)" in str(caught.value)


def test_contracted_hours_are_accepted_instead_of_fte():
    columns = map_columns(
        ["Employee ID", "Date qualified", "Start date", "Contracted hours", "Contract type"], None, "x"
    )
    assert columns.columns["weekly_hours"] == 3
    assert "fte" not in columns.columns


def test_neither_fte_nor_hours_is_a_missing_column():
    with pytest.raises(UnreadableFile, match=r"FTE \(or contracted hours\)"):
        map_columns(["Employee ID", "Date qualified", "Start date", "Contract type"], None, "x")


def test_a_second_column_for_the_same_field_is_noted_and_the_first_used():
    columns = map_columns([*USUAL, "WTE"], None, "hr.xlsx")
    assert columns.columns["fte"] == 4
    assert columns.duplicates == ["'WTE' (also 'FTE' for FTE; the first is used)"]


def test_unknown_columns_are_listed_as_ignored():
    columns = map_columns([*USUAL, "Notes", "Car allowance"], None, "hr.xlsx")
    assert columns.ignored == ["Notes", "Car allowance"]


def test_empty_header_cells_are_neither_mapped_nor_ignored():
    columns = map_columns(["", *USUAL, ""], None, "hr.xlsx")
    assert columns.columns["employee_id"] == 1
    assert columns.ignored == []


def test_numbered_absence_columns():
    columns = map_columns([*USUAL, "Absence 1 start", "Absence 2 start", "Absence 2 end date"], None, "x")
    assert columns.columns["absence_start"] == 6
    assert columns.columns["absence2_start"] == 7
    assert columns.columns["absence2_end"] == 8


# --- mapping profiles --------------------------------------------------------------------------------------------

VALID = {
    "name": "iTrent",
    "description": "Northmoor's iTrent export",
    "sheet": "Staff",
    "hours_per_week": 36,
    "columns": {"Person Ref No": "employee_id", "Qual Dt": "date_qualified", "Cont Hrs": "weekly_hours"},
    "values": {"contract_type": {"Contractor": "agency"}, "asye_status": {"Signed off": "passed"}},
}


def test_a_valid_profile():
    profile = parse_profile(VALID, "itrent.toml")
    assert profile.name == "iTrent"
    assert profile.sheet == "Staff"
    assert profile.hours_per_week == Decimal(36)
    assert profile.columns["Qual Dt"].field == "date_qualified"


def test_a_profile_defaults_to_the_37_hour_week():
    assert parse_profile({"name": "x"}, "x.toml").hours_per_week == Decimal(37)


def test_profile_lookups_use_normalised_headers_and_words():
    profile = parse_profile(VALID, "itrent.toml")
    assert profile.header_lookup()["personrefno"] == "employee_id"
    assert profile.value_lookup("contract_type") == {"contractor": "agency"}
    assert profile.value_lookup("absence_type") == {}


def test_a_profiles_columns_map_headers_the_built_ins_do_not_know():
    profile = parse_profile(VALID, "itrent.toml")
    columns = map_columns(["Person Ref No", "Qual Dt", "Start date", "Cont Hrs", "Contract"], profile, "x")
    assert columns.columns == {
        "employee_id": 0,
        "date_qualified": 1,
        "start_date": 2,
        "weekly_hours": 3,
        "contract_type": 4,
    }


def test_an_unknown_top_level_key_is_a_profile_error_naming_it():
    with pytest.raises(ProfileError) as caught:
        parse_profile({**VALID, "colums": {}}, "itrent.toml")
    assert str(caught.value).startswith("itrent.toml: key 'colums': unknown key; valid keys here: name, description,")
    assert "columns" in str(caught.value)


def test_a_column_mapped_to_an_unknown_field_is_a_profile_error():
    with pytest.raises(ProfileError) as caught:
        parse_profile({"name": "x", "columns": {"Qual Dt": "qualified_on"}}, "x.toml")
    assert "key 'columns.Qual Dt'" in str(caught.value)
    assert "unknown field 'qualified_on'; valid fields: employee_id, surname" in str(caught.value)


def test_a_value_mapped_to_a_contract_type_that_does_not_exist_is_a_profile_error():
    with pytest.raises(ProfileError) as caught:
        parse_profile({"name": "x", "values": {"contract_type": {"Casual": "casual"}}}, "x.toml")
    assert "value 'Casual' maps to 'casual', not a contract_type (valid: permanent, fixed_term, agency)" in str(
        caught.value
    )


def test_values_for_a_field_that_takes_no_words_is_a_profile_error():
    with pytest.raises(ProfileError) as caught:
        parse_profile({"name": "x", "values": {"grade": {"A": "b"}}}, "x.toml")
    assert str(caught.value) == (
        "x.toml: key 'values.grade.[key]': Input should be 'contract_type', 'asye_status' or 'absence_type'"
    )


@pytest.mark.parametrize("hours", [0, 61])
def test_a_standard_week_outside_0_to_60_hours_is_a_profile_error(hours):
    with pytest.raises(ProfileError, match="key 'hours_per_week'"):
        parse_profile({"name": "x", "hours_per_week": hours}, "x.toml")


def test_a_profile_without_a_name_is_a_profile_error():
    with pytest.raises(ProfileError, match="key 'name'"):
        parse_profile({}, "x.toml")


def test_several_errors_are_counted():
    with pytest.raises(ProfileError, match=r"\(and 1 more\)$"):
        parse_profile({"name": "x", "a": 1, "b": 2}, "x.toml")


def test_load_profile_reads_toml(tmp_path: Path):
    path = tmp_path / "itrent.toml"
    path.write_text('name = "iTrent"\nhours_per_week = 36\n\n[columns]\n"Qual Dt" = "date_qualified"\n')
    profile = load_profile(path)
    assert {h: s.field for h, s in profile.columns.items()} == {"Qual Dt": "date_qualified"}
    assert profile.hours_per_week == Decimal(36)


def test_load_profile_on_broken_toml_names_the_file(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "iTrent\n[columns\n')
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(f"{path}: not valid TOML")


def test_load_profile_on_a_missing_file_names_the_file(tmp_path: Path):
    path = tmp_path / "nope.toml"
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}: no such mapping profile"


def test_load_profile_names_the_file_for_a_bad_key(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nsheeet = "Staff"\n')
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(f"{path}: key 'sheeet': unknown key; valid keys here: name, description")


def round_trip(profile: MappingProfile) -> MappingProfile:
    return parse_profile(tomllib.loads(profile.to_toml()), "round trip")


def test_to_toml_round_trips_to_an_equal_profile():
    profile = parse_profile(VALID, "itrent.toml")
    assert round_trip(profile) == profile


def test_to_toml_round_trips_quotes_backslashes_and_a_fractional_week():
    profile = parse_profile(
        {"name": 'Say "hi"', "hours_per_week": "36.5", "columns": {"Emp\\No": "employee_id"}}, "x.toml"
    )
    assert round_trip(profile) == profile


def test_to_toml_round_trips_a_header_with_a_line_break():
    profile = parse_profile({"name": "x", "columns": {"Date\nqualified": "date_qualified"}}, "x.toml")
    assert round_trip(profile) == profile
