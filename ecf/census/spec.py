"""The census specification for one year, read from ecf/census/spec/csww_YYYY.toml and validated strictly.

A new census year is a new file: items, code sets, default maps, checks and dates all live there."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from importers.fields import normalise_header

Required = Literal["all", "employee", "in_post", "leaver", "la_leaver", "agency", "starter", "absent", "none"]
SPEC_PACKAGE = "ecf.census"


class SpecError(ValueError):
    """No specification for the year, or a specification file that is wrong (file and key named)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str
    url: str
    confidence: Literal["confirmed", "secondary", "proposed", "uncertain", "local"]


class Item(_Strict):
    name: str
    label: str
    required: Required


class Check(_Strict):
    code: str
    message: str


class Settings(_Strict):
    swe_digits: int = Field(ge=0, le=20)
    working_days_lost_types: tuple[str, ...]
    case_holder_without_cases: str
    newly_qualified_within_months: int = Field(ge=0, le=120)


class CfkssMap(_Strict):
    stage: dict[str, str] = Field(default_factory=dict)
    org_role: dict[str, str] = Field(default_factory=dict)
    default: str | None = None


class Maps(_Strict):
    OrgRole: dict[str, str]
    ReasonLeave: dict[str, str]
    LeaverDestination: dict[str, str] = Field(default_factory=dict)
    ReasonAbsence: dict[str, str]
    CFKSSstatus: CfkssMap


class Swe(_Strict):
    pattern: str


class CensusSpec(_Strict):
    year: int
    collection: str
    year_start: date
    reference_date: date
    opens: date
    due: date
    closes: date
    software_code: str
    schema_file: str = Field(alias="schema")
    source: Source
    notes: dict[str, str]
    settings: Settings
    items: tuple[Item, ...]
    codes: dict[str, dict[str, str]]
    maps: Maps
    checks: tuple[Check, ...]
    swe: Swe

    @model_validator(mode="after")
    def _consistent(self) -> CensusSpec:
        if not self.year_start < self.reference_date <= self.opens <= self.due <= self.closes:
            raise ValueError("dates out of order: year_start < reference_date <= opens <= due <= closes")
        coded = {
            "OrgRole": self.maps.OrgRole.values(),
            "ReasonLeave": self.maps.ReasonLeave.values(),
            "LeaverDestination": self.maps.LeaverDestination.values(),
            "ReasonAbsence": self.maps.ReasonAbsence.values(),
            "CFKSSstatus": [*self.maps.CFKSSstatus.stage.values(), *self.maps.CFKSSstatus.org_role.values()],
        }
        for item, values in coded.items():
            unknown = sorted(set(values) - set(self.codes.get(item, {})))
            if unknown:
                raise ValueError(f"maps.{item}: '{unknown[0]}' is not in codes.{item}")
        re.compile(self.swe.pattern)
        return self

    @property
    def item_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.items)

    def label(self, item: str) -> str:
        return next((i.label for i in self.items if i.name == item), item)

    def check_message(self, code: str) -> str:
        return next((c.message for c in self.checks if c.code == code), code)

    def in_year(self, day: date) -> bool:
        return self.year_start <= day <= self.reference_date


def available_years() -> list[int]:
    folder = resources.files(SPEC_PACKAGE) / "spec"
    found = (re.fullmatch(r"csww_(\d{4})\.toml", item.name) for item in folder.iterdir())
    return sorted(int(match.group(1)) for match in found if match)


@cache
def load_spec(year: int) -> CensusSpec:
    """The specification of the census year ending 30 September `year`."""
    name = f"csww_{year}.toml"
    item = resources.files(SPEC_PACKAGE) / "spec" / name
    if not item.is_file():
        years = ", ".join(map(str, available_years())) or "none"
        raise SpecError(f"no census specification for {year} (ecf/census/spec/{name}); years available: {years}")
    try:
        document = tomllib.loads(item.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{name}: not valid TOML: {exc}") from exc
    try:
        spec = CensusSpec.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "(file)"
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        raise SpecError(f"{name}: {where}: {message}") from exc
    if spec.year != year:
        raise SpecError(f"{name}: year = {spec.year}, expected {year}")
    return spec


def latest_spec() -> CensusSpec:
    years = available_years()
    if not years:
        raise SpecError("no census specification files are installed")
    return load_spec(years[-1])


def census_year_for(day: date) -> int:
    """The census year a day falls in: 1 October to 30 September, named by the year it ends."""
    return day.year + 1 if day.month >= 10 else day.year


def lookup(mapping: dict[str, str]) -> dict[str, str]:
    """A word map matched ignoring case, spaces and punctuation."""
    return {normalise_header(key): value for key, value in mapping.items()}
