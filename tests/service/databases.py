"""Fresh PostgreSQL databases for tests, on the machine's real server.

Each test gets its own database, created before and dropped (connections forced off) after, so
tests never see each other's rows and nothing is left behind. The server is
``REELCUT_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``, trust auth
as on CI); only when no server answers there is the test skipped, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

ADMIN_URL = os.environ.get("REELCUT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """The URL of a new, empty database; dropped on exit."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg (the scale extra) is not installed")
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server answers at {ADMIN_URL}: {exc}")
    name = f"reelcut_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            base = ADMIN_URL.rsplit("/", 1)[0]
            yield f"{base}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
