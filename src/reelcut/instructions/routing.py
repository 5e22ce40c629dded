"""Which door a chat message goes through: export, preview, credits, status, upload, or an edit.

Routing comes before parsing: "export 1080p MP4" must start a render, not be read as an edit
(the caller may still :func:`~reelcut.instructions.parse` it for the settings it names, see
:func:`export_ask`); "preview it" asks for a quick look, not a full export; "use only the second
clip I uploaded" names an upload and is an edit, not an upload.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from reelcut.instructions.clause import Clause
from reelcut.instructions.intents import ExportAsk, take_upload
from reelcut.instructions.lexicon import mend_typos

ROUTES = ("export", "preview", "credits", "status", "upload", "edit")

_EXPORT = re.compile(
    r"\bexport(?:ed|ing)?\b|\bdownload\b|\brender\b|\bsend (?:me )?(?:the |my )?(?:video|reel|file|mp4)"
    r"|\bgive me the (?:video|reel|file|mp4)\b|\bsave (?:it )?as\b|\bsave the (?:video|reel)\b"
    r"|\b(?:fcpxml|edl|otio|premiere xml|final cut)\b"
    r"|导出|下载|渲染|输出|发给我|发我|保存视频|生成视频文件",
    re.IGNORECASE,
)
_CREDITS = re.compile(
    r"\bcredits?\b|\bbalance\b|\bquota\b|\bhow much (?:do i have )?left\b|积分|余额|额度|点数",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"\bstatus\b|\bshow (?:me )?(?:the )?(?:tracks?|timeline|draft|edit)\b|\btracks\b"
    r"|\bwhat(?:'s| is) in (?:the|my) (?:reel|draft|timeline)\b|\bprogress\b|\bis it (?:done|ready)\b"
    r"|状态|轨道|进度|时间线|好了吗|完成了吗",
    re.IGNORECASE,
)
_PREVIEW = re.compile(
    r"\bpreview\b|\bshow (?:me )?(?:the |a |my )?(?:result|reel|video|cut|outcome|output)\b"
    r"|\blet me see\b|\bsee (?:the |a )?(?:result|preview|reel)\b|\bwatch it\b|\bhave a look\b"
    r"|预览|看看效果|看一下效果|看看结果|看一下结果|给我看看|先看看|让我看看",
    re.IGNORECASE,
)
_UPLOAD = re.compile(r"\bupload(?:ed|ing)?\b|上传|传了|传一个|附件", re.IGNORECASE)


def route(message: str, has_attachment: bool = False) -> str:
    """One of :data:`ROUTES` for ``message``; an attachment makes it an upload."""
    if has_attachment:
        return "upload"
    text = mend_typos(unicodedata.normalize("NFKC", message))
    names_upload = take_upload(Clause.read(text, [])) is not None
    for name, pattern in (
        ("preview", _PREVIEW),
        ("export", _EXPORT),
        ("credits", _CREDITS),
        ("status", _STATUS),
        ("upload", _UPLOAD),
    ):
        if pattern.search(text) and not (name == "upload" and names_upload):
            return name
    return "edit"


_FORMATS = (
    (r"\bfcpxml\b|\bfinal cut pro x\b|\bfcpx\b", "fcpxml"),
    (r"\bfcp ?7\b|\bpremiere\b|\bfinal cut (?:pro )?7\b|\bxml\b", "fcp7"),
    (r"\bedl\b|\bcmx\b", "edl"),
    (r"\botio\b|\bopentimelineio\b", "otio"),
)


def export_options(message: str) -> dict[str, Any]:
    """:func:`export_ask` as JSON: ``{"format": "mp4", "height": 1080}``."""
    ask = export_ask(message)
    return {"format": ask.format, "height": ask.height}


def export_ask(message: str) -> ExportAsk:
    """What an export message asks for: the format ("mp4", "otio", "fcpxml", "fcp7", "edl") and
    the height when one is named ("export 1080p MP4", "导出高清", "send me an EDL")."""
    text = unicodedata.normalize("NFKC", message).lower()
    fmt = next((f for p, f in _FORMATS if re.search(p, text)), "mp4")
    height: int | None = None
    m = re.search(r"(\d{3,4})\s*p\b|(\d{3,4})\s*p(?=[\u3400-\u9fff]|$)", text)
    if m and int(m[1] or m[2]) in (360, 480, 720, 1080):
        height = int(m[1] or m[2])
    elif re.search(r"\bfull[\s-]?hd\b|\bfhd\b|全高清|超清|蓝光|\b4k\b", text):
        height = 1080
    elif re.search(r"\bhd\b|高清", text):
        height = 720
    return ExportAsk(fmt, height)
