"""How far a rules or pay file is trusted: its size, its nesting, and where the files it names may be."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

MAX_BYTES = 1024 * 1024  # a council's rules or pay file is a few KB
MAX_DEPTH = 12  # tables within tables; the deepest real one is 4


def parse_toml(text: str, name: str, error: Callable[[str], Exception]) -> dict[str, Any]:
    """TOML within the size and depth limits, or `error(message)` raised with a one-line message."""
    if len(text) > MAX_BYTES:
        raise error(f"{name}: {len(text):,} characters, over the limit of {MAX_BYTES:,} for a rules or pay file")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{name}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise error(f"{name}: nested more than {MAX_DEPTH} levels deep") from exc
    if _depth(document) > MAX_DEPTH:
        raise error(f"{name}: nested more than {MAX_DEPTH} levels deep")
    return document


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def confined_name(name: str, origin: str, error: Callable[[str], Exception]) -> str:
    """A file a rules or pay file names must be in the same folder (or below it): no absolute path, no '..'."""
    path = PurePath(name)
    if path.is_absolute() or ".." in path.parts or name.startswith("~") or "\\" in name or "\x00" in name:
        raise error(f"{origin}: '{name[:80]}' must be a file in the same folder as the file naming it")
    return name
