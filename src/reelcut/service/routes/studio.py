"""What the web page needs beyond the editing API: the moments behind a reel, hand edits,
history, NLE exports, who is asking, and moving a session to an API key.

Every endpoint is a thin door onto :mod:`reelcut.editor` (``find_moments``, ``hand``, ``stills``,
``exchange``); the page's AI edits, uploads and renders go through the same endpoints as every
other client (``/run_sse``, uploads, ``/api/render/proxy/lambda``). Hand edits cost no credits:
they are the person's own clicks (no AI runs), re-selecting from analysis already paid for.

Stills and source video are capability URLs (``/api/web/files/<cap>/<media id>/...``, the cap
an HMAC of the media id under a key made when the app starts), because ``<img>`` and
``<video>`` cannot send a bearer token; they stop working when the server restarts and the page
asks for new ones.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import secrets
import tempfile
import threading
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from reelcut.editor.chat import Current
from reelcut.editor.exchange import export_project
from reelcut.editor.footage import analysis_file
from reelcut.editor.moments import find_moments
from reelcut.editor.stills import source_still
from reelcut.editor.store import Project
from reelcut.service import credits, jobs
from reelcut.service.auth import CurrentAccount, ServicesDep, hash_token, owned_session
from reelcut.service.context import Services
from reelcut.service.db import write_session
from reelcut.service.drafts import public_draft, session_draft
from reelcut.service.errors import ApiError, bad_request, bad_token, not_found
from reelcut.service.hand_edits import apply_change, client_key, running_with_key
from reelcut.service.jobs import ACTIVE
from reelcut.service.models import Account, EditSession, Job, Media
from reelcut.service.routes.jobs import await_end
from reelcut.service.schemas import BalancePublic, Envelope
from reelcut.service.tasks import session_keys
from reelcut.timeline.exchange import FORMATS

router = APIRouter(tags=["web"])

_KEY = secrets.token_bytes(32)
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
CURVE_POINTS = 400  # the excitement curve is sent max-pooled to at most this many points


def file_cap(media_id: str) -> str:
    return hmac.new(_KEY, media_id.encode(), hashlib.sha256).hexdigest()[:32]


def files_url(media_id: str) -> str:
    return f"/api/web/files/{file_cap(media_id)}/{media_id}"


def _lock(session_id: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(session_id, threading.Lock())


# -- bodies ------------------------------------------------------------------------------------


class MePublic(BaseModel):
    kind: str  # anonymous | key
    name: str
    export_allowed: bool
    expires_at: str | None
    credits: BalancePublic


class MomentPublic(BaseModel):
    start_s: float
    end_s: float
    peak_s: float
    score: float
    why: str
    components: dict[str, float]


class FootagePublic(BaseModel):
    media_id: str
    name: str
    duration_s: float
    step_s: float
    curve: list[float]  # excitement 0-1, evenly spaced over the recording
    moments: list[MomentPublic]  # best first
    files: str  # base URL: + "/still.jpg?t=" or "/source"


class VersionPublic(BaseModel):
    number: int
    at: str
    what: str
    current: bool


class ProjectPublic(BaseModel):
    version: int | None
    draft: dict[str, Any] | None
    history: list[VersionPublic]
    can_undo: bool
    can_redo: bool
    files: dict[str, str]  # media id -> base URL of its stills and source


KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]


class EditCreate(BaseModel):
    requests: list[dict[str, Any]] = Field(min_length=0, max_length=50)


class StepCreate(BaseModel):
    step: Literal["undo", "redo"] | None = None
    restore: int | None = Field(None, ge=1)


class BindCreate(BaseModel):
    session_id: str = Field(max_length=100)
    previous_token: str = Field(min_length=8, max_length=200)


class BindPublic(BaseModel):
    session_id: str
    moved_uploads: int


# -- who -------------------------------------------------------------------------------------


@router.get("/api/web/me", response_model=Envelope[MePublic])
def me(account: CurrentAccount, services: ServicesDep) -> Envelope[MePublic]:
    """The caller's plan (anonymous or key, export allowed, expiry) and credits."""
    with services.sessions() as db:
        b = credits.balance(db, account.id)
    return Envelope(
        data=MePublic(
            kind=account.kind,
            name=account.name,
            export_allowed=account.export_allowed,
            expires_at=None if account.expires_at is None else account.expires_at.isoformat(),
            credits=BalancePublic(
                available=b.available, frozen=b.frozen, total=b.total, spent=b.spent
            ),
        )
    )


