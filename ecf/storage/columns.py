"""Reading stored rows column by column, fast enough for a national workforce: one query, each column's values
converted once per distinct value, and WorkerRecords built with their stored-at-once constructor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from operator import itemgetter
from typing import Any

from sqlalchemy import SelectBase, String
from sqlalchemy.orm import Session

from ecf.domain.worker import Absence, AsyeStatus, ContractType, WorkerRecord
from ecf.storage.models import WorkerSnapshotRow

# The snapshot columns in WorkerRecord's own field order, so the columns read build records positionally.
RECORD_ORDER: tuple[str, ...] = tuple(f.name for f in fields(WorkerRecord) if f.name != "absences")
RECORD_COLUMNS = tuple(getattr(WorkerSnapshotRow, name) for name in RECORD_ORDER)
EMPLOYEE_ID = RECORD_ORDER.index("employee_id")


def worker_records(columns: Sequence[Sequence[Any]], absences: Iterable[tuple[Absence, ...]]) -> list[WorkerRecord]:
    """WorkerRecords from snapshot columns read in RECORD_ORDER, each with its row's absences."""
    by_name = dict(zip(RECORD_ORDER, columns, strict=True))
    by_name["contract_type"] = each_distinct(ContractType, by_name["contract_type"])
    by_name["asye_status"] = each_distinct(_asye_status, by_name["asye_status"])
    return list(map(WorkerRecord, *by_name.values(), absences))


def _asye_status(value: str) -> AsyeStatus | None:
    return AsyeStatus(value) if value else None  # an empty text reads as no status


def fetch_columns(session: Session, query: SelectBase, *, shared_text: bool = False) -> list[Sequence[Any]]:
    """The query's result column by column, fetched by the driver itself, each value as SQLAlchemy would return it.

    At 40,000 workers SQLAlchemy's result processing costs more than the query: it builds every row and converts every
    cell on its own, on SQLite parsing the same date text again in each row. Here the driver's rows are turned into
    columns, and a column that needs converting (on SQLite dates, stored as text, and Numerics, as numbers; psycopg
    returns dates and Decimals itself) goes through its type's own result processor once per distinct value: a
    workforce repeats the same dates and FTEs thousands of times. With `shared_text` a text column's equal values
    become one string: for reads of every month, where each ID and team comes back once a month (one month's IDs
    are all different, and looking each up would only cost time). Parameters reach the driver as they are (the
    queries here bind IDs only).

    The rows come from the driver FETCH_ROWS at a time, so only that many raw rows are alive at once: every month of
    a national workforce's history (1.2 million rows at 60 months) took 0.7 GB held whole, the driver's own text for
    each date and ID beside the values made from it.
    """
    connection = session.connection()
    dialect = connection.dialect
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    parameters: Any = compiled.params
    if compiled.positiontup is not None:  # "?" placeholders (sqlite3) take their values in order
        parameters = tuple(parameters[name] for name in compiled.positiontup)
    result = connection.exec_driver_sql(compiled.string, parameters)
    cursor = result.cursor
    type_codes = [described[1] for described in cursor.description]  # psycopg's Numeric processor needs them
    converters = [
        _converter(column.type, dialect, type_code, shared_text)
        for column, type_code in zip(query.selected_columns, type_codes, strict=True)
    ]
    columns: list[list[Any]] = [[] for _ in type_codes]
    try:
        while rows := cursor.fetchmany(FETCH_ROWS):
            for column, convert, values in zip(columns, converters, zip(*rows, strict=True), strict=True):
                column.extend(values if convert is None else map(convert.__getitem__, values))
    finally:
        result.close()
    return list(columns)


FETCH_ROWS = 50_000


def _converter(column_type: Any, dialect: Any, type_code: Any, shared_text: bool) -> _Memo | None:
    """A column's values by distinct value: through the type's result processor, or (`shared_text`) for text the
    first string of each value."""
    process = column_type.dialect_impl(dialect).result_processor(dialect, type_code)
    if process is not None:
        return _Memo(process)
    if shared_text and isinstance(column_type, String):
        return _Memo(_same)
    return None


def _same(value: Any) -> Any:
    return value


def gather(column: Sequence[Any], positions: Sequence[int]) -> Sequence[Any]:
    """`column[p]` for each position, in their order, picked by itemgetter in C: indexing 40,000 rows of 34 columns one
    by one in Python was most of a read whose rows come from more than one import (60 monthly ones: 0.5 s)."""
    if len(positions) < 2:  # itemgetter of one position gives the value itself, not a tuple of it
        return [column[p] for p in positions]
    return itemgetter(*positions)(column)  # type: ignore[no-any-return]


def each_distinct(convert: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """`convert` applied to each value, called once per distinct value; None stays None. Values that compare equal
    share one result, which suits the columns read here (SQLite's NUMERIC 1 and 1.0 are the same Decimal)."""
    return list(map(_Memo(convert).__getitem__, values))


class _Memo(dict[Any, Any]):
    """A value's conversion, worked out the first time the value is looked up."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        self[value] = converted = self.convert(value)
        return converted
