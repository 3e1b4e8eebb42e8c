"""The council's pay settings stored like its rules: versioned (who, when), audited, and used by every projection,
export and screen; a bad file stores nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from sqlalchemy import select
from test_cli import ecf
from test_tui import loaded
from textual.widgets import DataTable, Select, TabbedContent

from ecf.cli.output import pounds
from ecf.services import pay_settings
from ecf.services import projection as service
from ecf.services.imports import ImportRequest, import_file
from ecf.storage.models import AuditEventRow
from payscales.calibration import calibrate
from payscales.loader import PayDataError, load_paybook
from payscales.projection import project
from tui import EcfTui

AS_OF = date(2026, 11, 30)
OCTOBER = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"
AT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
COUNCIL = """
[overrides.employer_oncosts.pension]
lgps_rate = "0.211"

[overrides.agency_rates.rates]
"Social Worker" = "40"

[[add]]
kind = "scale"
id = "local_scale"
name = "Local scale"
salaries = "local.csv"
[add.source]
title = "Our pay policy"
confidence = "local"
"""


def council_file(folder: Path) -> Path:
    (folder / "local.csv").write_text("point,2025/26\n1,30000\n2,31000\n", encoding="utf-8")
    path = folder / "council_pay.toml"
    path.write_text(COUNCIL, encoding="utf-8")
    return path


def test_the_stored_pay_file_is_in_force_versioned_and_audited(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    path = council_file(tmp_path)
    _, version = pay_settings.set_pay(app, path, AT)
    (tmp_path / "local.csv").unlink()  # stored with the file: the folder is not needed again
    stored = service.paybook(app)
    assert stored.oncosts.pension.lgps_rate == Decimal("0.211") and stored.agency.rates["Social Worker"] == 40
    assert stored.scales["local_scale"].table == {"2025/26": {1: Decimal(30000), 2: Decimal(31000)}}
    # The projection runs with the stored settings: the same pennies as the engine run on the file itself.
    own = load_paybook(council=pay_settings.council_pay(pay_settings.current_pay(app)))
    progress = service.assess_workforce(app, AS_OF)
    workers = [service.pay_facts(item, AS_OF) for item in progress.workers]
    staff = [w.state.record for w in progress.workers if w.state.record.contract_type.value != "agency"]
    hazards = calibrate(own.hazards, [(AS_OF - r.start_date).days / 365.25 for r in staff])
    expected = project(workers, own, own.scenarios["baseline"], AS_OF, 2, hazards).totals("financial_year")
    got = service.run_projection(app, service.ProjectionRequest("baseline", 2, AS_OF)).totals("financial_year")
    assert got[["pension", "agency", "total"]].to_numpy().tolist() == expected[["pension", "agency", "total"]].to_numpy(
    ).tolist()  # fmt: skip
    shipped = project(workers, load_paybook(), own.scenarios["baseline"], AS_OF, 2, hazards).totals("financial_year")
    assert shipped["pension"].sum() < got["pension"].sum()  # 19.8% shipped, 21.1% stored
    history = pay_settings.pay_history(app)
    assert [(h.version, h.file_name) for h in history] == [(version, "council_pay.toml")] and history[0].saved_by
    with app.engine.connect() as connection:
        events = connection.execute(select(AuditEventRow.action, AuditEventRow.subject)).all()
    assert ("pay set", "pay settings") in events
    _, settings = pay_settings.settings_in_force(app)
    found = {s.setting: s for s in settings}
    assert found["employer_oncosts.pension.lgps_rate"].value == "0.211"
    assert found["employer_oncosts.pension.lgps_rate"].source.startswith(f"council: council_pay.toml (v{version}, ")
    assert found["employer_oncosts.levy.rate"].source == "shipped"
    assert found["agency_rates.rates.Social Worker"].source.startswith("council:")
    assert found["agency_rates.rates.Team Manager"].source == "shipped"
    pay_settings.clear_pay(app, AT)
    assert service.paybook(app).oncosts.pension.lgps_rate == Decimal("0.198")
    restored = pay_settings.restore_pay(app, AT)  # undoes the clear
    assert service.paybook(app).oncosts.pension.lgps_rate == Decimal("0.211")
    assert [(h.version, h.content is None) for h in pay_settings.pay_history(app)] == [
        (version, False), (version + 1, True), (restored, False)
    ]  # fmt: skip


def test_a_bad_pay_file_stores_nothing(app, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[overrides.employer_oncosts.pension]\nlgps_rate = "1.5"\n', encoding="utf-8")
    with pytest.raises(PayDataError, match=r"oncosts.toml \+ bad.toml: pension.lgps_rate: Input should be less"):
        pay_settings.set_pay(app, path, AT)
    assert pay_settings.pay_history(app) == []


def test_pay_set_and_show_from_the_command_line(db_url, tmp_path):
    path = council_file(tmp_path)
    done = ecf(db_url, "pay", "set", str(path))
    assert done.returncode == 0, done.stderr
    assert "Stored council_pay.toml as pay settings version 1" in done.stdout
    shown = {r["setting"]: r for r in csv.DictReader(io.StringIO(ecf(db_url, "pay", "show", "-f", "csv").stdout))}
    assert shown["employer_oncosts.pension.lgps_rate"]["value"] == "0.211"
    assert shown["employer_oncosts.pension.lgps_rate"]["source"].startswith("council: council_pay.toml (v1, ")
    assert shown["employer_oncosts.levy.rate"]["source"] == "shipped"
    bad = tmp_path / "bad.toml"
    bad.write_text("[nonsense]\n", encoding="utf-8")
    refused = ecf(db_url, "pay", "set", str(bad))
    assert refused.returncode == 1 and "bad.toml: unknown section 'nonsense'" in refused.stderr


async def test_the_tui_projects_and_exports_with_the_stored_pay_and_offers_stored_scenarios(app, tmp_path):
    import_file(app, ImportRequest(OCTOBER, write_report=False))
    pay_settings.set_pay(app, council_file(tmp_path), AT)
    baseline = service.paybook(app).scenarios["baseline"]
    tight = baseline.model_copy(update={"id": "tight", "pay_award_assumption": Decimal("0.04")})
    with app.unit_of_work() as uow:
        uow.pay.save_scenario("tight", tight.model_dump(mode="json", exclude_none=True), "baseline", "test", AT, None)
        uow.commit()
    today = date(2026, 11, 23)
    engine = service.run_projection(app, service.ProjectionRequest("tight", 2, today)).totals("financial_year")
    ui = EcfTui(app, export_folder=tmp_path, today=today)
    async with ui.run_test(size=(160, 45)) as pilot:
        await loaded(ui, pilot)
        ui.query_one(TabbedContent).active = "projection"
        await loaded(ui, pilot)
        chosen = ui.query_one("#scenario", Select)
        chosen.value = "tight"
        ui.query_one("#years").value = "2"  # type: ignore[attr-defined]
        await pilot.click("#project")
        await loaded(ui, pilot)
        table = ui.query_one("#projection-table", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [str(r[0]) for r in rows] == ["tight"] * len(engine)
        assert [str(r[2]) for r in rows] == [pounds(t) for t in engine["total"]]  # with the stored pay settings
        await pilot.click("#export")
        await loaded(ui, pilot)
    written = next(tmp_path.glob("ecf-projection-tight-*.xlsx"))
    book = openpyxl.load_workbook(written, data_only=True)
    sheet, ref = next(iter(book.defined_names["ECF_LGPS"].destinations))
    assert book[sheet][ref.split(":")[0].replace("$", "")].value == pytest.approx(0.211)
    summary = book["Summary"]
    assert summary["A3"].value.endswith("(tight)")
    assert summary["B10"].value == pytest.approx(engine["total"][0], abs=0.005)
