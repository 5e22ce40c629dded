"""S3-compatible object storage behind :class:`reelcut.service.storage.Storage` (``--storage-url
s3://bucket[/prefix]?endpoint=http://host:port&region=...``), through boto3 (``scale`` extra).

The bucket holds the truth (uploads under ``media/``, renders under ``renders/``); the data dir
is this process's own local copy, because FFmpeg and PyAV read local files. A committed file is
uploaded before :meth:`S3Storage.commit` returns, so another process can fetch it at once; a key
missing locally is fetched on first :meth:`S3Storage.local_path` (into scratch, then renamed, so a
reader never sees half a file). The copy is bounded (``scratch_bytes``): least recently used
files are evicted, never one a job holds (:meth:`S3Storage.hold`, :mod:`reelcut.service.copies`).
Downloads are presigned URLs of the bucket (:meth:`S3Storage.download_url`; ``public_endpoint``
when clients reach the store by another address than the servers do). Credentials come from
boto3's usual chain (``AWS_ACCESS_KEY_ID`` ..., a profile, a role). Analyses are shared under
``analysis/`` by content key (:meth:`S3Storage.share_analysis`). Session workspaces live in the
database (:mod:`reelcut.service.workspaces`), so no two processes share a disk.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from reelcut.editor.footage import analysis_files
from reelcut.errors import InvalidArgumentError
from reelcut.service.copies import LocalCopies
from reelcut.service.storage import LocalStorage

if TYPE_CHECKING:
    from reelcut.analysis.signals import Signals

SHARED = ("media/", "renders/")  # keys kept in the bucket; the rest is per process
ANALYSIS = "analysis/"  # cached analyses, by content key: one analysis per file, any worker


@dataclass(frozen=True, slots=True)
class BucketUrl:
    bucket: str
    prefix: str
    endpoint: str | None
    region: str | None
    public_endpoint: str | None = None  # where clients reach the store (presigned links)


def parse_storage_url(url: str) -> BucketUrl:
    """``s3://bucket[/prefix]?endpoint=...&region=...&public_endpoint=...``;
    :class:`InvalidArgumentError` else."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise InvalidArgumentError(
            f"storage URL {url!r}: use s3://bucket[/prefix]?endpoint=http://host:port "
            "(or leave it unset for files in the data dir)"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    prefix = parts.path.strip("/")
    return BucketUrl(
        bucket=parts.netloc,
        prefix=f"{prefix}/" if prefix else "",
        endpoint=query.get("endpoint"),
        region=query.get("region"),
        public_endpoint=query.get("public_endpoint"),
    )


