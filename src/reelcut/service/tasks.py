"""What workers do with each kind of job: ``analysis``, ``edit`` and ``render``.

:func:`run_job` is the one entry point a :class:`~reelcut.service.jobs.JobQueue` calls. Every
way a job can end is recorded on its row: completed with a result, or failed with a reason a
client can show (FFmpeg's last words, a disk error, "cancelled"), credits settled or released.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from reelcut.editor.assets import render_draft
from reelcut.editor.chat import Current, run_agent
from reelcut.editor.footage import analysis_file, analyze_media
from reelcut.editor.store import Project
from reelcut.errors import CancelledError, ReelcutError
from reelcut.render import RenderSettings
from reelcut.service import agent as agent_bridge
from reelcut.service import credits
from reelcut.service.db import write_session
from reelcut.service.drafts import (
    draft_keys,
    draft_local,
    project_paths_local,
    project_paths_portable,
)
from reelcut.service.errors import NO_CREDITS, ApiError
from reelcut.service.hand_edits import apply_change
from reelcut.service.jobs import (
    CANCELLED,
    Claim,
    ProgressWriter,
    add_event,
    beat,
    cancel_asked,
    claim,
    finish,
    holds_lease,
    new_job,
)
from reelcut.service.models import Account, Job, JobEvent, Media
from reelcut.service.renders import start_render
from reelcut.timeline.serialize import draft_from_json


class NotEnoughCreditsError(ReelcutError):
    """An edit needs an analysis the account cannot pay for."""

    code = NO_CREDITS


if TYPE_CHECKING:
    from reelcut.service.context import Services

log = logging.getLogger("reelcut.service.jobs")

QUALITY_CRF = {"preview": 32, "low": 28, "medium": 23, "high": 20}


def session_keys(services: Services, session_id: str) -> list[str]:
    """Storage keys of a session's uploads, videos first, each in upload order (the sources
    of its projects: :meth:`reelcut.service.storage.Storage.hold` them while they are read)."""
    with services.sessions() as db:
        media = db.scalars(
            select(Media).where(Media.session_id == session_id).order_by(Media.created_at)
        ).all()
    ordered = sorted(media, key=lambda m: m.kind != "video")
    return [m.storage_key for m in ordered]


def _public(services: Services, reason: str) -> str:
    """A failure reason without the server's own folders in it."""
    root = str(services.settings.data_dir.resolve())
    return reason.replace(root + "/", "").replace(root, "the data dir")


def run_job(
    services: Services,
    job_id: str,
    cancel: threading.Event,
    runner: str | None = None,
    lease_s: float | None = None,
) -> Claim:
    """Run ``job_id`` if it is free to run and record how it ended. A broker worker passes its
    ``runner`` name and the ``lease_s`` it beats within (a job whose worker died is taken
    over); :attr:`Claim.BUSY` means another live worker holds it (ask again later)."""
    claimed, job = claim(services.sessions, job_id, runner, lease_s)
    if job is None:
        return claimed
    if job.cancel_requested:  # taken over from a dead worker only to put its drafts back
        cancel.set()
    beating = _Heartbeat(services, job_id, runner, lease_s, cancel) if runner and lease_s else None
    handler = {"analysis": _analysis, "edit": _edit, "render": _render, "mcp": _mcp}.get(job.kind)
    ended: dict[str, Any] = {"runner": runner}
    try:
        if handler is None:
            raise ReelcutError(f"unknown job kind {job.kind!r}")
        result, charge = handler(services, job, cancel)
    except CancelledError as exc:
        reason = "interrupted by a server shutdown" if services.stopping else exc.message
        if cancel_asked(services.sessions, job_id):
            reason = CANCELLED  # a client's cancel, whichever stage noticed it
        finish(
            services.sessions, job_id, "failed", reason=reason, code=CancelledError.code, **ended
        )
    except ReelcutError as exc:
        reason = _public(services, exc.message)
        finish(services.sessions, job_id, "failed", reason=reason, code=exc.code, **ended)
    except OSError as exc:
        reason = _public(services, f"disk or file error: {exc.strerror or exc}")
        finish(services.sessions, job_id, "failed", reason=reason, code=5003, **ended)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        reason = _public(services, f"internal error: {exc}")
        finish(services.sessions, job_id, "failed", reason=reason, code=500, **ended)
    else:
        finish(services.sessions, job_id, "completed", result=result, charge=charge, **ended)
    finally:
        if beating is not None:
            beating.stop()
    return Claim.RUN


