"""How a process knows the stored data changed: one short fingerprint of the tables a workforce read, an assessment
and the rules in force come from. Every finance login may read them too (see ecf.services.admin.FINANCE_VIEWS)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, select

from ecf.storage.models import CouncilRulesRow, ImportRow, MilestoneEventRow, WorkerLatestRow


def data_version(connection: Connection) -> tuple[Any, ...]:
    """Moves with any import, correction, undo, restore (the imports' count, newest ID and which are active),
    recorded milestone, rules change, or latest-row pointer added or dropped."""
    i, e = ImportRow, MilestoneEventRow
    active = case((i.status == "active", i.id), else_=0)
    query = select(
        select(func.count(i.id)).scalar_subquery(),
        select(func.max(i.id)).scalar_subquery(),
        select(func.sum(active)).scalar_subquery(),
        select(func.sum(active * active)).scalar_subquery(),  # with the sum, a swap of which imports are active shows
        select(func.count(e.id)).scalar_subquery(),
        select(func.max(e.id)).scalar_subquery(),
        select(func.max(CouncilRulesRow.id)).scalar_subquery(),
        select(func.count()).select_from(WorkerLatestRow).scalar_subquery(),
    )
    return tuple(connection.execute(query).one())