class S3Storage(LocalStorage):
    """Uploads and renders in a bucket, with the data dir as this process's local copy."""

    def __init__(
        self, root: Path, url: str, scratch_bytes: int = 10 * 1024**3, link_s: float = 3600
    ) -> None:
        super().__init__(root)
        self.where = parse_storage_url(url)
        # the analysis cache's entries too (with a bucket they are copies of its analysis/), and
        # only those: the folder may also hold transcripts, music and the speech model
        self.copies = LocalCopies(self.root, SHARED, scratch_bytes, extra=[analysis_files()])
        self.link_s = link_s
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise InvalidArgumentError(
                "--storage-url s3://... needs boto3: pip install 'reelcut[scale]'"
            ) from None
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=self.where.endpoint,
            region_name=self.where.region or "us-east-1",
            config=Config(
                retries={"max_attempts": 5, "mode": "standard"}, signature_version="s3v4"
            ),
        )
        self.presigner: Any = self.client
        if self.where.public_endpoint:
            self.presigner = boto3.client(
                "s3",
                endpoint_url=self.where.public_endpoint,
                region_name=self.where.region or "us-east-1",
                config=Config(signature_version="s3v4"),
            )

    def _object(self, key: str) -> str:
        return self.where.prefix + key

    def _shared(self, key: str) -> bool:
        return key.startswith(SHARED)

    def commit(self, temp: Path, key: str) -> None:
        if self._shared(key):
            self.client.upload_file(str(temp), self.where.bucket, self._object(key))
        super().commit(temp, key)
        if self._shared(key):
            self.copies.trim(keep=self._path(key))

    def local_path(self, key: str) -> Path:
        path = super().local_path(key)
        if not self._shared(key):
            return path
        if path.exists():
            self.copies.touch(path)
        else:
            self._fetch(key, path)
            self.copies.trim(keep=path)
        return path

    @contextmanager
    def hold(self, keys: Sequence[str]) -> Iterator[list[Path]]:
        shared = [k for k in keys if self._shared(k)]
        by_path = {self._path(k): k for k in shared}
        with self.copies.held(list(by_path), lambda path: self._fetch(by_path[path], path)):
            yield [self.local_path(k) if k not in shared else self._path(k) for k in keys]

    def download_url(self, key: str, filename: str, media_type: str = "video/mp4") -> str | None:
        name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)[:120] or "reel.mp4"
        url: str = self.presigner.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.where.bucket,
                "Key": self._object(key),
                "ResponseContentType": media_type,
                "ResponseContentDisposition": f'attachment; filename="{name}"',
            },
            ExpiresIn=int(self.link_s),
        )
        return url

    def _fetch(self, key: str, path: Path) -> None:
        from botocore.exceptions import ClientError

        temp = self.temp_path(path.suffix)
        try:
            self.client.download_file(self.where.bucket, self._object(key), str(temp))
        except ClientError as exc:
            temp.unlink(missing_ok=True)
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return  # not stored anywhere: the caller sees a missing file, as locally
            raise
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, path)

    def exists(self, key: str) -> bool:
        if super().exists(key):
            return True
        if not self._shared(key):
            return False
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.where.bucket, Key=self._object(key))
        except ClientError:
            return False
        return True

    def share_analysis(self, local: Path) -> None:
        if local.is_file() and not self._in_bucket(ANALYSIS + local.name):
            self.client.upload_file(
                str(local), self.where.bucket, self._object(ANALYSIS + local.name)
            )

    def store_analysis(self, entry: Path, signals: Signals) -> None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fresh = entry.with_name(f".{entry.stem}.{secrets.token_hex(6)}.new.npz")  # no copy yet
        try:
            try:
                signals.save(fresh)
            except OSError:  # a full disk: as the cache, best effort (the next job analyses)
                return
            with self.copies.placed(fresh, entry):
                self.share_analysis(entry)  # held until the bucket has it
        finally:
            fresh.unlink(missing_ok=True)
        self.copies.trim()

    @contextmanager
    def hold_analyses(self, entries: Sequence[Path]) -> Iterator[list[Path]]:
        def fetch(entry: Path) -> None:  # evicted between the fetch and the lock: again
            self.fetch_analysis(entry)

        found = [e for e in dict.fromkeys(entries) if self.fetch_analysis(e)]
        with self.copies.held(found, fetch) as held:
            yield [e for e in held if e.is_file()]

    def fetch_analysis(self, local: Path) -> bool:
        if local.is_file():
            self.copies.touch(local)
            return True
        from botocore.exceptions import ClientError

        local.parent.mkdir(parents=True, exist_ok=True)
        # same folder: an atomic rename; a name of this fetch's own: two threads of a process
        # may fetch one evicted entry at once, and a pid-named file was renamed from under one
        temp = local.with_name(f".{local.name}.{secrets.token_hex(6)}.part")
        try:
            self.client.download_file(
                self.where.bucket, self._object(ANALYSIS + local.name), str(temp)
            )
            os.replace(temp, local)
        except ClientError:
            return False  # nobody analysed it yet
        finally:
            temp.unlink(missing_ok=True)  # (a full disk, a dropped connection: none left)
        self.copies.trim(keep=local)
        return True

    def _in_bucket(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.where.bucket, Key=self._object(key))
        except ClientError:
            return False
        return True

    def delete(self, key: str) -> None:
        if self._shared(key):
            self.client.delete_object(Bucket=self.where.bucket, Key=self._object(key))
        super().delete(key)
