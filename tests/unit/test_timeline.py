"""The draft model, its ops, JSON forms, summary and project history (no media needed)."""

from __future__ import annotations

import json

import pytest

from reelcut.editor.store import Project
from reelcut.errors import EditError, ProjectError
from reelcut.timeline import (
    Draft,
    Source,
    TextSegment,
    Track,
    TrackType,
    VideoSegment,
    draft_from_compact,
    draft_from_json,
    draft_to_compact,
    draft_to_json,
    tracks,
)
from reelcut.timeline.model import AudioSegment
from reelcut.timeline.opjson import op_from_json, op_to_json
from reelcut.timeline.ops import (
    AddCard,
    AddText,
    Batch,
    EditText,
    InsertClip,
    MoveClip,
    RemoveClip,
    SetCaptions,
    SetFormat,
    SetMusic,
    TrimClip,
)
from reelcut.timeline.summary import MusicLine, TextLine, VideoLine


def six_clip_draft() -> Draft:
    src = Source("s0", "video", "/footage/game.mp4", 600_000, 1920, 1080, True, "game.mp4", "25")
    music = Source("m", "music", "lofi", 0, title="Lo-fi")
    clips = tuple(
        VideoSegment("s0", k * 60_000, k * 60_000 + 10_000, score=1 - k / 10, peak_ms=k * 60_000 + 6000)
        for k in range(6)
    )
    return Draft(sources=(src, music), tracks=(Track(TrackType.VIDEO, "Video", clips),), target_ms=60_000)


def test_clip_nine_of_six_is_refused_and_the_draft_is_unchanged():
    d = six_clip_draft()
    before = draft_to_json(d)
    with pytest.raises(EditError, match="no clip 9: the reel has 6 clips"):
        RemoveClip(9).apply(d)
    assert draft_to_json(d) == before


@pytest.mark.parametrize(
    "op, message",
    [
        (TrimClip(1, head_ms=-10_000), "before the recording begins"),
        (AddText(TextSegment("Hi", -500, 1000)), "cannot be negative"),
        (AddText(TextSegment("Hi", 0, 1000, font="Comic Sans")), "unknown font"),
        (AddText(TextSegment("Hi", 0, 1000, colour="not a colour!")), "colour"),
        (AddText(TextSegment("Late", 70_000, 1000)), "after the reel ends"),
        (SetFormat(aspect="3:7"), "aspect"),
        (MoveClip(1, 7), "no clip 7"),
        (EditText(1, text="x"), "no text"),
    ],
)
def test_invalid_edits_say_why(op, message):
    with pytest.raises(EditError, match=message):
        op.apply(six_clip_draft())


def test_remove_move_trim_insert_change_clips_and_length():
    d = six_clip_draft()
    assert d.duration_ms == 60_000
    d2 = RemoveClip(2).apply(d)
    assert len(d2.clips) == 5 and d2.duration_ms == 50_000
    assert d2.clips[1].source_in_ms == 120_000
    d3 = MoveClip(5, 1).apply(d2)
    assert d3.clips[0].source_in_ms == 300_000
    d4 = TrimClip(1, head_ms=2000, tail_ms=-1000).apply(d3)
    assert (d4.clips[0].source_in_ms, d4.clips[0].source_out_ms) == (302_000, 311_000)
    replay = VideoSegment("s0", 304_000, 306_000, speed=0.5, role="replay")
    d5 = InsertClip(2, replay).apply(d4)
    assert d5.clips[1].duration_ms == 4000 and d5.duration_ms == d4.duration_ms + 4000


def test_captions_follow_their_clip_and_titles_stay_put():
    d = six_clip_draft()
    caps = tuple(TextSegment(f"line {k}", k * 10_000 + 1000, 2000, role="caption") for k in range(6))
    d = SetCaptions(caps).apply(d)
    d = AddText(TextSegment("Derby Day", 0, 3000)).apply(d)
    d = RemoveClip(2).apply(d)
    texts = {t.text: t for t in d.texts}
    assert "line 1" not in texts  # its clip is gone
    assert texts["line 2"].start_ms == 11_000  # moved up by one clip
    assert texts["Derby Day"].start_ms == 0
    d = MoveClip(1, 5).apply(d)
    assert {t.text: t for t in d.texts}["line 0"].start_ms == 41_000


def test_intro_card_pushes_the_reel_and_carries_its_words():
    d = AddCard("intro", "Urban Dreams", 2000).apply(six_clip_draft())
    assert d.clips[0].role == "card" and d.duration_ms == 62_000
    card = [t for t in d.texts if t.role == "card"][0]
    assert (card.start_ms, card.duration_ms, card.text) == (0, 2000, "Urban Dreams")


def test_json_and_compact_forms_round_trip():
    d = six_clip_draft()
    d = Batch(
        (
            AddText(TextSegment("城市之梦", 0, 3000)),
            SetMusic(AudioSegment("m", volume=35)),
            SetFormat("9:16", 720, "blur"),
            AddCard("outro", "Thanks", 1500),
        )
    ).apply(d)
    full = json.loads(json.dumps(draft_to_json(d)))
    assert full["schema"] == "reelcut.draft/1"
    assert draft_from_json(full) == d
    compact = json.loads(json.dumps(draft_to_compact(d), ensure_ascii=False))
    assert set(compact) == {"d", "t", "m"} and compact["d"] == d.duration_ms
    assert [t["tt"] for t in compact["t"]] == [0, 7, 1]
    first = compact["t"][0]["sg"][1]
    assert first["st"] == 10_000 and first["d"] == 10_000 and first["m"]["source_in_ms"] == 60_000
    assert draft_from_compact(compact) == d


