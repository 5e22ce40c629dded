"""Request and response bodies. Requests are ``...Create``/``...Request``; answers are
``...Public`` wrapped in :class:`Envelope` (``{"code", "message", "data"}``)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    code: int = 0
    message: str = "ok"
    data: T


class TokenPublic(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: str
    credits: int


class TaskCreate(BaseModel):
    task_name: str = Field("project", max_length=100)
    # None: each reply in its message's language ("en" here made Chinese messages English)
    language: str | None = Field(None, max_length=20)


class TaskPublic(BaseModel):
    task_id: str
    session_id: str


class UrlUpload(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=10)
    source_type: Literal["url"] = "url"


class MediaPublic(BaseModel):
    id: str
    name: str
    kind: str
    format: str
    size_bytes: int
    duration: float
    width: int
    height: int
    fps: float
    has_audio: bool
    analysis_status: str | None = None
    analysis_progress: float | None = None
    analysis_job_id: str | None = None


class UploadPublic(BaseModel):
    files: list[MediaPublic]
    credits_frozen: int


class Part(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str | None = Field(None, max_length=20000)


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str | None = "user"
    parts: list[Part] = Field(min_length=1, max_length=20)


class RunSseRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    app_name: str = Field("nemo_agent", max_length=100)
    user_id: str = Field("me", max_length=200)
    session_id: str = Field(max_length=100)
    new_message: NewMessage
    streaming: bool | None = None


class RenderOutput(BaseModel):
    format: Literal["mp4"] = "mp4"
    quality: Literal["preview", "low", "medium", "high"] = "high"  # preview: 360p, fast


class RenderCreate(BaseModel):
    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")
    sessionId: str = Field(max_length=100)
    draft: dict[str, Any] | None = None
    output: RenderOutput = RenderOutput()


class RenderOutputPublic(BaseModel):
    url: str
    format: str = "mp4"
    size_bytes: int | None = None
    duration: float | None = None


class RenderPublic(BaseModel):
    id: str
    sessionId: str | None
    status: Literal["queued", "rendering", "completed", "failed"]
    progress: float
    output: RenderOutputPublic | None = None
    error: str | None = None


class RenderEnvelope(Envelope[RenderPublic]):
    """The envelope with the render's ``id``, ``status`` and ``output`` repeated at the top
    level: clients written for either place read them."""

    id: str
    status: Literal["queued", "rendering", "completed", "failed"]
    output: RenderOutputPublic | None = None

    @classmethod
    def of(cls, render: RenderPublic) -> RenderEnvelope:
        return cls(data=render, id=render.id, status=render.status, output=render.output)


class GeneratedMedia(BaseModel):
    id: str
    status: str
    progress: float
    url: str | None = None
    error: str | None = None


class DraftOf(BaseModel):
    upload: str | None  # the media id the draft is of; None: all the session's footage
    current: bool
    draft: dict[str, Any]


class SessionState(BaseModel):
    draft: dict[str, Any] | None
    draft_of: str | None = None  # the upload the current draft is of (None: all footage)
    drafts: list[DraftOf] = []
    video_infos: list[MediaPublic]
    generated_media: list[GeneratedMedia]
    editing: bool = False


class StatePublic(BaseModel):
    session_id: str
    task_id: str
    state: SessionState


class BalancePublic(BaseModel):
    available: int
    frozen: int
    total: int
    spent: int