def _bind(services: Services, account: Account, body: BindCreate) -> int:
    with write_session(services.sessions) as db:
        previous = db.scalar(
            select(Account).where(Account.token_hash == hash_token(body.previous_token))
        )
        session = db.get(EditSession, body.session_id)
        if previous is None or session is None or session.account_id != previous.id:
            raise bad_token("the previous token does not own that session")
        if previous.id == account.id:
            return 0
        session.account_id = account.id
        moved = 0
        for m in db.scalars(select(Media).where(Media.session_id == session.id)):
            m.account_id = account.id
            moved += 1
        for j in db.scalars(select(Job).where(Job.session_id == session.id)):
            if j.status in ACTIVE:
                raise ApiError(409, 409, "a job is still running in this session; try again soon")
            j.account_id = account.id
    return moved


@router.post("/api/web/bind", response_model=Envelope[BindPublic])
async def bind(
    body: BindCreate, account: CurrentAccount, services: ServicesDep
) -> Envelope[BindPublic]:
    """Move a session (its uploads, project and renders) to the caller's account: what a person
    does with an API key when the anonymous credits ran out (``/?bind=<session>`` on the page).
    ``previous_token`` proves the session was the caller's."""
    moved = await run_in_threadpool(_bind, services, account, body)
    return Envelope(data=BindPublic(session_id=body.session_id, moved_uploads=moved))


# -- moments -----------------------------------------------------------------------------------


def _session_media(services: Services, account: Account, sid: str) -> list[Media]:
    with services.sessions() as db:
        owned_session(db, account, sid)
        return list(
            db.scalars(select(Media).where(Media.session_id == sid).order_by(Media.created_at))
        )


def _analysed(services: Services, media: list[Media]) -> list[Media]:
    ids = [m.analysis_job_id for m in media if m.kind == "video" and m.analysis_job_id]
    with services.sessions() as db:
        done = {
            j.id for j in db.scalars(select(Job).where(Job.id.in_(ids))) if j.status == "completed"
        }
    return [m for m in media if m.analysis_job_id in done]


