"""``reelcut admin`` commands and the database schema the migrations make."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from typer.testing import CliRunner

import reelcut.cli.serve_cmds  # noqa: F401  (registers serve and admin)
from reelcut.cli.app import app
from reelcut.service.db import make_engine, migrate
from reelcut.service.models import Base


def test_migrations_match_the_models_and_run_twice(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_admin_create_key_top_up_and_usage(tmp_path: Path):
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    made = runner.invoke(
        app, ["admin", "create-key", "--name", "studio", "--credits", "1000", "--no-export", *data]
    )
    assert made.exit_code == 0, made.output
    key_id = re.search(r"key id (key_[0-9a-f]+)", made.output)
    assert key_id is not None and re.search(r"rc_key_\S{20,}", made.output)
    topped = runner.invoke(app, ["admin", "top-up", key_id.group(1), "--credits", "50", *data])
    assert topped.exit_code == 0 and "1050 available" in topped.output
    missing = runner.invoke(app, ["admin", "top-up", "key_nope", "--credits", "5", *data])
    assert missing.exit_code == 1
    table = runner.invoke(app, ["admin", "usage", *data], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "studio" in table.output and "1050" in table.output and "no" in table.output
    assert runner.invoke(app, ["serve", "--help"]).exit_code == 0


def test_a_worker_refuses_to_start_without_a_broker_or_with_no_job_slots(tmp_path: Path):
    """Bad start-up arguments are a usage error (exit 2) with the reason, before anything
    connects: no broker URL, or ``--concurrency 0`` (Celery started such a worker, which then
    took no job from its queue: found 2026-12-02)."""
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    alone = runner.invoke(app, ["worker", *data], env={"REELCUT_BROKER_URL": ""})
    assert alone.exit_code == 2 and "--broker-url" in alone.output
    broker = ["--broker-url", "redis://127.0.0.1:6379/15"]
    idle = runner.invoke(app, ["worker", *data, *broker, "--concurrency", "0"])
    assert idle.exit_code == 2 and "concurrency" in idle.output.lower()
