"""S3 for tests: moto's server mode on a free loopback port (a real HTTP S3 endpoint that
boto3 and httpx talk to), and buckets on it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.service.conftest import TLS, free_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "reelcut-test",
    "AWS_SECRET_ACCESS_KEY": "reelcut-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@contextmanager
def moto_server(log_path: Path) -> Iterator[str]:
    """The endpoint URL of a moto S3 server, stopped on exit."""
    pytest.importorskip("moto.server", reason="moto[server] (dev extra) is not installed")
    port = free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            # one client: httpx.get() makes one (and a TLS context) per call
            with httpx.Client(timeout=1, verify=TLS) as poll:
                while True:
                    try:
                        poll.get(url)
                        break
                    except httpx.HTTPError:
                        if time.monotonic() > deadline or proc.poll() is not None:
                            raise AssertionError("moto server did not start") from None
                        time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(10)


def make_bucket(endpoint: str, name: str) -> Any:
    """Create bucket ``name``; a boto3 client for looking into it."""
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=name)
    return s3
