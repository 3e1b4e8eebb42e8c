"""Mapping profiles on realistic exports: the four built-in profiles, profile features, the census XML as an input."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ecf.domain.worker import ContractType
from ecf.services.context import App
from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.services.progression import assess_workforce
from importers.mapping import ProfileError, profile_from_toml
from importers.profiles.builtin import BUILTIN_NAMES, builtin_profile
from importers.readers import UnreadableFile

DATA = Path(__file__).resolve().parent / "data"
EXPORTS = DATA / "exports"
XS = "{http://www.w3.org/2001/XMLSchema}"


def copy(tmp_path: Path, source: Path) -> Path:
    """Tests import a copy: an import writes its report beside the file."""
    return Path(shutil.copy(source, tmp_path / source.name))


def imported(app: App, tmp_path: Path, name: str, profile: str | None) -> dict[str, object]:
    result = import_file(app, ImportRequest(copy(tmp_path, EXPORTS / name), profile=profile))
    assert result.outcome is Outcome.IMPORTED, [i.message for i in result.validated.errors]  # type: ignore[union-attr]
    assert result.as_of is not None
    with app.unit_of_work() as uow:
        return dict(uow.snapshots.snapshot(result.as_of))


def test_the_census_csv_with_the_csww_profile(app, tmp_path):
    workers = imported(app, tmp_path, "csww_2025-09-30.csv", "csww")
    assert sorted(workers) == ["SW104233", "SW120045", "SW77310", "SW98812"]
    first = workers["SW104233"]
    assert (first.swe_number, first.date_qualified, first.start_date) == ("SW104233", None, date(2021, 9, 1))
    assert (first.fte, first.contract_type, first.role, first.caseload) == (
        Decimal(1),
        ContractType.PERMANENT,
        "Case holder",
        17,
    )
    assert workers["SW120045"].contract_type is ContractType.AGENCY
    assert workers["SW98812"].fte == Decimal("0.6")
    leaver = workers["SW77310"]  # FTE 0 on a leaver is the census's way, not an error
    assert (leaver.fte, leaver.leaving_date, leaver.leaving_reason) == (Decimal(0), date(2025, 5, 31), "Resignation")


def test_the_nfi_payroll_extract_scales_hours_and_takes_constants(app, tmp_path):
    workers = imported(app, tmp_path, "nfi_payroll_2026-10-31.csv", "nfi-payroll")
    assert sorted(workers) == ["00412", "00518", "00733", "00901"]
    assert workers["00518"].fte == Decimal("0.6")  # 2220 = 22.2 hours of 37
    assert workers["00733"].fte == Decimal("0.4324")  # 1600 = 16 hours
    assert workers["00412"].fte == Decimal(1)  # flag F
    assert {w.contract_type for w in workers.values()} == {ContractType.PERMANENT}
    assert workers["00412"].date_qualified is None and workers["00412"].swe_number is None
    assert (workers["00412"].surname, workers["00412"].forename, workers["00412"].team) == (
        "Okafor",
        "Adaeze",
        "Childrens Assessment North",
    )
    assert workers["00901"].leaving_date == date(2026, 8, 31)
    assert workers["00518"].start_date == date(2019, 1, 15)


def test_the_absent_fields_give_one_summarised_warning(app, tmp_path):
    path = copy(tmp_path, EXPORTS / "nfi_payroll_2026-10-31.csv")
    result = import_file(app, ImportRequest(path, profile="nfi-payroll"))
    assert result.validated is not None
    assert [i.code for i in result.validated.warnings] == ["field-absent"]
    assert "4 workers imported without" in result.validated.warnings[0].message


def test_resourcelink_takes_the_role_from_job_not_the_post_number(app, tmp_path):
    workers = imported(app, tmp_path, "resourcelink_2026-10-31.csv", "resourcelink")
    kelly = workers["001248"]
    assert (kelly.role, kelly.grade, kelly.fte, kelly.swe_number) == (
        "Senior Practitioner",
        "SCP 35",
        Decimal("0.6"),
        "SW43191",
    )
    assert (kelly.start_date, kelly.date_qualified) == (date(2007, 4, 12), date(2005, 11, 25))
    assert workers["005586"].contract_type is ContractType.FIXED_TERM
    assert (workers["007650"].leaving_date, workers["007650"].leaving_reason) == (date(2026, 9, 30), "Resignation")


def test_oracle_hcm_below_a_title_with_year_first_dates(app, tmp_path):
    workers = imported(app, tmp_path, "oracle_hcm_2026-10-31.csv", "oracle-hcm")
    assert sorted(workers) == ["E0977", "E1042", "E1187", "E1203"]
    assert workers["E1187"].start_date == date(2022, 9, 5)
    assert workers["E1187"].date_qualified == date(2022, 7, 15)
    assert workers["E1187"].fte == Decimal("0.8")
    assert workers["E0977"].leaving_date == date(2026, 8, 31)  # 'Actual Termination Date'
    assert workers["E1203"].contract_type is ContractType.FIXED_TERM


@pytest.mark.parametrize("name", ["nfi_payroll_2026-10-31.csv", "resourcelink_2026-10-31.csv"])
def test_without_the_profile_the_export_is_refused_with_a_way_forward(app, tmp_path, name):
    with pytest.raises(UnreadableFile) as caught:
        import_file(app, ImportRequest(copy(tmp_path, EXPORTS / name)))
    assert "ecf profile suggest" in str(caught.value)


def test_workers_without_a_qualification_date_count_but_have_no_milestones(app, tmp_path):
    imported(app, tmp_path, "nfi_payroll_2026-10-31.csv", "nfi-payroll")
    progress = assess_workforce(app, date(2026, 10, 31))
    assert (progress.workers, progress.without_qualified_date) == ([], 3)  # 00901 left in August


# --- the census XML ---------------------------------------------------------------------------------------------


def _schema() -> tuple[list[tuple[str, str, int, str]], dict[str, set[str]]]:
    root = ElementTree.parse(DATA / "census" / "social_work_workforce_2022.xsd").getroot()
    worker = next(t for t in root.iter(f"{XS}complexType") if t.get("name") == "workertype")
    items = [
        (e.get("name", ""), e.get("type", ""), int(e.get("minOccurs", "1")), e.get("maxOccurs", "1"))
        for e in worker.iter(f"{XS}element")
    ]
    codes = {
        t.get("name", ""): {e.get("value", "") for e in t.iter(f"{XS}enumeration")}
        for t in root.iter(f"{XS}simpleType")
        if t.get("name")
    }
    return items, codes


def test_the_census_fixture_follows_the_schemas_structure():
    """Each CSWWWorker's items in schema order, within their occurrences, codes from the schema's code sets."""
    items, codes = _schema()
    order = [name for name, *_ in items]
    message = ElementTree.parse(DATA / "census" / "census_2024.xml").getroot()
    assert [child.tag for child in message][:2] == ["Header", "LALevelVacancies"]
    workers = message.findall("CSWWWorker")
    assert len(workers) == 4
    for worker in workers:
        tags = [child.tag for child in worker]
        assert tags == sorted(tags, key=order.index)
        for name, kind, least, most in items:
            count = tags.count(name)
            assert count >= least and (most == "unbounded" or count <= int(most)), name
            for element in worker.findall(name):
                if codes.get(kind):
                    assert element.text in codes[kind], (name, element.text)
        assert len(worker.findtext("SWENo", "")) == 12  # two letters and ten digits


def test_the_census_fixture_validates_against_the_xsd():
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(DATA / "census" / "social_work_workforce_2022.xsd")))
    assert schema.validate(etree.parse(str(DATA / "census" / "census_2024.xml"))), schema.error_log


def test_the_census_xml_imports_at_its_reference_date(app, tmp_path):
    path = copy(tmp_path, DATA / "census" / "census_2024.xml")
    result = import_file(app, ImportRequest(path))
    assert (result.outcome, result.as_of) == (Outcome.IMPORTED, date(2024, 9, 30))
    with app.unit_of_work() as uow:
        workers = uow.snapshots.snapshot(date(2024, 9, 30))
    assert sorted(workers) == ["SW104233", "SW120045", "SW77310", "SW98812"]  # unpadded from SW0000104233
    assert workers["SW120045"].contract_type is ContractType.AGENCY
    assert (workers["SW77310"].fte, workers["SW77310"].leaving_date) == (Decimal(0), date(2024, 5, 31))
    assert workers["SW98812"].role == "Senior practitioner"
    assert all(w.date_qualified is None and w.surname is None for w in workers.values())


def test_the_csww_profile_takes_its_codes_from_the_census_specification():
    """One source for the census code sets: the year's specification, read by the census input and the return."""
    from ecf.census.spec import latest_spec
    from importers.census_xml import worker_items
    from importers.fields import normalise_header

    spec = latest_spec()
    columns = builtin_profile("csww").column_specs()
    for item in ("OrgRole", "ReasonLeave"):
        assert columns[normalise_header(item)].value_map() == spec.codes[item]
    assert worker_items() == spec.item_names
    profile = profile_from_toml('name = "x"\n[columns]\n"Job" = { field = "role", codes = "OrgRole" }\n', "x.toml")
    assert profile.columns["Job"].value_map()["3"] == "First line manager"
    assert profile_from_toml(profile.to_toml(), "x.toml") == profile
    with pytest.raises(ProfileError, match="codes = 'Roles' is not a census code set"):
        profile_from_toml('name = "x"\n[columns]\n"Job" = { field = "role", codes = "Roles" }\n', "mine.toml")


