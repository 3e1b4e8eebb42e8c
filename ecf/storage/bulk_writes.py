"""Writing many rows at once: the driver's own executemany, in batches, with values bound as the driver binds them
(a monthly file is 40,000 rows of 30-odd columns)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import is_not, itemgetter
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

BATCH = 5000


def bulk_insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Core executemany in batches: ~8x faster than ORM add_all for the monthly 40k-row file."""
    table = model.__table__
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def insert_columns(
    session: Session, model: type[Any], columns: dict[str, Sequence[Any]], in_order_of: str | None = None
) -> None:
    """Insert rows given column by column, with no per-row Python work beyond regrouping.

    Rows are grouped by which nullable columns they leave empty, and each group is inserted without those columns
    (NULL is their default): binding None costs sqlite3 an adapter lookup per cell, and most optional columns of a
    month's rows are empty. Rows in the order of the primary key (`in_order_of`) fill the table's indexes page by
    page.
    """
    names = list(columns)
    values = list(columns.values())
    if session.get_bind().dialect.name == "sqlite":
        values = [adapted_for_sqlite(column) for column in values]
    nullable = [i for i, name in enumerate(names) if model.__table__.c[name].nullable]
    rows = list(zip(*values, strict=True))
    has_value = [map(is_not, values[i], repeat(None)) for i in nullable]
    filled_by_row = list(zip(*has_value, strict=True)) if nullable else [()] * len(rows)
    groups: defaultdict[tuple[bool, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for filled, row in zip(filled_by_row, rows, strict=True):
        groups[filled].append(row)
    for filled, group in groups.items():
        empty = {i for i, is_filled in zip(nullable, filled, strict=True) if not is_filled}
        kept = [i for i in range(len(names)) if i not in empty]  # at least two: the primary key is not nullable
        if in_order_of is not None:
            group.sort(key=itemgetter(names.index(in_order_of)))
        fast_insert(session, model, [names[i] for i in kept], list(map(itemgetter(*kept), group)))


_PLAIN_TYPES = (str, int, float, bytes)


def adapted_for_sqlite(column: Sequence[Any]) -> Sequence[Any]:
    """The column as sqlite3 would bind it, adapted once per distinct value instead of once per cell (binding a date,
    a Decimal or a StrEnum costs sqlite3 an adapter lookup). Values that compare equal share one adapted value, which
    the column's type stores alike (Decimal 1 and 1.0000 are both NUMERIC 1). A column that starts with plain values is
    left as it is."""
    first = next((value for value in column if value is not None), None)
    if first is None or type(first) in _PLAIN_TYPES:
        return column
    distinct = set(column) - {None}
    plain: dict[Any, Any] = {None: None}
    for kind in {type(value) for value in distinct}:  # one, in practice
        of_kind = [value for value in distinct if type(value) is kind]
        plain.update(zip(of_kind, map(_sqlite_adapter(kind), of_kind), strict=True))
    return list(map(plain.__getitem__, column))


def _sqlite_adapter(kind: type) -> Callable[[Any], Any]:
    """What sqlite3 does to bind a value of this type: the adapter registered for it (dates and Decimals, in
    ecf.storage.database), text for a StrEnum, nothing for the rest."""
    adapter = sqlite3.adapters.get((kind, sqlite3.PrepareProtocol))
    if adapter is not None:
        return adapter
    return str if issubclass(kind, str) else _as_is


def _as_is(value: Any) -> Any:
    return value


def fast_insert(session: Session, model: type[Any], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """The driver's own executemany inside the session's transaction, for the big tables of plain values.

    SQLAlchemy's per-row parameter processing costs more than the insert itself at 40k rows; dates, Decimals and
    StrEnums bind natively (psycopg) or through the adapters registered in ecf.storage.database (sqlite3).
    """
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(model.__tablename__)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    for start in range(0, len(rows), BATCH):
        connection.exec_driver_sql(sql, rows[start : start + BATCH])
