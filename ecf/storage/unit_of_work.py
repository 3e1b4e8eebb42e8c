"""The unit of work: one transaction around one use case. Leaving the block without commit() rolls back, so a crash
or Ctrl-C part-way through an import leaves the database exactly as it was."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from ecf.storage.census_repository import CensusRepository
from ecf.storage.pay_repository import PayRepository
from ecf.storage.repository import (
    AuditRepository,
    EventRepository,
    ImportRepository,
    ProfileRepository,
    RulesRepository,
    SnapshotRepository,
)


class UnitOfWork:
    imports: ImportRepository
    snapshots: SnapshotRepository
    profiles: ProfileRepository
    events: EventRepository
    rules: RulesRepository
    audit: AuditRepository
    pay: PayRepository
    census: CensusRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        self.imports = ImportRepository(self._session)
        self.snapshots = SnapshotRepository(self._session)
        self.profiles = ProfileRepository(self._session)
        self.events = EventRepository(self._session)
        self.rules = RulesRepository(self._session)
        self.audit = AuditRepository(self._session)
        self.pay = PayRepository(self._session)
        self.census = CensusRepository(self._session)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._session is not None
        self._session.rollback()  # anything not committed is undone, whatever stopped us (KeyboardInterrupt too)
        self._session.close()
        self._session = None

    def connection(self) -> Connection:
        """The transaction's connection, for statements no repository makes (grants, retention's sweep)."""
        assert self._session is not None
        return self._session.connection()

    def commit(self) -> None:
        assert self._session is not None
        self._session.commit()
