"""reelcut's MCP server on ``reelcut serve`` at ``/mcp`` (streamable HTTP), for remote agents.

Same tools as ``reelcut mcp`` (:mod:`reelcut.mcp`), but every name is the account's own:
inputs are the media ids uploads got (``med_...``), a project is an edit session id (the one
the REST API and the web page use, so all doors see the same project), a render is a download
link. A remote agent can never name a server path: drafts it sends or makes are checked against
the session's uploads before they are kept or rendered.

The caller is the bearer token's account (:func:`reelcut.service.auth.account_for_token`, the
REST API's check: 401 with code 1001 otherwise); the SDK binds each MCP session to that account,
so another token cannot use it. Limits and credits are the API's: each call that may change a
project is a job row (the per-account job limit, one edit at a time per session), an edit that
made a new version costs one credit like a chat message that did, renders and exports need a
plan with export (2002) and are free, reading is free. The rate limit is the app's middleware.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver import Context
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from reelcut.editor.footage import analysis_file
from reelcut.errors import EditError, InputNotFoundError, ReelcutError
from reelcut.mcp.place import RefusedError, Work
from reelcut.mcp.server import build_server
from reelcut.service import credits, jobs
from reelcut.service.auth import account_for_token, hash_token, token_from_header
from reelcut.service.context import Services
from reelcut.service.db import write_session
from reelcut.service.drafts import (
    PROJECT_FILE,
    draft_local,
    private_draft,
    project_paths_local,
    project_paths_portable,
    public_draft,
)
from reelcut.service.errors import ApiError, error_response
from reelcut.service.models import Account, EditSession, Job, Media
from reelcut.service.streams import Slot
from reelcut.service.workspaces import Guard
from reelcut.timeline.model import Draft

log = logging.getLogger("reelcut.service.mcp")

_JOB_KIND = {"edit": "edit", "step": "edit", "make": "render", "render": "render"}  # job rows
_READS_MEDIA = ("make", "edit", "render", "read")  # work that may read the project's uploads


def _refused(exc: ApiError) -> RefusedError:
    return RefusedError(exc.code, exc.message)


def _safe_name(name: str | None, suffix: str) -> str:
    stem = Path(name or "reel").name.rsplit(".", 1)[0]
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)[:60].strip("-")
    return (kept or "reel") + suffix


class AccountPlace:
    """What names mean for one account over HTTP (see the module docstring)."""

    def __init__(
        self,
        services: Services,
        account_id: str,
        base_url: str,
        parent: str | None = None,
        guard: Guard | None = None,
    ) -> None:
        self.services = services
        self.account_id = account_id
        self.parent = parent  # the worker's mcp job this place runs a tool for
        self.guard = guard  # on a worker: whether it still holds that job's lease
        self.base_url = (services.settings.public_url or base_url).rstrip("/")
        self._names: dict[Path, str] = {}  # scratch file -> the name the caller gave
        self._held = ExitStack()  # the local copies this call reads, until release()
        self._held_keys: set[str] = set()

    def _hold(self, keys: Sequence[str]) -> list[Path]:
        """``keys`` fetched into this process's copy and held (shared ``flock``) until
        :meth:`release`, and so are their analyses (with a bucket: fetched when another process
        made them, not made again): the rule jobs follow, so eviction never takes a file
        mid-read."""
        storage = self.services.storage
        new = [k for k in dict.fromkeys(keys) if k not in self._held_keys]
        if new:
            paths = self._held.enter_context(storage.hold(new))
            self._held_keys.update(new)
            if self.services.settings.storage_url:
                entries = [analysis_file(p) for p in paths if p.is_file()]
                self._held.enter_context(storage.hold_analyses(entries))
        return [storage.path_of(k) for k in keys]

    def release(self) -> None:
        self._held.close()
        self._held_keys.clear()

    # -- names -------------------------------------------------------------------------------

    def _media(self, ref: str) -> Media:
        with self.services.sessions() as db:
            found = db.get(Media, ref)
        if found is None or found.account_id != self.account_id:
            raise RefusedError(
                404,
                f"upload {ref[:64]} not found: over HTTP, inputs are the media ids your uploads "
                "got (POST /api/upload-video/nemo_agent/me/<session_id>)",
            )
        return found

    def _session(self, ref: str) -> EditSession:
        with self.services.sessions() as db:
            found = db.get(EditSession, ref)
        if found is None or found.account_id != self.account_id:
            raise RefusedError(1002, f"session {ref[:64]} not found")
        return found

    def _session_media(self, session_id: str) -> list[Media]:
        with self.services.sessions() as db:
            return list(db.scalars(select(Media).where(Media.session_id == session_id)))

    def media(self, ref: str) -> Path:
        return self._hold([self._media(ref).storage_key])[0]

    def project(self, ref: str) -> Path:
        session = self._session(ref)
        path = self.services.workspaces.read(session.id) / PROJECT_FILE
        if not path.is_file():
            raise InputNotFoundError(
                f"session {ref[:64]} has no reel yet: call create_reel with its uploads"
            )
        return path

    def new_reel(self, inputs: Sequence[str], output: str | None) -> tuple[Path, Path]:
        sessions = {self._media(ref).session_id for ref in inputs}
        if len(sessions) != 1:
            raise RefusedError(
                400, "the inputs are uploads of different sessions: upload them to one session"
            )
        session = sessions.pop()
        out = self.services.storage.temp_path(".mp4")
        self._names[out] = _safe_name(output, ".mp4")
        return self.services.workspaces.read(session) / PROJECT_FILE, out

    def project_ref(self, project_file: Path) -> str:
        return project_file.parent.name

    def target(self, project_ref: str, name: str | None, suffix: str) -> Path:
        self._session(project_ref)
        out = self.services.storage.temp_path(suffix)
        self._names[out] = _safe_name(name, suffix)
        return out

    def publish(self, written: Path, work: Work) -> str:
        """A render becomes the job's download link (the REST API's capability URL); an export
        stays in the session's workspace (its text comes back in the answer)."""
        name = self._names.get(written, written.name)
        job_id = work.record.get("job_id")
        if not isinstance(job_id, str):  # an export: no job, kept beside the project
            session = str(work.record["session"])
            folder = self.services.workspaces.read(session) / "exports"  # inside work()
            folder.mkdir(exist_ok=True)
            shutil.move(str(written), folder / name)
            return f"exports/{name}"
        key = f"renders/{job_id}.mp4"
        size = written.stat().st_size
        self.services.storage.commit(written, key)
        with write_session(self.services.sessions) as db:
            job = db.get(Job, job_id)
            assert job is not None
            token = job.download_token or secrets.token_urlsafe(24)
            job.download_token = token
        work.record.update(key=key, size_bytes=size)
        return f"{self.base_url}/api/files/{token}/{name}"

    def _root(self) -> Path:
        return self.services.storage.path_of("media").parent

    def public_draft(self, project_ref: str, draft: Draft) -> dict[str, Any]:
        storage = self.services.storage
        local = draft_local(draft, self._root())  # kept as storage keys, named by media id
        return public_draft(local, self._session_media(project_ref), storage)

    def for_export(self, project_ref: str, draft: Draft) -> Draft:
        """Uploads linked as ``/reelcut-uploads/<media id>.<format>`` (to relink in the editing
        application): exports write absolute paths, and the server's are not the caller's."""
        storage = self.services.storage
        draft = draft_local(draft, self._root())
        by_path = {
            str(storage.path_of(m.storage_key)): f"/reelcut-uploads/{m.id}.{m.format}"
            for m in self._session_media(project_ref)
        }
        sources = tuple(
            replace(s, path=by_path.get(s.path, f"/reelcut-uploads/{Path(s.path).name}"))
            if s.kind in ("video", "image", "audio")
            else s
            for s in draft.sources
        )
        return replace(draft, sources=sources)

    def check_request(self, project_ref: str, ops: list[dict[str, Any]]) -> None:
        for name, value in _named_files(ops):
            raise EditError(
                f"{name} {str(value)[:80]!r}: edits over HTTP cannot name files; "
                "use the moods and uploads the tools list"
            )

    def check_draft(self, project_ref: str, draft: Draft) -> Draft:
        media = self._session_media(project_ref)
        storage = self.services.storage
        local = draft_local(draft, self._root())
        private_draft(public_draft(local, media, storage), media, storage)
        return local

    # -- accounting --------------------------------------------------------------------------

    def _account(self) -> Account:
        with self.services.sessions() as db:
            account = db.get(Account, self.account_id)
        if account is None:
            raise RefusedError(1001, "the token's account is gone")
        return account

    @contextmanager
    def work(self, kind: str, project_ref: str | None, what: str, work: Work) -> Iterator[Work]:
        """A tool call's job row and credits; a call that may change a session's project runs
        with its workspace checked out for change (kept when the call ends). Work on a project
        that may read its sources (not an export, an undo or a redo) holds the session's
        uploads meanwhile, fetched only once the call passed its plan and job-limit checks."""
        if project_ref is None or kind == "read":
            with self._work(kind, project_ref, what, work) as w:
                self._hold_sources(kind, project_ref)
                yield w
            return
        self._session(project_ref)
        with (
            self._work(kind, project_ref, what, work) as w,
            # kept before the job ends (or fails), and on a worker only while it holds the call
            self.services.workspaces.edit(project_ref, self.guard) as folder,
        ):
            self._hold_sources(kind, project_ref)
            project_paths_local(folder, self._root())  # as the jobs edit: paths to read here,
            try:
                yield w
            finally:
                project_paths_portable(folder, self._root())  # kept as storage keys

    def _hold_sources(self, kind: str, project_ref: str | None) -> None:
        if project_ref is not None and kind in _READS_MEDIA:
            self._hold([m.storage_key for m in self._session_media(project_ref)])

    @contextmanager
    def _work(self, kind: str, project_ref: str | None, what: str, work: Work) -> Iterator[Work]:
        if kind in ("make", "render", "export") and not self._account().export_allowed:
            raise RefusedError(
                2002,
                "export is not in this key's plan; ask the admin for a plan with export "
                "(get_timeline, edit_reel and preview_frame still work)",
            )
        if project_ref is not None:
            self._session(project_ref)
            work.record["session"] = project_ref
        job_kind = _JOB_KIND.get(kind)
        if job_kind is None:  # reading and exports: no job, no credits
            yield work
            return
        cost = credits.EDIT_COST if kind in ("edit", "step", "make") else 0
        factory = self.services.sessions
        try:
            with write_session(factory) as db:
                job = jobs.new_job(
                    db, self.services.settings, account_id=self.account_id, kind=job_kind,
                    session_id=project_ref, cost=cost, what=f"{what} (MCP)",
                    params={"via": "mcp", "work": kind, "parent": self.parent},
                )  # fmt: skip
                if job_kind == "render":
                    job.download_token = secrets.token_urlsafe(24)
                job_id = job.id
        except ApiError as exc:
            raise _refused(exc) from None
        jobs.mark_running(factory, job_id)
        work.record["job_id"] = job_id
        writer = jobs.ProgressWriter(factory, job_id, cancel=work.cancel)  # a REST cancel too
        shown = work.progress

        def progress(stage: str, done: float, total: float) -> None:
            writer(stage, done, total)
            shown(stage, done, total)

        work.progress = progress
        try:
            yield work
        except ReelcutError as exc:
            jobs.finish(factory, job_id, "failed", reason=exc.message, code=exc.code)
            raise
        except BaseException as exc:
            jobs.finish(factory, job_id, "failed", reason=f"internal error: {exc}", code=500)
            raise
        result = {k: v for k, v in work.record.items() if k in ("key", "size_bytes", "duration_s")}
        result["changed"] = work.changed
        charge = (cost if work.changed else 0) if cost else None
        jobs.finish(factory, job_id, "completed", result=result, charge=charge)


