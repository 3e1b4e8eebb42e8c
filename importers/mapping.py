"""Match a sheet's headers to fields: the usual spellings built in, a saved mapping profile for other sources."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ecf.domain.worker import AbsenceType, AsyeStatus, ContractType
from importers.fields import ALIASES, FIELDS_BY_NAME, REQUIRED, normalise_header
from importers.readers import UnreadableFile

ValueField = Literal["contract_type", "asye_status", "absence_type"]
_ENUMS = {"contract_type": ContractType, "asye_status": AsyeStatus, "absence_type": AbsenceType}


class ProfileError(Exception):
    """A mapping profile file is wrong; the message names the file and key."""


class MappingProfile(BaseModel):
    """How one HR system's export maps onto our fields. Stored as TOML; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    sheet: str | None = None
    hours_per_week: Decimal = Field(default=Decimal(37), gt=0, le=60)
    columns: dict[str, str] = Field(default_factory=dict)
    values: dict[ValueField, dict[str, str]] = Field(default_factory=dict)

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, columns: dict[str, str]) -> dict[str, str]:
        for header, name in columns.items():
            if name not in FIELDS_BY_NAME:
                raise ValueError(f"column '{header}' maps to unknown field '{name}'")
        return columns

    @field_validator("values")
    @classmethod
    def _known_values(cls, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for kind, mapping in values.items():
            allowed = {member.value for member in _ENUMS[kind]}
            for raw, target in mapping.items():
                if target not in allowed:
                    raise ValueError(f"{kind} value '{raw}' maps to '{target}', not one of {sorted(allowed)}")
        return values

    def header_lookup(self) -> dict[str, str]:
        return {normalise_header(header): name for header, name in self.columns.items()}

    def value_lookup(self, kind: ValueField) -> dict[str, str]:
        return {normalise_header(raw): target for raw, target in self.values.get(kind, {}).items()}

    def to_toml(self) -> str:
        lines = [f"name = {_q(self.name)}", f"description = {_q(self.description)}"]
        if self.sheet:
            lines.append(f"sheet = {_q(self.sheet)}")
        lines += [f"hours_per_week = {self.hours_per_week}", "", "[columns]"]
        lines += [f"{_q(header)} = {_q(name)}" for header, name in self.columns.items()]
        for kind, mapping in self.values.items():
            lines += ["", f"[values.{kind}]"] + [f"{_q(raw)} = {_q(target)}" for raw, target in mapping.items()]
        return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    # JSON string escapes (\n, \", \u00e9) are valid TOML basic-string escapes: headers may hold line breaks.
    return json.dumps(text, ensure_ascii=False)


def load_profile(path: Path) -> MappingProfile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: no such mapping profile") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML ({exc})") from exc
    return profile_from_toml(text, str(path))


def profile_from_toml(text: str, where: str) -> MappingProfile:
    """A profile from TOML text (a file's, or one saved in the database); `where` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc})") from exc
    return parse_profile(data, where)


def parse_profile(data: object, where: str) -> MappingProfile:
    try:
        return MappingProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ProfileError(f"{where}: key '{key}': {first['msg']}{more}") from exc


@dataclass(frozen=True)
class ColumnMap:
    """Which spreadsheet column feeds which field; the header text is kept for the error report."""

    columns: dict[str, int]
    headers: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def map_columns(headers: list[str], profile: MappingProfile | None, where: str) -> ColumnMap:
    lookup = dict(ALIASES)
    if profile is not None:
        lookup.update(profile.header_lookup())
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        name = lookup.get(normalise_header(header))
        if name is None:
            ignored.append(header)
        elif name in columns:
            duplicates.append(f"'{header}' (also '{names[name]}' for {FIELDS_BY_NAME[name].label}; the first is used)")
        else:
            columns[name], names[name] = index, header
    missing = [FIELDS_BY_NAME[n].label for n in REQUIRED if n not in columns]
    if "fte" not in columns and "weekly_hours" not in columns:
        missing.append("FTE (or contracted hours)")
    if missing:
        raise UnreadableFile(
            f"{where}: required column(s) not found: {', '.join(missing)}. Headers on row: "
            f"{', '.join(repr(h) for h in headers if h)}. Use --profile to map other header names."
        )
    return ColumnMap(columns, names, ignored, duplicates)
