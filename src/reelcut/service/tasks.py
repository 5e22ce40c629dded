"""What workers do with each kind of job: ``analysis``, ``edit`` and ``render``.

:func:`run_job` is the one entry point a :class:`~reelcut.service.jobs.JobQueue` calls. Every
way a job can end is recorded on its row: completed with a result, or failed with a reason a
client can show (FFmpeg's last words, a disk error, "cancelled"), credits settled or released.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from reelcut.editor.assets import render_draft
from reelcut.editor.chat import run_agent
from reelcut.editor.footage import analyze_media
from reelcut.editor.store import Project
from reelcut.errors import CancelledError, ReelcutError
from reelcut.render import RenderSettings
from reelcut.service import agent as agent_bridge
from reelcut.service import credits
from reelcut.service.db import write_session
from reelcut.service.drafts import PROJECT_FILE, project_paths_local, project_paths_portable
from reelcut.service.errors import NO_CREDITS, ApiError
from reelcut.service.jobs import ProgressWriter, add_event, finish, mark_running, new_job
from reelcut.service.models import Job, Media
from reelcut.timeline.serialize import draft_from_json


class NotEnoughCreditsError(ReelcutError):
    """An edit needs an analysis the account cannot pay for."""

    code = NO_CREDITS


if TYPE_CHECKING:
    from reelcut.service.context import Services

log = logging.getLogger("reelcut.service.jobs")

QUALITY_CRF = {"low": 28, "medium": 23, "high": 20}


def session_sources(services: Services, session_id: str) -> list[Path]:
    """Local paths of a session's uploads, videos first, each in upload order."""
    with services.sessions() as db:
        media = db.scalars(
            select(Media).where(Media.session_id == session_id).order_by(Media.created_at)
        ).all()
    ordered = sorted(media, key=lambda m: m.kind != "video")
    return [services.storage.local_path(m.storage_key) for m in ordered]


def _public(services: Services, reason: str) -> str:
    """A failure reason without the server's own folders in it."""
    root = str(services.settings.data_dir.resolve())
    return reason.replace(root + "/", "").replace(root, "the data dir")


def run_job(services: Services, job_id: str, cancel: threading.Event) -> None:
    job = mark_running(services.sessions, job_id)
    if job is None:
        return
    handler = {"analysis": _analysis, "edit": _edit, "render": _render}.get(job.kind)
    try:
        if handler is None:
            raise ReelcutError(f"unknown job kind {job.kind!r}")
        result, charge = handler(services, job, cancel)
    except CancelledError as exc:
        reason = "interrupted by a server shutdown" if services.stopping else exc.message
        finish(services.sessions, job_id, "failed", reason=reason, code=CancelledError.code)
    except ReelcutError as exc:
        reason = _public(services, exc.message)
        finish(services.sessions, job_id, "failed", reason=reason, code=exc.code)
    except OSError as exc:
        reason = _public(services, f"disk or file error: {exc.strerror or exc}")
        finish(services.sessions, job_id, "failed", reason=reason, code=5003)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        reason = _public(services, f"internal error: {exc}")
        finish(services.sessions, job_id, "failed", reason=reason, code=500)
    else:
        finish(services.sessions, job_id, "completed", result=result, charge=charge)


def _analysis(
    services: Services, job: Job, cancel: threading.Event
) -> tuple[dict[str, Any], int | None]:
    with services.sessions() as db:
        media = db.get(Media, str(job.params["media_id"]))
    if media is None:
        raise ReelcutError("the upload was removed before its analysis")
    path = services.storage.local_path(media.storage_key)
    progress = ProgressWriter(services.sessions, job.id)
    signals = analyze_media(
        path, max_mb=services.settings.max_upload_mb, progress=progress, cancel=cancel
    )
    return {"duration_s": round(signals.duration_s, 3)}, None


