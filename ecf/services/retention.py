"""Retention: once a worker has been gone longer than the council keeps personal data (its `retention_years`,
default 6), their personal data is removed, while anonymous facts stay so the indicators and cohorts of the years
they worked here still add up.

How, in one transaction:
- each leaver's ID becomes an unlinked code (`anon-…`, random, the same in every table, so their months still count
  as one person's); in their own rows (any table with an employee_id) every column not kept below is cleared;
- every text column of every table (found from the database itself, so a table added later is covered) is swept for
  their ID, SWE number and names, which are replaced (a free-text finding, an audit entry, a line manager's name);
- the rows HR's rejected-row store kept for them are removed (the import still counts them).
The audit trail is append-only, so the sweep lifts its guard inside this one transaction (the owner's right alone).
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import JSON, Connection, String, bindparam, inspect, select, table, text, update
from sqlalchemy import column as sql_column

from ecf.domain.workforce import EmploymentStatus
from ecf.services import audit
from ecf.services.admin import require
from ecf.services.context import App
from ecf.services.workforce import current_workers
from ecf.storage.append_only import guard_lifted

ANONYMOUS_PREFIX = "anon-"
REMOVED = "[removed]"
ID_COLUMN = "employee_id"
SKIPPED_TABLES = ("alembic_version",)
_SNAPSHOT_FACTS = (
    "import_id", "employee_id", "as_of", "row_number", "date_qualified", "start_date", "leaving_date", "fte",
    "contract_type", "grade", "spinal_point", "team", "role", "caseload", "asye_start_date", "asye_status",
    "asye_review_3m", "asye_review_6m", "asye_review_9m", "asye_review_final", "prior_pqe_months",
    "market_supplement", "allowances", "carried_from",
)  # fmt: skip
# What a leaver's own rows keep once anonymised: the facts indicators and cohorts count. Every other nullable column of
# a table with an employee_id is cleared, so a table or column added later (a date of birth, an ethnicity) goes by
# default. The one list to extend.
KEPT: dict[str, frozenset[str]] = {
    "worker_snapshots": frozenset(_SNAPSHOT_FACTS),
    "absences": frozenset({"id", "import_id", "employee_id", "start_date", "end_date", "absence_type"}),
    "milestone_events": frozenset(
        {"id", "employee_id", "framework", "milestone", "completed_on", "outcome", "recorded_at", "recorded_by"}
    ),
}
# Rows removed outright when they hold a leaver's ID anywhere in them (their counts stay on the import).
REMOVED_ROWS = ("rejected_rows",)


def retention_years(app: App) -> int:
    from ecf.services.progression import rulebook

    return rulebook(app).council.retention_years


def default_cutoff(app: App, today: date) -> date:
    return today - relativedelta(years=retention_years(app))


@dataclass(frozen=True)
class Leaver:
    employee_id: str
    left_on: date
    team: str | None


@dataclass
class RetentionPlan:
    left_before: date
    leavers: list[Leaver]
    own_rows: dict[str, int] = field(default_factory=dict)  # table -> the leavers' own rows, anonymised
    removed_rows: dict[str, int] = field(default_factory=dict)  # table -> rows removed
    mentions: dict[str, int] = field(default_factory=dict)  # table -> other rows where an ID or name is replaced

    @property
    def changes(self) -> int:
        return sum(self.own_rows.values()) + sum(self.removed_rows.values()) + sum(self.mentions.values())


def leavers(app: App, left_before: date) -> list[Leaver]:
    """Workers whose latest record has them gone before `left_before`: a leaving date before it, or (off HR's sheet
    with no leaving date) last seen before it. Those already anonymised are not listed again."""
    found = []
    for state in current_workers(app, include_left=True):
        if state.record.employee_id.startswith(ANONYMOUS_PREFIX):
            continue
        if state.status is EmploymentStatus.LEFT and state.record.leaving_date is not None:
            left_on = state.record.leaving_date
        elif state.status is EmploymentStatus.GONE:
            left_on = state.last_seen
        else:
            continue
        if left_on < left_before:
            found.append(Leaver(state.record.employee_id, left_on, state.record.team))
    return sorted(found, key=lambda leaver: (leaver.left_on, leaver.employee_id))


def plan(app: App, left_before: date) -> RetentionPlan:
    """What --apply would do, changing nothing."""
    require(app, "read")
    gone = leavers(app, left_before)
    result = RetentionPlan(left_before, gone)
    if gone:
        with app.unit_of_work() as uow:
            _sweep(uow.connection(), gone, result, write=False)
    return result


def apply(app: App, left_before: date) -> RetentionPlan:
    """Anonymise the leavers' personal data, all or nothing, and record that it was done (counts, never IDs)."""
    require(app, "retention")
    gone = leavers(app, left_before)
    result = RetentionPlan(left_before, gone)
    if not gone:
        return result
    with app.unit_of_work() as uow:
        connection = uow.connection()
        with guard_lifted(connection):
            _sweep(connection, gone, result, write=True)
        details = {"left_before": left_before.isoformat(), "workers": len(gone), "own_rows": result.own_rows,
                   "removed_rows": result.removed_rows, "mentions": result.mentions}  # fmt: skip
        audit.record(uow, "retention", f"leavers before {left_before:%d/%m/%Y}", details)
        uow.commit()
    return result


