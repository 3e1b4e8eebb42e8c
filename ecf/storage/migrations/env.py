"""Alembic environment: the app passes its own connection in; `alembic` on the command line is not needed."""

from alembic import context

from ecf.storage.models import Base, partial_indexes

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through ecf (ecf.storage.database.upgrade), which passes a connection")

partial_indexes()
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
