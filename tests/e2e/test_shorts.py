"""``reelcut shorts``: vertical, captioned clips of whole sentences from generated talk whose
sentence times are known (tests/speechmedia.py ``lecture``), and the manifest beside them.

The picture is black, so the only light in a frame is the burned-in captions.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import av
import pytest
from typer.testing import CliRunner

from reelcut.cli.app import app
from reelcut.media.probe import probe
from tests import speechmedia

pytestmark = [
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]


@pytest.fixture(scope="module")
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shorts-cache")


@pytest.fixture(autouse=True)
def _one_transcript(_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both tests cut shorts from the same lecture: the first transcribes it, the second finds
    that transcript (and analysis) in the cache, as a second ``reelcut shorts`` of the file
    would (like tests/e2e/test_topic_search.py; Whisper on its 90 s is ~8 s of CPU)."""
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(_cache))


def test_shorts_are_whole_sentences_vertical_captioned_with_a_manifest(tmp_path):
    pytest.importorskip("faster_whisper")
    talk = speechmedia.lecture()
    src = speechmedia.clip(
        tmp_path / "talk.mp4", talk.samples, picture="color=c=black:size=160x90:rate=10"
    )
    out = tmp_path / "shorts"
    args = ["shorts", str(src), "--count", "2", "--min", "10s", "--max", "25s"]
    result = CliRunner().invoke(app, [*args, "-o", str(out), "--height", "320"])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "shorts.json").read_text("utf-8"))
    assert doc["source"] == str(src.resolve()) and len(doc["shorts"]) == 2
    for s in doc["shorts"]:
        assert {"output", "source_in_s", "source_out_s", "score", "reasons", "title"} <= set(s)
        assert s["title"] and s["reasons"] and s["score"] > 0
        a, b = s["source_in_s"], s["source_out_s"]
        assert 10 <= b - a <= 25
        for lo, hi in talk.spans_ms:  # never inside a sentence the generator said
            assert not lo / 1000 + 0.05 < a < hi / 1000 - 0.05, (a, lo, hi)
            assert not lo / 1000 + 0.05 < b < hi / 1000 - 0.05, (b, lo, hi)
        info = probe(s["output"])
        w, h = info.video.display_size
        assert (w, h) == (320, 568)  # 9:16 at 320 lines, like 1080p is 1080x1920
        assert abs(info.duration_s - (b - a)) < 0.3
        lit_band, lit_top = 0, 0
        with av.open(s["output"]) as f:
            for k, frame in enumerate(f.decode(video=0)):
                if k % 10:
                    continue
                y = frame.to_ndarray(format="gray")
                lit_band += int((y[int(0.6 * h) :] > 180).sum() > 20)
                lit_top += int((y[: int(0.4 * h)] > 180).sum() > 20)
        assert lit_band >= 3 and lit_top == 0, (lit_band, lit_top)


def test_a_language_model_endpoint_picks_and_titles_the_short(tmp_path):
    """``--llm-url``: a loopback server speaking /v1/chat/completions (tests/integration/
    test_shorts_llm.py) picks the offline ranking's second candidate and names it."""
    pytest.importorskip("faster_whisper")
    from tests.integration.test_shorts_llm import Endpoint

    talk = speechmedia.lecture()
    src = speechmedia.clip(
        tmp_path / "talk.mp4", talk.samples, picture="color=c=black:size=160x90:rate=10"
    )
    server = Endpoint()
    server.answer = {"ranking": [{"id": 2, "title": "The one the model liked"}]}
    try:
        out = tmp_path / "shorts"
        args = ["shorts", str(src), "--count", "1", "--min", "10s", "--max", "25s"]
        args += ["-o", str(out), "--height", "160", "--llm-url", server.url, "--llm-model", "m"]
        result = CliRunner().invoke(app, args)
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "shorts.json").read_text("utf-8"))
    assert doc["ranked_by"] == f"m at {server.url}" and doc["warnings"] == []
    [short] = doc["shorts"]
    assert short["title"] == "The one the model liked" and short["rank"] == 1
    assert "ranked by m" in short["reasons"]
    prompt = server.requests[0]["messages"][-1]["content"]
    assert "[3]" in prompt and "[4]" not in prompt  # three candidates for one short