@dataclass(frozen=True)
class _Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    texts: tuple[str, ...]
    nullable: frozenset[str]


def _tables(connection: Connection) -> list[_Table]:
    """Every table in the database with its key and text columns, read from the database's own catalogue."""
    inspector = inspect(connection)
    found = []
    for name in inspector.get_table_names():
        if name in SKIPPED_TABLES or name.startswith("ecf_backup"):
            continue
        columns = inspector.get_columns(name)
        key = tuple(inspector.get_pk_constraint(name).get("constrained_columns") or ())
        texts = tuple(c["name"] for c in columns if isinstance(c["type"], String | JSON))
        nullable = frozenset(c["name"] for c in columns if c.get("nullable", True) and c["name"] not in key)
        found.append(_Table(name, key, tuple(c["name"] for c in columns), texts, nullable))
    return found


class _Terms:
    """A leaver's identifiers, and the text that replaces each wherever it appears."""

    def __init__(self, connection: Connection, gone: list[Leaver]) -> None:
        self.codes = {leaver.employee_id: _new_code() for leaver in gone}
        replacements: dict[str, str] = {employee_id.lower(): code for employee_id, code in self.codes.items()}
        names = _identity(connection, list(self.codes))
        still_here = _names_still_used(connection, set(self.codes))
        for surnames, forenames, swe_numbers in names.values():
            for swe in swe_numbers:
                replacements[swe.lower()] = REMOVED
            for surname in surnames:
                for forename in forenames:
                    for full in (f"{forename} {surname}", f"{surname}, {forename}", f"{surname} {forename}"):
                        replacements[full.lower()] = REMOVED
            for name in (*surnames, *forenames):  # on its own, a name only a leaver bore identifies them
                if name.lower() not in still_here:
                    replacements[name.lower()] = REMOVED
        self.replacements = {term: value for term, value in replacements.items() if term.strip()}
        ordered = sorted(self.replacements, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.IGNORECASE)
        self.first_words = {re.findall(r"\w+", term)[0] for term in ordered if re.findall(r"\w+", term)}

    def scrub(self, value: Any) -> Any:
        """The value with every identifier replaced (JSON walked through); the same object if nothing matched."""
        if isinstance(value, str):
            if not self.first_words.intersection(re.findall(r"\w+", value.lower())):
                return value
            return self.pattern.sub(lambda m: self.replacements[m.group(0).lower()], value)
        if isinstance(value, dict):
            scrubbed = {k: self.scrub(v) for k, v in value.items()}
            return value if scrubbed == value else scrubbed
        if isinstance(value, list):
            items = [self.scrub(v) for v in value]
            return value if items == value else items
        return value

    def mentions_an_id(self, value: Any) -> bool:
        if isinstance(value, str):
            return value.strip().lower() in self.codes_lower
        if isinstance(value, dict):
            return any(self.mentions_an_id(v) for v in value.values())
        if isinstance(value, list):
            return any(self.mentions_an_id(v) for v in value)
        return False

    @property
    def codes_lower(self) -> set[str]:
        return {employee_id.lower() for employee_id in self.codes}


def _new_code() -> str:
    return ANONYMOUS_PREFIX + secrets.token_hex(5)


def _identity(connection: Connection, ids: list[str]) -> dict[str, tuple[set[str], set[str], set[str]]]:
    """Every surname, forename and SWE number ever stored for these workers, in any snapshot."""
    found: dict[str, tuple[set[str], set[str], set[str]]] = defaultdict(lambda: (set(), set(), set()))
    query = text("SELECT employee_id, surname, forename, swe_number FROM worker_snapshots WHERE employee_id IN :ids")
    query = query.bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(ids), 500):
        for employee_id, surname, forename, swe in connection.execute(query, {"ids": ids[start : start + 500]}):
            surnames, forenames, swe_numbers = found[employee_id]
            for bucket, value in ((surnames, surname), (forenames, forename), (swe_numbers, swe)):
                if value and value.strip():
                    bucket.add(value.strip())
    return found


def _names_still_used(connection: Connection, leaving: set[str]) -> set[str]:
    """Names borne by anyone staying: those are not a leaver's alone, so are left where they stand alone."""
    rows = connection.execute(text("SELECT DISTINCT employee_id, surname, forename FROM worker_snapshots"))
    return {name.strip().lower() for employee_id, *names in rows if employee_id not in leaving
            for name in names if name}  # fmt: skip


