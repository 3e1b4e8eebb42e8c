"""Checks on values as values, after cell parsing: characters no name or ID should hold, IDs that are really yes/no
values or fractions, and invisible characters in IDs (removed, with a finding), so that two IDs that look the same
are the same. Also what every stored text must not hold (PostgreSQL refuses NUL in text and in JSON)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from importers.parsing import CellError

# C0 controls other than tab and line breaks (which text parsing folds into spaces), DEL and C1 controls (ESC starts
# terminal escape sequences), surrogates, and Unicode's non-characters (U+FDD0..U+FDEF, U+xFFFE and U+xFFFF: not
# allowed in XML, so a workbook holding one is broken).
_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]")
# Characters that show as nothing: in an ID they make two equal-looking IDs differ.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_FRACTION = re.compile(r"^\d+\.\d*[1-9]\d*$")
_YES_NO = frozenset({"true", "false"})
MAX_SHOWN = 100  # characters of a value a finding shows


def shorten(text: str | None, limit: int = MAX_SHOWN) -> str | None:
    """A long value cut for a finding: the start, an ellipsis and how long it was."""
    if text is None or len(text) <= limit:
        return text
    return f"{text[: limit - 20]}… ({len(text):,} characters)"


def storable(text: str | None) -> str | None:
    """Text fit for any database column: NUL (which PostgreSQL refuses) shown as U+FFFD."""
    if text is None or "\x00" not in text:
        return text
    return text.replace("\x00", "\ufffd")


def character_name(character: str) -> str:
    return f"U+{ord(character):04X}"


Screened = tuple[list[Any], dict[int, CellError], dict[int, CellError]]


def screen_column(name: str, cells: Sequence[Any], values: list[Any], distinct: Collection[Any]) -> Screened:
    """Check one parsed column. Returns the values (None where refused, IDs cleaned), the errors and the warnings
    (both by position). Quick when nothing is wrong: the distinct values are tested joined, in one regex search."""
    errors: dict[int, CellError] = {}
    warnings: dict[int, CellError] = {}
    texts = [value for value in distinct if type(value) is str]
    if texts and FORBIDDEN.search("\n".join(texts)):
        bad = {value: FORBIDDEN.search(value) for value in texts}
        for position, value in enumerate(values):
            found = bad.get(value) if type(value) is str else None
            if found is not None:
                errors[position] = CellError(
                    "invalid-character",
                    f"contains the control or non-character {character_name(found.group())}, which no name, ID or "
                    "code holds; fix the cell",
                )
                values[position] = None
    if name == "employee_id":
        _screen_ids(cells, values, errors, warnings)
    return values, errors, warnings


def _screen_ids(
    cells: Sequence[Any], values: list[Any], errors: dict[int, CellError], warnings: dict[int, CellError]
) -> None:
    odd_cells = {cell for cell in set(map(_hashable, cells)) if _odd_id(cell)}
    invisible = any(type(v) is str and INVISIBLE.search(v) for v in set(values))
    if not odd_cells and not invisible:
        return
    for position, (cell, value) in enumerate(zip(cells, values, strict=True)):
        if position in errors:
            continue
        if _hashable(cell) in odd_cells:
            errors[position] = CellError(
                "invalid-employee-id",
                f"'{cell}' is not an employee ID (a yes/no value or a number with a fraction); "
                "format the column as text",
            )
            values[position] = None
        elif type(value) is str and INVISIBLE.search(value):
            cleaned = INVISIBLE.sub("", value)
            values[position] = cleaned or None
            warnings[position] = CellError(
                "invisible-characters-removed",
                f"invisible characters ({', '.join(sorted({character_name(c) for c in INVISIBLE.findall(value)}))}) "
                f"removed from the ID: read as {cleaned!r}",
            )


def _hashable(cell: Any) -> Any:
    try:
        hash(cell)
    except TypeError:
        return repr(cell)
    return cell


def _odd_id(cell: Any) -> bool:
    if isinstance(cell, bool):
        return True
    if isinstance(cell, float):
        return not cell.is_integer()
    if isinstance(cell, str):
        text = cell.strip()
        return text.lower() in _YES_NO or bool(_FRACTION.match(text))
    return False
