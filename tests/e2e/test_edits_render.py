"""Every kind of edit rendered on generated media and checked from the output file.

Each test builds a small draft over a clip made with FFmpeg's lavfi sources, applies the typed
edits (``reelcut.timeline.ops``) and renders it with :func:`reelcut.render.render_draft`; the
assertions read the MP4 that comes out: its size and length, the pixels of decoded frames and
the spectrum of its sound. Nothing is mocked.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelcut.editor.assets import render_draft
from reelcut.editor.build import source_from_info
from reelcut.editor.edits import music_op, slow_motion_replay
from reelcut.errors import EditError
from reelcut.media.probe import probe
from reelcut.render import RenderSettings
from reelcut.timeline.model import (
    Draft,
    OverlaySegment,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
)
from reelcut.timeline.ops import (
    AddCard,
    AddOverlay,
    AddText,
    EditMusic,
    EditText,
    MoveClip,
    RemoveClip,
    SetFormat,
    SetOriginalVolume,
    SetTransition,
    TrimClip,
)
from tests.conftest import ffmpeg
from tests.mediacheck import audio_samples, facts

FPS = 25
RATE = 48000
SETTINGS = RenderSettings(preset="ultrafast")
X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25")


# -- making media ------------------------------------------------------------------------------


def encode(path: Path, video: str, audio: str | None = None) -> Path:
    """Encode a lavfi video graph (and an optional lavfi audio graph) to an MP4."""
    args = ["-f", "lavfi", "-i", video]
    if audio:
        args += ["-f", "lavfi", "-i", audio]
    args += [*X264]
    if audio:
        args += ["-c:a", "aac", "-b:a", "192k", "-shortest"]
    ffmpeg(*args, str(path))
    return path


def quiet_tone(seconds: float, freq: int = 440, amp: float = 0.05) -> str:
    return f"aevalsrc={amp}*sin(2*PI*{freq}*t):s={RATE}:d={seconds}"


def clock_video(seconds: float) -> str:
    """Black 640x360 with a white 16 px bar whose left edge is at x = 90 px per source second."""
    return (
        f"color=c=black:s=640x360:r={FPS}:d={seconds}[bg];"
        f"color=c=white:s=16x360:r={FPS}:d={seconds}[bar];"
        "[bg][bar]overlay=x='t*90':y=0:shortest=1"
    )


def source_time(rgb: np.ndarray) -> float:
    """The source second a frame of :func:`clock_video` shows (from the bar's position)."""
    grey = rgb.mean(axis=2)
    cols = np.nonzero(grey.mean(axis=0) > 128)[0]
    assert len(cols), "no clock bar in this frame"
    width = grey.shape[1]
    centre = (cols.min() + cols.max()) / 2 * 640 / width
    return float((centre - 7.5) / 90)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("edits-media")


@pytest.fixture(scope="module")
def clock(media: Path) -> Path:
    return encode(media / "clock.mp4", clock_video(7), quiet_tone(7))


@pytest.fixture(scope="module")
def pattern(media: Path) -> Path:
    """16:9 test pattern with sound, 5 s."""
    return encode(media / "pattern.mp4", f"testsrc2=s=320x180:r={FPS}:d=5", quiet_tone(5))


def draft_of(path: Path, spans_ms: list[tuple[int, int]], **settings: object) -> Draft:
    """A draft cutting ``spans_ms`` from ``path`` at 360 lines."""
    src = source_from_info(probe(path), "s0")
    clips = tuple(VideoSegment("s0", a, b) for a, b in spans_ms)
    return Draft(
        sources=(src,), tracks=(Track(TrackType.VIDEO, "Video", clips),), height=360, **settings
    )  # type: ignore[arg-type]


def render(draft: Draft, out: Path) -> Path:
    render_draft(draft, out, SETTINGS)
    assert out.is_file()
    return out


# -- reading the output ------------------------------------------------------------------------


def decoded(path: Path, fmt: str = "rgb24") -> tuple[np.ndarray, np.ndarray]:
    """(times in s, frames (n, h, w, 3) for rgb24, (n, h, w) for gray) of every frame."""
    times, frames = [], []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            times.append(float(f.time))
            frames.append(f.to_ndarray(format=fmt))
    return np.asarray(times), np.stack(frames)


def frame_at(times: np.ndarray, frames: np.ndarray, t: float) -> np.ndarray:
    return frames[int(np.argmin(np.abs(times - t)))]


def sar(path: Path) -> Fraction | None:
    with av.open(str(path)) as c:
        return c.streams.video[0].sample_aspect_ratio


def band_db(x: np.ndarray, t0: float, t1: float, lo: float, hi: float) -> float:
    """Mean power (dB) of ``x`` between ``t0`` and ``t1`` s in the ``lo``-``hi`` Hz band."""
    seg = x[int(t0 * RATE) : int(t1 * RATE)]
    win = 4800  # 0.1 s: 10 Hz bins
    n = len(seg) // win
    blocks = seg[: n * win].reshape(n, win) * np.hanning(win)
    power = np.abs(np.fft.rfft(blocks, axis=1)) ** 2
    freqs = np.fft.rfftfreq(win, 1 / RATE)
    band = (freqs >= lo) & (freqs <= hi)
    return float(10 * np.log10(power[:, band].sum(axis=1).mean() + 1e-12))


def music_db(x: np.ndarray, t0: float, t1: float) -> float:
    """Power of everything but a 1 kHz or 440 Hz tone: 100-380 Hz plus 1.2-6 kHz."""
    p = 10 ** (band_db(x, t0, t1, 100, 380) / 10) + 10 ** (band_db(x, t0, t1, 1200, 6000) / 10)
    return float(10 * np.log10(p))


# -- 1. aspect and size ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("reframe", ["follow", "blur", "center"])
@pytest.mark.parametrize(
    ("aspect", "size"), [("9:16", (360, 640)), ("1:1", (360, 360)), ("4:5", (360, 450))]
)
def test_aspect_and_reframe_give_the_asked_size(
    tmp_path: Path, pattern: Path, aspect: str, size: tuple[int, int], reframe: str
) -> None:
    draft = SetFormat(aspect, 360, reframe).apply(draft_of(pattern, [(300, 1100), (2500, 3300)]))
    out = render(draft, tmp_path / "reel.mp4")
    f = facts(out)
    assert (f.width, f.height) == size
    assert sar(out) in (None, Fraction(1, 1))
    assert f.video_s == pytest.approx(1.6, abs=1.5 / FPS)
    assert f.audio_s == pytest.approx(1.6, abs=0.05)
    _, frames = decoded(out)
    assert len(frames) == pytest.approx(1.6 * FPS, abs=1)
    # the picture fills the frame: no black bars top or bottom (blur fills them with picture)
    for rows in (frames[:, :8], frames[:, -8:]):
        assert rows.mean() > 30, f"{aspect} {reframe}: black bars in the output"


def test_source_aspect_keeps_16_9(tmp_path: Path, pattern: Path) -> None:
    out = render(draft_of(pattern, [(0, 2000)]), tmp_path / "reel.mp4")
    f = facts(out)
    assert (f.width, f.height) == (640, 360)
    assert f.video_s == pytest.approx(2.0, abs=1.5 / FPS)


# -- 2. the subject stays in the picture -------------------------------------------------------

BOX = 40


@pytest.fixture(scope="module")
def moving_square(media: Path) -> Path:
    """6 s: a white 40 px square crosses a dark, noisy background from left to right."""
    video = (
        f"color=c=0x203040:s=640x360:r={FPS}:d=6,noise=alls=25:allf=t[bg];"
        f"color=c=white:s={BOX}x{BOX}:r={FPS}:d=6[box];"
        "[bg][box]overlay=x='10+t*95':y=160:shortest=1"
    )
    return encode(media / "square.mp4", video, quiet_tone(6))


def square_visible(frames: np.ndarray, scale: float) -> np.ndarray:
    """Per frame (grey): at least 60% of the square's pixels are in the picture."""
    bright = (frames > 200).sum(axis=(1, 2))
    return bright >= 0.6 * (BOX * scale) ** 2


@pytest.mark.slow
def test_follow_reframe_keeps_the_moving_subject_in_frame(tmp_path: Path, moving_square: Path):
    base = draft_of(moving_square, [(200, 5800)])
    scale = 640 / 360  # the 360 px tall window is drawn 640 px tall
    seen = {}
    for mode in ("follow", "center"):
        out = render(SetFormat("9:16", 360, mode).apply(base), tmp_path / f"{mode}.mp4")
        assert (facts(out).width, facts(out).height) == (360, 640)
        _, frames = decoded(out, "gray")
        seen[mode] = square_visible(frames, scale).mean()
    print(f"square visible: {seen}")
    assert seen["follow"] >= 0.9
    assert seen["center"] < 0.7  # a fixed centre crop loses it: the check can fail


# -- 3. text -----------------------------------------------------------------------------------


def changed_share(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels whose colour differs by more than 40 levels in some channel."""
    return float((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40).mean())


@pytest.mark.slow
def test_title_shows_only_in_its_span_and_chinese_titles_draw_glyphs(
    tmp_path: Path, pattern: Path
) -> None:
    base = draft_of(pattern, [(0, 4000)])

    def with_title(text: str) -> Draft:
        return AddText(TextSegment(text, 1000, 2000, size=0.15, fade_ms=200)).apply(base)

    _, plain = decoded(render(base, tmp_path / "plain.mp4"))
    times, titled = decoded(render(with_title("GOAL 1-0"), tmp_path / "title.mp4"))
    assert len(plain) == len(titled) == 100
    diff = np.array([changed_share(a, b) for a, b in zip(plain, titled, strict=True)])
    inside = (times > 1.25) & (times < 2.75)
    outside = (times < 0.95) | (times > 3.05)
    print(f"changed inside {diff[inside].min():.4f}, outside {diff[outside].max():.4f}")
    assert diff[inside].min() > 0.01
    assert diff[outside].max() < 0.002

    _, hello = decoded(render(with_title("你好世界"), tmp_path / "zh1.mp4"))
    _, bye = decoded(render(with_title("大家再见"), tmp_path / "zh2.mp4"))
    mid = int(2.0 * FPS)
    assert changed_share(plain[mid], hello[mid]) > 0.01
    # missing glyphs would draw the same empty boxes for any four characters
    assert changed_share(hello[mid], bye[mid]) > 0.005


def test_unknown_font_is_refused_before_rendering(tmp_path: Path, pattern: Path) -> None:
    base = draft_of(pattern, [(0, 2000)])
    with pytest.raises(EditError, match="unknown font"):
        AddText(TextSegment("hi", 0, 1000, font="Comic Sans")).apply(base)
    titled = AddText(TextSegment("hi", 0, 1000)).apply(base)
    with pytest.raises(EditError, match="unknown font"):
        EditText(font="Papyrus").apply(titled)
    # a font file that is not there passes the op but stops the render before FFmpeg runs
    missing = EditText(font=str(tmp_path / "nope.ttf")).apply(titled)
    out = tmp_path / "reel.mp4"
    with pytest.raises(EditError, match="not found"):
        render_draft(missing, out, SETTINGS)
    assert not out.exists()


# -- 4. music ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tone_1k(media: Path) -> Path:
    """5 s of test pattern over a steady, quiet 1 kHz tone."""
    return encode(media / "tone.mp4", f"testsrc2=s=320x180:r={FPS}:d=5", quiet_tone(5, 1000))


@pytest.mark.slow
def test_music_volume_fade_and_muting_the_original(tmp_path: Path, tone_1k: Path) -> None:
    base = draft_of(tone_1k, [(0, 5000)])
    loud = music_op("lofi", volume=100, fade_in_ms=1000, fade_out_ms=500, duck=False).apply(base)
    soft = EditMusic(volume=30).apply(loud)
    muted = SetOriginalVolume(0).apply(loud)
    x_loud = audio_samples(render(loud, tmp_path / "loud.mp4"))
    x_soft = audio_samples(render(soft, tmp_path / "soft.mp4"))
    x_muted = audio_samples(render(muted, tmp_path / "muted.mp4"))
    x_plain = audio_samples(render(base, tmp_path / "plain.mp4"))

    # 30% is 20*log10(0.3) = -10.5 dB of music; the 1 kHz tone stays where it was
    drop = music_db(x_loud, 1.5, 4.0) - music_db(x_soft, 1.5, 4.0)
    print(f"music 100% -> 30%: {drop:.1f} dB")
    assert drop == pytest.approx(10.5, abs=2.0)
    tone_loud, tone_soft = band_db(x_loud, 1, 4, 990, 1010), band_db(x_soft, 1, 4, 990, 1010)
    assert tone_loud == pytest.approx(tone_soft, abs=1.5)
    # the music is there at all: the plain render has next to nothing outside the tone
    assert music_db(x_loud, 1.5, 4.0) > music_db(x_plain, 1.5, 4.0) + 20

    # a 1 s fade in: the first 0.3 s are much quieter than seconds 2-3
    assert music_db(x_muted, 0.0, 0.3) < music_db(x_muted, 2.0, 3.0) - 6

    # muting the original removes the tone (the music alone has little at exactly 1 kHz)
    tone_muted = band_db(x_muted, 1, 4, 990, 1010)
    print(f"1 kHz: with original {tone_loud:.1f} dB, muted {tone_muted:.1f} dB")
    assert tone_muted < tone_loud - 20


@pytest.fixture(scope="module")
def bursts(media: Path) -> Path:
    """10 s: silence, then a loud 1 kHz tone, 2 s each (tone at 2-4 s and 6-8 s)."""
    audio = f"aevalsrc=0.5*sin(2*PI*1000*t)*gte(mod(t\\,4)\\,2):s={RATE}:d=10"
    return encode(media / "bursts.mp4", f"testsrc2=s=320x180:r={FPS}:d=10", audio)


@pytest.mark.slow
def test_music_ducks_under_loud_original_sound(tmp_path: Path, bursts: Path) -> None:
    base = draft_of(bursts, [(0, 10000)])
    ducked = music_op("lofi", volume=60, fade_in_ms=300, fade_out_ms=300, duck=True).apply(base)
    flat = EditMusic(duck=False).apply(ducked)
    x_duck = audio_samples(render(ducked, tmp_path / "duck.mp4"))
    x_flat = audio_samples(render(flat, tmp_path / "flat.mp4"))

    def low(x: np.ndarray, a: float, b: float) -> float:  # the bass: nowhere near 1 kHz
        return band_db(x, a, b, 60, 400)

    during = [low(x_duck, a, a + 1.4) - low(x_flat, a, a + 1.4) for a in (2.5, 6.5)]
    between = low(x_duck, 5.0, 5.9) - low(x_flat, 5.0, 5.9)
    print(f"ducked minus flat: during bursts {during}, between {between:.1f} dB")
    assert all(d < -4 for d in during)
    assert abs(between) < 2.5
    # the tone itself is not ducked
    assert band_db(x_duck, 2.5, 3.9, 990, 1010) == pytest.approx(
        band_db(x_flat, 2.5, 3.9, 990, 1010), abs=1.5
    )


# -- 5. slow-motion replay ---------------------------------------------------------------------


@pytest.mark.slow
def test_slow_motion_replay_runs_at_half_speed(tmp_path: Path, clock: Path) -> None:
    base = draft_of(clock, [(1000, 3000)])
    op = slow_motion_replay(base, index=1, speed=0.5, seconds=2.0)
    draft = op.apply(base)
    replay = draft.clips[1]
    assert (replay.role, replay.speed) == ("replay", 0.5)
    assert (replay.source_in_ms, replay.source_out_ms) == (1500, 2500)
    out = render(draft, tmp_path / "reel.mp4")
    f = facts(out)
    assert f.video_s == pytest.approx(2.0 + 2.0, abs=1.5 / FPS)
    assert f.audio_s == pytest.approx(f.video_s, abs=0.05)
    times, frames = decoded(out)
    src = np.array([source_time(fr) for fr in frames])
    first, second = times < 1.95, times > 2.05
    slope1, at1 = np.polyfit(times[first], src[first], 1)
    slope2, at2 = np.polyfit(times[second] - 2.0, src[second], 1)
    print(f"clip: {slope1:.3f}x from {at1:.2f}s; replay: {slope2:.3f}x from {at2:.2f}s")
    assert slope1 == pytest.approx(1.0, abs=0.03) and at1 == pytest.approx(1.0, abs=0.05)
    assert slope2 == pytest.approx(0.5, abs=0.03) and at2 == pytest.approx(1.5, abs=0.05)
    # each source frame is held for two reel frames
    steps = np.diff(src[second])
    assert (np.abs(steps) < 0.02).mean() == pytest.approx(0.5, abs=0.1)


def test_insert_clip_at_quarter_speed_lasts_four_times_as_long(tmp_path: Path, clock: Path):
    base = draft_of(clock, [(1000, 2000)])
    from reelcut.timeline.ops import InsertClip

    draft = InsertClip(2, VideoSegment("s0", 4000, 4500, speed=0.25, role="replay")).apply(base)
    out = render(draft, tmp_path / "reel.mp4")
    assert facts(out).video_s == pytest.approx(1.0 + 2.0, abs=1.5 / FPS)
    times, frames = decoded(out)
    end = source_time(frame_at(times, frames, 2.9))
    assert end == pytest.approx(4.0 + 1.9 * 0.25, abs=0.06)


# -- 6. transitions ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def colours(media: Path) -> Path:
    """6 s: red for 2 s, blue for 2 s, green for 2 s."""
    video = (
        f"color=c=red:s=320x180:r={FPS}:d=6,"
        "drawbox=c=blue:t=fill:enable='between(t,2,3.99)',"
        "drawbox=c=0x00ff00:t=fill:enable='gte(t,4)'"
    )
    return encode(media / "colours.mp4", video, quiet_tone(6))


@pytest.mark.slow
def test_transitions_fade_through_black_or_mix_without_changing_length(
    tmp_path: Path, colours: Path
) -> None:
    base = draft_of(colours, [(200, 1200), (2200, 3200), (4200, 5200)])  # cuts at 1 s and 2 s
    mids = (1.24, 2.24)  # half way through each 12-frame (0.48 s) transition
    rendered = {}
    for kind in ("cut", "crossfade", "fade_black"):
        out = render(SetTransition(kind, 500).apply(base), tmp_path / f"{kind}.mp4")
        f = facts(out)
        assert f.video_s == pytest.approx(3.0, abs=1.5 / FPS), kind
        assert f.audio_s == pytest.approx(3.0, abs=0.05), kind
        rendered[kind] = decoded(out)

    def rgb(kind: str, t: float) -> np.ndarray:
        return frame_at(*rendered[kind], t).reshape(-1, 3).mean(axis=0)

    # hard cuts: the last frame before a cut is all one colour, the first after all the next
    assert rgb("cut", 0.96)[0] > 200 and rgb("cut", 1.04)[2] > 200
    assert rgb("cut", 1.96)[2] > 200 and rgb("cut", 2.04)[1] > 200
    times, frames = rendered["fade_black"]
    brightness = frames.reshape(len(frames), -1, 3).mean(axis=1).max(axis=1)
    for cut, t, (a, b) in zip((1.0, 2.0), mids, ((0, 2), (2, 1)), strict=True):
        # FFmpeg's fadeblack reaches black early in the transition and fades the next clip in
        window = (times > cut) & (times < cut + 0.48)
        assert brightness[window].min() < 10, f"fade_black after {cut}s: {brightness[window]}"
        assert brightness[(times > cut - 0.5) & (times < cut)].min() > 200
        mix = rgb("crossfade", t)
        assert 70 < mix[a] < 190 and 70 < mix[b] < 190, f"crossfade at {t}s: {mix}"
    # away from the cuts every version shows the clip itself
    for kind in ("crossfade", "fade_black"):
        assert rgb(kind, 0.5)[0] > 200 and rgb(kind, 2.8)[1] > 200


# -- 7. clips: remove, move, trim; an intro card -----------------------------------------------

CLOCK_SPANS = [(500, 2000), (2500, 4500), (5000, 6000)]  # 1.5 s, 2 s, 1 s


@pytest.mark.slow
@pytest.mark.parametrize(
    ("op", "length", "starts"),
    [
        (RemoveClip(2), 2.5, [(0.0, 0.5), (1.5, 5.0)]),
        (MoveClip(3, 1), 4.5, [(0.0, 5.0), (1.0, 0.5), (2.5, 2.5)]),
        (TrimClip(2, head_ms=500, tail_ms=700), 3.3, [(0.0, 0.5), (1.5, 3.0), (2.3, 5.0)]),
    ],
    ids=["remove", "move", "trim"],
)
def test_clip_edits_render_the_expected_cut(
    tmp_path: Path, clock: Path, op: object, length: float, starts: list[tuple[float, float]]
) -> None:
    draft = op.apply(draft_of(clock, CLOCK_SPANS))  # type: ignore[attr-defined]
    assert draft.duration_ms == int(length * 1000)
    out = render(draft, tmp_path / "reel.mp4")
    f = facts(out)
    assert f.video_s == pytest.approx(length, abs=1.5 / FPS)
    assert f.audio_s == pytest.approx(length, abs=0.05)
    times, frames = decoded(out)
    for reel_s, source_s in starts:  # cuts fall on whole frames: allow one frame either way
        shown = source_time(frame_at(times, frames, reel_s + 0.2))
        assert shown == pytest.approx(source_s + 0.2, abs=0.05), (reel_s, source_s)


def test_intro_card_is_a_solid_colour_before_the_clips(tmp_path: Path, clock: Path) -> None:
    draft = AddCard("intro", duration_ms=1000, colour="#ff0000").apply(
        draft_of(clock, [(1000, 2000)])
    )
    out = render(draft, tmp_path / "reel.mp4")
    assert facts(out).video_s == pytest.approx(2.0, abs=1.5 / FPS)
    times, frames = decoded(out)
    card = frames[times < 0.95].reshape(-1, 3)
    assert card[:, 0].min() > 200 and card[:, 1:].max() < 60  # every pixel red
    assert source_time(frame_at(times, frames, 1.08)) == pytest.approx(1.08, abs=0.05)


def test_intro_card_with_words_draws_them_on_the_card(tmp_path: Path, clock: Path) -> None:
    draft = AddCard("intro", text="Final", duration_ms=1000, colour="#0000ff").apply(
        draft_of(clock, [(1000, 2000)])
    )
    times, frames = decoded(render(draft, tmp_path / "reel.mp4"))
    mid = frame_at(times, frames, 0.5)
    blue = (mid[..., 2] > 200) & (mid[..., 0] < 60)
    assert 0.8 < blue.mean() < 0.995  # a blue card, with something drawn on it


# -- 8. a picture overlay ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def grey(media: Path) -> Path:
    return encode(media / "grey.mp4", f"color=c=0x303030:s=640x360:r={FPS}:d=4", quiet_tone(4))


@pytest.mark.slow
def test_overlay_picture_appears_at_its_place_and_time_only(
    tmp_path: Path, media: Path, grey: Path
) -> None:
    bg = grey
    logo = media / "logo.png"
    ffmpeg("-f", "lavfi", "-i", "color=c=0x00ff00:s=64x64", "-frames:v", "1", str(logo))
    source = Source("logo", "image", str(logo), 0, 64, 64, title="logo.png")
    seg = OverlaySegment("logo", 1000, 1500, x=0.25, y=0.3, width=0.2, fade_ms=0)
    draft = AddOverlay(seg, source).apply(draft_of(bg, [(0, 3500)]))
    out = render(draft, tmp_path / "reel.mp4")
    times, frames = decoded(out)
    green = (frames[..., 1] > 200) & (frames[..., 0] < 80) & (frames[..., 2] < 80)
    # 20% of 640 = 128 px square, centred at (160, 108)
    where = green[:, 108 - 50 : 108 + 50, 160 - 50 : 160 + 50].mean(axis=(1, 2))
    shown = where > 0.95
    on = times[shown]
    print(f"overlay from {on.min():.2f}s to {on.max():.2f}s")
    assert on.min() == pytest.approx(1.0, abs=0.05) and on.max() == pytest.approx(2.5, abs=0.05)
    assert shown[(times > 1.05) & (times < 2.45)].all()
    # nowhere else on the frame, and nowhere at all outside its time
    assert green[:, :, 260:].sum() == 0 and green[:, 190:, :].sum() == 0
    assert green[(times < 0.95) | (times > 2.55)].sum() == 0
    size = green[int(1.6 * FPS)].sum()
    assert size == pytest.approx(128 * 128, rel=0.1)


def test_video_overlay_plays_from_its_start_when_it_appears(
    tmp_path: Path, grey: Path, clock: Path
) -> None:
    source = source_from_info(probe(clock), "pip")
    seg = OverlaySegment("pip", 1000, 1500, x=0.5, y=0.5, width=0.5, fade_ms=0)
    draft = AddOverlay(seg, source).apply(draft_of(grey, [(0, 3000)]))
    times, frames = decoded(render(draft, tmp_path / "reel.mp4"))
    box = frames[:, 100:260, 160:480].mean(axis=3)  # inside the 320x180 picture at the centre
    shown = (box > 128).any(axis=(1, 2))
    on = times[shown]
    assert on.min() == pytest.approx(1.0, abs=0.05) and on.max() == pytest.approx(2.5, abs=0.05)
    for t in (1.2, 1.8, 2.3):  # the clock inside shows (t - 1) s: the video starts with the overlay
        cols = np.nonzero(frame_at(times, frames, t)[100:260, 160:480].mean(axis=(0, 2)) > 128)[0]
        played = ((cols.min() + cols.max()) / 2 - 3.75) / 45
        assert played == pytest.approx(t - 1.0, abs=0.06), t
