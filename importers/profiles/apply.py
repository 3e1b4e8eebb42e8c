"""Apply a mapping profile to a sheet as read: each field's column made from the sheet's own (renamed, copied, split,
joined, value-mapped, scaled, dates read in the stated order, or a constant), for the validator to check as usual."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from importers.fields import ALIASES, FIELDS_BY_NAME, REQUIRED, Kind, normalise_header
from importers.issues import Issue
from importers.mapping import ColumnMap, missing_message
from importers.parsing import cell_text, is_blank
from importers.profiles.model import ColumnSpec, DateOrder, MappingProfile
from importers.readers import RawTable, UnreadableFile
from importers.validation import ValidatedFile

Getter = Callable[[list[Any]], Any]
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_PADDED_SWE = re.compile(r"^([A-Za-z]{2})0*([1-9]\d{0,5})$")


@dataclass(frozen=True)
class Source:
    """Where one field's values come from, and the header text a person sees in the report."""

    name: str
    header: str
    get: Getter


def apply_profile(table: RawTable, profile: MappingProfile, where: str) -> tuple[RawTable, ColumnMap]:
    """The sheet rebuilt with one column per field the profile (or a built-in spelling it leaves alone) provides."""
    sources, ignored, duplicates = _sources(table.headers, profile)
    names = {source.name for source in sources}
    missing = [FIELDS_BY_NAME[n].label for n in REQUIRED if n not in names and n not in profile.absent]
    if "fte" not in names and "weekly_hours" not in names:
        missing.append("FTE (or contracted hours)")
    if missing:
        raise UnreadableFile(missing_message(where, missing, table.headers, profile=profile.name))
    rows = [
        [None] * len(sources) if all(map(is_blank, cells)) else [source.get(cells) for source in sources]
        for cells in table.rows
    ]
    headers = [source.header for source in sources]
    built = RawTable(table.path, table.sheet, table.header_row, headers, rows, table.first_row)
    columns = {source.name: index for index, source in enumerate(sources)}
    return built, ColumnMap(columns, {s.name: s.header for s in sources}, ignored, duplicates)


def _sources(headers: list[str], profile: MappingProfile) -> tuple[list[Source], list[str], list[str]]:
    specs = profile.column_specs()
    present = {normalise_header(h) for h in headers if h}
    # The profile's own columns beat the built-in spellings for their fields, when the file has them; a field it
    # gives otherwise (joined, a constant, absent) is never taken from a built-in spelling.
    claimed = {n for key, spec in specs.items() if key in present and not spec.ignored for n in spec.targets}
    claimed |= set(profile.join) | set(profile.constants) | set(profile.absent)
    ignore = {normalise_header(h) for h in profile.ignore}
    joined = {normalise_header(h) for spec in profile.join.values() for h in spec.columns}
    sources: list[Source] = []
    taken: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []

    def add(source: Source) -> None:
        if source.name in taken:
            label = FIELDS_BY_NAME[source.name].label
            duplicates.append(f"'{source.header}' (also '{taken[source.name]}' for {label}; the first is used)")
            return
        taken[source.name] = source.header
        sources.append(source)

    for index, header in enumerate(headers):
        if not header:
            continue
        key = normalise_header(header)
        spec = specs.get(key)
        if key in ignore or (spec is not None and spec.ignored):
            ignored.append(header)
        elif spec is not None:
            for source in _from_spec(index, header, spec, profile):
                add(source)
        elif key in joined:
            continue
        elif (name := ALIASES.get(key)) is not None and name not in claimed:
            add(Source(name, header, _plain(index, name, profile.dates)))
        else:
            ignored.append(header)
    for name, join in profile.join.items():
        found = [headers_index(headers, h) for h in join.columns]
        if None in found:
            absent = [h for h, i in zip(join.columns, found, strict=True) if i is None]
            raise UnreadableFile(f"the profile joins columns not in the file: {', '.join(repr(h) for h in absent)}")
        add(Source(name, " + ".join(join.columns), _joined([i for i in found if i is not None], join.separator)))
    for name, value in profile.constants.items():
        add(Source(name, f"(profile '{profile.name}': {name})", _constant(value)))
    return sources, ignored, duplicates


def _constant(value: str) -> Getter:
    return lambda _cells: value


def headers_index(headers: list[str], wanted: str) -> int | None:
    key = normalise_header(wanted)
    return next((i for i, h in enumerate(headers) if h and normalise_header(h) == key), None)


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _plain(index: int, name: str, order: DateOrder | None) -> Getter:
    kind = FIELDS_BY_NAME[name].kind
    if kind is Kind.DATE and order is not None:
        return lambda cells: read_date(_cell(cells, index), order)
    if kind is Kind.SWE:
        return lambda cells: unpad_swe(_cell(cells, index))
    return lambda cells: _cell(cells, index)


