"""Mapping profiles as use cases: the built-in and saved ones, saving one (audited), drafting one from a file, and
checking a file with a profile without storing anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ecf.services import audit
from ecf.services.context import App
from ecf.services.imports import read_and_validate, resolve_profile, snapshot_date_of
from importers.fields import ALIASES, FIELDS, REQUIRED
from importers.mapping import MappingProfile, ProfileError
from importers.profiles.builtin import BUILTIN_NAMES, builtin_profile, builtin_toml
from importers.profiles.meanings import MEANINGS
from importers.profiles.suggest import Draft, suggest
from importers.validation import ValidatedFile


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    kind: str  # "built-in" or "saved"
    description: str
    saved_at: datetime | None = None


def list_profiles(app: App) -> list[ProfileInfo]:
    """The built-in profiles, then the council's saved ones (a saved one of the same name is used first)."""
    rows = [ProfileInfo(name, "built-in", builtin_profile(name).description) for name in BUILTIN_NAMES]
    with app.unit_of_work() as uow:
        saved = uow.profiles.all()
        for name, saved_at in saved:
            rows.append(ProfileInfo(name, "saved", "", saved_at))
    return rows


def profile_text(app: App, name: str) -> str:
    with app.unit_of_work() as uow:
        content = uow.profiles.get(name)
    if content is not None:
        return content
    if name in BUILTIN_NAMES:
        return builtin_toml(name)
    raise ProfileError(f"no saved or built-in profile called '{name}' (see: ecf profile list)")


def save_profile(app: App, profile: MappingProfile, name: str | None = None, now: datetime | None = None) -> str:
    saved_as = name or profile.name
    with app.unit_of_work() as uow:
        uow.profiles.save(saved_as, profile.to_toml(), now or datetime.now(UTC))
        audit.record(uow, "profile.save", f"profile {saved_as}", {"columns": len(profile.columns)})
        uow.commit()
    return saved_as


@dataclass(frozen=True)
class FieldInfo:
    name: str
    label: str
    required: str
    meaning: str
    spellings: str


def field_list() -> list[FieldInfo]:
    """Every field a profile can map to, with what it means, whether a file must carry it, and the built-in
    header spellings (case, spaces and punctuation aside)."""
    rows = []
    for field in FIELDS:
        required = "yes" if field.name in REQUIRED else ""
        if field.name == "date_qualified":
            required = "yes, unless declared absent"
        if field.name in ("fte", "weekly_hours"):
            required = "FTE or hours"
        meaning, spellings = MEANINGS.get(field.name, ""), ", ".join(field.aliases)
        rows.append(FieldInfo(field.name, field.label, required, meaning, spellings))
    extra = sorted({name for name in ALIASES.values() if name.startswith("absence") and name[7:8].isdigit()})
    if extra:
        rows.append(FieldInfo(f"{extra[0]} … {extra[-1]}", "Further absences", "", MEANINGS["absence_n"],
                              "absence 2 start, absence 2 end, absence 2 type, …"))  # fmt: skip
    return rows


def draft_profile(path: Path) -> Draft:
    return suggest(path)


def check_file(app: App, path: Path, as_of: date | None, profile_name: str | None) -> ValidatedFile:
    """Read, map and validate a file as the import would, and store nothing."""
    profile = resolve_profile(app, profile_name)
    return read_and_validate(path, as_of or snapshot_date_of(path) or date.today(), profile)
