"""A mapping profile: how one HR system's export maps onto our fields. Stored as TOML, validated strictly."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ecf.domain.worker import AbsenceType, AsyeStatus, ContractType
from importers.fields import FIELDS_BY_NAME, REQUIRED, Kind, normalise_header

ValueField = Literal["contract_type", "asye_status", "absence_type"]
DateOrder = Literal["dmy", "mdy", "ymd"]
Unit = Literal["hours_x100", "percent"]
IGNORE = "ignore"
# A required field a source may lack: the worker imports, and is left out of what needs it (milestones).
MAY_BE_ABSENT = frozenset({"date_qualified"})
_ENUMS: dict[str, type[Any]] = {
    Kind.CONTRACT.value: ContractType,
    Kind.ASYE_STATUS.value: AsyeStatus,
    Kind.ABSENCE_TYPE.value: AbsenceType,
}


class ProfileError(Exception):
    """A mapping profile file is wrong; the message names the file and key."""


def valid_fields() -> str:
    return ", ".join(FIELDS_BY_NAME)


def _check_field(name: str) -> str:
    if name not in FIELDS_BY_NAME:
        raise ValueError(f"unknown field '{name}'; valid fields: {valid_fields()}")
    return name


def _check_value(name: str, raw: str, target: str) -> None:
    """A value map's target for an enum field must be one of its values (or blank, for 'no value')."""
    enum = _ENUMS.get(FIELDS_BY_NAME[name].kind.value)
    if enum is not None and target != "" and target not in {member.value for member in enum}:
        allowed = ", ".join(member.value for member in enum)
        raise ValueError(f"value '{raw}' maps to '{target}', not a {name} (valid: {allowed})")


def census_labels(item: str) -> dict[str, str]:
    """A census item's code set, code -> label, from the census specification (the one source of the codes)."""
    from ecf.census.spec import latest_spec  # the census specification only for a profile that names one

    codes = latest_spec().codes
    if item not in codes:
        raise ValueError(f"codes = '{item}' is not a census code set (valid: {', '.join(codes)})")
    return dict(codes[item])


class ColumnSpec(BaseModel):
    """One header's mapping: into one field, several (`fields`), or split into parts (`split`), with its options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str | None = None
    fields: tuple[str, ...] = ()
    split: tuple[str, ...] = ()
    separator: str = " "
    split_at: Literal["first", "last"] = "first"
    values: dict[str, str] = Field(default_factory=dict)
    codes: str | None = None  # a census item: its code set (the census specification's) maps code -> label
    unit: Unit | None = None
    dates: DateOrder | None = None
    date_format: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"field": data}
        if isinstance(data, list):
            return {"fields": data}
        return data

    @model_validator(mode="after")
    def _one_target(self) -> ColumnSpec:
        given = [bool(self.field), bool(self.fields), bool(self.split)]
        if sum(given) != 1:
            raise ValueError("give exactly one of field, fields or split")
        for name in self.targets:
            if name != IGNORE:
                _check_field(name)
        if self.split and len(self.split) < 2:
            raise ValueError("split needs at least two fields")
        for name in self.targets:
            for raw, target in self.values.items():
                if name != IGNORE:
                    _check_value(name, raw, target)
        if self.codes is not None:
            for name in self.targets:
                for raw, target in census_labels(self.codes).items():
                    if name != IGNORE:
                        _check_value(name, raw, target)
        return self

    def value_map(self) -> dict[str, str]:
        """The column's value map: the census code set's labels (with `codes`), then the profile's own `values`."""
        return {**(census_labels(self.codes) if self.codes else {}), **self.values}

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.field,) if self.field else self.fields or self.split

    @property
    def ignored(self) -> bool:
        return self.field == IGNORE


