"""Reading the pay data: TOML metadata, CSV salary tables, a council's own pay file. A bad file gets one message
naming the file and the key or line."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ecf.rules.bounds import confined_name, parse_toml
from ecf.rules.loader import merge_tables
from payscales.rules import AgencyRates, Grades, Hazards, OnCosts, PayBook, Scale, Scenario

_MODELS: dict[str, type[Any]] = {
    "scale": Scale, "grades": Grades, "oncosts": OnCosts, "agency": AgencyRates, "hazards": Hazards,
    "scenario": Scenario,
}  # fmt: skip


MAX_SALARY = 1_000_000  # a full-time annual salary, in pounds


class PayDataError(ValueError):
    """Pay data that cannot be used, with the file and key or line at fault."""


@dataclass(frozen=True)
class CouncilPay:
    """A council's pay file as text, with the CSV salary tables its added scales name (so it can be stored)."""

    name: str
    text: str
    files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredScenario:
    """A scenario kept in the database: the document as a pay file spells it, and where it came from."""

    document: Mapping[str, Any]
    origin: str


def load_paybook(
    council_file: Path | None = None, *, council: CouncilPay | None = None,
    scenarios: Mapping[str, StoredScenario] | None = None,
) -> PayBook:  # fmt: skip
    """The shipped pay data, with the council's pay file (a file, or the stored one) laid over it, then the stored
    scenarios (a stored scenario of the same name as a shipped one takes its place)."""
    folder = resources.files("payscales") / "data"
    documents: dict[str, tuple[dict[str, Any], str, Any]] = {}
    for place in (folder, folder / "scenarios"):
        for item in sorted(place.iterdir(), key=lambda i: i.name):
            if item.name.endswith(".toml"):
                document = _parse(item.read_text(encoding="utf-8"), item.name)
                documents[_id(document, item.name)] = (document, item.name, place)
    if council_file is not None:
        council = read_council_file(council_file)
    if council is not None:
        _lay_over(documents, council)
    for name, stored in (scenarios or {}).items():
        documents[name] = (dict(stored.document), stored.origin, None)
    return _book(documents)


def read_council_file(path: Path) -> CouncilPay:
    """The council's pay file and the CSV files its added scales name, read from beside it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise PayDataError(f"cannot read {path}: {exc.strerror or exc}") from exc
    files: dict[str, str] = {}
    for index, document in enumerate(_parse(text, path.name).get("add", [])):
        name = document.get("salaries") if isinstance(document, Mapping) else None
        if isinstance(name, str) and name not in files:
            where = f"{path.name}: add[{index}]: salaries"
            confined_name(name, where, PayDataError)  # inside the pay file's own folder, never a path out of it
            if not (path.parent / name).resolve().is_relative_to(path.parent.resolve()):
                raise PayDataError(f"{where}: '{name}' leads outside the pay file's folder")
            try:
                files[name] = (path.parent / name).read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise PayDataError(f"{path.name}: add[{index}]: salaries: cannot read {name}") from exc
    return CouncilPay(path.name, text, files)


class _Files:
    """The council's CSV files as a folder the salary reader can open."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = files

    def __truediv__(self, name: str) -> _File:
        return _File(self.files.get(name))


class _File:
    def __init__(self, text: str | None) -> None:
        self.text = text

    def read_text(self, encoding: str = "utf-8") -> str:
        if self.text is None:
            raise FileNotFoundError("not stored")
        return self.text


def _lay_over(documents: dict[str, tuple[dict[str, Any], str, Any]], pay: CouncilPay) -> None:
    council = _parse(pay.text, pay.name)
    unknown = sorted(set(council) - {"overrides", "add"})
    if unknown:
        raise PayDataError(f"{pay.name}: unknown section '{unknown[0]}' (expected overrides or add)")
    for rule_id, override in council.get("overrides", {}).items():
        if rule_id not in documents:
            raise PayDataError(f"{pay.name}: overrides.{rule_id}: no such pay data (loaded: {', '.join(documents)})")
        document, name, folder = documents[rule_id]
        documents[rule_id] = (merge_tables(document, override), f"{name} + {pay.name}", folder)
    for index, document in enumerate(council.get("add", [])):
        rule_id = _id(document, f"{pay.name} add[{index}]")
        if rule_id in documents:
            raise PayDataError(f"{pay.name}: add[{index}]: '{rule_id}' exists already; change it under overrides")
        documents[rule_id] = (document, f"{pay.name} (add[{index}])", _Files(pay.files))