def _project_version(workspace: Path) -> int | None:
    path = workspace / PROJECT_FILE
    if not path.is_file():
        return None
    try:
        return Project.load(path).current.number
    except ReelcutError:
        return None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _analyse_missing(services: Services, job: Job, cancel: threading.Event) -> None:
    """Analyse, as charged analysis jobs run right here, the session's videos whose analysis
    never ran or did not finish (the queue was full at upload, a restart interrupted it): an
    analysis the edit needs is paid for like any other, once."""
    with services.sessions() as db:
        videos = db.scalars(
            select(Media)
            .where(Media.session_id == job.session_id, Media.kind == "video")
            .order_by(Media.created_at)
        ).all()
        done = {
            j.id
            for j in db.scalars(
                select(Job).where(
                    Job.id.in_([m.analysis_job_id for m in videos if m.analysis_job_id])
                )
            )
            if j.status in ("completed", "queued", "running")
        }
    for media in videos:
        if media.analysis_job_id in done:
            continue
        try:
            with write_session(services.sessions) as db:
                row = db.get(Media, media.id)
                assert row is not None
                analysis = new_job(
                    db,
                    services.settings,
                    account_id=job.account_id,
                    kind="analysis",
                    session_id=job.session_id,
                    cost=credits.analysis_cost(media.duration_s),
                    what=f"analysing {media.original_name} ({media.duration_s:.0f} s) for an edit",
                    params={"media_id": media.id},
                )
                row.analysis_job_id = analysis.id
                analysis_id = analysis.id
        except ApiError as exc:
            raise (
                NotEnoughCreditsError(exc.message)
                if exc.code == NO_CREDITS
                else ReelcutError(exc.message)
            ) from None
        run_job(services, analysis_id, cancel)


def _edit(services: Services, job: Job, cancel: threading.Event) -> tuple[dict[str, Any], int]:
    assert job.session_id is not None
    settings = services.settings
    workspace = services.storage.workspace(job.session_id)
    root = services.storage.local_path("media").parent
    project_paths_local(workspace / PROJECT_FILE, root)
    sources = session_sources(services, job.session_id)
    before = _project_version(workspace)
    invocation = f"e-{job.id}"
    seq = 0
    timer = threading.Timer(settings.sse_cap_s, cancel.set)
    timer.daemon = True
    timer.start()
    errors: list[str] = []
    try:
        _analyse_missing(services, job, cancel)
        events = run_agent(
            str(job.params.get("message", "")),
            workspace,
            sources,
            language=_text_or_none(job.params.get("language")),
            cancel=cancel,
            default_length_s=settings.default_reel_s,
        )
        for event in events:
            if event.kind == "error":
                errors.append(event.text)
            body = agent_bridge.adk_event(event.kind, event.text, event.data, invocation)
            add_event(services.sessions, job.id, seq, body)
            seq += 1
    except ReelcutError as exc:
        body = agent_bridge.adk_event("error", exc.message, {"code": exc.code}, invocation)
        add_event(services.sessions, job.id, seq, body)
        raise
    except Exception as exc:
        log.exception("agent failed on job %s", job.id)
        body = agent_bridge.adk_event("error", f"the edit failed: {exc}", {"code": 500}, invocation)
        add_event(services.sessions, job.id, seq, body)
        raise
    finally:
        timer.cancel()
        project_paths_portable(workspace / PROJECT_FILE, root)
    if cancel.is_set():
        raise CancelledError(f"the edit ran past {settings.sse_cap_s:.0f} s and was stopped")
    after = _project_version(workspace)
    changed = after is not None and after != before
    result = {"changed": changed, "version": after, "errors": errors}
    return result, 1 if changed else 0


def _render(
    services: Services, job: Job, cancel: threading.Event
) -> tuple[dict[str, Any], int | None]:
    draft = draft_from_json(job.params["draft"])
    quality = str(job.params.get("quality", "high"))
    settings = RenderSettings(
        crf=QUALITY_CRF.get(quality, 20), preset=services.settings.render_preset
    )
    storage = services.storage
    tmp = storage.temp_path(".mp4")
    progress = ProgressWriter(services.sessions, job.id)
    try:
        result = render_draft(
            draft, tmp, settings, max_mb=services.settings.max_upload_mb,
            progress=progress, cancel=cancel,
        )  # fmt: skip
        key = f"renders/{job.id}.mp4"
        size = tmp.stat().st_size
        storage.commit(tmp, key)
    finally:
        tmp.unlink(missing_ok=True)
    return {"key": key, "duration_s": round(result.duration_s, 3), "size_bytes": size}, None
