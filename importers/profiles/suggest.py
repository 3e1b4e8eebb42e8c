"""Draft a mapping profile from a file: each header with the field it maps to and why. A guess is never made silently:
every uncertain line is written commented ("# ? "), for a person to confirm by removing the mark."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importers.fields import ALIASES, FIELDS_BY_NAME, REQUIRED, Kind, normalise_header
from importers.parsing import ASYE_WORDS, CONTRACT_WORDS, cell_text, is_blank
from importers.profiles.builtin import BUILTIN_NAMES, builtin_profile
from importers.profiles.model import ColumnSpec, DateOrder, MappingProfile, _q, column_toml
from importers.readers import RawTable, UnreadableFile, read_table

CONFIRM = "# ? "
# The fields whose values may be shown as examples: none says who a worker is.
SHOWN_SAMPLES = frozenset(
    {"fte", "weekly_hours", "contract_type", "role", "grade", "team", "leaving_reason", "caseload", "asye_status",
     "spinal_point", "absence_type"}
)  # fmt: skip
SAMPLES = 3
_TEXT_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_CODE = re.compile(r"^(?:\d{1,3}|[A-Z]{1,4}\d{0,2})$")
_SWE = re.compile(r"^SW\d{1,10}$", re.IGNORECASE)
# Words in a header that point at a field, for headers no spelling matches (the first word found decides).
_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("date_qualified", ("qualif",)),
    ("leaving_date", ("termination", "leav", "left", "enddate")),
    ("start_date", ("start", "joined", "appointment", "hire")),
    ("swe_number", ("swe", "registration", "regno")),
    ("surname", ("surname", "lastname", "familyname")),
    ("forename", ("forename", "firstname", "givenname")),
    ("weekly_hours", ("hours",)),
    ("fte", ("fte", "wte")),
    ("contract_type", ("contract", "category", "agency", "employmenttype")),
    ("grade", ("grade",)),
    ("team", ("team", "department", "unit")),
    ("role", ("job", "role", "title")),
    ("caseload", ("case",)),
    ("employee_id", ("ref", "number", "id")),
)


@dataclass
class Line:
    """One header's suggestion: the mapping (None: ignore), why, whether it is sure, and what the values look like."""

    header: str
    spec: ColumnSpec | None
    reason: str
    certain: bool
    samples: list[str] = field(default_factory=list)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.spec.targets if self.spec is not None else ()


@dataclass
class Draft:
    path: Path
    header_row: int
    lines: list[Line]
    missing: list[str]
    looks_like: str | None = None  # a built-in profile most headers match
    dates: DateOrder | None = None
    dates_certain: bool = False
    settings: list[str] = field(default_factory=list)  # top-level lines to confirm (absent, ignore…)
    tables: list[str] = field(default_factory=list)  # whole tables to confirm ([constants])

    def to_toml(self, name: str) -> str:
        out = [
            f"# Drafted by `ecf profile suggest` from {self.path.name} (header on row {self.header_row}).",
            f'# Lines starting "{CONFIRM.strip()}" are guesses: check each, and remove the mark to confirm it.',
        ]
        if self.looks_like:
            out.append(f"# Most headers match the built-in profile '{self.looks_like}': --profile {self.looks_like}")
        for label in self.missing:
            out.append(f"# Not found: {label}.")
        out += [f"name = {_q(name)}", f"description = {_q('Drafted from ' + self.path.name)}"]
        if self.dates:
            settled = ("", "the values settle it")
            mark, why = settled if self.dates_certain else (CONFIRM, "nothing settles it: UK order")
            out.append(f'{mark}dates = "{self.dates}"  # how the text dates are written: {why}')
        out += self.settings
        out += ["", "[columns]"]
        for line in self.lines:
            text = column_toml(line.header, line.spec) if line.spec else f'{_q(line.header)} = "ignore"'
            samples = f"; e.g. {', '.join(line.samples)}" if line.samples else ""
            out.append(f"{'' if line.certain else CONFIRM}{text}  # {line.reason}{samples}")
        for table in self.tables:
            out += ["", table]
        return "\n".join(out) + "\n"


def read_any(path: Path) -> RawTable:
    """The table, with its header row found as the import finds it, else the first row that reads as a header."""
    try:
        return read_table(path)
    except UnreadableFile as exc:
        if "no recognisable header row" not in str(exc):
            raise
        first: UnreadableFile = exc
    for row in range(1, 11):
        try:
            table = read_table(path, header_row=row)
        except UnreadableFile:
            continue
        named = [h for h in table.headers if h]
        if len(named) >= 3 and all(not _is_data(h) for h in named) and len(named) * 2 > len(table.headers):
            return table
    raise first


