"""The census return from real imports: a small council counted by hand, written as XML and checked against the
community schema (tests/data/csww), its readiness checks and the "to complete" csv, and the published figures."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import HEADERS, worker, write_xlsx
from lxml import etree

from ecf.census.build import census_spells
from ecf.census.spec import load_spec
from ecf.census.xml import return_xml, validation_errors
from ecf.services import audit
from ecf.services.census import (
    CensusError,
    _stages,
    build_census,
    check_before_writing,
    to_complete_csv,
    write_return,
    write_to_complete,
)
from ecf.services.context import App
from ecf.services.imports import ImportRequest, Outcome, import_file
from ecf.services.progression import rulebook, workforce_indicators
from importers.fields import ALIASES, normalise_header

SCHEMA = (Path(__file__).parent / "data" / "csww" / "social_work_workforce_2022.xsd").read_bytes()
CENSUS_HEADERS = [
    "Caseload", "Date of Birth", "Gender", "Ethnicity", "Qualifying Institution", "Qualification Level",
    "Step Up Graduate", "Frontline Graduate", "Start Origin", "Leaver Destination", "Line Manager",
]  # fmt: skip
ALL_HEADERS = [*HEADERS, *CENSUS_HEADERS]
RULES = """
[council]
name = "Smallton"
[council.establishment_fte]
"Child Protection" = 6
[council.census]
la_code = "999"
"""
PRODUCED = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)


def census(**overrides: Any) -> dict[str, Any]:
    row = {
        "Date of Birth": date(1990, 5, 17), "Gender": "Female", "Ethnicity": "White British",
        "Qualifying Institution": "University of York", "Qualification Level": "Postgraduate",
        "Step Up Graduate": "No", "Frontline Graduate": "Yes", "Start Origin": "Another local authority",
    }  # fmt: skip
    row.update(overrides)
    return row


def a(**more: Any) -> dict[str, Any]:  # in post; sick over both ends of the year
    return worker("1001", **census(), **{"Caseload": 15, "Start Date": date(2020, 1, 6)}, **more)


def b(**more: Any) -> dict[str, Any]:  # part-time senior practitioner, leaves on 15/09/2026
    return worker("1002", **census(**{"Gender": "M", "Ethnicity": "Black or Black British: African"}),
                  **{"FTE": 0.6, "Role": "Senior Practitioner", "Caseload": 10}, **more)  # fmt: skip


def c(**more: Any) -> dict[str, Any]:  # agency from 02/03/2026
    return worker("1003", **{"Contract Type": "Agency", "Caseload": 12, "Start Date": date(2026, 3, 2),
                             "Grade": None, "Spinal Column Point": None}, **more)  # fmt: skip


def d(**more: Any) -> dict[str, Any]:  # agency from before the year to 31/12/2025
    return worker("1004", **{"Contract Type": "Agency", "Start Date": date(2025, 6, 1), "Caseload": 9,
                             "Grade": None, "Spinal Column Point": None}, **more)  # fmt: skip


def e() -> dict[str, Any]:  # newly qualified, starts the ASYE on 01/09/2026
    return worker("1005", **census(**{"Start Origin": None}),
                  **{"Role": "ASYE Social Worker", "Date Qualified": date(2026, 6, 30), "Start Date": date(2026, 9, 1),
                     "ASYE Start Date": date(2026, 9, 1), "ASYE Status": "In progress", "Caseload": 5})  # fmt: skip


def f() -> dict[str, Any]:  # team manager, no caseload
    return worker("1006", **census(), **{"Role": "Team Manager", "Grade": "TM", "Spinal Column Point": 40})


def g() -> dict[str, Any]:  # gone from the sheets after August without a leaving date
    return worker("1007", **census())


def h() -> dict[str, Any]:  # booked to start after the census year
    return worker("1008", **census(), **{"Start Date": date(2026, 10, 5)})


SICK_2025 = {"Absence Start": date(2025, 9, 29), "Absence End": date(2025, 10, 3), "Absence Type": "Sickness"}
SICK_2026 = {"Absence Start": date(2026, 9, 28), "Absence Type": "Sickness"}


def months() -> dict[str, list[dict[str, Any]]]:
    return {
        "hr_2025-11-30.xlsx": [a(**SICK_2025), d(**{"Leaving Date": date(2025, 12, 31)})],
        "hr_2025-12-31.xlsx": [
            a(**SICK_2025, **{"Line Manager": "Pat Lee"}), d(**{"Leaving Date": date(2025, 12, 31)}),
        ],
        "hr_2026-08-31.xlsx": [a(**SICK_2025), b(), c(), g()],
        "hr_2026-09-30.xlsx": [
            a(**SICK_2026),
            b(**{"Leaving Date": date(2026, 9, 15), "Leaving Reason": "Resignation",
                 "Leaver Destination": "Another local authority"}),
            c(), e(), f(), h(),
        ],
    }  # fmt: skip


@pytest.fixture
def smallton(app: App, tmp_path: Path) -> tuple[App, Path]:
    for name, rows in months().items():
        path = write_xlsx(tmp_path / name, rows, headers=ALL_HEADERS)
        result = import_file(app, ImportRequest(path, write_report=False, allow_drop=True))
        assert result.outcome is Outcome.IMPORTED, name
    rules = tmp_path / "smallton.toml"
    rules.write_text(RULES, encoding="utf-8")
    return app, rules


def by_id(built: Any) -> dict[str, dict[str, Any]]:
    return {w.employee_id: w.items for w in built.census.workers}


def test_smallton_return_counted_by_hand(smallton: tuple[App, Path]) -> None:
    app, rules = smallton
    built = build_census(app, 2026, rules_file=rules)
    records = by_id(built)
    assert sorted(records) == ["1001", "1002", "1003", "1004", "1005", "1006", "1007"]  # 1008 starts after the year
    assert records["1001"] == {
        "AgencyWorker": "0", "SWENo": "SW0000101001", "FTE": Decimal("1.000000"), "PersonBirthDate": date(1990, 5, 17),
        "GenderCurrent": "2", "Ethnicity": "WBRI", "QualInst": "University of York", "QualLevel": "2",
        "StepUpGrad": "0", "OrgRole": "5", "RoleStartDate": date(2020, 1, 6), "FTE30": Decimal("1.000000"),
        "Cases30": 15, "WorkingDaysLost": Decimal("6.00"), "FrontlineGrad": "1", "Absat30Sept": "1",
        "ReasonAbsence": "SIC", "CFKSSstatus": "2", "StartOrigin": "2",
    }  # fmt: skip
    # Mid-September leaver: FTE at leaving, FTE30 0, the end date, reason and destination through the maps.
    leaver = records["1002"]
    assert (leaver["FTE"], leaver["FTE30"], leaver["RoleEndDate"]) == (Decimal("0.6"), Decimal(0), date(2026, 9, 15))
    assert (leaver["ReasonLeave"], leaver["LeaverDestination"], leaver["OrgRole"]) == ("1", "1", "4")
    assert (leaver["GenderCurrent"], leaver["Ethnicity"]) == ("1", "BAFR")
    assert "Cases30" not in leaver and "Absat30Sept" not in leaver
    assert records["1003"]["ContractWeeks"] == Decimal("30.4")  # 02/03/2026-30/09/2026: 213 days
    assert records["1004"]["ContractWeeks"] == Decimal("13.1")  # 01/10/2025-31/12/2025: 92 days
    assert records["1004"]["RoleEndDate"] == date(2025, 12, 31) and "WorkingDaysLost" not in records["1004"]
    assert (records["1005"]["StartOrigin"], records["1005"]["CFKSSstatus"]) == ("1", "1")  # from the engine: ASYE
    assert (records["1006"]["OrgRole"], records["1006"]["CFKSSstatus"]) == ("3", "3")
    assert "Cases30" not in records["1006"]
    assert "RoleEndDate" not in records["1007"] and records["1007"]["FTE30"] == Decimal(0)
    la = built.census.la_level
    assert (la.vacancies, la.agency_fte, la.agency_headcount) == (Decimal(3), Decimal(1), 1)


def test_smallton_figures_equal_indicators(smallton: tuple[App, Path]) -> None:
    app, rules = smallton
    built = build_census(app, 2026, rules_file=rules)
    figures = built.figures
    assert (figures.headcount, figures.fte, figures.agency_headcount, figures.leavers) == (3, Decimal(3), 1, 2)
    assert figures.leavers_fte == Decimal("1.6")
    assert (figures.turnover, figures.agency_rate, figures.vacancy_rate) == (
        Decimal("0.5333"), Decimal("0.2500"), Decimal("0.5000"),
    )  # fmt: skip
    assert figures.caseload == Decimal("10.7")  # (15 + 12 + 5) / 3 FTE of the case holders


def test_smallton_xml_meets_the_schema(smallton: tuple[App, Path], tmp_path: Path) -> None:
    app, rules = smallton
    built = build_census(app, 2026, rules_file=rules)
    xml = return_xml(built.census, PRODUCED)
    assert validation_errors(xml, SCHEMA) == []
    root = etree.fromstring(xml)
    assert root.findtext("Header/Source/LEA") == "999"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-09-30"
    assert [e.text for e in root.find("LALevelVacancies")] == ["3.00", "1.00", "1"]
    first = root.find("CSWWWorker")
    assert [e.tag for e in first][:7] == ["AgencyWorker", "SWENo", "FTE", "PersonBirthDate", "GenderCurrent",
                                         "Ethnicity", "QualInst"]  # fmt: skip
    out = tmp_path / "return.xml"
    assert write_return(app, built, out, PRODUCED) == 7
    assert out.stat().st_mode & 0o777 == 0o600
    assert validation_errors(out.read_bytes(), SCHEMA) == []
    with pytest.raises(CensusError, match="exists"):
        write_return(app, built, out, PRODUCED)
    [event] = [e for e in audit.events(app) if e.action == "census_export"]
    assert (event.subject, event.details) == ("census 2026", {"records": 7})


def test_a_missing_setting_or_a_file_in_the_way_is_said_before_the_census_year_is_read(
    smallton: tuple[App, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a big workforce's census year takes seconds (13 s for 40,000 workers over 60 months): `ecf census
    --out` asks for the LA code, the establishment and a free file name first, from the rules alone."""
    app, rules = smallton
    out = tmp_path / "return.xml"
    from ecf.storage.repository import SnapshotRepository

    def unread(*_: object, **__: object) -> None:
        raise AssertionError("read a snapshot")

    for name in ("snapshot", "timeline", "spells"):  # nothing here reads the snapshots
        monkeypatch.setattr(SnapshotRepository, name, unread)
    check_before_writing(app, out, rules_file=rules)  # la_code 999 and an establishment in the rules: ready
    with pytest.raises(CensusError, match="no LA code: give --la CODE"):
        check_before_writing(app, out)  # the stored rules have neither, and the LA code is asked for first
    with pytest.raises(CensusError, match="no establishment"):
        check_before_writing(app, out, la_code="123")
    with pytest.raises(CensusError, match="LA code '12' is not the DfE's three-digit number"):
        check_before_writing(app, out, la_code="12", rules_file=rules)
    out.write_text("an earlier return", encoding="utf-8")
    with pytest.raises(CensusError, match="exists; pass --force"):
        check_before_writing(app, out, rules_file=rules)
    check_before_writing(app, out, rules_file=rules, force=True)


