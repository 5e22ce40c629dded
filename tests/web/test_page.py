"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright, against a
real ``reelcut serve`` on loopback; the whole flow on real clips from ``../shared/media``, the
Chinese page's keyboard and credits on small generated clips (what they show does not matter).

The whole flow a person goes through: upload two videos -> the reel is made and its preview
plays -> chat "make it vertical" -> the preview is 9:16 -> drag a clip to a new place -> export
-> the downloaded file is an MP4 of the draft (size, length, streams). Set
``REELCUT_WEB_SCREENSHOTS=<dir>`` to also save the page at desktop and phone width.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import lavfi_clip
from tests.mediacheck import facts
from tests.service.conftest import Server
from tests.web.conftest import media

CHROMIUM = os.environ.get("REELCUT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 240_000  # the machine is small and shared: analysis and renders take a while


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("web"), max_upload_mb=50, rate_limit_per_minute=0)
    srv.start()
    yield srv
    srv.stop()


def _state(srv: Server, page: Any) -> dict[str, Any]:
    token = page.evaluate("localStorage.getItem('reelcut.token')")
    sid = page.evaluate("document.body.dataset.session")
    r = httpx.get(
        f"{srv.url}/api/state/nemo_agent/me/{sid}/latest",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    state: dict[str, Any] = r.json()["data"]["state"]
    return state


def _clip_names(page: Any) -> list[str]:
    return [t.split("\n")[0] for t in page.locator("#clips li .clip-text").all_inner_texts()]


def _preview_size(page: Any) -> tuple[int, int]:
    w, h = page.evaluate("() => { const v = document.querySelector('video#preview');"
                         " return [v.videoWidth, v.videoHeight]; }")  # fmt: skip
    return int(w), int(h)


def _wait_preview_playing(page: Any, render_id_other_than: str = "") -> None:
    page.wait_for_function(
        """(old) => { const v = document.querySelector('video#preview');
            return v.dataset.renderId && v.dataset.renderId !== old && v.readyState >= 2
                   && v.videoWidth > 0; }""",
        arg=render_id_other_than,
        timeout=TIMEOUT_MS,
    )
    # plays: muted playback may start without a gesture; the clock must move
    page.evaluate(
        "() => { const v = document.querySelector('video#preview'); v.muted = true; v.play(); }"
    )
    page.wait_for_function(
        "() => document.querySelector('video#preview').currentTime > 0.2", timeout=60_000
    )


@pytest.mark.slow
def test_the_whole_flow_in_chromium(browser: Any, web_server: Server, tmp_path: Path) -> None:
    bunny, bikes = media("bigbuckbunny.mp4"), media("bikes.mp4")
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1360, "height": 1000}, locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(web_server.url + "/")
    page.wait_for_selector("body[data-session]")
    assert page.locator("input[type=file]").count() == 1
    assert page.locator("[name=message]").count() == 1

    # upload two files at once -> analysed -> the first reel is made and its preview plays
    page.set_input_files("input[type=file]", [str(bunny), str(bikes)])
    page.wait_for_function("document.querySelectorAll('#clips li').length >= 2")
    _wait_preview_playing(page)
    first_w, first_h = _preview_size(page)
    assert first_h == 360 and first_w > first_h  # a quick low-resolution preview, 16:9 footage
    assert page.locator("#footage-why svg.curve").count() == 2  # the why: a curve per video
    assert page.locator("#footage-why .moment img").count() >= 2
    plan = page.inner_text("#plan")
    assert "Credits" in plan
    assert page.locator("#notice").is_hidden(), page.inner_text("#notice")

    # chat: make it vertical -> the agent answers and the preview becomes 9:16
    old_id = page.evaluate("document.querySelector('video#preview').dataset.renderId")
    page.fill("[name=message]", "make it vertical")
    page.press("[name=message]", "Enter")
    page.wait_for_selector("#chat-log li.agent:not(.thinking)")
    _wait_preview_playing(page, old_id)
    w, h = _preview_size(page)
    assert (w, h) == (360, 640), (w, h)
    assert _state(web_server, page)["draft"]["m"]["aspect"] == "9:16"

    # drag the first clip onto the second place -> the order changes, and a new preview plays
    before = _clip_names(page)
    old_id = page.evaluate("document.querySelector('video#preview').dataset.renderId")
    page.locator("#clips li").nth(0).drag_to(page.locator("#clips li").nth(1))
    page.wait_for_function(
        "(first) => { const t = document.querySelector('#clips li .clip-text strong');"
        " return t && !t.textContent.endsWith(first.split('. ').slice(1).join('. ')); }",
        arg=before[0],
    )
    after = _clip_names(page)
    assert [n.split(". ", 1)[1] for n in after[:2]] == [
        n.split(". ", 1)[1] for n in (before[1], before[0])
    ]
    _wait_preview_playing(page, old_id)

    # export 1080p -> download -> it is the draft: 1080x1920, its length, picture and sound
    draft = _state(web_server, page)["draft"]
    page.click("#export")
    page.wait_for_selector("#download:not([hidden])")
    with page.expect_download() as info:
        page.click("#download")
    path = tmp_path / "reel.mp4"
    info.value.save_as(path)
    out = facts(path)
    assert (out.width, out.height) == (1080, 1920)
    assert out.video_codec == "h264"
    assert abs(out.video_s - draft["d"] / 1000) < 0.1, (out.video_s, draft["d"])
    assert out.audio_codec == "aac"
    assert not errors, errors
    assert page.locator("#notice").is_hidden(), page.inner_text("#notice")

    shots = os.environ.get("REELCUT_WEB_SCREENSHOTS")
    if shots:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(shots) / "web-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(shots) / "web-phone.png"))
    context.close()


