"""Reading rule files into a validated `RuleBook`. A bad file gets one message naming the file and the key."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ecf.progression.rules import AnyRule, CouncilSettings, RuleBook

DEFAULTS_PACKAGE = "ecf.rules"
COUNCIL_KEYS = {"council", "overrides", "rules"}
_RULE = TypeAdapter[Any](AnyRule)


class RulesError(ValueError):
    """A rule file that cannot be used, with the file and key at fault."""


def default_files() -> dict[str, str]:
    """The shipped rule files, by file name."""
    folder = resources.files(DEFAULTS_PACKAGE) / "defaults"
    return {item.name: item.read_text(encoding="utf-8") for item in folder.iterdir() if item.name.endswith(".toml")}


def load_rulebook(council_text: str | None = None, council_name: str = "council rules") -> RuleBook:
    """The shipped rules, with the council's file (TOML text) laid over them."""
    documents = {name: _parse(text, name) for name, text in sorted(default_files().items())}
    council = _council_document(documents.pop("council.toml"), council_text, council_name)
    raw: dict[str, tuple[dict[str, Any], str]] = {}
    for name, document in documents.items():
        rule_id = document.get("id")
        if not isinstance(rule_id, str):
            raise RulesError(f"{name}: 'id' is missing")
        raw[rule_id] = (document, name)
    for rule_id, override in council.get("overrides", {}).items():
        if rule_id not in raw:
            known = ", ".join(sorted(raw))
            raise RulesError(f"{council_name}: overrides.{rule_id}: no such rule (loaded: {known})")
        if not isinstance(override, Mapping):
            raise RulesError(f"{council_name}: overrides.{rule_id}: expected a table of settings")
        document, name = raw[rule_id]
        raw[rule_id] = (merge_tables(document, override), f"{name} + {council_name} (overrides.{rule_id})")
    for index, document in enumerate(council.get("rules", [])):
        rule_id = document.get("id") if isinstance(document, Mapping) else None
        if not isinstance(rule_id, str):
            raise RulesError(f"{council_name}: rules[{index}]: 'id' is missing")
        if rule_id in raw:
            raise RulesError(f"{council_name}: rules[{index}]: '{rule_id}' exists already; change it under overrides")
        raw[rule_id] = (dict(document), f"{council_name} (rules[{index}])")
    rules = [_validate_rule(document, origin) for document, origin in raw.values()]
    settings = _validate_council(council.get("council", {}), council_name)
    try:
        return RuleBook(council=settings, rules=tuple(rules), origins={rid: origin for rid, (_, origin) in raw.items()})
    except ValidationError as exc:
        raise RulesError(f"rule book: {_first_error(exc)}") from exc


def load_council_file(path: Path) -> str:
    """Read and check a council's rules file; returns its text, ready to be stored."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RulesError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path.name}: not UTF-8 text") from exc
    load_rulebook(text, path.name)
    return text


def _parse(text: str, name: str) -> dict[str, Any]:
    from ecf.rules.bounds import parse_toml

    return parse_toml(text, name, RulesError)


def _council_document(defaults: dict[str, Any], text: str | None, name: str) -> dict[str, Any]:
    if text is None:
        return defaults
    document = _parse(text, name)
    unknown = sorted(set(document) - COUNCIL_KEYS)
    if unknown:
        raise RulesError(f"{name}: unknown section '{unknown[0]}' (expected council, overrides or rules)")
    merged = dict(document)
    merged["council"] = merge_tables(defaults.get("council", {}), document.get("council", {}))
    return merged


def merge_tables(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """A file laid over another: tables merge key by key; any other value (a list too) replaces the shipped one."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_tables(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate_rule(document: dict[str, Any], origin: str) -> Any:
    try:
        return _RULE.validate_python(document)
    except ValidationError as exc:
        raise RulesError(f"{origin}: {_first_error(exc)}") from exc


def _validate_council(document: Any, origin: str) -> CouncilSettings:
    try:
        return CouncilSettings.model_validate(document)
    except ValidationError as exc:
        raise RulesError(f"{origin}: council.{_first_error(exc)}") from exc


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    # Discriminated unions put the kind first in the location ("programme.pauses.min_days"): the kind is not a key.
    location = [str(part) for part in error["loc"]]
    if location and location[0] in {"programme", "career_framework", "experienced", "agency", "registration", "grant"}:
        location = location[1:]
    path = ".".join(location) or "(file)"
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{path}: {message}{more}"
