"""Alembic migrations of the service database (run by :func:`reelcut.service.db.migrate`)."""