def test_a_census_file_with_a_doctype_is_refused(app, tmp_path):
    path = tmp_path / "census_2024.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Message/>')
    with pytest.raises(UnreadableFile, match="DOCTYPE"):
        import_file(app, ImportRequest(path, as_of=date(2024, 9, 30)))


# --- profile features and strictness ----------------------------------------------------------------------------


def test_every_built_in_profile_reads_back_from_its_own_toml():
    for name in BUILTIN_NAMES:
        profile = builtin_profile(name)
        assert profile_from_toml(profile.to_toml(), name) == profile


def test_an_unknown_key_names_the_file_the_key_and_the_valid_keys():
    with pytest.raises(ProfileError) as caught:
        profile_from_toml('name = "x"\nheader = 3\n', "mine.toml")
    assert str(caught.value).startswith("mine.toml: key 'header': unknown key; valid keys here: name, description")
    assert "header_row" in str(caught.value)


def test_a_wrong_field_name_lists_the_valid_ones():
    with pytest.raises(ProfileError) as caught:
        profile_from_toml('name = "x"\n[columns]\n"Job" = "rol"\n', "mine.toml")
    message = str(caught.value)
    assert "mine.toml: key 'columns.Job'" in message and "unknown field 'rol'" in message
    assert "employee_id, surname, forename" in message


