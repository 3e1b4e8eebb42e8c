"""The census items and personal details stored with each snapshot (issue 17). Personal details (special-category
data) are read only here, by the census return and the one-worker view."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ecf.census.items import OTHER, SENSITIVE, CensusItems
from ecf.storage.models import CensusItemRow, ImportRow, PersonalDetailRow


class CensusRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, import_id: int, items: Mapping[str, Mapping[str, Any]]) -> None:
        """Store each worker's census items for one import: personal details in their own table."""
        personal, other = [], []
        for employee_id, values in items.items():
            if any(values.get(name) is not None for name in SENSITIVE):
                personal.append({"import_id": import_id, "employee_id": employee_id,
                                 **{name: values.get(name) for name in SENSITIVE}})  # fmt: skip
            if any(values.get(name) is not None for name in OTHER):
                other.append({"import_id": import_id, "employee_id": employee_id,
                              **{name: values.get(name) for name in OTHER}})  # fmt: skip
        if personal:
            self.session.execute(insert(PersonalDetailRow), personal)
        if other:
            self.session.execute(insert(CensusItemRow), other)

    def latest(self, until: date, since: date | None = None, employee_id: str | None = None) -> dict[str, CensusItems]:
        """Each worker's items from the active snapshots dated `since`..`until`: the latest value of each item."""
        found: dict[str, dict[str, Any]] = {}
        for model, names in ((PersonalDetailRow, SENSITIVE), (CensusItemRow, OTHER)):
            query = (
                select(ImportRow.as_of, model.employee_id, *(getattr(model, n) for n in names))
                .join(ImportRow, ImportRow.id == model.import_id)
                .where(ImportRow.superseded_by.is_(None), ImportRow.as_of <= until)
            )
            if since is not None:
                query = query.where(ImportRow.as_of >= since)
            if employee_id is not None:
                query = query.where(model.employee_id == employee_id)
            for _, worker, *values in self.session.execute(query.order_by(ImportRow.as_of)):
                known = found.setdefault(worker, {})
                known.update((name, value) for name, value in zip(names, values, strict=True) if value is not None)
        return {worker: CensusItems(**values) for worker, values in found.items()}
