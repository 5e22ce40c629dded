"""Chinese words for changes and summary lines (:mod:`reelcut.instructions.reply`)."""

from __future__ import annotations

from reelcut.instructions.reply.base import secs, span
from reelcut.timeline import changes as ch
from reelcut.timeline import summary as sm

_REFRAME = {"follow": "画面跟随动作", "blur": "模糊背景填充", "center": "居中裁剪"}
_ROLE = {"title": "标题", "card": "卡片文字", "caption": "字幕", "lower_third": "下方字幕条"}
_LABEL = {"title": "标题", "lower_third": "下方字幕条", "card": "卡片"}


def _s(ms: int) -> str:
    return f"{secs(ms)}秒"


def _span(start_ms: int, end_ms: int) -> str:
    a, b = span(start_ms, end_ms)
    return f"{a}-{b}秒"


def _role(role: str) -> str:
    return _ROLE.get(role, "文字")


def change(c: ch.Change) -> str:
    match c:
        case ch.ClipRemoved(clip):
            return f"删除了第{clip}个片段"
        case ch.ClipMoved(clip, to):
            return f"把第{clip}个片段移到第{to}位"
        case ch.ClipTrimmed(clip, head_ms, tail_ms):
            parts = [
                f"{where}{'剪掉' if ms > 0 else '延长'}{_s(abs(ms))}"
                for ms, where in ((head_ms, "开头"), (tail_ms, "结尾"))
                if ms
            ]
            return f"第{clip}个片段：" + ("，".join(parts) or "没有变化")
        case ch.ClipReplaced(clip):
            return f"把第{clip}个片段换成了另一个精彩瞬间"
        case ch.ClipInserted(clip, role):
            if role == "replay":
                return f"在第{clip}位加了慢动作回放"
            return f"在第{clip}位加了卡片" if role == "card" else f"在第{clip}位插入了片段"
        case ch.ClipsPicked(count, duration_ms):
            return f"重新挑选了{count}个片段（{_s(duration_ms)}）"
        case ch.TopicKept(topic, source_in_ms, source_out_ms):
            a, b = span(source_in_ms, source_out_ms)
            return f"保留了讲“{topic}”的那段（原片{a}-{b}秒，{_s((source_out_ms - source_in_ms) // 100 * 100)}）"
        case ch.ReelMade(count, duration_ms, asked_ms):
            made = f"做好了{duration_ms / 1000:.0f}秒的集锦，共{count}个片段"
            if asked_ms is not None and asked_ms > duration_ms:
                made += f"（素材只够{duration_ms / 1000:.0f}秒，不到{_s(asked_ms)}）"
            return made
        case ch.FormatSet(aspect, height, reframe):
            parts = [f"画幅{aspect}"] if aspect else []
            parts += [f"分辨率{height}p"] if height else []
            parts += [_REFRAME.get(reframe, "居中裁剪")] if reframe else []
            return "设置" + "，".join(parts)
        case ch.TransitionSet(kind, duration_ms):
            if kind == "cut":
                return "片段之间直接切换"
            name = "黑场转场" if kind == "fade_black" else "淡入淡出转场"
            return f"{name}（{_s(duration_ms)}）"
        case ch.TextAdded(role, text, start_ms, end_ms):
            return f"添加了{_role(role)}《{text}》（{_s(start_ms)}-{_s(end_ms)}）"
        case ch.TextChanged(role, text):
            if text is not None:
                return f"把{_role(role)}改成《{text}》"
            return f"修改了{_role(role)}的样式"
        case ch.TextRemoved(role):
            return f"删除了{_role(role)}"
        case ch.CaptionsSet(count):
            return f"添加了{count}行字幕" if count else "去掉了字幕"
        case ch.CaptionEdited(index, text, start_ms, end_ms):
            which = "最后一条字幕" if index == 0 else f"第{index}条字幕"
            parts = [f"“{text}”"] if text is not None else []
            if start_ms is not None:
                parts.append(f"从{_s(start_ms)}开始")
            if end_ms is not None:
                parts.append(f"到{_s(end_ms)}结束")
            return f"修改了{which}：" + "，".join(parts)
        case ch.CardAdded(where, text, duration_ms):
            words = f"《{text}》" if text else ""
            return f"添加了{'片头' if where == 'intro' else '片尾'}卡片{words}（{_s(duration_ms)}）"
        case ch.PictureAdded(start_ms, end_ms):
            return f"添加了图片（{_s(start_ms)}-{_s(end_ms)}）"
        case ch.PictureRemoved(picture):
            return f"删除了第{picture}张图片"
        case ch.MusicSet(title, volume):
            return f"添加了{title or ''}音乐，音量{volume}%"
        case ch.MusicChanged(volume, fade_in_ms, fade_out_ms, duck):
            parts = [f"音量{volume}%"] if volume is not None else []
            parts += [f"淡入{_s(fade_in_ms)}"] if fade_in_ms is not None else []
            parts += [f"淡出{_s(fade_out_ms)}"] if fade_out_ms is not None else []
            parts += [f"自动避让{'开启' if duck else '关闭'}"] if duck is not None else []
            return "音乐：" + "，".join(parts)
        case ch.MusicRemoved():
            return "去掉了音乐"
        case ch.OriginalVolumeSet(volume):
            return "原声已静音" if volume == 0 else f"原声音量{volume}%"
    return type(c).__name__


def track(line: sm.TrackLine) -> str:
    match line:
        case sm.VideoLine(clips, end_ms, aspect, replays, cards):
            more = [aspect] if aspect else []
            more += [f"{replays}个慢动作回放"] if replays else []
            more += [f"{cards}张卡片"] if cards else []
            return f"视频：{clips}个片段（{'，'.join([_span(0, end_ms), *more])}）"
        case sm.PicturesLine(_, count):
            return f"图片：{count}张"
        case sm.MusicLine(title, start_ms, end_ms, volume):
            return f"音乐：{title}（{_span(start_ms, end_ms)}，{volume}%）"
        case sm.SoundsLine(name, count):
            return f"{name}：{count}段声音"
        case sm.CaptionsLine(count):
            return f"字幕：{count}行"
        case sm.TextLine(role, text, start_ms, end_ms):
            return f"{_LABEL.get(role, '文字')}：《{text}》（{_span(start_ms, end_ms)}）"
        case sm.OriginalSoundLine(volume):
            return "原声：" + ("静音" if volume == 0 else f"{volume}%")
    return type(line).__name__


def done(parts: list[str]) -> str:
    return "已完成：" + "；".join(parts) + "。" if parts else "没有做任何修改。"


def tracks_head() -> str:
    return "轨道："