def test_a_client_draft_that_makes_no_sense_is_refused():
    compact = draft_to_compact(six_clip_draft())
    compact["t"][0]["sg"][0]["m"]["source_out_ms"] = 900_000  # past the end of the footage
    compact["t"][0]["sg"][0]["d"] = 900_000
    with pytest.raises(EditError, match="past the end"):
        draft_from_compact(compact)
    with pytest.raises(EditError, match="track type"):
        draft_from_compact({"t": [{"tt": 5, "sg": []}]})


def test_summary_reads_like_the_hosted_editors():
    d = Batch(
        (
            SetMusic(AudioSegment("m", volume=35)),
            AddText(TextSegment("Urban Dreams", 0, 3000)),
        )
    ).apply(six_clip_draft())
    assert tracks(d) == [
        VideoLine(clips=6, end_ms=60_000, aspect=None),
        MusicLine("Lo-fi", 0, 60_000, 35),
        TextLine("title", "Urban Dreams", 0, 3000),
    ]


def test_setting_the_title_again_replaces_it():
    """Two titles drew over each other ("We周末nd"); a reel has one title."""
    d = six_clip_draft()
    for words in ("Weekend", "周末"):
        d = AddText(TextSegment(words, 0, 3000, role="title")).apply(d)
    d = AddText(TextSegment("free text", 0, 3000, role="text")).apply(d)
    assert [(t.role, t.text) for t in d.texts] == [("title", "周末"), ("text", "free text")]


def test_ops_as_json_round_trip_and_reject_bad_types():
    op = Batch((RemoveClip(2), AddText(TextSegment("Hi", 0, 3000)), SetFormat("9:16")))
    assert op_from_json(json.loads(json.dumps(op_to_json(op)))) == op
    with pytest.raises(EditError, match="index must be int"):
        op_from_json({"op": "remove_clip", "index": "2"})
    with pytest.raises(EditError, match="unknown operation"):
        op_from_json({"op": "explode"})


def test_undo_redo_and_history_survive_a_restart(tmp_path):
    path = tmp_path / "reel.reelcut.json"
    p = Project.create(path, six_clip_draft(), "made")
    p.apply(RemoveClip(1))
    p.apply(SetFormat("9:16"))
    p.undo()
    again = Project.load(path)
    assert len(again.draft.clips) == 5 and again.draft.aspect == "source"
    again.redo()
    assert Project.load(path).draft.aspect == "9:16"
    again.undo()
    again.undo()
    with pytest.raises(EditError, match="nothing to undo"):
        again.undo()
    again.apply(SetFormat("1:1"))  # a new edit drops what was undone
    final = Project.load(path)
    assert [v.number for v in final.versions] == [1, 4]
    with pytest.raises(EditError, match="nothing to redo"):
        final.redo()
    assert [f.name for f in tmp_path.iterdir()] == ["reel.reelcut.json"]  # no temp files left


def test_a_damaged_project_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.reelcut.json"
    path.write_text('{"schema": "reelcut.editor/1", "versions": [], "head": 0}')
    with pytest.raises(ProjectError, match="damaged"):
        Project.load(path)
    path.write_text("{not json")
    with pytest.raises(ProjectError, match="not a readable"):
        Project.load(path)


def test_a_caption_ending_on_a_cut_does_not_follow_the_next_clip():
    d = SetCaptions((TextSegment("hello", 9000, 1000, role="caption"),)).apply(six_clip_draft())
    d = MoveClip(2, 6).apply(d)
    (cap,) = d.texts
    assert (cap.start_ms, cap.duration_ms) == (9000, 1000)


def test_card_words_go_with_their_card():
    d = AddCard("intro", "Hello", 2000).apply(six_clip_draft())
    d = RemoveClip(1).apply(d)
    assert d.texts == ()


def test_a_compact_clip_whose_d_disagrees_with_its_in_out_is_refused():
    compact = draft_to_compact(six_clip_draft())
    compact["t"][0]["sg"][1]["d"] = 4000
    with pytest.raises(EditError, match="d is 4000 ms but"):
        draft_from_compact(compact)
    compact["t"][0]["sg"][1]["m"]["source_out_ms"] = 64_000  # both changed together: a trim
    assert draft_from_compact(compact).clips[1].duration_ms == 4000


def test_add_text_takes_the_natural_form():
    """{"op":"add_text","text":"hi"} failed with "unknown field 'text' (fields: segment)"."""
    op = op_from_json({"op": "add_text", "text": "hi"})
    assert op == AddText(TextSegment("hi", 0, 3000, role="text"))
    op = op_from_json({"op": "add_text", "text": "hi", "start_ms": 1000, "position": "top"})
    assert op == AddText(TextSegment("hi", 1000, 3000, role="text", position="top"))
    with pytest.raises(EditError, match="unknown field"):
        op_from_json({"op": "add_text", "text": "hi", "colour_of_sky": "blue"})
