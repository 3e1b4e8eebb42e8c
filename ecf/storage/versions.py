"""How a process knows the stored data changed: one short fingerprint of the tables a workforce read, an assessment
and the rules in force come from, and of the audit trail. Every finance login may read the tables (see
ecf.services.admin.FINANCE_VIEWS); the audit trail is read where the login may."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, select

from ecf.storage.models import AuditEventRow, CouncilRulesRow, ImportRow, MilestoneEventRow, WorkerLatestRow


def data_version(connection: Connection, with_audit: bool = True) -> tuple[Any, ...]:
    """Moves with any import, correction, undo, restore (the imports' count, newest ID and which are active),
    recorded milestone, rules change, or latest-row pointer added or dropped; and, `with_audit`, with any change a
    person makes at all (each writes an audit event: retention's anonymising and a backup restored too). A finance
    login may not read the audit trail, so it goes without that part."""
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
    if with_audit:
        query = query.add_columns(select(func.max(AuditEventRow.id)).scalar_subquery())
    return tuple(connection.execute(query).one())
