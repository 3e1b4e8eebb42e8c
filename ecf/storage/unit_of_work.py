"""The unit of work: one transaction around one use case. Leaving the block without commit() rolls back, so a crash
or Ctrl-C part-way through an import leaves the database exactly as it was."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from ecf.storage.census_repository import CensusRepository
from ecf.storage.month_facts import MonthFactsRepository
from ecf.storage.pay_repository import PayRepository
from ecf.storage.repository import (
    AuditRepository,
    EventRepository,
    ImportRepository,
    ProfileRepository,
    RulesRepository,
    SnapshotRepository,
)

SNAPSHOT_LOCK = 0x45434631  # "ECF1": the advisory lock key for changes to the snapshots


class UnitOfWork:
    imports: ImportRepository
    snapshots: SnapshotRepository
    month_facts: MonthFactsRepository
    profiles: ProfileRepository
    events: EventRepository
    rules: RulesRepository
    audit: AuditRepository
    pay: PayRepository
    census: CensusRepository

    def __init__(self, engine: Engine, write: bool = False) -> None:
        self.engine = engine
        self.write = write
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        if self.write:
            self._lock_for_changes(self._session)
        self.imports = ImportRepository(self._session)
        self.snapshots = SnapshotRepository(self._session)
        self.month_facts = MonthFactsRepository(self._session)
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

    @staticmethod
    def _lock_for_changes(session: Session) -> None:
        """Changes to the snapshots (import, correction, undo, restore) take one lock the database holds until the
        transaction ends, so each sees the state the one before it left: SQLite's write lock, taken at BEGIN, or a
        PostgreSQL transaction-level advisory lock. The unique indexes on imports stand behind it."""
        from ecf.storage.database import WRITE_OPTION

        connection = session.connection(execution_options={WRITE_OPTION: True})
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SNAPSHOT_LOCK})

    def commit(self) -> None:
        assert self._session is not None
        self._session.commit()
