"""The built-in music library: every mood renders as real, distinct, mastered music, offline.

Each mood is rendered once (40 s, through the cache and the WAV writer) and measured: length,
rate, loudness by a time-domain BS.1770 filter, stereo width, tempo by autocorrelation of a
spectral onset envelope, onset density, brightness and section changes.
"""

from __future__ import annotations

import math
import subprocess
import wave
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from reelcut.analysis.loudness import integrated_lufs, k_weighting_sos
from reelcut.errors import (
    EmptyMediaError,
    InputNotFoundError,
    InvalidArgumentError,
    UnsupportedMediaError,
)
from reelcut.media.ffmpeg import ffmpeg_exe
from reelcut.music import (
    GENERATOR_VERSION,
    MOODS,
    MoodInfo,
    check_music_file,
    mood_info,
    music_track,
    resolve_mood,
    synthesize,
)
from reelcut.music import track as track_module
from reelcut.music.compose import plan_form
from reelcut.music.mixer import VOICES
from reelcut.music.styles import STYLES

RATE = 48_000
SECONDS = 40.0
DRUM_MOODS = ("lofi", "upbeat", "epic", "happy", "dramatic")
HOP, WIN = 480, 2048


def _read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
        rate, channels = wav.getframerate(), wav.getnchannels()
    pcm = np.frombuffer(frames, dtype="<i2").reshape(-1, channels).T
    return pcm.astype(np.float64) / 32768.0, rate, channels


@pytest.fixture(scope="module")
def tracks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    cache = tmp_path_factory.mktemp("music")
    out = {}
    for mood in MOODS:
        samples, rate, channels = _read_wav(music_track(mood, SECONDS, cache_dir=cache))
        assert (rate, channels) == (RATE, 2)
        out[mood] = samples
    return out