def _pooled(values: Any, points: int) -> list[float]:
    n = len(values)
    if n <= points:
        return [round(float(v), 3) for v in values]
    edges = [i * n // points for i in range(points + 1)]
    return [round(float(max(values[a : max(b, a + 1)])), 3) for a, b in itertools.pairwise(edges)]


def _moments(services: Services, account: Account, sid: str, top: int) -> list[FootagePublic]:
    out = []
    for m in _analysed(services, _session_media(services, account, sid)):
        with (
            services.storage.hold([m.storage_key]) as [path],
            services.storage.hold_analyses([analysis_file(path)]),  # a worker's, by content
        ):
            found = find_moments(path, top, max_mb=services.settings.max_upload_mb)
        s = found.signals
        curve = _pooled(s.excitement, CURVE_POINTS)
        out.append(
            FootagePublic(
                media_id=m.id,
                name=m.original_name,
                duration_s=round(s.duration_s, 3),
                step_s=s.duration_s / max(len(curve), 1),
                curve=curve,
                moments=[
                    MomentPublic(
                        start_s=round(c.start_s, 3),
                        end_s=round(c.end_s, 3),
                        peak_s=round(c.peak_s, 3),
                        score=round(c.score, 4),
                        why=c.reason(),
                        components={k: round(float(v), 3) for k, v in dict(c.components).items()},
                    )
                    for c in found.candidates
                ],
                files=files_url(m.id),
            )
        )
    return out


@router.get("/api/web/sessions/{sid}/moments", response_model=Envelope[list[FootagePublic]])
async def moments(
    sid: str,
    account: CurrentAccount,
    services: ServicesDep,
    top: Annotated[int, Query(ge=1, le=50)] = 12,
) -> Envelope[list[FootagePublic]]:
    """For each analysed video of the session: its excitement curve and its ``top`` candidate
    moments (score, reasons), best first. Videos still being analysed are not listed yet."""
    return Envelope(data=await run_in_threadpool(_moments, services, account, sid, top))


def _media_by_cap(services: Services, cap: str, media_id: str) -> Media:
    if not hmac.compare_digest(cap.encode(), file_cap(media_id).encode()):  # any text, no TypeError
        raise not_found("file")
    with services.sessions() as db:
        media = db.get(Media, media_id)
    if media is None or media.kind != "video":
        raise not_found("file")
    return media


@router.get("/api/web/files/{cap}/{media_id}/still.jpg", response_class=Response)
async def still(
    cap: str,
    media_id: str,
    services: ServicesDep,
    t: Annotated[float, Query(ge=0, le=86400)] = 0.0,
    h: Annotated[int, Query(ge=16, le=720)] = 144,
) -> Response:
    """The frame of an upload at ``t`` seconds, ``h`` lines high (JPEG)."""
    media = _media_by_cap(services, cap, media_id)

    def grab() -> bytes:
        with services.storage.hold([media.storage_key]) as [path]:  # fetched, kept while read
            return source_still(path, min(t, max(media.duration_s - 0.05, 0)), h)

    body = await run_in_threadpool(grab)
    return Response(body, media_type="image/jpeg", headers={"Cache-Control": "max-age=86400"})


@router.get("/api/web/files/{cap}/{media_id}/source", response_class=FileResponse)
def source(cap: str, media_id: str, services: ServicesDep) -> Response:
    """The uploaded video itself (HTTP Range supported), to watch a moment in the page; with a
    bucket, a 307 to a presigned URL of it."""
    media = _media_by_cap(services, cap, media_id)
    kind = f"video/{media.format}"
    link = services.storage.download_url(media.storage_key, f"{media.id}.{media.format}", kind)
    if link is not None:
        return RedirectResponse(link, status_code=307)
    return FileResponse(
        services.storage.local_path(media.storage_key), media_type=f"video/{media.format}"
    )


# -- the project: hand edits, history -----------------------------------------------------------


def _project_path(workspace: Path) -> Path:
    """The session's current project: the whole footage's, or the upload the chat works on."""
    return workspace / Current.read(workspace).project


def _project_public(
    services: Services, sid: str, media: list[Media], workspace: Path | None = None
) -> ProjectPublic:
    workspace = workspace or services.workspaces.read(sid)
    path = _project_path(workspace)
    files = {m.id: files_url(m.id) for m in media if m.kind == "video"}
    draft = session_draft(services.storage, workspace)
    if draft is None or not path.is_file():
        return ProjectPublic(
            version=None, draft=None, history=[], can_undo=False, can_redo=False, files=files
        )
    project = Project.load(path)
    return ProjectPublic(
        version=project.current.number,
        draft=public_draft(draft, media, services.storage),
        history=[
            VersionPublic(number=v.number, at=v.at, what=v.what, current=i == project.head)
            for i, v in enumerate(project.versions)
        ],
        can_undo=project.head > 0,
        can_redo=project.head < len(project.versions) - 1,
        files=files,
    )


def _check_idle(services: Services, sid: str, media: list[Media]) -> None:
    with services.sessions() as db:
        busy = db.scalar(
            select(Job.id).where(
                Job.session_id == sid, Job.kind == "edit", Job.status.in_(list(ACTIVE))
            )
        )
    if busy is not None:
        raise ApiError(409, 409, "an AI edit is running in this session; wait for it to finish")
    ids = [m.analysis_job_id for m in media if m.kind == "video" and m.analysis_job_id]
    with services.sessions() as db:
        running = set(
            db.scalars(select(Job.id).where(Job.id.in_(ids), Job.status.in_(list(ACTIVE))))
        )
    waiting = [m.original_name for m in media if m.analysis_job_id in running]
    if waiting:
        raise ApiError(409, 409, f"still analysing {', '.join(waiting)[:200]}; try again soon")


def _change_dict(what: EditCreate | StepCreate, key: str | None) -> dict[str, Any]:
    keyed = {"key": key} if key else {}
    if isinstance(what, EditCreate):
        return {"requests": what.requests, **keyed}
    if what.restore is None and what.step is None:
        raise bad_request('send "step" (undo or redo) or "restore" (a version number)')
    if what.restore is not None:
        return {"restore": what.restore, **keyed}
    return {"step": what.step, **keyed}


def _change(
    services: Services, account: Account, sid: str, what: Any, key: str | None
) -> ProjectPublic:
    media = _session_media(services, account, sid)
    change = _change_dict(what, key)
    settings = services.settings
    with _lock(sid), services.workspaces.edit(sid) as workspace:
        _check_idle(services, sid, media)
        with services.storage.hold(session_keys(services, sid)) as sources:
            apply_change(
                services.storage, workspace, change, sources,
                default_length_s=settings.default_reel_s, max_mb=settings.max_upload_mb,
            )  # fmt: skip
        return _project_public(services, sid, media, workspace)


def _queue_change(
    services: Services, account: Account, sid: str, what: Any, key: str | None
) -> str:
    """Behind a broker: the hand edit as an ``edit`` job for a worker (see
    :mod:`reelcut.service.hand_edits`); its id. A retry of one still running (same key) is
    that job."""
    media = _session_media(services, account, sid)
    change = _change_dict(what, key)
    if key and (running := running_with_key(services.sessions, sid, change)) is not None:
        return running
    _check_idle(services, sid, media)
    with write_session(services.sessions) as db:
        job = jobs.new_job(
            db, services.settings, account_id=account.id, kind="edit", session_id=sid,
            params={"hand": change},
        )  # fmt: skip
        job_id = job.id
    jobs.enqueue(services.sessions, services.jobs, job_id)
    return job_id


async def _apply(
    services: Services, account: Account, sid: str, what: Any, header: str | None
) -> ProjectPublic:
    key = client_key(header)
    if not services.settings.broker_url:
        return await run_in_threadpool(_change, services, account, sid, what, key)
    job_id = await run_in_threadpool(_queue_change, services, account, sid, what, key)
    await await_end(services, job_id, services.settings.sse_cap_s)

    def read() -> ProjectPublic:
        return _project_public(services, sid, _session_media(services, account, sid))

    return await run_in_threadpool(read)


@router.get("/api/web/sessions/{sid}/project", response_model=Envelope[ProjectPublic])
async def project(
    sid: str, account: CurrentAccount, services: ServicesDep
) -> Envelope[ProjectPublic]:
    """The current draft (compact, sources by media id), the version history, and where each
    upload's stills and video are."""

    def read() -> ProjectPublic:
        return _project_public(services, sid, _session_media(services, account, sid))

    return Envelope(data=await run_in_threadpool(read))


@router.post("/api/web/sessions/{sid}/edit", response_model=Envelope[ProjectPublic])
async def edit(
    sid: str,
    body: EditCreate,
    account: CurrentAccount,
    services: ServicesDep,
    key: KeyHeader = None,
) -> Envelope[ProjectPublic]:
    """Apply typed edit requests (``{"op": "move_clip", "index": 2, "to": 1}``, ``next_best``,
    ``set_length``, ``set_format``, ``music``, ``title``, ``captions``...) as one new version.
    Before the first reel, ``[{"op": "set_length", "seconds": 30}]`` makes it. No credits.
    With an ``Idempotency-Key`` header the edit is made once however often it is sent (a
    retry after a lost answer or a 503 answers the project as it is)."""
    return Envelope(data=await _apply(services, account, sid, body, key))


@router.post("/api/web/sessions/{sid}/history", response_model=Envelope[ProjectPublic])
async def history(
    sid: str,
    body: StepCreate,
    account: CurrentAccount,
    services: ServicesDep,
    key: KeyHeader = None,
) -> Envelope[ProjectPublic]:
    """Undo, redo, or bring back an earlier version (as a new version); once per
    ``Idempotency-Key``, as for edits."""
    return Envelope(data=await _apply(services, account, sid, body, key))


# -- NLE exports -------------------------------------------------------------------------------


def _exchange(services: Services, account: Account, sid: str, fmt: str) -> tuple[bytes, str, str]:
    media = _session_media(services, account, sid)
    draft = session_draft(services.storage, services.workspaces.read(sid))
    if draft is None:
        raise ApiError(400, 400, "nothing to export yet: make a reel first")
    by_path = {str(services.storage.path_of(m.storage_key)): m.original_name for m in media}
    sources = tuple(  # an editor on another machine relinks the person's own files by name
        replace(s, path=by_path.get(s.path, Path(s.path).name)) if s.kind != "music" else s
        for s in draft.sources
    )
    draft = replace(draft, sources=sources)
    with tempfile.TemporaryDirectory(prefix="reelcut-nle-") as tmp:
        target = Path(tmp) / f"reel{FORMATS[fmt]}"
        written = export_project(draft, target, fmt)
        if len(written) == 1:
            media_type = "application/xml" if target.suffix in (".fcpxml", ".xml") else "text/plain"
            return target.read_bytes(), target.name, media_type
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for f in written:
                z.write(f, f.name)
        return buffer.getvalue(), f"reel-{fmt}.zip", "application/zip"


@router.get("/api/web/sessions/{sid}/exchange/{fmt}", response_class=Response)
async def exchange(
    sid: str,
    fmt: str,
    account: CurrentAccount,
    services: ServicesDep,
) -> Response:
    """The current draft for an editing application: ``fcpxml``, ``fcp7``, ``edl`` or ``otio``
    (a zip when the export links generated music files)."""
    if fmt not in FORMATS:
        raise bad_request(f"unknown export format {fmt[:20]!r}: use one of {', '.join(FORMATS)}")
    body, name, media_type = await run_in_threadpool(_exchange, services, account, sid, fmt)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


__all__ = ["file_cap", "files_url", "router"]