def test_only_date_qualified_may_be_absent_among_the_required_fields():
    with pytest.raises(ProfileError, match="'employee_id' is needed for every worker"):
        profile_from_toml('name = "x"\nabsent = ["employee_id"]\n', "mine.toml")


def test_split_join_fixed_header_row_and_a_value_map(app, tmp_path):
    path = tmp_path / "hr_2026-10-31.csv"
    path.write_text(
        "Payroll extract,,,,,,\n"
        "Ref,Name,Qualified,Joined,Hours pct,Kind,Middle\n"
        '"7",,"Smith, Jo",03/05/2019,09/01/2020,60,AG,Ann\n'.replace('"7",,', '"7",')
    )
    profile = tmp_path / "mine.toml"
    profile.write_text(
        'name = "mine"\nheader_row = 2\n'
        '[columns]\n"Ref" = "employee_id"\n'
        '"Name" = { split = ["surname", "forename"], separator = "," }\n'
        '"Qualified" = { field = "date_qualified", dates = "mdy" }\n'
        '"Joined" = "start_date"\n'
        '"Hours pct" = { field = "fte", unit = "percent" }\n'
        '"Kind" = { field = "contract_type", values = { AG = "agency" } }\n'
        '"Middle" = "ignore"\n'
    )
    result = import_file(app, ImportRequest(path, profile=str(profile)))
    assert result.outcome is Outcome.IMPORTED, [i.message for i in result.validated.issues]  # type: ignore[union-attr]
    with app.unit_of_work() as uow:
        record = uow.snapshots.snapshot(date(2026, 10, 31))["7"]
    assert (record.surname, record.forename) == ("Smith", "Jo")
    assert (record.date_qualified, record.start_date) == (date(2019, 3, 5), date(2020, 1, 9))
    assert (record.fte, record.contract_type) == (Decimal("0.6"), ContractType.AGENCY)


def test_a_join_and_one_column_into_two_fields(app, tmp_path):
    path = tmp_path / "hr_2026-10-31.csv"
    path.write_text(
        "Payroll No,First,Middle,Qualified,Start date,FTE,Contract\n"
        "SW104233,Mary,Ann,01/06/2019,01/09/2020,1,Permanent\n"
    )
    profile = tmp_path / "mine.toml"
    profile.write_text(
        'name = "mine"\n[columns]\n"Payroll No" = ["employee_id", "swe_number"]\n'
        '[join]\nforename = { columns = ["First", "Middle"] }\n'
    )
    result = import_file(app, ImportRequest(path, profile=str(profile)))
    assert result.outcome is Outcome.IMPORTED
    with app.unit_of_work() as uow:
        record = uow.snapshots.snapshot(date(2026, 10, 31))["SW104233"]
    assert (record.swe_number, record.forename) == ("SW104233", "Mary Ann")


def test_fte_zero_without_a_leaving_date_is_still_an_error(app, tmp_path):
    path = tmp_path / "hr_2026-10-31.csv"
    path.write_text("Employee ID,Date qualified,Start date,FTE,Contract\n1,01/06/2019,01/09/2020,0,Permanent\n")
    result = import_file(app, ImportRequest(path))
    assert result.outcome is Outcome.REJECTED
    assert [i.code for i in result.validated.errors] == ["fte-out-of-range"]  # type: ignore[union-attr]