class _Heartbeat:
    """Renews a broker worker's lease on its job every quarter lease and looks every second
    whether a client asked the job to stop; when the lease is lost (the job was handed out
    again after a stall) or a stop was asked, the job is cancelled here. It beats until the
    job has ended: a job slow to stop that lost its lease would have its ending dropped."""

    CHECK_S = 1.0

    def __init__(
        self, services: Services, job_id: str, runner: str, lease_s: float, cancel: threading.Event
    ) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(services, job_id, runner, lease_s / 4, cancel), daemon=True
        )
        self._thread.start()

    def _run(
        self, services: Services, job_id: str, runner: str, every_s: float, cancel: threading.Event
    ) -> None:
        beaten = time.monotonic()
        while not self._stop.wait(min(self.CHECK_S, every_s)):
            try:
                if not cancel.is_set() and cancel_asked(services.sessions, job_id):
                    cancel.set()  # and beat on: a runner slow to stop keeps its job
                if time.monotonic() - beaten < every_s:
                    continue
                beaten = time.monotonic()
                if not beat(services.sessions, job_id, runner):
                    cancel.set()
                    return
            except Exception:  # the database blinked: the next beat may pass
                log.warning("job %s: heartbeat failed", job_id, exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def _analysis(
    services: Services, job: Job, cancel: threading.Event
) -> tuple[dict[str, Any], int | None]:
    with services.sessions() as db:
        media = db.get(Media, str(job.params["media_id"]))
    if media is None:
        raise ReelcutError("the upload was removed before its analysis")
    progress = ProgressWriter(services.sessions, job.id, cancel=cancel)
    shared = bool(services.settings.storage_url)  # a bucket: workers have their own disks
    with services.storage.hold([media.storage_key]) as [path]:
        entry = analysis_file(path) if shared else None
        # another worker may have analysed this content already: fetched, held while read
        with services.storage.hold_analyses([entry] if entry else []) as held:
            fresh = entry is not None and not held  # made here: stored below, held till shared
            signals = analyze_media(
                path, max_mb=services.settings.max_upload_mb, use_cache=not fresh,
                progress=progress, cancel=cancel,
            )  # fmt: skip
            if entry is not None and fresh:
                services.storage.store_analysis(entry, signals)
            elif entry is not None:
                services.storage.share_analysis(entry)  # an early analysis not shared yet
    return {"duration_s": round(signals.duration_s, 3)}, None


def _versions(workspace: Path) -> dict[str, tuple[int, int]]:
    """Each project of a session: (current version number, head); an edit changed something
    when this differs after it."""
    found = {}
    for path in workspace.glob("*.reelcut.json"):
        try:
            project = Project.load(path)
        except ReelcutError:
            continue
        found[path.name] = (project.current.number, project.head)
    return found


def _lease(services: Services, job: Job) -> float | None:
    return services.settings.lease_s if job.runner else None


def _base(workspace: Path) -> dict[str, Any]:
    """The session's versions and current project as an edit starts: what it goes back to."""
    current = Current.read(workspace)
    return {
        "versions": {name: number for name, (number, _) in _versions(workspace).items()},
        "current": {"project": current.project, "upload": current.upload},
    }


def _restore(workspace: Path, base: dict[str, Any]) -> None:
    """Put the session back at ``base``: each project at its version then (versions made since
    stay, to redo), projects made since removed. Each file is replaced whole."""
    versions = base.get("versions") or {}
    for path in workspace.glob("*.reelcut.json"):
        number = versions.get(path.name)
        if number is None:
            path.unlink(missing_ok=True)  # made by the attempt that died
            continue
        try:
            project = Project.load(path)
        except ReelcutError:
            continue
        at = [i for i, v in enumerate(project.versions) if v.number == number]
        if at and at[0] != project.head:
            project.head = at[0]
            project.save()
    was = base.get("current") or {}
    Current(str(was.get("project") or Current().project), was.get("upload")).write(workspace)


def _rebase(services: Services, job: Job, workspace: Path) -> tuple[int, dict[str, Any]]:
    """An edit run again (its worker died mid-way) starts from the versions its first attempt
    started from, so a message is never applied twice; the first attempt records them. The
    sequence number its events continue from, and the versions it starts from."""
    base = job.params.get("base")
    if not job.runner:
        return 0, _base(workspace)
    if job.attempts <= 1 or not isinstance(base, dict):
        base = _base(workspace)
        with write_session(services.sessions) as db:
            row = db.get(Job, job.id)
            if row is not None:
                row.params = {**row.params, "base": base}
        return 0, base
    _restore(workspace, base)
    with services.sessions() as db:
        last = db.scalar(select(func.max(JobEvent.seq)).where(JobEvent.job_id == job.id))
    log.warning("edit %s runs again (attempt %d) from its first versions", job.id, job.attempts)
    return (0 if last is None else int(last) + 1), base


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
        run_job(services, analysis_id, cancel, job.runner, _lease(services, job))


def _render_from_chat(
    services: Services, job: Job, ask: dict[str, Any], text: str, invocation: str
) -> tuple[str, list[dict[str, Any]]]:
    """Start the export or preview a chat message asked for; the reply text with where the
    file will be, and a ``render`` function response (id, status, poll path, url) after it."""
    assert job.session_id is not None
    quality = "preview" if ask.get("quality") == "preview" else "high"
    height = ask.get("height")
    render_id = f"{'preview' if quality == 'preview' else 'render'}_{job.id.removeprefix('job_')}"
    with services.sessions() as db:
        account = db.get(Account, job.account_id)
    assert account is not None
    try:
        render = start_render(
            services, account, job.session_id, render_id, None, quality,
            height if isinstance(height, int) and not isinstance(height, bool) else None,
        )  # fmt: skip
    except (ApiError, ReelcutError) as exc:
        code = exc.code
        message = exc.message
        error = agent_bridge.adk_event("error", message, {"code": code}, invocation)
        return text, [error]
    base = str(job.params.get("base_url") or services.settings.public_url or "")
    url = f"{base.rstrip('/')}/api/files/{render.download_token}/{render_id}.mp4"
    response = {
        "id": render_id,
        "status": "queued",
        "quality": quality,
        "poll": f"/api/render/proxy/lambda/{render_id}",
        "url": url,
    }
    zh = ask.get("language") == "zh"  # the reply's language (the message's own)
    text += (
        f"\n渲染编号 {render_id}；完成后在此下载：{url}"
        if zh
        else f"\nRender {render_id}; when it is done the file is at {url}"
    )
    result = agent_bridge.adk_event(
        "tool_result", "render", {"name": "render", "response": response}, invocation
    )
    return text, [result]


def _edit(services: Services, job: Job, cancel: threading.Event) -> tuple[dict[str, Any], int]:
    """Run the chat's agent on the session's projects: brought from where they are kept (the
    database when processes share no disk) and written back only while the job is this
    runner's; the session's uploads and their analyses (those other workers made, fetched)
    held in the local copy meanwhile."""
    assert job.session_id is not None
    keys = session_keys(services, job.session_id)
    with (
        services.workspaces.edit(job.session_id, holds_lease(job)) as workspace,
        services.storage.hold(keys) as sources,
        services.storage.hold_analyses(_entries(services, sources)),
    ):
        return _edit_in(services, job, cancel, workspace, sources)


def _entries(services: Services, sources: list[Path]) -> list[Path]:
    """The cached analysis files of ``sources`` to hold (with a bucket: other processes'
    analyses are fetched; without one the cache is this disk's own)."""
    if not services.settings.storage_url:
        return []
    return [analysis_file(source) for source in sources if source.is_file()]


def _edit_in(
    services: Services, job: Job, cancel: threading.Event, workspace: Path, sources: list[Path]
) -> tuple[dict[str, Any], int]:
    assert job.session_id is not None
    change = job.params.get("hand")
    if isinstance(change, dict):  # the page's hand edit, sent to a worker
        _hand(services, workspace, sources, {"key": f"job:{job.id}", **change})  # once per job
        return {"changed": True, "hand": True}, 0
    settings = services.settings
    root = services.storage.path_of("media").parent
    project_paths_local(workspace, root)
    seq, base = _rebase(services, job, workspace)  # a second attempt: drafts put back
    if job.cancel_requested:  # cancelled while its worker was dead: nothing more to do
        project_paths_portable(workspace, root)
        body = agent_bridge.adk_event(
            "error", CANCELLED, {"code": CancelledError.code}, f"e-{job.id}"
        )
        add_event(services.sessions, job.id, seq, body)
        raise CancelledError(CANCELLED)
    before = _versions(workspace)
    invocation = f"e-{job.id}"
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
            text, extra = event.text, list[dict[str, Any]]()
            ask = event.data.get("render") if event.kind == "text" else None
            if isinstance(ask, dict):
                text, extra = _render_from_chat(services, job, ask, text, invocation)
            first = agent_bridge.adk_event(event.kind, text, event.data, invocation)
            for one in [first, *extra]:
                add_event(services.sessions, job.id, seq, one)
                seq += 1
    except ReelcutError as exc:
        error = exc
        if cancel_asked(services.sessions, job.id):  # a client's cancel: nothing changed
            _restore(workspace, base)
            error = CancelledError(CANCELLED)
        body = agent_bridge.adk_event("error", error.message, {"code": error.code}, invocation)
        add_event(services.sessions, job.id, seq, body)
        raise error from None
    except Exception as exc:
        log.exception("agent failed on job %s", job.id)
        body = agent_bridge.adk_event("error", f"the edit failed: {exc}", {"code": 500}, invocation)
        add_event(services.sessions, job.id, seq, body)
        raise
    finally:
        timer.cancel()
        project_paths_portable(workspace, root)
    if cancel.is_set() and cancel_asked(services.sessions, job.id):
        _restore(workspace, base)
        body = agent_bridge.adk_event("error", CANCELLED, {"code": CancelledError.code}, invocation)
        add_event(services.sessions, job.id, seq, body)
        raise CancelledError(CANCELLED)
    if cancel.is_set():
        raise CancelledError(f"the edit ran past {settings.sse_cap_s:.0f} s and was stopped")
    after = _versions(workspace)
    changed = after != before
    now = after.get(Current.read(workspace).project)
    result = {"changed": changed, "version": now[0] if now else None, "errors": errors}
    return result, 1 if changed else 0


def _mcp(
    services: Services, job: Job, cancel: threading.Event
) -> tuple[dict[str, Any], int | None]:
    from reelcut.service.mcp_door import AccountPlace  # the mcp extra: only for MCP jobs
    from reelcut.service.mcp_jobs import run_tool

    return run_tool(services, job, cancel, AccountPlace)


def _hand(
    services: Services, workspace: Path, sources: list[Path], change: dict[str, Any]
) -> None:
    settings = services.settings
    apply_change(
        services.storage, workspace, change, sources,
        default_length_s=settings.default_reel_s, max_mb=settings.max_upload_mb,
    )  # fmt: skip


def _render(
    services: Services, job: Job, cancel: threading.Event
) -> tuple[dict[str, Any], int | None]:
    root = services.storage.path_of("media").parent
    draft = draft_from_json(job.params["draft"])  # sources as storage keys (older rows: paths)
    quality = str(job.params.get("quality", "high"))
    preset = "ultrafast" if quality == "preview" else services.settings.render_preset
    settings = RenderSettings(crf=QUALITY_CRF.get(quality, 20), preset=preset)
    storage = services.storage
    tmp = storage.temp_path(".mp4")
    progress = ProgressWriter(services.sessions, job.id, cancel=cancel)
    try:
        with storage.hold(draft_keys(draft, root)):  # fetched here, kept while FFmpeg reads
            result = render_draft(
                draft_local(draft, root), tmp, settings, max_mb=services.settings.max_upload_mb,
                progress=progress, cancel=cancel,
            )  # fmt: skip
        key = f"renders/{job.id}.mp4"
        size = tmp.stat().st_size
        storage.commit(tmp, key)
    finally:
        tmp.unlink(missing_ok=True)
    return {"key": key, "duration_s": round(result.duration_s, 3), "size_bytes": size}, None