def _is_data(text: str) -> bool:
    return bool(_TEXT_DATE.match(text)) or text.replace(".", "").isdigit()


def suggest(path: Path) -> Draft:
    table = read_any(path)
    columns = _columns(table)
    known = _known_headers()
    named = [h for h in table.headers if h]
    votes = {system: sum(normalise_header(h) in headers for h in named) for system, headers in known.items()}
    looks_like = max(votes, key=lambda n: votes[n]) if votes else None
    if looks_like is not None and votes[looks_like] * 2 < len(named):
        looks_like = None
    lines: list[Line] = []
    taken: dict[str, Line] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        values = columns[index]
        line = _suggest_one(header, values, known, looks_like)
        if set(line.fields) and set(line.fields) <= SHOWN_SAMPLES:  # never a name, ID or date of birth in a profile
            line.samples = [v for v in dict.fromkeys(values) if v][:SAMPLES]
        for name in line.fields:
            other = taken.get(name)
            if other is not None:  # two headers for one field: neither is taken silently
                other.certain = line.certain = False
                line.reason += f"; '{other.header}' also looks like {name}: keep one"
            taken[name] = line
        lines.append(line)
    _draft_value_maps(lines, columns, table.headers)
    found = set(taken)
    missing = [n for n in REQUIRED if n not in found]
    if "fte" not in found and "weekly_hours" not in found:
        missing.append("fte")
    draft = Draft(path, table.header_row, lines, [FIELDS_BY_NAME[n].label for n in missing], looks_like)
    draft.dates, draft.dates_certain = _date_order(
        [columns[i] for i, h in enumerate(table.headers) if _is_date_column(h, lines)]
    )
    _missing_settings(draft, missing, looks_like)
    return draft


def _columns(table: RawTable) -> list[list[str]]:
    width = len(table.headers)
    rows = [row for row in table.rows[:500] if not all(map(is_blank, row))]
    return [[cell_text(row[i]).strip() if i < len(row) else "" for row in rows] for i in range(width)]


Known = dict[str, dict[str, ColumnSpec | None]]


def _known_headers() -> Known:
    """Each built-in profile's headers, with their mapping (None: ignored there)."""
    known: Known = {}
    for name in BUILTIN_NAMES:
        profile = builtin_profile(name)
        headers: dict[str, ColumnSpec | None] = {normalise_header(h): s for h, s in profile.columns.items()}
        headers.update({normalise_header(h): None for h in profile.ignore})
        known[name] = headers
    return known


def _suggest_one(header: str, values: list[str], known: Known, looks_like: str | None) -> Line:
    """The export's own system first (when most headers match a built-in profile), then the built-in spellings, then
    other systems' headers, close spellings, words in the header and the values: the last three only to confirm."""
    key = normalise_header(header)
    if looks_like is not None and key in known[looks_like]:
        return Line(header, known[looks_like][key], f"as in the built-in profile '{looks_like}'", True)
    if key in ALIASES:
        return Line(header, ColumnSpec(field=ALIASES[key]), "built-in spelling", True)
    system = next((name for name, headers in known.items() if key in headers), None)
    if system is not None:
        return Line(header, known[system][key], f"as in the built-in profile '{system}'", False)
    close = difflib.get_close_matches(key, list(ALIASES), n=3, cutoff=0.85)
    fields = list(dict.fromkeys(ALIASES[c] for c in close))
    if len(fields) == 1 and _fits(fields[0], values):
        return Line(header, ColumnSpec(field=fields[0]), f"close spelling of '{close[0]}'", False)
    hinted = [name for name, words in _HINTS if any(word in key for word in words)]
    fitting = [name for name in hinted if _fits(name, values)]
    if fitting:
        alternatives = f"; or {', '.join(fitting[1:])}" if len(fitting) > 1 else ""
        return Line(header, ColumnSpec(field=fitting[0]), f"the header names it{_looks(values)}{alternatives}", False)
    by_values = _by_values(values)
    if by_values:
        return Line(header, None, f"not used; {by_values}", False)
    return Line(header, None, "not used: no field matches the header", True)


