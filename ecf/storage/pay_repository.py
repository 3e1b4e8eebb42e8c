"""The council's pay file and the stored scenarios: versioned rows, the newest in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecf.storage.models import CouncilPayRow, StoredScenarioRow


@dataclass(frozen=True)
class SavedPay:
    version: int
    file_name: str
    content: str | None  # None: cleared
    files: dict[str, str]
    saved_at: datetime
    saved_by: str | None


@dataclass(frozen=True)
class SavedScenario:
    version: int
    name: str
    content: dict[str, Any] | None  # None: deleted
    based_on: str | None
    origin: str | None
    saved_at: datetime
    saved_by: str | None


class PayRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- the council's pay file --------------------------------------------------------------------------------------

    def current_pay(self) -> SavedPay | None:
        row = self.session.scalars(select(CouncilPayRow).order_by(CouncilPayRow.id.desc())).first()
        if row is None or row.content is None:
            return None
        return _pay(row)

    def save_pay(
        self, file_name: str, content: str | None, files: dict[str, str], saved_at: datetime, saved_by: str | None
    ) -> int:
        row = CouncilPayRow(file_name=file_name, content=content, files=files, saved_at=saved_at, saved_by=saved_by)
        self.session.add(row)
        self.session.flush()
        return row.id

    def pay_history(self) -> list[SavedPay]:
        return [_pay(row) for row in self.session.scalars(select(CouncilPayRow).order_by(CouncilPayRow.id))]

    # --- scenarios ---------------------------------------------------------------------------------------------------

    def scenarios(self) -> list[SavedScenario]:
        """The version in force of every stored scenario not deleted, by name."""
        newest = select(func.max(StoredScenarioRow.id)).group_by(StoredScenarioRow.name).scalar_subquery()
        rows = self.session.scalars(
            select(StoredScenarioRow).where(StoredScenarioRow.id.in_(newest)).order_by(StoredScenarioRow.name)
        )
        return [_scenario(row) for row in rows if row.content is not None]

    def save_scenario(
        self, name: str, content: dict[str, Any] | None, based_on: str | None, origin: str | None, saved_at: datetime,
        saved_by: str | None,
    ) -> int:  # fmt: skip
        row = StoredScenarioRow(
            name=name, content=content, based_on=based_on, origin=origin, saved_at=saved_at, saved_by=saved_by
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def scenario_history(self, name: str) -> list[SavedScenario]:
        query = select(StoredScenarioRow).where(StoredScenarioRow.name == name).order_by(StoredScenarioRow.id)
        return [_scenario(row) for row in self.session.scalars(query)]


def _pay(row: CouncilPayRow) -> SavedPay:
    return SavedPay(row.id, row.file_name, row.content, dict(row.files or {}), row.saved_at, row.saved_by)


def _scenario(row: StoredScenarioRow) -> SavedScenario:
    return SavedScenario(row.id, row.name, row.content, row.based_on, row.origin, row.saved_at, row.saved_by)
