"""The answer to an edit message: what changed, in plain words, then the tracks, in the
language the person wrote in.

``applied`` are the op descriptions (:meth:`reelcut.timeline.ops.Op.describe`) and
``summary_lines`` the draft's :func:`reelcut.timeline.summary.track_lines`; both are English,
so a Chinese reply translates the phrases those two write. A phrase it does not know is kept as
it is rather than dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CN_ORDINAL = {"first": "第1个", "second": "第2个", "third": "第3个", "fourth": "第4个",
               "fifth": "第5个", "sixth": "第6个", "seventh": "第7个", "eighth": "第8个"}  # fmt: skip
_REFRAME = {"reframed to follow the action": "画面跟随动作", "blurred-background fit": "模糊背景填充",
            "centre crop": "居中裁剪"}  # fmt: skip
_TEXT_ROLE = {"title": "标题", "card": "卡片文字", "caption": "字幕", "lower third": "下方字幕条",
              "text": "文字"}  # fmt: skip


def _secs(value: str) -> str:
    return value.replace("s", "秒")


def _format(m: re.Match[str]) -> str:
    parts = []
    for part in m[1].split(", "):
        if part.startswith("aspect "):
            parts.append(f"画幅{part[7:]}")
        elif part.endswith("p") and part[:-1].isdigit():
            parts.append(f"分辨率{part}")
        else:
            parts.append(_REFRAME.get(part, part))
    return "设置" + "，".join(parts)


def _trim(m: re.Match[str]) -> str:
    parts = []
    for verb, amount, end in re.findall(r"(trimmed|extended) (\S+) at the (start|end)", m[2]):
        where = "开头" if end == "start" else "结尾"
        parts.append(f"{where}{'剪掉' if verb == 'trimmed' else '延长'}{_secs(amount)}")
    return f"第{m[1]}个片段：" + ("，".join(parts) or "没有变化")


def _music_edit(m: re.Match[str]) -> str:
    words = {"volume": "音量", "fade in": "淡入", "fade out": "淡出"}
    parts = []
    for part in m[1].split(", "):
        if part == "ducking on":
            parts.append("自动避让开启")
        elif part == "ducking off":
            parts.append("自动避让关闭")
        else:
            key, _, value = part.rpartition(" ")
            parts.append(f"{words.get(key, key)}{_secs(value) if value.endswith('s') else value}")
    return "音乐：" + "，".join(parts)


_PHRASES: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    (r"removed the (\w+) clip", lambda m: f"删除了{_CN_ORDINAL.get(m[1], m[1])}片段"),
    (r"removed the #(\d+) clip", r"删除了第\1个片段"),
    (r"moved clip (\d+) to position (\d+)", r"把第\1个片段移到第\2位"),
    (r"clip (\d+): (.*)", _trim),
    (r"replaced clip (\d+) with another moment", r"把第\1个片段换成了另一个精彩瞬间"),
    (r"inserted a slow-motion replay as clip (\d+)", r"在第\1位加了慢动作回放"),
    (r"inserted a card as clip (\d+)", r"在第\1位加了卡片"),
    (r"inserted a clip as clip (\d+)", r"在第\1位插入了片段"),
    (r"re-selected (\d+) clips \((\S+)\)", lambda m: f"重新挑选了{m[1]}个片段（{_secs(m[2])}）"),
    (r"set (.*)", _format),
    (r"hard cuts between clips", "片段之间直接切换"),
    (r"crossfade transitions \((\S+)\)", lambda m: f"淡入淡出转场（{_secs(m[1])}）"),
    (r"fade through black transitions \((\S+)\)", lambda m: f"黑场转场（{_secs(m[1])}）"),
    (
        r'added ([\w ]+?) "(.*)" \((\S+)-(\S+)\)',
        lambda m: f"添加了{_TEXT_ROLE.get(m[1], m[1])}《{m[2]}》（{_secs(m[3])}-{_secs(m[4])}）",
    ),
    (r'changed the ([\w ]+) to "(.*)"', lambda m: f"把{_TEXT_ROLE.get(m[1], m[1])}改成《{m[2]}》"),
    (r"restyled the ([\w ]+)", lambda m: f"修改了{_TEXT_ROLE.get(m[1], m[1])}的样式"),
    (r"removed the captions", "去掉了字幕"),
    (r"removed the music", "去掉了音乐"),
    (r"removed the ([\w ]+)", lambda m: f"删除了{_TEXT_ROLE.get(m[1], m[1])}"),
    (r"added (\d+) caption lines", r"添加了\1行字幕"),
    (
        r'added an (intro|outro) card(?: "(.*)")? \((\S+)\)',
        lambda m: (
            f"添加了{'片头' if m[1] == 'intro' else '片尾'}卡片"
            + (f"《{m[2]}》" if m[2] else "")
            + f"（{_secs(m[3])}）"
        ),
    ),
    (r"added a picture \((\S+)-(\S+)\)", lambda m: f"添加了图片（{_secs(m[1])}-{_secs(m[2])}）"),
    (r"removed picture (\d+)", r"删除了第\1张图片"),
    (r"added (.+) music at (\d+)%", r"添加了\1音乐，音量\2%"),
    (r"music: (.*)", _music_edit),
    (r"muted the original sound", "原声已静音"),
    (r"original sound at (\d+)%", r"原声音量\1%"),
)
_LINES: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    (
        r"(\d+)\. Video: (\d+) clips? \((.*)\)",
        lambda m: f"{m[1]}. 视频：{m[2]}个片段（{_video(m[3])}）",
    ),
    (
        r"(\d+)\. Music: (.*) \((\S+), (\d+)%\)",
        lambda m: f"{m[1]}. 音乐：{m[2]}（{_secs(m[3])}，{m[4]}%）",
    ),
    (r'(\d+)\. Title: "(.*)" \((\S+)\)', lambda m: f"{m[1]}. 标题：《{m[2]}》（{_secs(m[3])}）"),
    (r'(\d+)\. Card: "(.*)" \((\S+)\)', lambda m: f"{m[1]}. 卡片：《{m[2]}》（{_secs(m[3])}）"),
    (
        r'(\d+)\. Lower third: "(.*)" \((\S+)\)',
        lambda m: f"{m[1]}. 下方字幕条：《{m[2]}》（{_secs(m[3])}）",
    ),
    (r'(\d+)\. Text: "(.*)" \((\S+)\)', lambda m: f"{m[1]}. 文字：《{m[2]}》（{_secs(m[3])}）"),
    (r"(\d+)\. Captions: (\d+) lines", r"\1. 字幕：\2行"),
    (r"(\d+)\. Original sound: muted", r"\1. 原声：静音"),
    (r"(\d+)\. Original sound: (\d+)%", r"\1. 原声：\2%"),
    (r"(\d+)\. Overlays: (\d+) pictures?", r"\1. 图片：\2张"),
)


def _video(inside: str) -> str:
    out = []
    for part in inside.split(", "):
        if m := re.fullmatch(r"(\d+) slow-motion replays?", part):
            out.append(f"{m[1]}个慢动作回放")
        elif m := re.fullmatch(r"(\d+) cards?", part):
            out.append(f"{m[1]}张卡片")
        elif re.fullmatch(r"[\d.]+-[\d.]+s", part):
            out.append(_secs(part))
        else:
            out.append(part)
    return "，".join(out)


def _translate(
    text: str, table: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...]
) -> str:
    for pattern, replacement in table:
        m = re.fullmatch(pattern, text)
        if m:
            return replacement(m) if callable(replacement) else m.expand(replacement)
    return text


def reply(language: str, applied: list[str], summary_lines: list[str]) -> str:
    """The reply ("Done: removed the second clip; ..." and the tracks) in English or Chinese.

    A batch's description ("a; b") counts as its parts; no changes says so plainly.
    """
    parts = [p.strip() for item in applied for p in item.split("; ") if p.strip()]
    zh = language == "zh"
    if zh:
        parts = [_translate(p, _PHRASES) for p in parts]
        lines = [_translate(line, _LINES) for line in summary_lines]
        head = "已完成：" + "；".join(parts) + "。" if parts else "没有做任何修改。"
        return head + ("\n轨道：\n" + "\n".join(lines) if lines else "")
    head = "Done: " + "; ".join(parts) + "." if parts else "Nothing was changed."
    return head + ("\nTracks:\n" + "\n".join(summary_lines) if summary_lines else "")