def _from_spec(index: int, header: str, spec: ColumnSpec, profile: MappingProfile) -> list[Source]:
    values = {normalise_header(raw): target for raw, target in spec.value_map().items()}
    if spec.split:
        return [Source(name, header, _part(index, part, len(spec.split), spec)) for part, name in enumerate(spec.split)]
    return [Source(name, header, _converter(index, name, spec, values, profile)) for name in spec.targets]


def _converter(index: int, name: str, spec: ColumnSpec, values: dict[str, str], profile: MappingProfile) -> Getter:
    kind = FIELDS_BY_NAME[name].kind
    order = spec.dates or profile.dates

    def get(cells: list[Any]) -> Any:
        raw = _cell(cells, index)
        if values and not is_blank(raw):
            mapped = values.get(normalise_header(cell_text(raw)))
            if mapped is not None:
                return mapped or None
        if spec.unit is not None:
            return scale(raw, spec.unit)
        if kind is Kind.DATE and spec.date_format:
            return read_date_format(raw, spec.date_format)
        if kind is Kind.DATE and order is not None:
            return read_date(raw, order)
        if kind is Kind.SWE or (name == "employee_id" and "swe_number" in spec.targets):
            return unpad_swe(raw)
        return raw

    return get


def _part(index: int, part: int, parts: int, spec: ColumnSpec) -> Getter:
    def get(cells: list[Any]) -> Any:
        raw = _cell(cells, index)
        if is_blank(raw):
            return None
        text = cell_text(raw).strip()
        cut = text.rsplit if spec.split_at == "last" else text.split
        pieces = [piece.strip() for piece in cut(spec.separator, parts - 1)]
        return pieces[part] if part < len(pieces) and pieces[part] else None

    return get


def _joined(indexes: list[int], separator: str) -> Getter:
    def get(cells: list[Any]) -> Any:
        parts = [cell_text(_cell(cells, i)).strip() for i in indexes if not is_blank(_cell(cells, i))]
        return separator.join(parts) or None

    return get


def scale(raw: Any, unit: str) -> Any:
    """hours_x100: 1600 is 16 hours (the NFI payroll extract); percent: 60 is 0.6 FTE. Unreadable cells pass through
    for the validator to report."""
    if is_blank(raw) or isinstance(raw, bool):
        return raw
    text = cell_text(raw).strip().rstrip("%")
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return raw
    if not number.is_finite():
        return raw
    return str(number / 100)


def read_date(raw: Any, order: DateOrder) -> Any:
    """A text date read in the stated order (2024/03/05 as ymd is 5 March); a real date cell stays as it is."""
    if not isinstance(raw, str):
        return raw
    match = _NUMERIC_DATE.match(raw.strip().split(" ")[0].split("T")[0])
    if match is None:
        return raw
    first, second, third = (int(part) for part in match.groups())
    year, month, day = {
        "dmy": (third, second, first),
        "mdy": (third, first, second),
        "ymd": (first, second, third),
    }[order]
    if year < 100:
        return raw  # two-digit years: left to the usual reading, which knows its pivot
    try:
        return date(year, month, day)
    except ValueError:
        return raw


def read_date_format(raw: Any, fmt: str) -> Any:
    from datetime import datetime

    if not isinstance(raw, str):
        return raw
    try:
        return datetime.strptime(raw.strip(), fmt).date()
    except ValueError:
        return raw


def unpad_swe(raw: Any) -> Any:
    """The census writes SWE numbers zero-padded to ten digits (SW0000104233); Social Work England's are SW104233."""
    if isinstance(raw, str):
        match = _PADDED_SWE.match(raw.strip())
        if match is not None:
            return match.group(1).upper() + match.group(2)
    return raw


def summarise_absent(validated: ValidatedFile, profile: MappingProfile) -> None:
    """One warning per field the source does not carry, in place of a warning on every row."""
    if not profile.absent:
        return
    per_row = {"swe_number": "missing-swe-number"}
    dropped = {per_row[name] for name in profile.absent if name in per_row}
    if dropped:
        validated.issues[:] = [issue for issue in validated.issues if issue.code not in dropped]
    labels = ", ".join(FIELDS_BY_NAME[name].label for name in profile.absent)
    needed = [FIELDS_BY_NAME[name].label for name in profile.absent if name in REQUIRED]
    left_out = f" and are left out of milestones until a later file supplies the {needed[0]}" if needed else ""
    message = (
        f"the source has no {labels} (profile '{profile.name}' declares them absent): {len(validated.records)} "
        f"workers imported without; they count in the indicators{left_out}"
    )
    validated.issues.append(Issue("field-absent", message, None, labels, ""))