def _sweep(connection: Connection, gone: list[Leaver], result: RetentionPlan, write: bool) -> None:
    terms = _Terms(connection, gone)
    for info in _tables(connection):
        if ID_COLUMN in info.columns:
            result.own_rows[info.name] = _own_rows(connection, info, terms, write)
        if info.name in REMOVED_ROWS:
            result.removed_rows[info.name] = _remove_rows(connection, info, terms, write)
        result.mentions[info.name] = _replace_mentions(connection, info, terms, write)
    for counts in (result.own_rows, result.removed_rows, result.mentions):
        for name in [name for name, count in counts.items() if not count]:
            del counts[name]


def _own_rows(connection: Connection, info: _Table, terms: _Terms, write: bool) -> int:
    kept = KEPT.get(info.name, frozenset(info.key) | {ID_COLUMN})
    cleared = sorted(info.nullable - kept)
    target = table(info.name, *(sql_column(c) for c in info.columns))
    ids = list(terms.codes)
    count = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = select(target.c[ID_COLUMN]).where(target.c[ID_COLUMN].in_(chunk))
        count += len(connection.execute(found).all())
    if write and count:
        change = (
            update(target)
            .where(target.c[ID_COLUMN] == bindparam("old"))
            .values({ID_COLUMN: bindparam("code"), **dict.fromkeys(cleared)})
        )
        connection.execute(change, [{"old": old, "code": code} for old, code in terms.codes.items()])
    return count


def _rows(connection: Connection, info: _Table, columns: Iterable[str]) -> Iterator[dict[str, Any]]:
    wanted = [*info.key, *(c for c in columns if c not in info.key)]
    target = table(info.name, *(sql_column(c) for c in info.columns))
    query = select(*(target.c[c] for c in wanted))  # untyped columns: JSON comes back as SQLite stores it, text
    result = connection.execute(query.execution_options(yield_per=2000))
    for row in result.mappings():
        yield dict(row)


def _json_columns(connection: Connection, info: _Table) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns(info.name) if isinstance(c["type"], JSON)}


def _remove_rows(connection: Connection, info: _Table, terms: _Terms, write: bool) -> int:
    if not info.key:
        return 0
    json_columns = _json_columns(connection, info)
    doomed = []
    for row in _rows(connection, info, info.texts):
        values = [_loaded(row[c], c in json_columns) for c in info.texts]
        if any(terms.mentions_an_id(value) for value in values):
            doomed.append({f"k_{k}": row[k] for k in info.key})
    if write and doomed:
        target = table(info.name, *(sql_column(c) for c in info.columns))
        condition = [target.c[k] == bindparam(f"k_{k}") for k in info.key]
        connection.execute(target.delete().where(*condition), doomed)
    return len(doomed)


def _replace_mentions(connection: Connection, info: _Table, terms: _Terms, write: bool) -> int:
    if not info.key or not info.texts:
        return 0
    json_columns = _json_columns(connection, info)
    own_ids = set(terms.codes) | set(terms.codes.values())
    kept = KEPT.get(info.name, frozenset(info.key))
    swept = [c for c in info.texts if c != ID_COLUMN]  # the leavers' own IDs are codes already (see _own_rows)
    fetched = [*swept, ID_COLUMN] if ID_COLUMN in info.columns else swept
    changes: list[dict[str, Any]] = []
    for row in _rows(connection, info, fetched):
        own = row.get(ID_COLUMN) in own_ids  # their own row: only the columns it keeps are still there to sweep
        new: dict[str, Any] = {}
        for column in swept:
            if own and column not in kept:
                continue
            value = _loaded(row[column], column in json_columns)
            scrubbed = terms.scrub(value)
            if scrubbed is not value:
                new[column] = _dumped(scrubbed, column in json_columns)
        if new:
            changes.append({**{f"k_{k}": row[k] for k in info.key}, **new})
    if write and changes:
        target = table(info.name, *(sql_column(c) for c in info.columns))
        condition = [target.c[k] == bindparam(f"k_{k}") for k in info.key]
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for change in changes:
            by_columns[tuple(sorted(c for c in change if not c.startswith("k_")))].append(change)
        for columns, batch in by_columns.items():
            values: dict[str, Any] = {c: bindparam(c) for c in columns}
            connection.execute(update(target).where(*condition).values(values), batch)
    return len(changes)


def _loaded(value: Any, is_json: bool) -> Any:
    if is_json and isinstance(value, str):
        import json

        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _dumped(value: Any, is_json: bool) -> Any:
    if is_json and not isinstance(value, str):
        import json

        return json.dumps(value)
    return value
