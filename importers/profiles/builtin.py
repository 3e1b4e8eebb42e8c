"""The built-in mapping profiles for exports every council meets, shipped as TOML beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources

from importers.mapping import profile_from_toml
from importers.profiles.model import MappingProfile, ProfileError

BUILTIN_NAMES = ("csww", "nfi-payroll", "resourcelink", "oracle-hcm")


@cache
def builtin_profile(name: str) -> MappingProfile:
    if name not in BUILTIN_NAMES:
        raise ProfileError(f"no built-in profile called '{name}' (built in: {', '.join(BUILTIN_NAMES)})")
    text = resources.files("importers.profiles").joinpath("builtin", f"{name}.toml").read_text(encoding="utf-8")
    return profile_from_toml(text, f"built-in profile '{name}'")


def builtin_toml(name: str) -> str:
    builtin_profile(name)
    return resources.files("importers.profiles").joinpath("builtin", f"{name}.toml").read_text(encoding="utf-8")
