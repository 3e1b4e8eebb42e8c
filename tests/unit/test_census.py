"""The census's pure parts: the specification as data, each derived item, the validation rules, the importer's code
parsers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ecf.census.build import (
    LaLevel,
    Spell,
    SpellsSeen,
    WorkerReturn,
    _Maps,
    build_return,
    census_spells,
    contract_weeks,
    swe_number,
    weekdays,
    worker_items,
    working_days_lost,
)
from ecf.census.checks import failed_checks, readiness
from ecf.census.items import NO_ITEMS, CensusItems
from ecf.census.settings import CouncilCensus
from ecf.census.spec import CensusSpec, SpecError, census_year_for, load_spec
from ecf.domain.period import Period
from ecf.domain.worker import Absence, AbsenceType, ContractType, WorkerRecord
from importers.census_codes import census_parser
from importers.fields import Kind
from importers.parsing import CellError

SPEC = load_spec(2026)
MAPS = _Maps(SPEC, CouncilCensus())
REPO = Path(__file__).resolve().parents[2]


def record(employee_id: str = "1", **changes: object) -> WorkerRecord:
    base = WorkerRecord(employee_id, date(2015, 6, 30), date(2018, 1, 8), Decimal(1), ContractType.PERMANENT,
                        swe_number="SW4821", role="Social Worker", caseload=14, team="Child Protection")  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def sickness(start: date, end: date | None) -> Absence:
    return Absence(Period(start, end), AbsenceType.SICKNESS)


def spell(rec: WorkerRecord, left_on: date | None = None, dated: bool = True, seen: date = date(2026, 9, 30)) -> Spell:
    return Spell(rec, seen, rec.absences, left_on, dated)


# --- the specification ------------------------------------------------------------------------------------------------


def test_the_2026_specification() -> None:
    assert (SPEC.year_start, SPEC.reference_date) == (date(2025, 10, 1), date(2026, 9, 30))
    assert SPEC.due == date(2026, 10, 31)
    assert len(SPEC.codes["Ethnicity"]) == 18 and SPEC.item_names[:3] == ("AgencyWorker", "SWENo", "FTE")
    assert SPEC.item_names[-1] == "CFKSSstatus" and len(SPEC.items) == 23


def test_a_year_without_a_file_is_named() -> None:
    with pytest.raises(SpecError, match=r"no census specification for 2031 .*years available: 2026"):
        load_spec(2031)


def test_a_map_to_a_code_outside_the_set_is_refused() -> None:
    document = SPEC.model_dump(by_alias=True)
    document["maps"]["OrgRole"]["Director"] = "7"
    with pytest.raises(ValueError, match=r"maps\.OrgRole: '7' is not in codes\.OrgRole"):
        CensusSpec.model_validate(document)


@pytest.mark.parametrize(
    ("day", "year"), [(date(2025, 9, 30), 2025), (date(2025, 10, 1), 2026), (date(2026, 9, 30), 2026)]
)
def test_census_year(day: date, year: int) -> None:
    assert census_year_for(day) == year


def test_the_shipped_schema_is_the_tests_copy() -> None:
    shipped = REPO / "ecf" / "census" / "spec" / "social_work_workforce_2022.xsd"
    assert shipped.read_bytes() == (REPO / "tests" / "data" / "csww" / "social_work_workforce_2022.xsd").read_bytes()


# --- derived items ----------------------------------------------------------------------------------------------------


def test_fte_at_30_september_with_a_mid_september_leaver() -> None:
    snapshots = {
        date(2026, 8, 31): {"1": record(fte=Decimal("0.8"))},
        date(2026, 9, 30): {"1": record(fte=Decimal("0.8"), leaving_date=date(2026, 9, 15), leaving_reason="Retired")},
    }
    [found] = census_spells(snapshots, SPEC)
    items = worker_items(SPEC, MAPS, found, NO_ITEMS, None)
    assert (items["FTE"], items["FTE30"], items["RoleEndDate"]) == (Decimal("0.8"), Decimal(0), date(2026, 9, 15))
    assert (items["ReasonLeave"], items["LeaverDestination"]) == ("5", "6")
    assert "Cases30" not in items and "Absat30Sept" not in items


def test_a_leaver_on_30_september_is_a_leaver_and_one_the_day_after_is_in_post() -> None:
    on = census_spells({date(2026, 9, 30): {"1": record(leaving_date=date(2026, 9, 30))}}, SPEC)
    after = census_spells({date(2026, 9, 30): {"1": record(leaving_date=date(2026, 10, 1))}}, SPEC)
    assert on[0].left_on == date(2026, 9, 30) and after[0].left_on is None


def test_who_is_in_the_year() -> None:
    snapshots = {
        date(2025, 9, 30): {"old": record("old", leaving_date=date(2025, 9, 1)), "gone": record("gone")},
        date(2025, 10, 31): {"booked": record("booked", start_date=date(2026, 10, 5))},
    }
    found = {s.last.employee_id: s for s in census_spells(snapshots, SPEC)}
    assert set(found) == {"gone"}  # left before the year; starts after it; gone in October 2025
    assert (found["gone"].left_on, found["gone"].dated) == (date(2025, 10, 31), False)


def test_spells_are_kept_a_snapshot_at_a_time_with_each_absence_as_last_told() -> None:
    """The service reads the census year a month at a time (a national workforce's thirteen months held at once were
    700 MB): each spell keeps its newest record, the day it was last seen and every absence, the newest account of
    each; a snapshot after the reference date is left out, and the months must come oldest first."""
    sick = sickness(date(2026, 2, 2), None)
    months = [
        (date(2025, 10, 31), {"1": record(absences=(sick,)), "2": record("2")}),
        (date(2026, 3, 31), {"1": record(absences=(sickness(date(2026, 2, 2), date(2026, 2, 13)),)),
                             "3": record("3", leaving_date=date(2026, 4, 10))}),
        (date(2026, 9, 30), {"1": record(fte=Decimal("0.6"), absences=(sickness(date(2026, 9, 1), None),))}),
        (date(2026, 10, 31), {"1": record(fte=Decimal("0.4")), "4": record("4")}),  # after the reference date
    ]  # fmt: skip
    seen = SpellsSeen(SPEC)
    for day, records in months:
        seen.add(day, records)
    found = {s.last.employee_id: s for s in seen.spells()}
    assert found == {s.last.employee_id: s for s in census_spells(dict(months), SPEC)}
    one = found["1"]
    assert (one.last.fte, one.last_seen, one.left_on) == (Decimal("0.6"), date(2026, 9, 30), None)
    assert [(a.period.start, a.period.end) for a in one.absences] == [
        (date(2026, 2, 2), date(2026, 2, 13)), (date(2026, 9, 1), None)]  # fmt: skip
    assert (found["2"].left_on, found["2"].dated) == (date(2026, 3, 31), False)  # gone from the next sheet
    assert (found["3"].left_on, found["3"].dated) == (date(2026, 4, 10), True)
    assert "4" not in found
    with pytest.raises(ValueError, match="oldest first"):
        seen.add(date(2026, 8, 31), {})


def test_working_days_lost_across_the_years_edges() -> None:
    rec = record(absences=(
        sickness(date(2025, 9, 29), date(2025, 10, 3)),  # Mon-Fri; 1-3 October in the year: 3
        sickness(date(2026, 2, 2), date(2026, 2, 13)),  # two whole weeks: 10
        Absence(Period(date(2026, 3, 2), date(2026, 6, 26)), AbsenceType.MATERNITY),  # not sickness: 0
        sickness(date(2026, 9, 28), None),  # open: 28-30 September: 3
    ))  # fmt: skip
    assert working_days_lost(spell(rec), SPEC) == Decimal("16.00")
    left = replace(rec, leaving_date=date(2026, 2, 4))  # leaves on the Wednesday of the first February week
    assert working_days_lost(spell(left, date(2026, 2, 4)), SPEC) == Decimal("6.00")


def test_weekdays() -> None:
    assert weekdays(date(2026, 9, 26), date(2026, 9, 27)) == 0  # a weekend
    assert weekdays(date(2025, 10, 1), date(2026, 9, 30)) == 261
    assert weekdays(date(2026, 9, 30), date(2026, 9, 1)) == 0


def test_agency_contract_weeks() -> None:
    agency = record(contract_type=ContractType.AGENCY, start_date=date(2026, 3, 2))
    assert contract_weeks(spell(agency), SPEC) == Decimal("30.4")  # 213 days
    whole_year = replace(agency, start_date=date(2024, 1, 1))
    assert contract_weeks(spell(whole_year), SPEC) == Decimal("52.1")  # 365 days
    left = replace(agency, start_date=date(2025, 6, 1), leaving_date=date(2025, 10, 7))
    assert contract_weeks(spell(left, date(2025, 10, 7)), SPEC) == Decimal("1.0")
    items = worker_items(SPEC, MAPS, spell(agency), NO_ITEMS, None)
    assert items["AgencyWorker"] == "1" and "WorkingDaysLost" not in items


@pytest.mark.parametrize(
    ("stage", "role", "cfkss"),
    [("asye", "Social Worker", "1"), ("ecdp", "Social Worker", "1"), ("experienced", "Team Manager", "3"),
     ("experienced", "Head of Service", "4"), ("ecf_year_2", "Social Worker", "2")],
)  # fmt: skip
def test_cfkss_from_the_stage_then_the_role(stage: str, role: str, cfkss: str) -> None:
    assert worker_items(SPEC, MAPS, spell(record(role=role)), NO_ITEMS, stage)["CFKSSstatus"] == cfkss


def test_role_codes_and_the_councils_own_words() -> None:
    assert worker_items(SPEC, MAPS, spell(record(caseload=None)), NO_ITEMS, None)["OrgRole"] == "6"  # no cases
    assert "OrgRole" not in worker_items(SPEC, MAPS, spell(record(role="Family Practitioner")), NO_ITEMS, None)
    own = _Maps(SPEC, CouncilCensus(role_codes={"family practitioner": "5"}))
    assert worker_items(SPEC, own, spell(record(role="Family Practitioner")), NO_ITEMS, None)["OrgRole"] == "5"


def test_absence_at_30_september_and_its_reason() -> None:
    rec = record(absences=(Absence(Period(date(2026, 7, 1), None), AbsenceType.MATERNITY),))
    items = worker_items(SPEC, MAPS, spell(rec), NO_ITEMS, None)
    assert (items["Absat30Sept"], items["ReasonAbsence"]) == ("1", "MAT")
    given = worker_items(SPEC, MAPS, spell(rec), CensusItems(reason_for_absence="UNP"), None)
    assert given["ReasonAbsence"] == "UNP"  # HR's own reason wins over the absence type


def test_swe_number_padding() -> None:
    assert swe_number("SW4821", 10) == "SW0000004821"
    assert swe_number("SW4821", 0) == "SW4821"
    assert swe_number(None, 10) is None


# --- the validation rules -----------------------------------------------------------------------------------------


def checked(items: dict[str, object], *, left_on: date | None = None, dated: bool = True,
            agency: bool = False) -> set[str]:  # fmt: skip
    rec = record(contract_type=ContractType.AGENCY if agency else ContractType.PERMANENT)
    found = WorkerReturn("1", "T", spell(rec, left_on, dated), items)  # type: ignore[arg-type]
    return {f.code for f in failed_checks(SPEC, found)}


VALID = {"AgencyWorker": "0", "SWENo": "SW0000004821", "FTE": Decimal("0.5"), "RoleStartDate": date(2020, 1, 1),
         "OrgRole": "5", "Cases30": 3, "Absat30Sept": "0"}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "options", "code"),
    [
        ({}, {"left_on": date(2026, 5, 1)}, "leaver-needs-reason"),
        ({}, {"left_on": date(2026, 5, 1)}, "leaver-needs-destination"),
        ({"FTE": Decimal("1.2")}, {}, "fte-out-of-range"),
        ({"FTE": Decimal(0)}, {}, "fte-out-of-range"),
        ({"SWENo": "SW4821"}, {}, "swe-number-pattern"),
        ({"RoleEndDate": date(2019, 1, 1), "ReasonLeave": "1", "LeaverDestination": "1"},
         {"left_on": date(2019, 1, 1)}, "role-start-after-end"),
        ({"RoleEndDate": date(2026, 10, 3), "ReasonLeave": "1", "LeaverDestination": "1"},
         {"left_on": date(2026, 10, 3)}, "date-outside-year"),
        ({"RoleStartDate": date(2026, 10, 2)}, {}, "start-after-reference"),
        ({"ReasonLeave": "1", "LeaverDestination": "1"}, {"left_on": date(2026, 5, 1), "dated": False},
         "left-without-date"),
        ({"AgencyWorker": "1", "ContractWeeks": Decimal(0)}, {"agency": True}, "agency-contract-weeks"),
        ({"Absat30Sept": "1"}, {}, "absent-needs-reason"),
        ({"OrgRole": "6"}, {}, "cases-without-role"),
        ({"Ethnicity": "XXXX"}, {}, "code-not-in-set"),
    ],
)  # fmt: skip
def test_each_check(changes: dict[str, object], options: dict[str, object], code: str) -> None:
    assert checked(VALID, **{k: v for k, v in options.items() if k != "left_on"}) == set()  # type: ignore[arg-type]
    assert code in checked({**VALID, **changes}, **options)  # type: ignore[arg-type]


def test_duplicate_swe_numbers_and_every_listed_check_is_implemented() -> None:
    one = spell(record("1"))
    two = spell(record("2"))
    census = build_return(SPEC, CouncilCensus(la_code="999"), [one, two], {}, {}, LaLevel(Decimal(1), Decimal(0), 0),
                          date(2026, 9, 30))  # fmt: skip
    codes = {f.code for f in readiness(census).failing}
    assert "duplicate-swe-number" in codes
    source = (REPO / "ecf" / "census" / "checks.py").read_text()
    assert all(f'"{check.code}"' in source for check in SPEC.checks)


# --- the importer's parsers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        (Kind.ETHNICITY, "Asian or Asian British: Indian", "AIND"), (Kind.ETHNICITY, "White - Irish", "WIRI"),
        (Kind.ETHNICITY, "Prefer not to say", "REFU"), (Kind.ETHNICITY, "bafr", "BAFR"),
        (Kind.ETHNICITY, "Mixed: White and Black Caribbean", "MWBC"), (Kind.GENDER, "F", "2"),
        (Kind.GENDER, "Male", "1"), (Kind.GENDER, "9", "9"), (Kind.QUAL_LEVEL, "MA", "2"), (Kind.CENSUS_FLAG, "Y", "1"),
        (Kind.START_ORIGIN, "Newly qualified", "1"), (Kind.START_ORIGIN, "Social worker role outside England", "3"),
        (Kind.LEAVER_DESTINATION, "Agency", "3"), (Kind.CENSUS_ABSENCE, "Jury service", "PUB"),
    ],
)  # fmt: skip
def test_census_codes_from_common_spellings(kind: Kind, text: str, code: str) -> None:
    parse = census_parser(kind)
    assert parse is not None and parse(text) == code


def test_an_unreadable_special_category_value_is_never_repeated() -> None:
    parse = census_parser(Kind.ETHNICITY)
    assert parse is not None
    with pytest.raises(CellError) as caught:
        parse("Martian")
    assert caught.value.code == "invalid-census-value" and "Martian" not in caught.value.message
    birth = census_parser(Kind.BIRTH_DATE)
    assert birth is not None and birth("14/03/1987") == date(1987, 3, 14)
    with pytest.raises(CellError) as bad_date:
        birth("31/02/1987")
    assert "1987" not in bad_date.value.message
    origin = census_parser(Kind.START_ORIGIN)
    assert origin is not None
    with pytest.raises(CellError, match="'Moon base' not recognised"):
        origin("Moon base")


def test_an_earlier_return_is_read_by_the_census_inputs_reader() -> None:
    """`--previous FILE.xml` and `ecf import FILE.xml` share one reader: namespaces read, a DOCTYPE refused unread."""
    from ecf.census.figures import ReturnFileError, figures_from_xml

    fixture = (Path(__file__).parent.parent / "data" / "census" / "census_2024.xml").read_bytes()
    plain = figures_from_xml(fixture, "census_2024.xml")
    assert (plain.year, plain.headcount, plain.vacancy_fte) == (2024, 2, Decimal("4.50"))
    spaced = fixture.replace(b"<Message>", b'<Message xmlns="http://www.example.invalid/csww">')
    assert figures_from_xml(spaced, "spaced.xml") == replace(plain, source="spaced.xml")
    with pytest.raises(ReturnFileError, match="DOCTYPE"):
        figures_from_xml(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Message/>', "evil.xml")
    with pytest.raises(ReturnFileError, match="not a CSWW return"):
        figures_from_xml(b"<Other/>", "other.xml")
