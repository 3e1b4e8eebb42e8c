"""How d/m/y text in a column is to be read (`ecf import --dates`): apart from importers.dates, which needs the
readers and the parsers, so that the command line can offer the choice without loading them."""

from __future__ import annotations

from enum import StrEnum


class DateOrder(StrEnum):
    AUTO = "auto"
    DMY = "dmy"
    MDY = "mdy"
