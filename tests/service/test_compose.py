"""``deploy/compose.yaml`` cannot run here (no Docker daemon), so what it names is checked:
each reelcut command it runs exists and takes its flags, and each ``REELCUT_*`` variable it sets
is a setting the service reads."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from reelcut.cli import app
from reelcut.service.settings import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"


def _reelcut_services() -> dict[str, dict]:  # type: ignore[type-arg]
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    return {name: s for name, s in services.items() if s.get("command", [""])[0] == "reelcut"}


def test_compose_runs_the_api_a_worker_and_the_migration():
    found = {name: s["command"][1:] for name, s in _reelcut_services().items()}
    assert found.keys() == {"api", "worker", "migrate"}
    runner = CliRunner()
    for args in found.values():
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        for flag in (a for a in args if a.startswith("--")):
            assert flag in result.output, (args, flag)


def test_compose_sets_only_settings_the_service_reads():
    fields = set(Settings.model_fields)
    for service in _reelcut_services().values():
        names = [k for k in service["environment"] if k.startswith("REELCUT_")]
        assert names and all(n.removeprefix("REELCUT_").lower() in fields for n in names), names
        assert service["environment"]["REELCUT_BROKER_URL"].startswith("redis://")


def test_compose_shares_no_disk_between_reelcut_containers():
    from reelcut.service.objects import parse_storage_url

    for service in _reelcut_services().values():
        volumes = service.get("volumes", [])
        assert volumes and all(":" not in v for v in volumes), volumes  # anonymous: its own
        where = parse_storage_url(service["environment"]["REELCUT_STORAGE_URL"])
        assert where.endpoint == "http://minio:9000" and where.public_endpoint