@pytest.mark.slow
def test_chinese_keyboard_and_running_out_of_credits(browser: Any, tmp_path: Path) -> None:
    """A Chinese browser gets the page in Chinese; clips move with the keyboard; when the free
    credits run out (2001) the page gives the /?bind= link, where an API key takes the session
    over and the chat goes on in Chinese."""
    import subprocess
    import sys

    # what the clips show does not matter here (their order, the credits, the chat's language
    # do): two small generated ones cost a fraction of the real clips' analysis and renders
    bunny = lavfi_clip(tmp_path / "bunny.mp4", seconds=5.0)
    bikes = lavfi_clip(
        tmp_path / "bikes.mp4", seconds=6.0, audio="sine=frequency=660:sample_rate=48000"
    )
    srv = Server(tmp_path / "srv", max_upload_mb=50, rate_limit_per_minute=0, anonymous_credits=2)
    srv.start()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(srv.url + "/")
        page.wait_for_selector("body[data-session]")
        assert page.inner_text("#h-footage") == "素材"
        assert page.get_attribute("html", "lang") == "zh-CN"

        page.set_input_files("input[type=file]", [str(bunny), str(bikes)])  # 2 credits
        page.wait_for_function("document.querySelectorAll('#clips li').length >= 2")
        before = _clip_names(page)
        page.focus("#clips li:first-child")
        page.keyboard.press("Alt+ArrowDown")
        page.wait_for_function(
            "(name) => document.querySelector('#clips li:nth-child(2) .clip-text strong')"
            ".textContent.endsWith(name)",
            arg=before[0].split(". ", 1)[1],
        )

        page.fill("[name=message]", "改成竖屏")
        page.press("[name=message]", "Enter")
        page.wait_for_selector("#notice:not([hidden]) a[href*='?bind=']")
        link = page.get_attribute("#notice a", "href")
        sid = page.evaluate("document.body.dataset.session")
        assert link == f"{srv.url}/?bind={sid}"
        assert "积分已用完" in page.inner_text("#notice")

        made = subprocess.run(
            [sys.executable, "-m", "reelcut", "admin", "create-key", "--name", "pro",
             "--credits", "20", "--data-dir", str(srv.data_dir)],
            capture_output=True, text=True, env=srv.env, check=False,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        key = next(w for w in made.stdout.split() if w.startswith("rc_key_"))

        page.goto(link)
        page.wait_for_selector("#key-box[open] #bind-intro:not([hidden])")
        page.fill("#key-form [name=key]", key)
        page.press("#key-form [name=key]", "Enter")
        page.wait_for_function("document.querySelector('#notice').textContent.includes('密钥')")
        assert page.evaluate("document.body.dataset.session") == sid
        assert "API 密钥" in page.inner_text("#plan")
        page.fill("[name=message]", "改成竖屏")
        page.press("[name=message]", "Enter")
        page.wait_for_selector("#chat-log li.agent:not(.thinking):not(.error)")
        assert "9:16" in page.inner_text("#chat-log")
        r = httpx.get(
            f"{srv.url}/api/state/nemo_agent/me/{sid}/latest",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert r.json()["data"]["state"]["draft"]["m"]["aspect"] == "9:16"

        page.click("#lang")
        assert page.inner_text("#h-footage") == "Footage"
    finally:
        context.close()
        srv.stop()
