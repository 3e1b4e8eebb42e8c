"""Finance's scenarios: brought back from an edited workbook, stored for everyone, listed, deleted and restored. Every
change is a new version with who and when, and an audit event; nothing is stored when any column has a problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from ecf.exports.assumptions_reader import NAME, Column, WorkbookProblem, read_columns
from ecf.services import audit
from ecf.services.context import App
from ecf.services.pay_settings import council_pay, paybook, stored_scenarios
from ecf.storage.pay_repository import SavedScenario
from payscales.assumptions import Input, Value, differences, inputs, rebuilt
from payscales.loader import PayDataError, StoredScenario, load_paybook
from payscales.rules import PayBook, Scenario

__all__ = ["ImportedScenario", "WorkbookProblem", "import_scenarios"]


class ScenarioError(ValueError):
    """A scenario that cannot be deleted or restored: says why."""


@dataclass(frozen=True)
class ImportedScenario:
    name: str
    based_on: str
    status: str  # "new", "changed" or "unchanged"
    column: str
    changes: list[tuple[Input, Value, Value]]
    version: int | None = None


def import_scenarios(app: App, path: Path, saved_at: datetime, rename: str | None = None) -> list[ImportedScenario]:
    """Read the Assumptions sheet and store each new or changed column as a scenario (one transaction): raises
    WorkbookProblem naming every bad cell, and then stores nothing."""
    book = paybook(app)
    items = inputs(book)
    columns = read_columns(path, items)
    problems: list[str] = []
    found: list[tuple[ImportedScenario, Scenario]] = []
    seen: dict[str, str] = {}
    for column in columns:
        result = _column(book, items, column, path.name, problems)
        if result is None:
            continue
        imported, scenario = result
        if imported.name in seen:
            problems.append(f"{path.name}, sheet {column.ref('SCENARIO').split('!')[0]}: columns {seen[imported.name]} "
                            f"and {column.letter} are both named '{imported.name}'")  # fmt: skip
        seen[imported.name] = column.letter
        found.append((imported, scenario))
    if not columns:
        problems.append(f"{path.name}: the Assumptions sheet has no scenario columns filled in")
    if problems:
        raise WorkbookProblem(problems)
    changed = [(i, s) for i, s in found if i.status != "unchanged"]
    if rename is not None:
        changed = _renamed(changed, rename, path.name)
    results = [i for i, _ in found if i.status == "unchanged"]
    if not changed:
        return results
    with app.unit_of_work() as uow:
        stored = stored_scenarios(uow.pay.scenarios())
        stored.update({s.id: StoredScenario(_document(s), "new") for _, s in changed})
        try:
            load_paybook(council=council_pay(uow.pay.current_pay()), scenarios=stored)
        except PayDataError as exc:
            raise WorkbookProblem([f"{path.name}: {exc}"]) from exc
        actor = audit.actor(uow)
        for imported, scenario in changed:
            origin = f"imported from {path.name}, column {imported.column}"
            version = uow.pay.save_scenario(
                scenario.id, _document(scenario), imported.based_on, origin, saved_at, actor
            )
            audit.record(uow, "scenario import", f"scenario {scenario.id}", {
                "workbook": path.name, "column": imported.column, "based_on": imported.based_on, "version": version,
                "status": imported.status, "changed": [item.key for item, _, _ in imported.changes],
            }, at=saved_at)  # fmt: skip
            results.append(ImportedScenario(scenario.id, imported.based_on, imported.status, imported.column,
                                            imported.changes, version))  # fmt: skip
        uow.commit()
    return sorted(results, key=lambda r: r.column)


def _column(
    book: PayBook, items: list[Input], column: Column, label: str, problems: list[str]
) -> tuple[ImportedScenario, Scenario] | None:
    where = f"{label}, sheet {column.ref('SCENARIO').split('!')[0]}"
    name = column.value("SCENARIO")
    if name is None:
        problems.append(f"{where}, cell {column.ref('SCENARIO').split('!')[1]}: the column has values but no "
                        "scenario name; give it one")  # fmt: skip
        return None
    name = str(name)
    based_on = str(column.value("BASED_ON") or name)
    if name in book.scenarios:
        base, status = book.scenarios[name], "changed"
    elif based_on in book.scenarios:
        base, status = book.scenarios[based_on], "new"
    else:
        cell = column.ref("BASED_ON").split("!")[1]
        problems.append(f"{where}, cell {cell} (Based on): no scenario '{based_on}' is in force; allowed: "
                        f"{', '.join(sorted(book.scenarios))}")  # fmt: skip
        return None
    edited = {item.key: column.value(item.key) for item in items}
    given = {key: value for key, value in edited.items() if value is not None}
    given["SCENARIO"] = name
    if status == "new":  # a new column left blank is not the base's title and description
        given.setdefault("TITLE", name)
        given.setdefault("DESCRIPTION", f"{base.name}, with changes made in a workbook")
    try:
        scenario = Scenario.model_validate(rebuilt(book, base, given))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        problems.append(f"{where}, column {column.letter} (scenario {name}): {field}: {error['msg']}")
        return None
    changes = differences(book, base, scenario)
    if status == "changed" and not changes:
        status = "unchanged"
    return ImportedScenario(name, base.id, status, column.letter, changes), scenario


def _renamed(
    changed: list[tuple[ImportedScenario, Scenario]], name: str, label: str
) -> list[tuple[ImportedScenario, Scenario]]:
    if not NAME.match(name):
        raise WorkbookProblem([f"--name {name}: a scenario name is lower-case letters, digits and _ (up to 40)"])
    if len(changed) != 1:
        names = ", ".join(f"{i.name} (column {i.column})" for i, _ in changed) or "none"
        raise WorkbookProblem([f"{label}: --name names one scenario, but the workbook has {len(changed)} new or "
                               f"changed columns: {names}"])  # fmt: skip
    imported, scenario = changed[0]
    renamed = scenario.model_copy(update={"id": name})
    return [(ImportedScenario(name, imported.based_on, "new", imported.column, imported.changes), renamed)]


def _document(scenario: Scenario) -> dict[str, object]:
    return scenario.model_dump(mode="json", exclude_none=True)


# --- listing, deleting, restoring -------------------------------------------------------------------------------------


def stored(app: App) -> list[SavedScenario]:
    with app.unit_of_work() as uow:
        return uow.pay.scenarios()


def history(app: App, name: str) -> list[SavedScenario]:
    with app.unit_of_work() as uow:
        return uow.pay.scenario_history(name)


def delete_scenario(app: App, name: str, saved_at: datetime) -> int:
    """Delete a stored scenario (a new version marking it deleted: `restore` brings it back). A shipped scenario of
    the same name, if any, is in force again."""
    with app.unit_of_work() as uow:
        current = {s.name: s for s in uow.pay.scenarios()}
        if name not in current:
            raise ScenarioError(f"no stored scenario '{name}' (stored: {', '.join(sorted(current)) or 'none'}); "
                                "shipped scenarios cannot be deleted")  # fmt: skip
        remaining = {k: v for k, v in stored_scenarios(list(current.values())).items() if k != name}
        try:
            load_paybook(council=council_pay(uow.pay.current_pay()), scenarios=remaining)
        except PayDataError as exc:
            raise ScenarioError(f"cannot delete '{name}': {exc}") from exc
        version = uow.pay.save_scenario(name, None, None, "deleted", saved_at, audit.actor(uow))
        audit.record(uow, "scenario delete", f"scenario {name}", {"version": version}, at=saved_at)
        uow.commit()
    return version


def restore_scenario(app: App, name: str, saved_at: datetime, version: int | None = None) -> int:
    """Store an earlier version of a scenario again (by default the last one before it was deleted or changed)."""
    with app.unit_of_work() as uow:
        versions = uow.pay.scenario_history(name)
        kept = [v for v in versions if v.content is not None]
        if not kept:
            raise ScenarioError(f"no stored versions of scenario '{name}'")
        if version is None:
            latest = versions[-1]
            earlier = [v for v in kept if v.version < latest.version] if latest.content is not None else kept
            if not earlier:
                raise ScenarioError(f"scenario '{name}' has no earlier version to restore")
            chosen = earlier[-1]
        else:
            chosen = next((v for v in kept if v.version == version), None)  # type: ignore[assignment]
            if chosen is None:
                raise ScenarioError(f"scenario '{name}' has no version {version} (versions: "
                                    f"{', '.join(str(v.version) for v in kept)})")  # fmt: skip
        assert chosen.content is not None
        new = uow.pay.save_scenario(name, chosen.content, chosen.based_on, f"restored v{chosen.version}", saved_at,
                                    audit.actor(uow))  # fmt: skip
        audit.record(uow, "scenario restore", f"scenario {name}", {"version": new, "from": chosen.version},
                     at=saved_at)  # fmt: skip
        uow.commit()
    return new
