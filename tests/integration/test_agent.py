"""The editing agent end to end on a saved project: parser, optional planner (a fake
OpenAI-compatible server on loopback), one undoable version per message, replies in the
message's language."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reelcut.editor.chat import run_agent
from reelcut.editor.store import Project
from reelcut.instructions import Planner
from reelcut.timeline import Draft, Source, Track, TrackType, VideoSegment


def _draft() -> Draft:
    src = Source("s0", "video", "/footage/game.mp4", 600_000, 1920, 1080, True, "game.mp4", "25")
    clips = tuple(
        VideoSegment("s0", k * 60_000, k * 60_000 + 10_000, score=1 - k / 10) for k in range(6)
    )
    return Draft(sources=(src,), tracks=(Track(TrackType.VIDEO, "Video", clips),), target_ms=60_000)


@pytest.fixture
def project(tmp_path):
    return Project.create(tmp_path / "p.reelcut.json", _draft(), "made")


def _run(project, message, **kw):
    events = list(run_agent(message, project.path.parent, [], project_path=project.path, **kw))
    return events, Project.load(project.path)


def test_several_edits_in_one_message_are_one_undoable_step(project):
    events, p = _run(
        project, "make it vertical, remove the second clip and add the title 'Derby Day'"
    )
    assert p.draft.aspect == "9:16" and len(p.draft.clips) == 5
    assert [t.text for t in p.draft.texts] == ["Derby Day"]
    assert len(p.versions) == 2
    kinds = [e.kind for e in events]
    assert "thinking" not in kinds  # no filler: the first event is real work
    assert kinds[-1] == "text" and kinds.count("tool_call") == 3
    assert "removed the second clip" in events[-1].text and "1. Video: 5 clips" in events[-1].text
    _, p = _run(p, "undo")
    assert p.draft.aspect == "source" and len(p.draft.clips) == 6


def test_chinese_message_gets_a_chinese_reply(project):
    events, p = _run(project, "改成竖屏，加上标题《城市之梦》")
    assert p.draft.aspect == "9:16" and p.draft.texts[0].text == "城市之梦"
    assert events[-1].text.startswith("已完成")


def test_an_impossible_edit_changes_nothing_and_says_why(project):
    events, p = _run(project, "remove clip 2 and move clip 3 to position 40")
    assert len(p.versions) == 1 and len(p.draft.clips) == 6
    assert events[-1].kind == "text" and not events[-1].data["changed"]


def test_gibberish_is_never_a_silent_no_op(project):
    events, p = _run(project, "qwxz blorp")
    assert len(p.versions) == 1
    assert "didn't understand" in events[-1].text


class _FakeLLM(BaseHTTPRequestHandler):
    answer: str = ""
    seen: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(body)
        reply = {"choices": [{"message": {"role": "assistant", "content": type(self).answer}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Planner(f"http://127.0.0.1:{server.server_address[1]}/v1", "fake-model", timeout_s=5)
    server.shutdown()


def test_planner_answer_is_validated_and_applied(project, fake_llm):
    _FakeLLM.answer = json.dumps(
        {"requests": [{"op": "set_format", "aspect": "1:1"}, {"op": "remove_clip", "index": 6}]}
    )
    events, p = _run(project, "something only a model understands", planner=fake_llm)
    assert p.draft.aspect == "1:1" and len(p.draft.clips) == 5
    assert _FakeLLM.seen[-1]["model"] == "fake-model"
    assert any(e.kind == "tool_result" and e.text == "planner" for e in events)


@pytest.mark.parametrize(
    "answer",
    ["this is not json", json.dumps({"requests": [{"op": "explode_everything"}]}), "{}"],
)
def test_planner_garbage_falls_back_to_the_parser_and_says_so(project, fake_llm, answer):
    _FakeLLM.answer = answer
    events, p = _run(project, "make it vertical", planner=fake_llm)
    assert any(e.data.get("fallback") for e in events)
    assert p.draft.aspect == "9:16"


def test_planner_down_falls_back(project):
    dead = Planner("http://127.0.0.1:9/v1", "m", timeout_s=1)
    events, p = _run(project, "add the title 'Hi'", planner=dead)
    assert any(e.data.get("fallback") for e in events) and p.draft.texts[0].text == "Hi"


def test_clip_numbers_mean_the_clips_as_they_were_seen(project):
    before = [c.source_in_ms for c in project.draft.clips]
    _, p = _run(project, "remove clip 2 and move clip 4 to the start")
    after = [c.source_in_ms for c in p.draft.clips]
    assert after[0] == before[3]  # the clip that was 4th, not the 5th
    assert before[1] not in after and len(after) == 5


def test_a_bad_length_from_a_planner_is_an_error_not_a_crash(tmp_path, fake_llm):
    _FakeLLM.answer = json.dumps({"requests": [{"op": "set_length", "seconds": "sixty"}]})
    events = list(run_agent("make a reel", tmp_path, [], planner=fake_llm))
    assert events[-1].kind == "error" and not events[-1].data["changed"]
    assert "positive number" in events[-1].text
    assert sum("positive number" in e.text for e in events) == 1  # said once, not twice


def test_the_skills_own_words_get_an_answer_not_a_dead_end(project):
    """Issue 12: these got "Sorry, I didn't understand"."""
    events, p = _run(project, "make it look better")
    assert len(p.versions) == 1 and "crossfade between clips" in events[-1].text
    events, p = _run(p, "preview in timeline")
    assert events[-1].data.get("route") == "preview" and "1. Video: 6 clips" in events[-1].text
    events, p = _run(p, "让我看看效果")
    assert "视频：6个片段" in events[-1].text


def test_a_title_set_twice_is_one_title(project):
    _run(project, "add a title 'Weekend'")
    events, p = _run(project, "加上标题“周末”")
    assert [(t.role, t.text) for t in p.draft.texts] == [("title", "周末")]
    assert events[-1].text.startswith("已完成")
