"""``reelcut serve`` and ``reelcut admin``: thin calls into :mod:`reelcut.service`.

Flags win over ``REELCUT_*`` variables, which win over the defaults. Needs the ``serve`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from reelcut.cli.app import Json, app, out, print_json, row, say, table
from reelcut.cli.usage import App

admin = App(no_args_is_help=True, help="Accounts, API keys and credits of `reelcut serve`.")
app.add_typer(admin, name="admin")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Media, renders and the database [REELCUT_DATA_DIR]."),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL (default: SQLite in the data dir)."),
]

StorageUrl = Annotated[
    str | None,
    typer.Option(
        "--storage-url",
        help="s3://bucket[/prefix]?endpoint=URL for uploads and renders (default: data dir).",
    ),
]
ScratchMb = Annotated[
    float | None,
    typer.Option(
        "--scratch-mb",
        help="With a bucket: disk for this process's local copy of uploads and renders, "
        "least recently used evicted (10240) [REELCUT_SCRATCH_MB].",
    ),
]
BrokerUrl = Annotated[
    str | None,
    typer.Option(
        "--broker-url",
        help="redis://host:6379/0: jobs run on `reelcut worker` processes (default: in-process).",
    ),
]


def _settings(**flags: Any) -> Any:
    try:
        from reelcut.service.settings import Settings
    except ImportError as exc:  # pragma: no cover - the extra is missing
        say(f"reelcut serve needs its extra: pip install 'reelcut[serve]' ({exc})")
        raise typer.Exit(1) from None
    return Settings(**{k: v for k, v in flags.items() if v is not None})


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    storage_url: StorageUrl = None,
    broker_url: BrokerUrl = None,
    scratch_mb: ScratchMb = None,
    max_upload_mb: Annotated[
        float | None, typer.Option("--max-upload-mb", help="Largest file accepted (500).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Job worker threads (2).")
    ] = None,
    queue_size: Annotated[
        int | None, typer.Option("--queue-size", help="Jobs that may wait (32).")
    ] = None,
    cors_origins: Annotated[
        str | None, typer.Option("--cors-origins", help="Comma-separated allowed origins.")
    ] = None,
    rate_limit: Annotated[
        int | None, typer.Option("--rate-limit", help="Requests per minute per token (240).")
    ] = None,
    anonymous_credits: Annotated[
        int | None, typer.Option("--anonymous-credits", help="Credits of a new token (100).")
    ] = None,
    token_ttl_days: Annotated[
        float | None, typer.Option("--token-ttl-days", help="Anonymous token lifetime (7).")
    ] = None,
    allow_private_urls: Annotated[
        bool | None,
        typer.Option("--allow-private-urls/--no-private-urls", help="URL ingest may reach LAN."),
    ] = None,
) -> None:
    """Run the HTTP API hosted editors' agent skills speak, here (OpenAPI at /docs)."""
    settings = _settings(
        data_dir=data_dir,
        database_url=database_url,
        storage_url=storage_url,
        broker_url=broker_url,
        scratch_mb=scratch_mb,
        max_upload_mb=max_upload_mb,
        workers=workers,
        queue_size=queue_size,
        cors_origins=cors_origins,
        rate_limit_per_minute=rate_limit,
        anonymous_credits=anonymous_credits,
        token_ttl_days=token_ttl_days,
        allow_private_urls=allow_private_urls,
    )
    from reelcut.service.app import serve as run

    run(settings, host, port)


@app.command()
def worker(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    storage_url: StorageUrl = None,
    broker_url: BrokerUrl = None,
    scratch_mb: ScratchMb = None,
    concurrency: Annotated[
        int,
        # at least one: a worker that runs no job at once would hold its queue's jobs forever
        typer.Option("--concurrency", min=1, help="Jobs this process runs at once."),
    ] = 1,
) -> None:
    """Run `reelcut serve`'s jobs (analysis, edits, renders) from the broker; give it the same
    settings as the API processes. Stop with SIGTERM (running jobs finish first)."""
    settings = _settings(
        data_dir=data_dir, database_url=database_url, storage_url=storage_url,
        broker_url=broker_url, scratch_mb=scratch_mb,
    )  # fmt: skip
    if not settings.broker_url:
        say(
            "reelcut worker needs --broker-url (or REELCUT_BROKER_URL), e.g. redis://127.0.0.1:6379/0"
        )
        raise typer.Exit(2)
    from reelcut.errors import ReelcutError
    from reelcut.service.broker import run_worker
    from reelcut.service.runtime import prepare_data_dir

    try:
        prepare_data_dir(settings.data_dir)
        run_worker(settings, concurrency)
    except ReelcutError as exc:
        say(f"reelcut worker: {exc.message}")
        raise typer.Exit(1) from None


@admin.command("migrate")
def migrate(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Upgrade the database schema to this release's (run once before rolling out API processes
    and workers; `serve` also upgrades when it starts)."""
    from reelcut.service.admin import migrate_database

    revision = migrate_database(_settings(data_dir=data_dir, database_url=database_url))
    out.print(f"database at revision {revision}")


@admin.command("create-key")
def create_key(
    name: Annotated[str, typer.Option("--name", help="Who the key is for.")],
    credits: Annotated[int, typer.Option("--credits", help="Credits granted.")] = 1000,
    no_export: Annotated[
        bool, typer.Option("--no-export", help="A plan without export (renders answer 402).")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Make an API key; it is printed once (only its hash is kept)."""
    from reelcut.service.admin import create_key as make

    made = make(
        _settings(data_dir=data_dir, database_url=database_url),
        name,
        credits,
        export_allowed=not no_export,
    )
    say(f"key id {made.account_id}: {credits} credits, export {'off' if no_export else 'on'}")
    say(made.key, out)


@admin.command("top-up")
def top_up(
    key_id: Annotated[str, typer.Argument(help="The key id `create-key` or `usage` shows.")],
    credits: Annotated[int, typer.Option("--credits", help="Credits to add.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add credits to an account (anonymous or key)."""
    from reelcut.service.admin import top_up as add

    try:
        b = add(_settings(data_dir=data_dir, database_url=database_url), key_id, credits)
    except (LookupError, ValueError) as exc:
        say(f"error: {exc}")
        raise typer.Exit(1) from None
    say(f"{key_id}: {b.available} available, {b.frozen} frozen, {b.spent} spent", out)


@admin.command("usage")
def usage(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Accounts with their balance and what they spent."""
    from reelcut.service.admin import usage as rows

    found = rows(_settings(data_dir=data_dir, database_url=database_url))
    columns = ("id", "kind", "name", "export", "available", "frozen", "spent", "granted", "expires")
    values = [
        (u.account_id, u.kind, u.name, u.export_allowed, u.available, u.frozen, u.spent,
         u.granted, u.expires_at)
        for u in found
    ]  # fmt: skip
    if as_json:
        print_json([dict(zip(columns, v, strict=True)) for v in values])
        return
    t = table(*columns)
    for v in values:
        row(t, *v[:3], "yes" if v[3] else "no", *v[4:])
    out.print(t)
