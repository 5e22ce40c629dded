"""Alembic environment: runs on the connection :func:`reelcut.service.db.migrate` hands over."""

from __future__ import annotations

from alembic import context

from reelcut.service.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations through reelcut.service.db.migrate()")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
