"""The pay settings in force for everyone using a database: the shipped pay data, the council's stored pay file over
it, then the stored scenarios. Storing or clearing the pay file is versioned (who, when) and audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ecf.progression.calendar import uk
from ecf.services import audit
from ecf.services.context import App
from ecf.storage.pay_repository import SavedPay, SavedScenario
from payscales.loader import CouncilPay, PayDataError, StoredScenario, load_paybook, read_council_file
from payscales.rules import PayBook


def stored_scenarios(saved: list[SavedScenario]) -> dict[str, StoredScenario]:
    return {
        s.name: StoredScenario(s.content or {}, f"stored v{s.version}: {s.origin or 'set'} ({s.saved_by or '?'}, "
                                                f"{uk(s.saved_at.date())})")
        for s in saved
    }  # fmt: skip


def council_pay(saved: SavedPay | None) -> CouncilPay | None:
    return CouncilPay(saved.file_name, saved.content, saved.files) if saved and saved.content is not None else None


def paybook(app: App | None = None, pay_file: Path | None = None) -> PayBook:
    """The pay data in force: with `pay_file`, that file instead of the stored one (to try a change before storing
    it); without an app, the shipped data only."""
    if app is None:
        return load_paybook(pay_file)
    with app.unit_of_work() as uow:
        saved, scenarios = uow.pay.current_pay(), uow.pay.scenarios()
    council = read_council_file(pay_file) if pay_file is not None else council_pay(saved)
    try:
        return load_paybook(council=council, scenarios=stored_scenarios(scenarios))
    except PayDataError as exc:
        raise PayDataError(f"{exc} (with the stored scenarios)") from exc


def set_pay(app: App, path: Path, saved_at: datetime) -> tuple[PayBook, int]:
    """Check the council's pay file (and the stored scenarios over it) and store it, with the CSV files it adds."""
    council = read_council_file(path)
    with app.unit_of_work() as uow:
        scenarios = stored_scenarios(uow.pay.scenarios())
        book = load_paybook(council=council, scenarios=scenarios)
        version = uow.pay.save_pay(council.name, council.text, dict(council.files), saved_at, audit.actor(uow))
        audit.record(uow, "pay set", "pay settings", {"file": council.name, "version": version,
                                                      "csv_files": sorted(council.files)}, at=saved_at)  # fmt: skip
        uow.commit()
    return book, version


def clear_pay(app: App, saved_at: datetime) -> int:
    """Back to the shipped pay data (a new version; the old ones stay, so it can be set again)."""
    with app.unit_of_work() as uow:
        load_paybook(scenarios=stored_scenarios(uow.pay.scenarios()))
        version = uow.pay.save_pay("(shipped pay data)", None, {}, saved_at, audit.actor(uow))
        audit.record(uow, "pay clear", "pay settings", {"version": version}, at=saved_at)
        uow.commit()
    return version


def restore_pay(app: App, saved_at: datetime, version: int | None = None) -> int:
    """Store an earlier version of the pay settings again (by default the one before the newest): undoes a set or a
    clear. The stored scenarios are checked against it first."""
    with app.unit_of_work() as uow:
        versions = uow.pay.pay_history()
        if version is None:
            if len(versions) < 2:
                raise PayDataError("there is no earlier version of the pay settings to restore")
            chosen = versions[-2]
        else:
            found = [v for v in versions if v.version == version]
            if not found:
                raise PayDataError(f"no pay settings version {version} (versions: "
                                   f"{', '.join(str(v.version) for v in versions) or 'none'})")  # fmt: skip
            chosen = found[0]
        load_paybook(council=council_pay(chosen), scenarios=stored_scenarios(uow.pay.scenarios()))
        new = uow.pay.save_pay(chosen.file_name, chosen.content, chosen.files, saved_at, audit.actor(uow))
        audit.record(uow, "pay restore", "pay settings", {"version": new, "from": chosen.version}, at=saved_at)
        uow.commit()
    return new


def pay_history(app: App) -> list[SavedPay]:
    with app.unit_of_work() as uow:
        return uow.pay.pay_history()


def current_pay(app: App) -> SavedPay | None:
    with app.unit_of_work() as uow:
        return uow.pay.current_pay()


@dataclass(frozen=True)
class Setting:
    """One value in force and where it comes from."""

    setting: str
    value: str
    source: str  # "shipped" or "council: FILE (vN, who, date)"


def settings_in_force(app: App) -> tuple[PayBook, list[Setting]]:
    """Every value of the pay data in force (scales by their years, not point by point), each with its source."""
    book = paybook(app)
    saved = current_pay(app)
    council = council_pay(saved)
    changed: set[str] = set()
    added: set[str] = set()
    if council is not None:
        import tomllib

        document = tomllib.loads(council.text)
        for rule_id, override in document.get("overrides", {}).items():
            changed |= {f"{rule_id}.{key}" for key in _leaves(override)}
        added = {str(d.get("id")) for d in document.get("add", [])}
    label = f"council: {saved.file_name} (v{saved.version}, {saved.saved_by or '?'}, {uk(saved.saved_at.date())})" if (
        saved and council) else ""  # fmt: skip
    rows: list[Setting] = []

    def put(rule_id: str, path: str, value: Any) -> None:
        key = f"{rule_id}.{path}"
        council_set = rule_id in added or any(key == c or key.startswith(c + ".") or c.startswith(key + ".")
                                              for c in changed)  # fmt: skip
        rows.append(Setting(key, str(value), label if council_set else "shipped"))

    for scale in book.scales.values():
        put(scale.id, "years", f"{scale.years[0]} to {scale.years[-1]}, {len(scale.table[scale.years[-1]])} points")
        put(scale.id, "source", scale.source.title)
    for grades in book.grades.values():
        for grade in grades.grades:
            put(grades.id, f"grades.{grade.grade}", f"SCP {grade.points[0]}-{grade.points[1]}")
    oncosts = book.oncosts
    put(oncosts.id, "pension.lgps_rate", oncosts.pension.lgps_rate)
    put(oncosts.id, "levy.rate", oncosts.levy.rate)
    for period in oncosts.employer_ni:
        put(oncosts.id, f"employer_ni.{period.from_.isoformat()}", f"{period.rate} above £{period.monthly_threshold}")
    agency = book.agency
    for role, rate in agency.rates.items():
        put(agency.id, f"rates.{role}", f"£{rate}/h")
    for role, cap in agency.caps.items():
        put(agency.id, f"caps.{role}", f"£{cap}/h")
    put(agency.id, "hours_per_week", agency.hours_per_week)
    put(agency.id, "weeks_per_year", agency.weeks_per_year)
    put(book.hazards.id, "turnover", book.hazards.turnover)
    put(book.hazards.id, "share_of_leavers_under_5_years", book.hazards.share_of_leavers_under_5_years)
    for scenario in book.scenarios.values():
        origin = book.origins.get(scenario.id, "")
        source = origin if origin.startswith("stored") else None
        rows.append(Setting(f"scenario.{scenario.id}", scenario.name, source or ("shipped" if scenario.id not in added
                                                                                  else label)))  # fmt: skip
    return book, rows


def _leaves(table: Mapping[str, Any], prefix: str = "") -> list[str]:
    found = []
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found += _leaves(value, path + ".")
        else:
            found.append(path)
    return found