_FILE_KEYS = ("what", "path", "file", "image", "source", "font")


def _named_files(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string under a file-naming key that looks like a path (a separator or ``~``)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _named_files(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _named_files(v, key)
    elif isinstance(value, str) and key in _FILE_KEYS:
        if "/" in value or "\\" in value or value.startswith("~"):
            yield key, value


class _BearerGate:
    """The API's bearer check in front of the MCP endpoint: 401 (code 1001) in the API's
    envelope, else the account as the SDK's authenticated user (binding MCP sessions to it).
    A ``GET`` (an MCP session's standing SSE stream) holds one of the account's stream slots
    while open, like the REST event streams (429 beyond ``max_streams_per_account``)."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        token = token_from_header(header)
        try:
            account = await run_in_threadpool(account_for_token, self.services, token)
        except ApiError as exc:
            await error_response(exc.status, exc.code, exc.message, exc.headers)(
                scope, receive, send
            )
            return
        scope.setdefault("state", {})["account_id"] = account.id
        scope["user"] = AuthenticatedUser(
            AccessToken(token=hash_token(token), client_id=account.id, scopes=[])
        )
        if scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        try:  # GET opens the session's stream: one of the account's
            slot = await Slot.take(self.services.streams, account.id)
        except ApiError as exc:
            await error_response(exc.status, exc.code, exc.message, exc.headers)(
                scope, receive, send
            )
            return
        try:
            await self.app(scope, receive, send)
        finally:
            await slot.give()


def _place_for(services: Services) -> Callable[[Context], AccountPlace]:
    def place_for(ctx: Context) -> AccountPlace:
        request = ctx.request_context.request
        user = request.scope.get("user") if isinstance(request, Request) else None
        if not isinstance(user, AuthenticatedUser):  # the gate lets nothing else through
            raise RefusedError(1001, "missing token: send Authorization: Bearer <token>")
        assert isinstance(request, Request)
        return AccountPlace(services, user.access_token.client_id, str(request.base_url))

    return place_for


def build_door(services: Services) -> tuple[ASGIApp, Any]:
    """The ``/mcp`` endpoint and the SDK's session manager it needs running
    (:class:`reelcut.service.mcp_lazy.LazyMcpDoor` builds and runs them on first use)."""
    place_for = _place_for(services)
    remote = None
    if services.settings.broker_url:  # decoding, analysing, rendering: on the workers
        from reelcut.service.mcp_jobs import remote_for

        remote = remote_for(services, place_for)
    server = build_server(place_for, remote=remote)
    # Bearer tokens, not cookies, guard this endpoint, so a rebinding page gains nothing: the
    # SDK's Host checks (loopback names only by default) would refuse a server behind a proxy.
    server.streamable_http_app(
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False)
    )
    manager = server.session_manager
    return _BearerGate(StreamableHTTPASGIApp(manager), services), manager
