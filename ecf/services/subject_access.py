"""Subject access: everything held about one worker, as a readable workbook and as JSON.

What counts as "about them" is found from the database itself, so a table added later is covered: every row of any
table with an employee_id that is theirs (every snapshot row, superseded ones too, absences, recorded milestones),
every row whose text mentions their ID (rejected rows kept for fixing, audit entries, findings), and the findings
stored against the spreadsheet rows that were theirs.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, MetaData, String, Table, Text, cast, or_, select, tuple_

from ecf.services import audit
from ecf.services.context import App

ID_COLUMN = "employee_id"
SKIPPED_TABLES = ("alembic_version", "worker_latest")  # worker_latest: an index of the snapshot rows, shown whole


class SubjectAccessError(ValueError):
    """The request cannot be answered as asked; the message says why."""


@dataclass(frozen=True)
class Held:
    employee_id: str
    generated_at: datetime
    tables: dict[str, list[dict[str, Any]]]  # table -> rows, each column by name

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def gather(app: App, employee_id: str, now: datetime | None = None) -> Held:
    employee_id = employee_id.strip()
    if not employee_id:
        raise SubjectAccessError("give the worker's employee ID")
    found: dict[str, list[dict[str, Any]]] = {}
    with app.unit_of_work() as uow:
        connection = uow.connection()
        metadata = MetaData()
        metadata.reflect(connection)
        for table in metadata.sorted_tables:
            if table.name in SKIPPED_TABLES or table.name.startswith("ecf_backup"):
                continue
            rows = _rows_about(connection, table, employee_id)
            if rows:
                found[table.name] = rows
        issues = metadata.tables.get("import_issues")
        if issues is not None:
            _add_findings_on_their_rows(connection, issues, found)
    ordered = sorted(found, key=lambda name: (list(_SHEET_TITLES).index(name) if name in _SHEET_TITLES else 99, name))
    return Held(employee_id, now or datetime.now(UTC), {name: found[name] for name in ordered})


def _rows_about(connection: Connection, table: Table, employee_id: str) -> list[dict[str, Any]]:
    texts = [c for c in table.columns if isinstance(c.type, String | JSON) and c.name != ID_COLUMN]
    conditions = []
    if ID_COLUMN in table.c:
        conditions.append(table.c[ID_COLUMN] == employee_id)
    pattern = f"%{employee_id}%"
    conditions += [cast(c, Text).like(pattern) if isinstance(c.type, JSON) else c.like(pattern) for c in texts]
    if not conditions:
        return []
    word = re.compile(rf"(?<!\w){re.escape(employee_id)}(?!\w)")
    order = list(table.primary_key.columns) or list(table.columns)[:1]
    rows = []
    for row in connection.execute(select(table).where(or_(*conditions)).order_by(*order)).mappings():
        own = ID_COLUMN in table.c and row[ID_COLUMN] == employee_id
        if own or any(word.search(_as_text(row[c.name])) for c in texts):  # the ID itself, not a longer number
            rows.append(dict(row))
    return rows


def _add_findings_on_their_rows(connection: Connection, issues: Table, found: dict[str, list[dict[str, Any]]]) -> None:
    """Findings stored against a spreadsheet row that was theirs (their snapshot row or rejected row)."""
    places = {(row["import_id"], row["row_number"]) for name in ("worker_snapshots", "rejected_rows")
              for row in found.get(name, ()) if "import_id" in row and "row_number" in row}  # fmt: skip
    if not places:
        return
    known = {row["id"] for row in found.get("import_issues", ())}
    query = select(issues).where(tuple_(issues.c.import_id, issues.c.row_number).in_(sorted(places)))
    extra = [dict(row) for row in connection.execute(query.order_by(issues.c.id)).mappings() if row["id"] not in known]
    if extra:
        found["import_issues"] = sorted([*found.get("import_issues", []), *extra], key=lambda row: row["id"])


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, default=str)


def write(held: Held, out: Path) -> tuple[Path, Path]:
    """The workbook and the JSON beside it (`out` with .xlsx and .json), each private to the owner; never over an
    existing file."""
    workbook, data = out.with_suffix(".xlsx"), out.with_suffix(".json")
    for path in (workbook, data):
        if path.exists():
            raise SubjectAccessError(f"{path} already exists: choose a new name (a subject access file is never "
                                     "overwritten)")  # fmt: skip
    _write_json(held, data)
    _write_workbook(held, workbook)
    return workbook, data


def _private(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _write_json(held: Held, path: Path) -> None:
    document = {
        "employee_id": held.employee_id,
        "generated_at": held.generated_at.isoformat(),
        "counts": held.counts,
        "tables": {
            name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in held.tables.items()
        },
    }
    with os.fdopen(_private(path), "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False, default=str)


_SHEET_TITLES = {
    "worker_snapshots": "Snapshot rows",
    "absences": "Absences",
    "milestone_events": "Recorded milestones",
    "import_issues": "Findings",
    "rejected_rows": "Rejected rows",
    "audit_events": "Audit entries",
}


def _write_workbook(held: Held, path: Path) -> None:
    import xlsxwriter

    os.close(_private(path))  # made private first; XlsxWriter then writes into it
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False, "remove_timezone": True})  # fmt: skip
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    about = book.add_worksheet("About")
    about.write_string(0, 0, "Everything held about employee ID", bold)
    about.write_string(0, 1, held.employee_id)
    about.write_string(1, 0, "Produced", bold)
    about.write_datetime(1, 1, held.generated_at.replace(tzinfo=None), moment)
    about.write_string(3, 0, "Sheet", bold)
    about.write_string(3, 1, "Rows", bold)
    for line, (name, rows) in enumerate(held.tables.items(), start=4):
        about.write_string(line, 0, _SHEET_TITLES.get(name, name))
        about.write_number(line, 1, len(rows))
    about.set_column(0, 0, 34)
    about.set_column(1, 1, 18)
    for name, rows in held.tables.items():
        sheet = book.add_worksheet(_SHEET_TITLES.get(name, name)[:31])
        columns = list(rows[0])
        sheet.write_row(0, 0, [column.replace("_", " ").capitalize() for column in columns], bold)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, key in enumerate(columns):
                _cell(sheet, r, c, row[key], day, moment)
        sheet.set_column(0, len(columns) - 1, 14)
    book.close()


def _cell(sheet: Any, r: int, c: int, value: Any, day: Any, moment: Any) -> None:
    if value is None:
        return
    if isinstance(value, datetime):
        sheet.write_datetime(r, c, value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value, moment)
    elif isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(r, c, float(value))
    elif isinstance(value, dict | list):
        sheet.write_string(r, c, json.dumps(value, ensure_ascii=False, default=str))
    else:
        sheet.write_string(r, c, str(value))


def subject_access(app: App, employee_id: str, out: Path) -> tuple[Held, Path, Path]:
    """Gather, write both files, and record that it was done (the ID and counts, in the audit trail)."""
    held = gather(app, employee_id)
    if not held.tables:
        raise SubjectAccessError(f"nothing is held about employee ID {held.employee_id}; no file written")
    workbook, data = write(held, out)
    with app.unit_of_work() as uow:
        audit.record(uow, "subject-access", f"worker {held.employee_id}", {"counts": held.counts})
        uow.commit()
    return held, workbook, data
