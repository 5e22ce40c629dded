"""The hosted editor skill's own example requests, driven by a client written from the skill's
text alone (tests/service/skill_client.py); each ends in an MP4 downloaded and probed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelcut.media.probe import probe
from reelcut.service.admin import create_key
from reelcut.service.settings import Settings
from tests.conftest import lavfi_clip
from tests.service.conftest import Server
from tests.service.skill_client import SkillClient, SkillError, route

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("skill-media")
    return [
        lavfi_clip(folder / "game.mp4", seconds=6, audio="sine=frequency=440"),
        lavfi_clip(folder / "party.mp4", seconds=6, size="240x180", audio="sine=frequency=660"),
    ]


@pytest.fixture(scope="module")
def skill_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("skill"), workers=2).start()
    yield srv
    srv.stop()


def _downloaded(url: str, folder: Path) -> Path:
    path = folder / (url.rsplit("/", 1)[1])
    with httpx.stream("GET", url) as r:
        assert r.status_code == 200 and r.headers["content-type"] == "video/mp4"
        path.write_bytes(r.read())
    return path


def test_the_routing_table_reads_both_languages():
    assert [route(m) for m in ("导出", "export 1080p MP4", "余额", "show tracks", "上传")] == [
        "export", "export", "credits", "state", "upload",
    ]  # fmt: skip
    assert route("extract the best moments and compile") == "chat"


@pytest.mark.parametrize(
    "request_text",
    [
        "extract the best moments and compile them into a 2-minute highlight reel",
        "extract the best moments and compile",
        "generate my raw video footage",
    ],
)
def test_a_skill_example_makes_a_reel_that_downloads(
    skill_server: Server, footage: list[Path], tmp_path: Path, request_text: str
):
    client = SkillClient(skill_server.url)
    client.upload(footage[0])
    reply = client.say(request_text)
    assert reply.text and "didn't understand" not in reply.text
    if "2-minute" in request_text:
        assert "footage is 6 s, so the reel is 6 s" in reply.text
    done = client.say("export")
    assert done.download_url is not None
    assert probe(_downloaded(done.download_url, tmp_path)).duration_s > 4


def test_export_said_to_the_chat_starts_a_render(
    skill_server: Server, footage: list[Path], tmp_path: Path
):
    client = SkillClient(skill_server.url)
    client.upload(footage[0])
    reply = client.chat("export 1080p MP4")  # a client that does not route it itself
    url = re.search(r"https?://\S+\.mp4", reply.text)
    assert url, reply.text
    render_id = url[0].rsplit("/", 1)[1].removesuffix(".mp4")
    state = client.state()
    assert render_id in [g["id"] for g in state["generated_media"]]
    while (poll := client._call("GET", f"/api/render/proxy/lambda/{render_id}"))["status"] not in (
        "completed",
        "failed",
    ):
        pass
    assert poll["output"]["url"] == url[0]
    info = probe(_downloaded(url[0], tmp_path))
    assert min(info.video.display_size) == 1080


def test_the_batch_workflow_gives_each_upload_its_render(
    skill_server: Server, footage: list[Path], tmp_path: Path
):
    client = SkillClient(skill_server.url)
    ids = [client.upload(p)["data"]["files"][0]["id"] for p in footage]
    for message, upload, vertical in [
        ("make a 30-second reel of the first video", 0, False),
        ("now the second one, vertical", 1, True),
        ("第二个视频做成竖屏", 1, True),
    ]:
        reply = client.say(message)
        assert reply.text, message
        state = client.state()
        assert state["draft_of"] == ids[upload], message
        done = client.say("export")
        size = probe(_downloaded(done.download_url or "", tmp_path)).video.display_size
        assert (size[1] > size[0]) == vertical, (message, size)


def test_the_iterative_workflow_previews_and_refines(
    skill_server: Server, footage: list[Path], tmp_path: Path
):
    client = SkillClient(skill_server.url)
    client.upload(footage[0])
    client.say("extract the best moments and compile")
    for message in ("preview it", "show me the result", "preview in timeline"):
        reply = client.say(message)
        assert "1. Video:" in reply.text and "preview" in reply.text.lower(), reply.text
        url = re.search(r"https?://\S+\.mp4", reply.text)
        assert url, reply.text
    advice = client.say("make it look better")
    assert "crossfade" in advice.text  # concrete suggestions, not a dead end
    client.say("make it 5 seconds")
    done = client.say("download")
    assert probe(_downloaded(done.download_url or "", tmp_path)).duration_s == pytest.approx(
        5, abs=1
    )


def test_the_documented_errors_become_what_the_user_is_told(tmp_path: Path, footage: list[Path]):
    srv = Server(tmp_path / "poor", anonymous_credits=0, rate_limit_per_minute=20).start()
    try:
        client = SkillClient(srv.url, retry_pause_s=0.1)
        with pytest.raises(SkillError) as no_credits:
            client.upload(footage[0])
        assert no_credits.value.code == 2001 and f"?bind={client.session_id}" in str(
            no_credits.value
        )
        key = create_key(Settings(data_dir=srv.data_dir), "free plan", 50, export_allowed=False)
        free = SkillClient(srv.url, token=key.key, retry_pause_s=0.1)
        free.upload(footage[0])
        free.say("extract the best moments and compile")
        with pytest.raises(SkillError) as blocked:
            free.say("export")
        assert "upgrade your plan" in str(blocked.value)
        with pytest.raises(SkillError) as busy:
            for _ in range(30):
                free.say("credits")
        assert busy.value.code == 429 and "try again" in str(busy.value)
    finally:
        srv.stop()
