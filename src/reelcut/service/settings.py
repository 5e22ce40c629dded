"""The service's settings: one pydantic-settings class, read from flags and ``REELCUT_*`` variables.

Every limit the service enforces lives here, so an operator finds them in one place and tests can
shrink them (a 1 MB upload limit, a 0.2 s heartbeat) without touching code.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REELCUT_", extra="ignore")

    data_dir: Path = Field(
        default=Path("reelcut-data"), description="Media, renders, sessions, database."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/reelcut.db."
    )
    storage_url: str | None = Field(
        default=None,
        description="Uploads and renders in an S3-compatible bucket: "
        "s3://bucket[/prefix]?endpoint=http://host:port (default: files in the data dir).",
    )
    scratch_mb: float = Field(
        default=10240,
        gt=0,
        description="With a bucket: the most disk this process's local copy of uploads and "
        "renders takes (least recently used files not in use are evicted beyond it).",
    )
    download_link_s: float = Field(
        default=3600,
        gt=0,
        description="With a bucket: how long a presigned download link works.",
    )
    broker_url: str | None = Field(
        default=None,
        description="Celery broker (redis://host:6379/0): jobs run on `reelcut worker` "
        "processes anywhere (default: worker threads inside this process).",
    )
    lease_s: float = Field(
        default=30,
        gt=0,
        description="A broker worker that has not said it is alive for this long is taken as "
        "dead and its job runs again on another worker.",
    )
    visibility_timeout_s: float = Field(
        default=7200,
        gt=0,
        description="Redis broker: a job message not acknowledged within this is delivered "
        "again (the backstop behind leases; longer than the longest job).",
    )
    event_poll_s: float = Field(
        default=2,
        gt=0,
        description="Behind a broker: how often a stream reads its job's row when no event "
        "came over Redis pub/sub (the floor for a lost message; events arrive at once).",
    )
    public_url: str | None = Field(
        default=None, description="Base URL download links start with (default: the request's own)."
    )
    max_upload_mb: float = Field(
        default=500, gt=0, description="Largest accepted file (upload or URL)."
    )
    max_json_kb: int = Field(default=2048, gt=0, description="Largest JSON request body.")
    max_uploads_per_session: int = Field(default=20, gt=0)
    max_files_per_request: int = Field(default=10, gt=0)
    workers: int = Field(default=2, gt=0, description="Job worker threads.")
    early_analyses: int = Field(
        default=2,
        ge=0,
        description="Uploads analysed while they stream in, at once (0: only after the upload).",
    )
    queue_size: int = Field(default=32, gt=0, description="Jobs waiting for a worker before 429.")
    max_jobs_per_account: int = Field(
        default=8, gt=0, description="Queued + running jobs per account."
    )
    cors_origins: str = Field(
        default="", description="Comma-separated origins allowed by CORS ('*': all)."
    )
    rate_limit_per_minute: int = Field(
        default=240, ge=0, description="Requests per token/IP; 0: none."
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For names the real client (empty: the peer address is the client).",
    )
    anonymous_tokens_per_hour: int = Field(
        default=10,
        ge=0,
        description="Anonymous tokens one client address may get an hour (0: none at all).",
    )
    anonymous_credits: int = Field(default=100, ge=0)
    token_ttl_days: float = Field(default=7, gt=0)
    allow_private_urls: bool = Field(
        default=False, description="Let URL ingest reach private addresses."
    )
    url_timeout_s: float = Field(
        default=120, gt=0, description="Whole-download time limit for URLs."
    )
    header_timeout_s: float = Field(
        default=10, gt=0, description="A new connection must send its request headers within this."
    )
    max_connections: int = Field(default=1000, gt=0, description="Connections served at once.")
    max_streams_per_account: int = Field(
        default=10,
        gt=0,
        description="Event streams (job events, /run_sse, GET /mcp) one account holds open at "
        "once, across API processes behind a Redis broker; one more is 429.",
    )
    heartbeat_s: float = Field(default=15, gt=0, description="SSE ': ping' interval while working.")
    sse_cap_s: float = Field(
        default=900, gt=0, description="Longest an edit (and its stream) may run."
    )
    default_reel_s: float = Field(
        default=60, gt=0, description="Reel length when a message names none."
    )
    render_preset: str = Field(default="superfast", description="x264 preset of exports.")
    max_render_s: float = Field(default=600, gt=0, description="Longest draft a render accepts.")
    max_render_clips: int = Field(default=300, gt=0, description="Most clips a render accepts.")
    max_renders_per_account: int = Field(
        default=2, gt=0, description="Renders queued or running at once per account."
    )
    max_image_pixels: int = Field(
        default=4096 * 4096, gt=0, description="Largest picture (width x height) an upload may be."
    )

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'reelcut.db').resolve()}"

    @property
    def proxy_networks(self) -> list[IPv4Network | IPv6Network]:
        """The trusted proxies as networks (a bare address is a /32 or /128)."""
        return [
            ip_network(p.strip(), strict=False)
            for p in self.trusted_proxies.split(",")
            if p.strip()
        ]

    @property
    def cors_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)