def _book(documents: Mapping[str, tuple[dict[str, Any], str, Any]]) -> PayBook:
    parts: dict[str, dict[str, Any]] = {"scale": {}, "grades": {}, "scenario": {}}
    single: dict[str, Any] = {}
    origins = {}
    for rule_id, (document, origin, folder) in documents.items():
        kind = document.get("kind")
        if kind not in _MODELS:
            raise PayDataError(f"{origin}: kind: expected one of {', '.join(_MODELS)}")
        if kind == "scale":
            document = {**document, "table": _salary_table(folder, document.get("salaries"), origin)}
        model = _validate(_MODELS[kind], document, origin)
        origins[rule_id] = origin
        if kind in parts:
            parts[kind][rule_id] = model
        else:
            single[kind] = model
    try:
        return PayBook(
            scales=parts["scale"], grades=parts["grades"], scenarios=parts["scenario"], oncosts=single["oncosts"],
            agency=single["agency"], hazards=single["hazards"], origins=origins,
        )  # fmt: skip
    except ValidationError as exc:
        raise PayDataError(f"pay data: {exc.errors()[0]['msg']}") from exc
    except KeyError as exc:
        raise PayDataError(f"pay data: no '{exc.args[0]}' file is loaded") from exc


def _salary_table(folder: Any, name: Any, origin: str) -> dict[str, dict[int, Decimal]]:
    """scp,2021/22,2022/23,... -> {year: {point: salary}}; a blank cell is a point not on the scale that year."""
    if not isinstance(name, str):
        raise PayDataError(f"{origin}: salaries: the CSV file name is missing")
    confined_name(name, f"{origin}: salaries", PayDataError)
    try:
        if isinstance(folder, Path) and not (folder / name).resolve().is_relative_to(folder.resolve()):
            raise PayDataError(f"{origin}: salaries: '{name}' leads outside the pay file's folder")
        text = (folder / name).read_text(encoding="utf-8-sig")
    except (OSError, FileNotFoundError) as exc:
        raise PayDataError(f"{origin}: salaries: cannot read {name}") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        raise PayDataError(f"{name}: line 1: expected a header 'point,<year>,<year>...'")
    years = [cell.strip() for cell in rows[0][1:]]
    for year in years:
        if len(year) != 7 or year[4] != "/" or not (year[:4] + year[5:]).isdigit():
            raise PayDataError(f"{name}: line 1: '{year}' is not a financial year like 2025/26")
    table: dict[str, dict[int, Decimal]] = {year: {} for year in years}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            point = int(row[0])
        except ValueError:
            raise PayDataError(f"{name}: line {line}: '{row[0]}' is not a point number") from None
        for year, cell in zip(years, row[1:], strict=False):
            if not cell.strip():
                continue
            try:
                value = Decimal(cell.strip().replace(",", "").lstrip("£"))
            except InvalidOperation:
                raise PayDataError(f"{name}: line {line}, {year}: '{cell}' is not an amount") from None
            if not 0 < value <= MAX_SALARY:
                message = f"a salary must be above zero and at most £{MAX_SALARY:,}"
                raise PayDataError(f"{name}: line {line}, {year}: {message}")
            table[year][point] = value
    return table


def _validate(model: type[Any], document: dict[str, Any], origin: str) -> Any:
    try:
        return TypeAdapter(model).validate_python(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "(file)"
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        raise PayDataError(f"{origin}: {where}: {message}") from exc


def _parse(text: str, name: str) -> dict[str, Any]:
    return parse_toml(text, name, PayDataError)


def _id(document: Any, origin: str) -> str:
    rule_id = document.get("id") if isinstance(document, Mapping) else None
    if not isinstance(rule_id, str):
        raise PayDataError(f"{origin}: 'id' is missing")
    return rule_id