@pytest.fixture(scope="module")
def rises(tracks: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {mood: _band_rise(x) for mood, x in tracks.items()}


def _lufs_time_domain(x: np.ndarray) -> float:
    """Integrated loudness with the K-weighting applied as the standard's biquads, in time."""
    weighted = signal.sosfilt(k_weighting_sos(RATE), x, axis=1)
    block = RATE // 10
    n = weighted.shape[1] // block * block
    power = (weighted[:, :n].reshape(2, -1, block) ** 2).mean(axis=2).sum(axis=0)
    return integrated_lufs(power, [(0.0, n / RATE)])


def _bands_db(power: np.ndarray, freqs: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Power in dB per row of ``power`` in each band between consecutive ``edges``."""
    bands = [power[:, (freqs >= a) & (freqs < b)].sum(axis=1) for a, b in pairwise(edges)]
    return 10 * np.log10(np.stack(bands, axis=1) + 1e-12)


def _band_rise(x: np.ndarray) -> np.ndarray:
    """Per 10 ms frame: summed rise in dB of 8 log-spaced bands (an onset envelope)."""
    mono = x.mean(axis=0)
    frames = np.lib.stride_tricks.sliding_window_view(mono, WIN)[::HOP] * np.hanning(WIN)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(WIN, 1 / RATE)
    db = _bands_db(power, freqs, np.geomspace(60, 12000, 9).tolist())
    return np.maximum(np.diff(db, axis=0), 0).sum(axis=1)


def _autocorrelation(onsets: np.ndarray) -> np.ndarray:
    o = onsets - onsets.mean()
    ac = np.fft.irfft(np.abs(np.fft.rfft(o, 2 * len(o))) ** 2)[: len(o)]
    return ac / ac[0]


def _comb_tempo(ac: np.ndarray, fps: float) -> float:
    """The tempo (60-180 bpm) whose first four beat multiples have the strongest autocorrelation.

    A comb rather than the single highest peak, so a 3-3-2 tom figure does not pass for a beat.
    """
    candidates = np.arange(60.0, 180.5, 0.5)
    scores = [np.mean([ac[round(k * fps * 60 / bpm)] for k in range(1, 5)]) for bpm in candidates]
    return float(candidates[int(np.argmax(scores))])


def _band_share(x: np.ndarray, low: float, high: float) -> float:
    power = np.abs(np.fft.rfft(x.mean(axis=0))) ** 2
    freqs = np.fft.rfftfreq(x.shape[1], 1 / RATE)
    return float(power[(freqs >= low) & (freqs < high)].sum() / power.sum())


# --- names -------------------------------------------------------------------------------


def test_moods_cover_the_four_asked_for_and_two_more():
    assert {"lofi", "upbeat", "epic", "calm"} <= set(MOODS)
    assert len(MOODS) == len(set(MOODS)) >= 6


@pytest.mark.parametrize(
    ("word", "mood"),
    [
        ("lofi", "lofi"),
        ("Lo-Fi", "lofi"),
        ("lo fi", "lofi"),
        ("LoFi", "lofi"),
        ("lo-fi hip hop", "lofi"),
        ("chillhop", "lofi"),
        ("energetic", "upbeat"),
        ("Upbeat", "upbeat"),
        ("upbeat music", "upbeat"),
        ("cinematic", "epic"),
        ("EPIC", "epic"),
        ("relaxing", "calm"),
        ("ambient", "calm"),
        ("cheerful", "happy"),
        ("suspense", "dramatic"),
    ],
)
def test_resolve_mood_accepts_common_words(word: str, mood: str):
    assert resolve_mood(word) == mood


def test_unknown_mood_names_the_available_ones():
    with pytest.raises(InvalidArgumentError) as err:
        resolve_mood("polka")
    assert err.value.code == 4008
    assert isinstance(err.value, ValueError)
    for mood in MOODS:
        assert mood in str(err.value)


def test_mood_info_describes_every_mood():
    for mood in MOODS:
        info = mood_info(mood)
        assert isinstance(info, MoodInfo) and info.name == mood
        assert 50 <= info.bpm <= 180
        assert info.key.split()[1] in ("major", "minor")
        assert info.title and len(info.description) > 20
    assert mood_info("Lo-Fi").title == "Lo-fi"


def test_form_has_sections_that_change_on_bar_lines():
    form = plan_form(60)
    names = [bar.section for bar in form]
    assert names[:4] == ["intro"] * 4 and names[-2:] == ["outro"] * 2
    assert {"a", "b", "brk"} <= set(names)
    starts = [i for i in range(1, len(form)) if form[i].section != form[i - 1].section]
    assert all(form[i].index == 0 for i in starts)
    assert [bar.section for bar in plan_form(5)] == ["a"] * 5


# --- every mood, measured ----------------------------------------------------------------


def test_every_mood_has_exact_length(tracks: dict[str, np.ndarray]):
    for mood, x in tracks.items():
        assert x.shape == (2, round(SECONDS * RATE)), mood


def test_every_mood_is_mastered_to_minus_16_lufs_without_clipping(tracks: dict[str, np.ndarray]):
    for mood, x in tracks.items():
        assert _lufs_time_domain(x) == pytest.approx(-16.0, abs=1.5), mood
        assert np.abs(x).max() < 0.95, mood


def test_no_two_second_window_is_silent(tracks: dict[str, np.ndarray]):
    half = RATE // 2
    for mood, x in tracks.items():
        n = x.shape[1] // half * half
        power = (x[:, :n].reshape(2, -1, half) ** 2).mean(axis=(0, 2))
        window = np.convolve(power, np.ones(4) / 4, mode="valid")
        assert 10 * np.log10(window.min()) > -40, mood


def test_channels_differ_where_parts_are_panned(tracks: dict[str, np.ndarray]):
    for mood, x in tracks.items():
        mid, side = (x[0] + x[1]) / 2, (x[0] - x[1]) / 2
        assert np.mean(side**2) > 0.01 * np.mean(mid**2), mood
        assert np.corrcoef(x)[0, 1] < 0.98, mood


@pytest.mark.parametrize("mood", DRUM_MOODS)
def test_drums_play_at_the_declared_tempo(rises: dict[str, np.ndarray], mood: str):
    ac = _autocorrelation(rises[mood])
    fps = RATE / HOP
    beat = fps * 60 / mood_info(mood).bpm
    at_beat = ac[int(round(beat)) - 1 : int(round(beat)) + 2].max()
    off_tempo = max(ac[int(0.92 * beat)], ac[int(math.ceil(1.08 * beat))])
    assert at_beat > 0.3 and at_beat > 3 * max(off_tempo, 0.0), (at_beat, off_tempo)
    found = _comb_tempo(ac, fps)
    while found < mood_info(mood).bpm / math.sqrt(2):
        found *= 2
    while found >= mood_info(mood).bpm * math.sqrt(2):
        found /= 2
    assert found == pytest.approx(mood_info(mood).bpm, rel=0.03)


def _offbeat_position(rise: np.ndarray, bpm: int) -> float:
    """Where in the beat (0-1) the strongest offbeat onsets fall, measured from the downbeat's."""
    times = (np.arange(len(rise)) + 1) * HOP / RATE + WIN / 2 / RATE
    hist, _ = np.histogram((times * bpm / 60) % 1.0, bins=100, range=(0, 1), weights=rise)
    down = int(np.argmax(np.roll(hist, 10)[:20])) - 10
    off = 40 + int(np.argmax(hist[40:80]))
    return (off - down) / 100


def test_lofi_swings_its_offbeats_and_upbeat_plays_straight(rises: dict[str, np.ndarray]):
    lofi = _offbeat_position(rises["lofi"], mood_info("lofi").bpm)
    upbeat = _offbeat_position(rises["upbeat"], mood_info("upbeat").bpm)
    assert upbeat == pytest.approx(0.5, abs=0.03)
    assert lofi == pytest.approx(0.62, abs=0.03)


def test_lofi_has_vinyl_crackle_under_its_intro(tracks: dict[str, np.ndarray]):
    """Keys alone (low-passed) in the intro: what is left above 3 kHz is clicks and hiss."""
    sos = signal.butter(4, 3000, "highpass", fs=RATE, output="sos")
    treble = signal.sosfilt(sos, tracks["lofi"][0, : 5 * RATE])
    kurtosis = np.mean(treble**4) / np.mean(treble**2) ** 2 - 3
    assert kurtosis > 30
    assert 10 * np.log10(np.mean(treble**2)) > -75


def test_calm_has_far_fewer_onsets_than_any_drum_mood(rises: dict[str, np.ndarray]):
    onset_rate = {mood: float((rise > 20).mean()) for mood, rise in rises.items()}
    for mood in DRUM_MOODS:
        assert onset_rate["calm"] < 0.25 * onset_rate[mood], onset_rate


def test_moods_differ_in_brightness_and_weight(tracks: dict[str, np.ndarray]):
    treble = {mood: _band_share(x, 4000, 20000) for mood, x in tracks.items()}
    assert max(treble, key=treble.__getitem__) == "upbeat", treble
    assert treble["lofi"] < 0.5 * treble["upbeat"], treble
    sub = {mood: _band_share(x, 20, 100) for mood, x in tracks.items()}
    assert sub["epic"] > 1.5 * sub["calm"], sub


def test_sections_change_what_plays(tracks: dict[str, np.ndarray]):
    """Not one loop repeated: some bars differ from others by more than 6 dB in some band."""
    for mood, x in tracks.items():
        bar = round(RATE * 240 / mood_info(mood).bpm)
        bars = x.mean(axis=0)[: x.shape[1] // bar * bar].reshape(-1, bar)
        power = np.abs(np.fft.rfft(bars, axis=1)) ** 2
        freqs = np.fft.rfftfreq(bar, 1 / RATE)
        db = _bands_db(power, freqs, (20, 150, 600, 2500, 8000, 20000))
        assert (db.max(axis=0) - db.min(axis=0)).max() > 6, mood


# --- determinism and the cache -----------------------------------------------------------


def test_same_seed_same_samples_other_seed_other_music():
    a = synthesize("happy", 6.0, seed=3)
    assert np.array_equal(a, synthesize("happy", 6.0, seed=3))
    b = synthesize("happy", 6.0, seed=4)
    assert a.shape == b.shape == (2, 6 * RATE)
    assert np.mean((a - b) ** 2) > 0.1 * np.mean(a**2)


def test_cache_hit_returns_the_file_without_regenerating(tmp_path, monkeypatch):
    first = music_track("lofi", 3.0, seed=1, cache_dir=tmp_path)
    assert first.parent == tmp_path and f"v{GENERATOR_VERSION}" in first.name
    before = first.stat().st_mtime_ns

    def boom(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("regenerated a cached track")

    monkeypatch.setattr(track_module, "synthesize", boom)
    assert music_track("Lo-Fi", 3.0, seed=1, cache_dir=tmp_path) == first
    assert first.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == [first.name]
    with pytest.raises(AssertionError):
        music_track("lofi", 3.0, seed=2, cache_dir=tmp_path)


def test_cache_dir_follows_reelcut_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REELCUT_CACHE_DIR", str(tmp_path))
    path = music_track("calm", 2.0)
    assert path.parent == tmp_path / "music"
    samples, _, _ = _read_wav(path)
    assert samples.shape == (2, 2 * RATE)
    again = music_track("calm", 2.0, cache_dir=tmp_path / "other")
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("seconds", [0.03, 0.7])
def test_tracks_shorter_than_a_bar_still_sound(seconds: float):
    x = synthesize("upbeat", seconds)
    assert x.shape == (2, round(seconds * RATE))
    assert 0.03 < np.sqrt(np.mean(x.astype(np.float64) ** 2)) and np.abs(x).max() < 0.95


@pytest.mark.parametrize("seconds", [0.0, -1.0, float("nan"), 1e9])
def test_nonsense_durations_are_refused(seconds: float, tmp_path):
    with pytest.raises(InvalidArgumentError):
        music_track("calm", seconds, cache_dir=tmp_path)


# --- music the user brings ---------------------------------------------------------------


def _ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def test_check_music_file_reads_wav_from_sox(tmp_path):
    path = tmp_path / "tone.wav"
    subprocess.run(
        ["sox", "-n", "-r", "44100", "-c", "2", str(path), "synth", "2.5", "sine", "440"],
        check=True,
    )
    assert check_music_file(path) == pytest.approx(2.5, abs=0.01)


@pytest.mark.parametrize(("suffix", "codec"), [("m4a", "aac"), ("mp3", "libmp3lame")])
def test_check_music_file_reads_compressed_audio(tmp_path, suffix: str, codec: str):
    path = tmp_path / f"tone.{suffix}"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=3", "-c:a", codec, str(path))
    assert check_music_file(path) == pytest.approx(3.0, abs=0.1)


def test_check_music_file_refuses_text(tmp_path):
    path = tmp_path / "notes.mp3"
    path.write_text("this is a shopping list, not a song\n" * 20)
    with pytest.raises(UnsupportedMediaError) as err:
        check_music_file(path)
    assert err.value.code == 4001


def test_check_music_file_refuses_video_without_sound(tmp_path):
    path = tmp_path / "silent.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64:rate=10:duration=1", str(path))
    with pytest.raises(UnsupportedMediaError, match="no audio stream"):
        check_music_file(path)


def test_check_music_file_missing_and_empty(tmp_path):
    with pytest.raises(InputNotFoundError):
        check_music_file(tmp_path / "nope.mp3")
    (tmp_path / "zero.mp3").write_bytes(b"")
    with pytest.raises(EmptyMediaError):
        check_music_file(tmp_path / "zero.mp3")
    header_only = tmp_path / "header.wav"
    with wave.open(str(header_only), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"")
    with pytest.raises(EmptyMediaError):
        check_music_file(header_only)


def test_every_style_is_complete():
    """A new mood must name real voices and say what plays in every section the form uses."""
    assert set(STYLES) == set(MOODS)
    for mood, style in STYLES.items():
        assert set(style.sections) == {"intro", "a", "b", "brk", "outro"}, mood
        used = set().union(*style.sections.values())
        assert used == {part.layer for part in style.parts}, mood
        assert all(part.voice in VOICES for part in style.parts), mood
        assert all(len(part.pattern) % 16 == 0 for part in style.parts), mood
        assert all(len(rhythm) == 32 for rhythm in style.melody_rhythms), mood
