"""Match a sheet's headers to fields: the usual spellings built in, a saved mapping profile for other sources."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from importers.fields import ALIASES, FIELDS_BY_NAME, REQUIRED, normalise_header
from importers.profiles.model import MappingProfile, ProfileError, ValueField, parse_profile
from importers.readers import UnreadableFile

__all__ = ["ColumnMap", "MappingProfile", "ProfileError", "ValueField", "load_profile", "map_columns", "parse_profile"]


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
        lookup.update({k: v for k, v in profile.header_lookup().items() if v in FIELDS_BY_NAME})
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
        raise UnreadableFile(missing_message(where, missing, headers, recognised=names))
    return ColumnMap(columns, names, ignored, duplicates)


def missing_message(
    where: str, missing: list[str], headers: list[str], recognised: dict[str, str] | None = None, profile: str = ""
) -> str:
    """The one line for a file whose required columns are not all there: what was found, what is missing, what next."""
    found = ""
    if recognised:
        found = " Recognised: " + ", ".join(f"'{h}' as {FIELDS_BY_NAME[n].label}" for n, h in recognised.items()) + "."
    using = f" with profile '{profile}'" if profile else ""
    return (
        f"{where}: required column(s) not found{using}: {', '.join(missing)}. Headers on row: "
        f"{', '.join(repr(h) for h in headers if h)}.{found} Use --profile to map other header names "
        f"(ecf profile suggest {where.split(',')[0]} drafts one; a field the source lacks can be declared absent or "
        "given a constant)."
    )