class JoinSpec(BaseModel):
    """Several columns joined into one field: 'Forename' + 'Middle name' into forename."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: tuple[str, ...] = Field(min_length=2)
    separator: str = " "


class MappingProfile(BaseModel):
    """How one HR system's export maps onto our fields. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    source: str = ""
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1, le=1000)
    hours_per_week: Decimal = Field(default=Decimal(37), gt=0, le=60)
    dates: DateOrder | None = None
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    join: dict[str, JoinSpec] = Field(default_factory=dict)
    constants: dict[str, str] = Field(default_factory=dict)
    absent: tuple[str, ...] = ()
    values: dict[ValueField, dict[str, str]] = Field(default_factory=dict)

    @field_validator("join", "constants")
    @classmethod
    def _known_targets(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            _check_field(name)
        return value

    @field_validator("absent")
    @classmethod
    def _may_be_absent(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            _check_field(name)
            if name in REQUIRED and name not in MAY_BE_ABSENT:
                raise ValueError(
                    f"'{name}' is needed for every worker and cannot be absent; give a column or a constant "
                    f"(only {', '.join(sorted(MAY_BE_ABSENT))} or optional fields may be absent)"
                )
        return names

    @field_validator("values")
    @classmethod
    def _known_values(cls, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for kind, mapping in values.items():
            for raw, target in mapping.items():
                _check_value(kind, raw, target)
        return values

    @model_validator(mode="after")
    def _each_field_once(self) -> MappingProfile:
        seen: dict[str, str] = {}
        sources = [(f"columns.'{h}'", s.targets) for h, s in self.columns.items() if not s.ignored]
        sources += [(f"join.{name}", (name,)) for name in self.join]
        sources += [(f"constants.{name}", (name,)) for name in self.constants]
        for where, names in sources:
            for name in names:
                if name in seen:
                    raise ValueError(f"field '{name}' is given twice ({seen[name]} and {where})")
                seen[name] = where
                if name in self.absent:
                    raise ValueError(f"field '{name}' is both absent and given by {where}")
        for name, value in self.constants.items():
            _check_value(name, value, value)
        return self

    # --- lookups used when mapping a sheet ----------------------------------------------------------------------

    def header_lookup(self) -> dict[str, str]:
        """Normalised header -> its first field, for finding the header row."""
        lookup = {normalise_header(h): s.targets[0] for h, s in self.columns.items()}
        for spec in self.join.values():
            lookup.update({normalise_header(h): "join" for h in spec.columns})
        lookup.update({normalise_header(h): IGNORE for h in self.ignore})
        return lookup

    def column_specs(self) -> dict[str, ColumnSpec]:
        return {normalise_header(header): spec for header, spec in self.columns.items()}

    def claimed(self) -> set[str]:
        """The fields the profile itself provides or declares absent: the built-in spellings lose to it for these."""
        names = {n for s in self.columns.values() if not s.ignored for n in s.targets}
        return names | set(self.join) | set(self.constants) | set(self.absent)

    def value_lookup(self, kind: ValueField) -> dict[str, str]:
        return {normalise_header(raw): target for raw, target in self.values.get(kind, {}).items()}

    def to_toml(self) -> str:
        return profile_toml(self)


def _q(text: str) -> str:
    # JSON string escapes (\n, \", \u00e9) are valid TOML basic-string escapes: headers may hold line breaks.
    return json.dumps(text, ensure_ascii=False)


def _inline(values: dict[str, Any]) -> str:
    parts = []
    for key, value in values.items():
        if isinstance(value, dict):
            text = _inline(value)
        elif isinstance(value, list | tuple):
            text = "[" + ", ".join(_q(str(v)) for v in value) + "]"
        else:
            text = _q(str(value))
        parts.append(f"{_q(key)} = {text}")
    return "{ " + ", ".join(parts) + " }"


def column_toml(header: str, spec: ColumnSpec) -> str:
    data = spec.model_dump(exclude_defaults=True)
    if set(data) == {"field"}:
        return f"{_q(header)} = {_q(spec.field or '')}"
    if set(data) == {"fields"}:
        return f"{_q(header)} = [{', '.join(_q(n) for n in spec.fields)}]"
    return f"{_q(header)} = {_inline(data)}"


def profile_toml(profile: MappingProfile) -> str:
    """The profile as TOML that reads back to the same profile."""
    lines = [f"name = {_q(profile.name)}", f"description = {_q(profile.description)}"]
    if profile.source:
        lines.append(f"source = {_q(profile.source)}")
    if profile.sheet:
        lines.append(f"sheet = {_q(profile.sheet)}")
    if profile.header_row:
        lines.append(f"header_row = {profile.header_row}")
    lines.append(f"hours_per_week = {profile.hours_per_week}")
    if profile.dates:
        lines.append(f"dates = {_q(profile.dates)}")
    if profile.ignore:
        lines.append(f"ignore = [{', '.join(_q(h) for h in profile.ignore)}]")
    if profile.absent:
        lines.append(f"absent = [{', '.join(_q(n) for n in profile.absent)}]")
    lines += ["", "[columns]"] + [column_toml(h, s) for h, s in profile.columns.items()]
    if profile.join:
        lines += ["", "[join]"]
        lines += [f"{name} = {_inline(spec.model_dump(exclude_defaults=True))}" for name, spec in profile.join.items()]
    if profile.constants:
        lines += ["", "[constants]"] + [f"{name} = {_q(value)}" for name, value in profile.constants.items()]
    for kind, mapping in profile.values.items():
        lines += ["", f"[values.{kind}]"] + [f"{_q(raw)} = {_q(target)}" for raw, target in mapping.items()]
    return "\n".join(lines) + "\n"


# --- reading and errors ----------------------------------------------------------------------------------------------

_KEYS_AT: dict[str, type[BaseModel]] = {"columns": ColumnSpec, "join": JoinSpec}


def _valid_keys(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = MappingProfile
    if len(loc) >= 3 and loc[0] in _KEYS_AT:
        model = _KEYS_AT[str(loc[0])]
    return ", ".join(model.model_fields)


def parse_profile(data: object, where: str) -> MappingProfile:
    try:
        return MappingProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(part for part in first["loc"] if not str(part).startswith(("function-", "str", "list[")))
        key = ".".join(str(part) for part in loc) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = f"unknown key; valid keys here: {_valid_keys(loc)}"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ProfileError(f"{where}: key '{key}': {message}{more}") from exc
