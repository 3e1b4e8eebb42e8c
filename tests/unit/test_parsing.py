"""Cell parsers: every form an HR sheet holds a date, an FTE, a number, a code or a status word in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecf.domain.worker import AbsenceType, AsyeStatus, ContractType
from importers.fields import Kind, normalise_header
from importers.parsing import (
    CellError,
    is_blank,
    parse_date,
    parse_fte,
    parse_hours,
    parse_int,
    parse_swe,
    parse_text,
    parser_for,
)

STANDARD_WEEK = Decimal(37)


def error_code(parse, raw) -> str:
    with pytest.raises(CellError) as caught:
        parse(raw)
    return caught.value.code


# --- dates -------------------------------------------------------------------------------------------------------


def test_a_datetime_cell_is_its_date():
    assert parse_date(datetime(2023, 9, 14, 0, 0)) == date(2023, 9, 14)


def test_a_datetime_cell_with_a_time_keeps_only_the_day():
    assert parse_date(datetime(2023, 9, 14, 17, 45)) == date(2023, 9, 14)


def test_a_date_cell_is_itself():
    assert parse_date(date(2023, 9, 14)) == date(2023, 9, 14)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (45183, date(2023, 9, 14)),
        (45000, date(2023, 3, 15)),
        (1, date(1899, 12, 31)),
        (60, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
    ],
)
def test_excel_serials_count_from_30_december_1899(serial, expected):
    assert parse_date(serial) == expected


def test_a_serial_with_a_time_fraction_is_that_day():
    assert parse_date(45183.75) == date(2023, 9, 14)


def test_a_serial_stored_as_text_is_still_a_serial():
    assert parse_date("45183") == date(2023, 9, 14)


@pytest.mark.parametrize("serial", [0, -1, 2958466])
def test_a_number_outside_excels_calendar_is_not_a_date(serial):
    assert error_code(parse_date, serial) == "invalid-date"


def test_iso_date_is_never_read_day_first():
    assert parse_date("2024-04-03") == date(2024, 4, 3)


def test_iso_date_with_a_time_is_its_day():
    assert parse_date("2024-04-03 00:00:00") == date(2024, 4, 3)
    assert parse_date("2024-04-03T09:30:00") == date(2024, 4, 3)


def test_year_first_with_slashes_is_year_month_day():
    assert parse_date("2024/04/03") == date(2024, 4, 3)


def test_uk_date_is_day_first():
    assert parse_date("03/04/2024") == date(2024, 4, 3)


def test_uk_date_without_leading_zeros_and_a_two_digit_year_is_day_first():
    assert parse_date("3/4/24") == date(2024, 4, 3)


def test_uk_date_with_dots():
    assert parse_date("14.09.2023") == date(2023, 9, 14)


def test_uk_date_with_dashes_is_day_first():
    assert parse_date("03-04-2024") == date(2024, 4, 3)


def test_uk_date_with_a_time_is_its_day():
    assert parse_date("3/4/2024 10:30") == date(2024, 4, 3)


@pytest.mark.parametrize(
    "text",
    ["12 Sep 2023", "12-Sep-2023", "12 September 2023", "September 12, 2023", "12-Sep-23"],
)
def test_written_out_dates(text):
    assert parse_date(text) == date(2023, 9, 12)


def test_two_digit_year_69_is_in_the_2000s():
    assert parse_date("01/01/69") == date(2069, 1, 1)


def test_two_digit_year_70_is_in_the_1900s():
    assert parse_date("01/01/70") == date(1970, 1, 1)


@pytest.mark.parametrize("text", ["12-Sep-70", "12 Sep 75"])
def test_written_out_dates_use_the_same_two_digit_year_pivot(text):
    assert parse_date(text).year < 2000


def test_the_31st_of_february_is_not_a_date():
    assert error_code(parse_date, "31/02/2024") == "invalid-date"


def test_29_february_in_a_leap_year_is_a_date():
    assert parse_date("29/02/2024") == date(2024, 2, 29)


def test_29_february_in_a_common_year_is_not_a_date():
    assert error_code(parse_date, "29/02/2023") == "invalid-date"


def test_the_30th_of_february_in_iso_is_not_a_date():
    assert error_code(parse_date, "2023-02-30") == "invalid-date"


@pytest.mark.parametrize("text", ["Sep 2023", "12 Sep"])
def test_a_date_missing_its_day_or_year_is_refused_not_guessed(text):
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.code == "invalid-date"
    assert "day, month and year are needed" in caught.value.message


def test_words_are_not_a_date():
    assert error_code(parse_date, "hello") == "invalid-date"


def test_a_tick_box_is_not_a_date():
    assert error_code(parse_date, True) == "invalid-date"


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_every_way_hr_writes_a_date_reads_back_the_same_day(day):
    serial = float((day - date(1899, 12, 30)).days)
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date(serial) == day


# --- FTE and hours -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0.6, Decimal("0.6")),
        ("0.6", Decimal("0.6")),
        ("60%", Decimal("0.6")),
        ("60 %", Decimal("0.6")),
        ("22.2 hours", Decimal("0.6")),
        ("22.2h", Decimal("0.6")),
        ("22.2 hours per week", Decimal("0.6")),
        ("18.5 hrs", Decimal("0.5")),
        (1, Decimal("1")),
    ],
)
def test_fte_as_a_fraction_a_percentage_or_hours_against_the_standard_week(raw, expected):
    assert parse_fte(raw, STANDARD_WEEK) == expected


def test_fte_is_quantised_to_four_decimal_places():
    assert str(parse_fte(0.6, STANDARD_WEEK)) == "0.6000"
    assert str(parse_fte("1", STANDARD_WEEK)) == "1.0000"
    assert str(parse_fte("20 hours", STANDARD_WEEK)) == "0.5405"


def test_fte_from_a_float_cell_does_not_pick_up_binary_noise():
    assert parse_fte(0.1 + 0.2, STANDARD_WEEK) == Decimal("0.3000")


def test_fte_hours_use_the_profiles_standard_week():
    assert parse_fte("18 hours", Decimal(36)) == Decimal("0.5")


@pytest.mark.parametrize("raw", ["abc", True])
def test_fte_that_is_not_a_number_is_invalid_fte(raw):
    assert error_code(lambda r: parse_fte(r, STANDARD_WEEK), raw) == "invalid-fte"


@pytest.mark.parametrize("raw", ["inf", "Infinity", "sNaN"])
def test_fte_of_infinity_is_invalid_fte_not_a_crash(raw):
    assert error_code(lambda r: parse_fte(r, STANDARD_WEEK), raw) == "invalid-fte"


def test_contracted_hours_are_turned_into_fte():
    assert parse_hours("22.2", STANDARD_WEEK) == Decimal("0.6")
    assert parse_hours("22.2 hours", STANDARD_WEEK) == Decimal("0.6")
    assert parse_hours(37, STANDARD_WEEK) == Decimal("1")


@pytest.mark.parametrize("raw", [40, "37.5", 0])
def test_contracted_hours_outside_the_standard_week_are_out_of_range(raw):
    assert error_code(lambda r: parse_hours(r, STANDARD_WEEK), raw) == "hours-out-of-range"


def test_contracted_hours_that_are_not_a_number_are_invalid_number():
    assert error_code(lambda r: parse_hours(r, STANDARD_WEEK), "full time") == "invalid-number"


# --- whole numbers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(12.0, 12), ("12", 12), (12, 12), ("1,200", 1200), (" 7 ", 7)])
def test_whole_numbers(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", [12.5, "12.5", "twelve", True])
def test_a_fraction_or_a_word_is_not_a_whole_number(raw):
    assert error_code(parse_int, raw) == "invalid-number"


@pytest.mark.parametrize("raw", ["inf", "sNaN"])
def test_infinity_is_not_a_whole_number_and_does_not_crash(raw):
    assert error_code(parse_int, raw) == "invalid-number"


# --- text and codes ----------------------------------------------------------------------------------------------


def test_an_id_typed_as_a_number_reads_without_the_decimal_point():
    assert parse_text(4512.0) == "4512"


def test_leading_zeros_in_a_text_id_are_kept():
    assert parse_text("004512") == "004512"


def test_text_is_trimmed_and_inner_spaces_collapsed():
    assert parse_text("  Child    Protection \n Team ") == "Child Protection Team"


def test_swe_number_loses_its_spaces_and_is_upper_case():
    assert parse_swe(" sw 104233 ") == "SW104233"


# --- status words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Perm", ContractType.PERMANENT),
        ("Permanent", ContractType.PERMANENT),
        ("FIXED TERM", ContractType.FIXED_TERM),
        ("Fixed-Term", ContractType.FIXED_TERM),
        ("FTC", ContractType.FIXED_TERM),
        ("locum", ContractType.AGENCY),
        ("Agency/Locum", ContractType.AGENCY),
        ("AGY", ContractType.AGENCY),
    ],
)
def test_contract_type_words(raw, expected):
    assert parser_for(Kind.CONTRACT, STANDARD_WEEK)(raw) == expected.value


def test_an_unknown_contract_type_lists_the_allowed_ones():
    with pytest.raises(CellError) as caught:
        parser_for(Kind.CONTRACT, STANDARD_WEEK)("Casual")
    assert caught.value.code == "unknown-contract-type"
    assert caught.value.message == "'Casual' is not a known contract type (agency, fixed_term, permanent)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Not started", AsyeStatus.NOT_STARTED),
        ("In Progress", AsyeStatus.IN_PROGRESS),
        ("Ongoing", AsyeStatus.IN_PROGRESS),
        ("Passed", AsyeStatus.PASSED),
        ("Completed", AsyeStatus.PASSED),
        ("Fail", AsyeStatus.FAILED),
        ("Extension", AsyeStatus.EXTENDED),
        ("Not required", AsyeStatus.EXEMPT),
    ],
)
def test_asye_status_words(raw, expected):
    assert parser_for(Kind.ASYE_STATUS, STANDARD_WEEK)(raw) == expected.value


def test_an_unknown_asye_status():
    assert error_code(parser_for(Kind.ASYE_STATUS, STANDARD_WEEK), "Deferred") == "unknown-asye-status"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Maternity Leave", AbsenceType.MATERNITY),
        ("ML", AbsenceType.MATERNITY),
        ("Paternity", AbsenceType.PATERNITY),
        ("Adoption leave", AbsenceType.ADOPTION),
        ("SPL", AbsenceType.SHARED_PARENTAL),
        ("Long-term sickness", AbsenceType.SICKNESS),
        ("LTS", AbsenceType.SICKNESS),
        ("Compassionate leave", AbsenceType.BEREAVEMENT),
        ("Career break", AbsenceType.UNPAID),
        ("Secondment out", AbsenceType.OTHER),
    ],
)
def test_absence_type_words(raw, expected):
    assert parser_for(Kind.ABSENCE_TYPE, STANDARD_WEEK)(raw) == expected.value


def test_an_unknown_absence_type():
    assert error_code(parser_for(Kind.ABSENCE_TYPE, STANDARD_WEEK), "Holiday") == "unknown-absence-type"


def test_a_profiles_value_words_extend_the_built_in_ones():
    parse = parser_for(Kind.CONTRACT, STANDARD_WEEK, {normalise_header("Contractor"): "agency"})
    assert parse("CONTRACTOR") == "agency"
    assert parse("Perm") == "permanent"


def test_a_profiles_value_words_override_a_built_in_one():
    parse = parser_for(Kind.CONTRACT, STANDARD_WEEK, {normalise_header("Temp"): "agency"})
    assert parse("Temp") == "agency"


def test_a_profiles_value_words_apply_only_to_the_columns_they_are_given_for():
    assert error_code(parser_for(Kind.CONTRACT, STANDARD_WEEK), "Contractor") == "unknown-contract-type"


# --- blanks ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "  ", "N/A", "n/a", "-", "#N/A", "null", float("nan")])
def test_blank_cells(raw):
    assert is_blank(raw)


@pytest.mark.parametrize("raw", [0, 0.0, "0", "x", False, date(2024, 1, 1), timedelta(0)])
def test_cells_that_are_not_blank(raw):
    assert not is_blank(raw)
