"""Modules loaded when first used, so `ecf --help` and a quick listing do not wait for pandas, numpy, SQLAlchemy
and openpyxl to import (about two seconds): each command pays only for what it uses."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Lazy:
    """Stands for a module; the first attribute looked up imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


def lazy(name: str) -> Any:
    return Lazy(name)