def _fits(name: str, values: list[str]) -> bool:
    """Whether the column's values could be this field's (a date field's must read as dates, and so on)."""
    filled = [v for v in values if v]
    if not filled:
        return True
    kind = FIELDS_BY_NAME[name].kind
    if kind is Kind.DATE:
        return all(_TEXT_DATE.match(v) for v in filled)
    if kind in (Kind.FTE, Kind.HOURS, Kind.INT):
        return all(_number(v) is not None for v in filled)
    if kind is Kind.SWE:
        return all(_SWE.match(v) for v in filled)
    return True


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _looks(values: list[str]) -> str:
    found = _by_values(values)
    return f"; {found}" if found else ""


def _by_values(values: list[str]) -> str:
    filled = [v for v in values if v]
    if not filled:
        return ""
    if all(_TEXT_DATE.match(v) for v in filled):
        return "values look like dates"
    if all(_SWE.match(v) for v in filled):
        return "values look like SWE numbers"
    numbers = [_number(v) for v in filled]
    if all(n is not None and 0 <= n <= 1 for n in numbers):
        return "values look like FTE"
    if len(set(filled)) == len(filled) and len(filled) > 1:
        return "values look like IDs (each once)"
    return ""


def _is_date_column(header: str, lines: Sequence[Line]) -> bool:
    line = next((line for line in lines if line.header == header), None)
    return line is not None and any(FIELDS_BY_NAME[n].kind is Kind.DATE for n in line.fields)


def _date_order(columns: list[list[str]]) -> tuple[DateOrder | None, bool]:
    """The order the text dates are written in, and whether the values settle it (a year first, a day over 12)."""
    parts = [m.groups() for column in columns for v in column if v and (m := _TEXT_DATE.match(v))]
    if not parts:
        return None, False
    if all(len(a) == 4 for a, _, _ in parts):
        return "ymd", True
    day_first = any(int(a) > 12 for a, _, _ in parts if len(a) <= 2)
    month_first = any(int(b) > 12 for _, b, _ in parts)
    if day_first != month_first:
        return ("dmy" if day_first else "mdy"), True
    return "dmy", False  # the UK reading when nothing settles it: a guess, so the line is commented


def _draft_value_maps(lines: list[Line], columns: list[list[str]], headers: list[str]) -> None:
    """For contract type and ASYE status columns whose words the importer does not know: a value map to fill in."""
    words = {"contract_type": CONTRACT_WORDS, "asye_status": ASYE_WORDS}
    for line in lines:
        if line.spec is not None and line.spec.field == "role" and not line.spec.values:
            codes = [v for v in dict.fromkeys(columns[headers.index(line.header)]) if v]
            if codes and all(_CODE.match(v) for v in codes):  # role codes (the census's 1-6): titles to fill in
                line.spec = ColumnSpec(field="role", values={v: v for v in codes[:20]})
                line.certain = False
                line.reason += "; the roles are codes: give each its title"
            continue
        if line.spec is None or line.spec.values or line.spec.field not in words:
            continue
        values = columns[headers.index(line.header)]
        unknown = [v for v in dict.fromkeys(values) if v and normalise_header(v) not in words[line.spec.field]]
        if unknown:
            drafted = {v: "" for v in unknown[:20]}
            line.spec = ColumnSpec(field=line.spec.field, values=drafted)
            line.certain = False
            line.reason += f"; fill in what {', '.join(repr(v) for v in unknown[:5])} mean"


def _missing_settings(draft: Draft, missing: list[str], looks_like: str | None) -> None:
    model: MappingProfile | None = builtin_profile(looks_like) if looks_like else None
    absent = [n for n in missing if n == "date_qualified"]
    if model is not None:
        absent = [n for n in model.absent if n in missing or n not in REQUIRED]
    if absent:
        names = ", ".join(_q(n) for n in absent)
        draft.settings.append(f"{CONFIRM}absent = [{names}]  # the source does not carry these")
    constants = model.constants if model is not None else {}
    if "contract_type" in missing:
        value = constants.get("contract_type", "permanent")
        draft.tables.append(f"{CONFIRM}[constants]\n{CONFIRM}contract_type = {_q(value)}  # if everyone in it is")


def suggestion_summary(draft: Draft) -> list[dict[str, Any]]:
    """The draft as rows for a table: header, field, sure or to confirm, why, sample values."""
    return [
        {
            "header": line.header,
            "field": ", ".join(line.fields) or "(not used)",
            "sure": "yes" if line.certain else "confirm",
            "why": line.reason,
            "samples": ", ".join(line.samples),
        }
        for line in draft.lines
    ]