def test_saving_a_profile_is_audited(app):
    from ecf.services import audit
    from ecf.services.profiles import profile_text, save_profile

    save_profile(app, builtin_profile("oracle-hcm"), "our-oracle")
    assert [(e.action, e.subject) for e in audit.events(app)] == [("profile.save", "profile our-oracle")]
    assert profile_from_toml(profile_text(app, "our-oracle"), "saved") == builtin_profile("oracle-hcm")


HR_WITH_SWE = (
    "Employee ID,SWE Registration Number,Date qualified,Start date,FTE,Contract type\n"
    "4512,SW104233,30/06/2021,01/09/2021,1,Permanent\n"
    "4513,SW98812,30/06/2018,15/01/2019,0.6,Permanent\n"
)


def _facts_by_date(app: App) -> dict[date, list[str]]:
    with app.unit_of_work() as uow:
        return {d: sorted(uow.snapshots.snapshot(d)) for d in uow.imports.active_dates()}


def test_an_hr_import_after_the_census_matches_its_workers_by_swe_number(app, tmp_path):
    import_file(app, ImportRequest(copy(tmp_path, DATA / "census" / "census_2024.xml")))
    hr = tmp_path / "hr_2024-10-31.csv"
    hr.write_text(HR_WITH_SWE)
    result = import_file(app, ImportRequest(hr, allow_drop=True))
    assert result.outcome is Outcome.IMPORTED
    assert _facts_by_date(app) == {
        date(2024, 9, 30): ["4512", "4513", "SW120045", "SW77310"],  # the census rows take the HR IDs
        date(2024, 10, 31): ["4512", "4513"],
    }
    progress = assess_workforce(app, date(2024, 10, 31))
    assert "4512" in {w.state.record.employee_id for w in progress.workers}  # now it has a qualification date


def test_a_census_imported_after_hr_files_takes_their_ids(app, tmp_path):
    hr = tmp_path / "hr_2024-08-31.csv"
    hr.write_text(HR_WITH_SWE)
    import_file(app, ImportRequest(hr))
    import_file(app, ImportRequest(copy(tmp_path, DATA / "census" / "census_2024.xml")))
    assert _facts_by_date(app)[date(2024, 9, 30)] == ["4512", "4513", "SW120045", "SW77310"]


def _census(year: int, workers: list[tuple[str, str, str, str | None]]) -> str:
    """A small return: (agency flag, SWE number, FTE, role end date) per worker."""
    items = "".join(
        f"<CSWWWorker><AgencyWorker>{agency}</AgencyWorker><SWENo>{swe}</SWENo><FTE>{fte}</FTE>"
        f"<QualInst>University of Leeds</QualInst><OrgRole>5</OrgRole><RoleStartDate>2015-04-01</RoleStartDate>"
        + (f"<RoleEndDate>{end}</RoleEndDate><ReasonLeave>1</ReasonLeave>" if end else "")
        + "</CSWWWorker>"
        for agency, swe, fte, end in workers
    )
    return (
        f"<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>{year}</Year></CollectionDetails>"
        f"</Header><LALevelVacancies><NumberOfVacancies>1.00</NumberOfVacancies><NoAgencyFTE>1.00</NoAgencyFTE>"
        f"<NoAgencyHeadcount>1</NoAgencyHeadcount></LALevelVacancies>{items}</Message>"
    )


def test_several_census_returns_give_a_trend_of_turnover_and_agency_on_day_one(app, tmp_path):
    from ecf.services.progression import indicator_trend

    returns = {
        2022: [("0", "SW0000000101", "1.000000", None), ("0", "SW0000000102", "1.000000", None),
               ("1", "SW0000000103", "1.000000", None), ("0", "SW0000000104", "1.000000", None)],
        2023: [("0", "SW0000000101", "1.000000", None), ("0", "SW0000000102", "0.000000", "2023-03-31"),
               ("1", "SW0000000103", "1.000000", None), ("0", "SW0000000104", "1.000000", None)],
        2024: [("0", "SW0000000101", "1.000000", None), ("1", "SW0000000103", "1.000000", None),
               ("1", "SW0000000105", "1.000000", None), ("0", "SW0000000104", "1.000000", None)],
    }  # fmt: skip
    for year, workers in returns.items():
        path = tmp_path / f"census_{year}.xml"
        path.write_text(_census(year, workers))
        assert import_file(app, ImportRequest(path)).outcome is Outcome.IMPORTED
    trend = [i for i in indicator_trend(app) if i.scope == "all teams"]
    assert [i.snapshot for i in trend] == [date(2022, 9, 30), date(2023, 9, 30), date(2024, 9, 30)]
    assert [i.headcount for i in trend] == [3, 2, 2]  # own staff; the 2023 leaver (FTE 0) is not in post
    assert [i.agency_headcount for i in trend] == [1, 1, 2]
    assert trend[1].leavers == 1