def test_smallton_readiness(smallton: tuple[App, Path]) -> None:
    app, rules = smallton
    ready = build_census(app, 2026, rules_file=rules).readiness
    missing = {(f.employee_id, f.item) for f in ready.missing}
    assert ("1006", "Cases30") in missing  # the team manager's caseload is blank
    assert ("1007", "RoleEndDate") in missing and ("1007", "ReasonLeave") in missing
    assert ("1003", "PersonBirthDate") not in missing  # agency workers: not asked
    failing = {(f.employee_id, f.code) for f in ready.failing}
    assert failing == {("1007", "left-without-date"), ("1007", "leaver-needs-reason"),
                       ("1007", "leaver-needs-destination")}  # fmt: skip
    assert ready.return_level == ()


def test_to_complete_csv_is_importable(smallton: tuple[App, Path], tmp_path: Path) -> None:
    app, rules = smallton
    built = build_census(app, 2026, rules_file=rules)
    rows = list(csv.reader(io.StringIO(to_complete_csv(built))))
    header = rows[0]
    assert header[:4] == ["Employee ID", "Surname", "Forename", "Team"] and "Census check" in header
    # Every column but the check's note is a header the importer recognises.
    assert all(normalise_header(h) in ALIASES for h in header if h != "Census check")
    assert [r[0] for r in rows[1:]] == ["1003", "1006", "1007"]  # the agency starter lacks a start origin
    manager = dict(zip(header, rows[2], strict=True))
    assert manager["Census check"] == "cases at 30 September missing" and manager["Caseload"] == ""
    assert (manager["Start date"], manager["FTE"], manager["Role"]) == ("2020-09-01", "1.0000", "Team Manager")
    out = tmp_path / "to_complete.csv"
    written = write_to_complete(built, out)
    # One file per snapshot the rows come from: the leaver gone after August is corrected in August's.
    assert [(p.name, d, n) for p, d, n in written] == [
        ("to_complete_2026-09-30.csv", date(2026, 9, 30), 2), ("to_complete_2026-08-31.csv", date(2026, 8, 31), 1),
    ]  # fmt: skip
    assert all(p.stat().st_mode & 0o777 == 0o600 for p, _, _ in written)
    with pytest.raises(CensusError, match="exists"):
        write_to_complete(built, out)


def _fill(path: Path, values: dict[str, dict[str, str]]) -> None:
    """HR fills in the blank columns of a "to complete" csv, as a spreadsheet saves it."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row.update(values.get(row["Employee ID"], {}))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_to_complete_round_trip(smallton: tuple[App, Path], tmp_path: Path) -> None:
    """HR fills in the csv and imports each file back as a correction: the check then passes for those workers, and
    nothing else in the return changes."""
    app, rules = smallton
    before = build_census(app, 2026, rules_file=rules)
    assert before.readiness.complete_records == 4
    written = write_to_complete(before, tmp_path / "to_complete.csv")
    september, august = (path for path, _, _ in written)
    _fill(september, {"1003": {"Start origin": "Agency"}, "1006": {"Caseload": "0"}})
    _fill(august, {"1007": {"Leaving date": "2026-09-04", "Leaving reason": "Resignation",
                            "Leaver destination": "Another local authority"}})  # fmt: skip
    for path in (september, august):
        result = import_file(app, ImportRequest(path, correct=True, write_report=False))
        assert result.outcome is Outcome.IMPORTED, (path.name, result.validated and result.validated.issues[:3])
        assert result.validated is not None and result.validated.issues == []
    after = build_census(app, 2026, rules_file=rules)
    assert (after.readiness.missing, after.readiness.failing) == ((), ())
    assert after.readiness.complete_records == after.readiness.records == 7
    records, earlier = by_id(after), by_id(before)
    assert records["1003"]["StartOrigin"] == "4"  # agency or consultancy in social work
    assert (records["1006"]["Cases30"], records["1006"]["OrgRole"]) == (0, "3")
    assert {k: records["1007"][k] for k in ("RoleEndDate", "ReasonLeave", "LeaverDestination", "FTE30")} == {
        "RoleEndDate": date(2026, 9, 4), "ReasonLeave": "1", "LeaverDestination": "1", "FTE30": Decimal(0),
    }  # fmt: skip
    for employee_id in ("1001", "1002", "1004", "1005"):  # the workers not in the csv: exactly as before
        assert records[employee_id] == earlier[employee_id]
    changed = {"1003": {"StartOrigin"}, "1006": {"Cases30"}, "1007": {"RoleEndDate", "ReasonLeave",
                                                                      "LeaverDestination"}}  # fmt: skip
    for employee_id, items in changed.items():  # and the rows in the csv: only the items filled in
        assert {k: v for k, v in records[employee_id].items() if k not in items} == earlier[employee_id]
    assert validation_errors(return_xml(after.census, PRODUCED), SCHEMA) == []
    assert after.figures.leavers == before.figures.leavers  # the leaver was counted already, now with a date


def test_the_round_trip_through_the_cli_at_80_columns(smallton: tuple[App, Path], db_url: str, tmp_path: Path) -> None:
    """What HR runs: the check and the csv, then `ecf import ... --correct`; the output read through a pipe at 80
    columns (every line but the command to paste fits)."""
    _, rules = smallton

    def ecf(*args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"} | {"COLUMNS": "80"}
        done = subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db_url, *args], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    shown = ecf("census", "--year", "2026", "--rules", str(rules), "--check", "--to-complete", "fix.csv")
    lines = shown.splitlines()
    assert lines[:2] == [
        "Census 2026 (1 October 2025 - 30 September 2026), due 31/10/2026",
        "4 of 7 records complete; --to-complete FILE.csv writes what HR must fill in",
    ]
    assert "  cases at 30 September: 1 (Child Protection 1)" in lines
    assert "  ecf import fix_2026-09-30.csv fix_2026-08-31.csv --correct" in lines
    assert all(len(line) <= 80 for line in lines if not line.startswith("  ecf import")), shown
    _fill(tmp_path / "fix_2026-09-30.csv", {"1003": {"Start origin": "Agency"}, "1006": {"Caseload": "0"}})
    _fill(tmp_path / "fix_2026-08-31.csv", {"1007": {"Leaving date": "04/09/2026", "Leaving reason": "Resigned",
                                                     "Leaver destination": "Not known"}})  # fmt: skip
    ecf("import", "fix_2026-09-30.csv", "fix_2026-08-31.csv", "--correct")
    shown = ecf("census", "--year", "2026", "--rules", str(rules), "--check")
    assert shown.splitlines()[1] == "7 of 7 records complete; ready for --out FILE.xml"
    assert "No item missing, no check fails." in shown


def test_a_return_read_back_gives_the_same_codes(smallton: tuple[App, Path], tmp_path: Path) -> None:
    """One source for the code sets: the return ecf writes, imported back (the csww profile), is built into the same
    return again, code for code, for every item a return carries rather than works out (absences, CFKSS)."""
    app, rules = smallton
    built = build_census(app, 2026, rules_file=rules)
    path = tmp_path / "csww_2026.xml"
    path.write_bytes(return_xml(built.census, PRODUCED))
    reread = App.open(str(tmp_path / "reread.sqlite3"))
    try:
        result = import_file(reread, ImportRequest(path, write_report=False))
        assert (result.outcome, result.as_of) == (Outcome.IMPORTED, date(2026, 9, 30))
        again = build_census(reread, 2026, la_code="999")
    finally:
        reread.engine.dispose()
    derived = {"WorkingDaysLost", "Absat30Sept", "ReasonAbsence", "CFKSSstatus"}
    first = {w.items["SWENo"]: {k: v for k, v in w.items.items() if k not in derived} for w in built.census.workers}
    second = {w.items["SWENo"]: {k: v for k, v in w.items.items() if k not in derived} for w in again.census.workers}
    # 1007 left the sheets without a date: the return has no end date for them, so read back they are in post.
    assert (first.pop("SW0000101007")["FTE30"], second.pop("SW0000101007")["FTE30"]) == (0, 1)
    assert second == first
    assert {second[swe]["OrgRole"] for swe in second} == {"3", "4", "5"}  # read as "First line manager" and so on


def test_previous_return_gives_the_comparison(smallton: tuple[App, Path], tmp_path: Path) -> None:
    app, rules = smallton
    earlier = build_census(app, 2026, rules_file=rules)
    path = tmp_path / "csww_2025.xml"
    path.write_bytes(return_xml(earlier.census, PRODUCED).replace(b"<Year>2026</Year>", b"<Year>2025</Year>"))
    built = build_census(app, 2026, rules_file=rules, previous_return=path)
    assert built.previous is not None and built.previous.year == 2025 and built.previous.source == "csww_2025.xml"
    differences = {c.name: c.difference for c in built.comparison}
    assert differences["headcount"] == 0 and differences["turnover"] == Decimal(0)
    assert built.previous.caseload == built.figures.caseload


def test_sample_council(sample_app: App, tmp_path: Path) -> None:
    built = build_census(sample_app, 2026, la_code="999")
    found = workforce_indicators(sample_app, date(2026, 9, 30))[0]
    figures = built.figures
    assert (figures.headcount, figures.fte, figures.agency_headcount, figures.agency_fte) == (
        found.headcount, found.fte, found.agency_headcount, found.agency_fte)  # fmt: skip
    assert (figures.turnover, figures.agency_rate, figures.vacancy_rate, figures.caseload, figures.leavers) == (
        found.turnover, found.agency_rate, found.vacancy_rate, found.caseload, found.leavers)  # fmt: skip
    # The demo council can build a complete return: every record has what the census needs, and it is written
    # valid against the community schema.
    ready = built.readiness
    assert (ready.missing, ready.failing, ready.return_level) == ((), (), ())
    assert ready.complete_records == ready.records == len(built.census.workers) == 355
    out = tmp_path / "return.xml"
    assert write_return(sample_app, built, out, PRODUCED) == 355
    assert validation_errors(out.read_bytes(), SCHEMA) == []
    root = etree.parse(str(out)).getroot()
    workers = root.findall("CSWWWorker")
    leavers = [w for w in workers if w.find("RoleEndDate") is not None]  # every leaver with a date
    agency_leavers = sum(w.findtext("AgencyWorker") == "1" for w in leavers)
    assert (len(workers) - len(leavers), len(leavers) - agency_leavers, agency_leavers) == (
        figures.headcount + figures.agency_headcount, figures.leavers, 14)  # fmt: skip
    assert (figures.headcount, figures.agency_headcount, figures.leavers) == (275, 39, 27)


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    from ecf.services.demo import build_demo

    return build_demo(path=tmp_path_factory.mktemp("census") / "demo.sqlite3").app


def test_last_year_from_the_snapshots_when_no_earlier_return(app: App, tmp_path: Path) -> None:
    for name, rows in {"hr_2025-09-30.xlsx": [a(), b()], "hr_2026-09-30.xlsx": [a(), c()]}.items():
        request = ImportRequest(write_xlsx(tmp_path / name, rows, headers=ALL_HEADERS), allow_drop=True)
        assert import_file(app, request).outcome is Outcome.IMPORTED
    built = build_census(app, 2026, la_code="999")
    assert built.previous is not None and (built.previous.year, built.previous.source) == (2025, "snapshots")
    assert (built.previous.headcount, built.previous.fte) == (2, Decimal("1.6"))
    differences = {c.name: c.difference for c in built.comparison}
    assert (differences["headcount"], differences["fte"], differences["leavers"]) == (-1, Decimal("-0.6"), 1)


def test_later_items_fill_the_blanks_of_earlier_ones(app: App, tmp_path: Path) -> None:
    later = {**a(), "Ethnicity": None, "Qualification Level": "Undergraduate"}
    months = {"hr_2026-08-31.xlsx": [a()], "hr_2026-09-30.xlsx": [later]}
    for name, rows in months.items():
        import_file(app, ImportRequest(write_xlsx(tmp_path / name, rows, headers=ALL_HEADERS), allow_drop=True))
    items = build_census(app, 2026, la_code="999").census.workers[0].items
    assert (items["Ethnicity"], items["QualLevel"]) == ("WBRI", "1")  # the blank does not erase August's value


def test_a_missing_swe_number_comes_from_the_newest_row(app: App, tmp_path: Path) -> None:
    """September's row lacks the SWE number; November's, after the reference date, has it: the return takes it."""
    months = {
        "hr_2026-09-30.xlsx": [a(**{"SWE Registration Number": None}), f()],
        "hr_2026-11-30.xlsx": [a(**{"SWE Registration Number": "SW555001"}), f()],
    }
    for name, rows in months.items():
        import_file(app, ImportRequest(write_xlsx(tmp_path / name, rows, headers=ALL_HEADERS), allow_drop=True))
    workers = {w.employee_id: w.items for w in build_census(app, 2026, la_code="999").census.workers}
    assert workers["1001"]["SWENo"] == "SW0000555001"
    assert workers["1006"]["SWENo"] == "SW0000101006"  # its own row's number, as it was


def test_stages_from_the_returners_spells_alone_are_those_from_every_spell(app: App, tmp_path: Path) -> None:
    """The return's stages read only the returners' spells: anyone else's one spell is their record's own, so every
    worker's stage is the same as from all spells (a returner here, who left and came back under the same ID)."""
    first = {"Date Qualified": date(2023, 6, 30), "Start Date": date(2023, 9, 1), "ASYE Start Date": date(2023, 9, 1),
             "ASYE Status": "Passed", "Role": "Social Worker", "Leaving Date": date(2025, 6, 30)}  # fmt: skip
    back = {**first, "Start Date": date(2026, 3, 1), "Leaving Date": None}
    months = {
        "hr_2025-06-30.xlsx": [worker("1010", **census(), **first), a()],
        "hr_2026-04-30.xlsx": [worker("1010", **census(), **back), a(), e()],
        "hr_2026-09-30.xlsx": [worker("1010", **census(), **back), a(), e(), f()],
    }
    for name, rows in months.items():
        import_file(app, ImportRequest(write_xlsx(tmp_path / name, rows, headers=ALL_HEADERS), allow_drop=True))
    spec = load_spec(2026)
    with app.unit_of_work() as uow:
        snapshots = {d: uow.snapshots.snapshot(d) for d in uow.imports.active_dates()}
        returners, every = uow.snapshots.spells(returners_only=True), uow.snapshots.spells()
    assert set(returners) == {"1010"} and len(every["1010"]) == 2
    spells, book = census_spells(snapshots, spec), rulebook(app)
    by_returners = _stages(book, spells, returners, {}, spec.reference_date)
    assert by_returners == _stages(book, spells, every, {}, spec.reference_date)
    assert set(by_returners) == {"1001", "1005", "1006", "1010"}
