"""image / video / audio task types: every key path through Pilot at 80×24 and 160×50, with
real ffmpeg on media generated here, bad media, and no ffmpeg at all."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from task_types.base import TaskTypeError
from task_types.media_common import check_media_path
from task_types.media_common.models import Segment, SegmentEditor, steps_for
from tests.batch_factory import make_batch, read_results
from tests.screen_text import screen_text, status_text
from tui.app import LabelDeskApp
from tui.core.media.tools import FFMPEG_NOTICE
from tui.launch import prepare
from tui.screens.labeling import LabelingScreen

SIZES = [(80, 24), (160, 50)]
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


def _ff(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A picture, a 4 s video (2 s colour bars, 2 s moving test pattern) and 3 s of sound
    (1 s tone, 1 s silence, 1 s tone), made once per test session."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    out = tmp_path_factory.mktemp("media")
    _ff("-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", str(out / "pic.png"))
    _ff(
        "-f", "lavfi", "-i", "smptebars=size=160x120:rate=10:duration=2",
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", str(out / "clip.mp4"),
    )  # fmt: skip
    _ff(
        "-f", "lavfi", "-i", r"aevalsrc=if(lt(mod(t\,2)\,1)\,0.5*sin(2*PI*440*t)\,0):d=3:s=16000",
        str(out / "tone.wav"),
    )  # fmt: skip
    full = (out / "clip.mp4").read_bytes()
    (out / "truncated.mp4").write_bytes(full[: len(full) // 3])
    (out / "notes.mp4").write_text("these are my notes, not a video\n", encoding="utf-8")
    (out / "empty.png").write_bytes(b"")
    return out


def _batch(
    tmp_path: Path,
    media: Path,
    kind: str,
    files: list[str],
    task: dict[str, Any],
    text: str | None = None,
) -> Path:
    folder = tmp_path / f"batch-{kind}"
    (folder / "media").mkdir(parents=True)
    tasks = []
    for n, name in enumerate(files):
        if (media / name).exists():
            shutil.copy(media / name, folder / "media" / name)
        line: dict[str, Any] = {"id": f"{kind}-{n}", kind: f"media/{name}"}
        if text:
            line["text"] = text
        tasks.append(line)
    return make_batch(folder, tasks, task_type=kind, task=task)


def _app(folder: Path) -> LabelDeskApp:
    p = prepare(folder, annotator="anna")
    return LabelDeskApp(p.session, p.keymap)


def _screen(app: LabelDeskApp) -> LabelingScreen:
    screen = app.screen
    assert isinstance(screen, LabelingScreen)
    return screen


async def _ready(pilot: Pilot[Any], app: LabelDeskApp, timeout: float = 20.0) -> float:
    """Waits until the view has painted its preview (or its error); returns the seconds
    from the item being shown to that, as measured by the view."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view = _screen(app).view
        ready = getattr(view, "preview_ready_s", None)
        if ready is not None:
            await pilot.pause()
            return float(ready)
        await pilot.pause(0.02)
    raise AssertionError("the preview never became ready:\n" + _text(app))


def _text(app: LabelDeskApp) -> str:
    return screen_text(app)  # type: ignore[arg-type]


def _close(app: LabelDeskApp) -> None:
    assert app.session is not None
    app.session.store.close()


def _status(app: LabelDeskApp) -> str:
    return status_text(app)  # type: ignore[arg-type]


def _results(folder: Path) -> list[dict[str, Any]]:
    return read_results(folder / "results" / "anna.jsonl")


# -- models (no screen) ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("/etc/passwd", "absolute"),
        ("../x.png", "outside the batch folder"),
        ("media/../../x.png", "outside the batch folder"),
        ("  ", "empty"),
        ("a\x00b", "NUL"),
    ],
)
def test_check_refuses_paths_outside_the_batch(value: str, words: str) -> None:
    with pytest.raises(TaskTypeError, match=words) as info:
        check_media_path(value, "video")
    assert info.value.field == "video"
    check_media_path("media/sub/../clip.mp4", "video")


def test_segment_editor_marks_labels_relabels_and_deletes() -> None:
    ed = SegmentEditor(duration_s=10.0)
    assert steps_for(10.0) == (0.25, 1.25)
    assert ed.apply_label("x") == ("nothing", None)
    ed.step(n_large=2)
    ed.set_in()
    ed.step(n_small=4)
    ed.set_out()
    assert ed.marked_range() == (2.5, 3.5)
    what, seg = ed.apply_label("speech")
    assert what == "added" and seg == Segment(start_s=2.5, end_s=3.5, label="speech")
    assert ed.mark_in is None and ed.mark_out is None
    ed.move_to(3.0)
    assert ed.apply_label("noise")[0] == "relabelled"
    assert ed.values() == [{"start_s": 2.5, "end_s": 3.5, "label": "noise"}]
    ed.set_out()
    ed.move_to(99)
    assert ed.cursor_s == 10.0
    ed.set_in()  # after the out mark: the out mark goes
    assert ed.mark_out is None
    assert ed.delete_at_cursor() is None
    ed.move_to(2.5)
    assert ed.delete_at_cursor() is not None and ed.segments == []
    with pytest.raises(ValueError, match="end after it starts"):
        Segment(start_s=2, end_s=2, label="x")


# -- image -----------------------------------------------------------------------------
@needs_ffmpeg
@pytest.mark.parametrize("size", SIZES)
async def test_image_single_label_preview_zoom_and_one_key_answer(
    tmp_path: Path, media: Path, size: tuple[int, int]
) -> None:
    folder = _batch(tmp_path, media, "image", ["pic.png", "pic.png"], {"labels": ["a1", "b2"]})
    app = _app(folder)
    async with app.run_test(size=size) as pilot:
        await _ready(pilot, app)
        text = _text(app)
        assert "▀" * 20 in text and "image · 320×240 · png" in text
        assert "a1" in text and "b2" in text
        await pilot.press("f")
        await pilot.pause()
        from task_types.media_common.view import ZoomScreen

        assert isinstance(app.screen, ZoomScreen)
        zoom = _text(app)
        assert zoom.count("▀") > size[0] * (size[1] - 4) // 3  # it fills the screen
        await pilot.press("z")  # any key closes, and is not a label
        await pilot.pause()
        assert isinstance(app.screen, LabelingScreen) and _screen(app).session.position == 0
        await pilot.press("2")
        await pilot.pause()
        assert app.session is not None and app.session.position == 1
    _close(app)
    assert _results(folder)[0]["value"] == {"labels": ["b2"], "description": None}


@needs_ffmpeg
@pytest.mark.parametrize("size", SIZES)
async def test_image_describe_and_multi_labels(
    tmp_path: Path, media: Path, size: tuple[int, int]
) -> None:
    folder = _batch(
        tmp_path,
        media,
        "image",
        ["pic.png", "pic.png"],
        {"labels": ["grid", "bars", "text"], "multi": True, "describe": True, "min_chars": 5},
        text="Describe it",
    )
    app = _app(folder)
    async with app.run_test(size=size) as pilot:
        await _ready(pilot, app)
        view = _screen(app).view
        assert view is not None and not view.editing
        await pilot.press("1", "3", "3", "2", "enter")
        assert "description" in _status(app)  # refused: no description yet
        await pilot.press("tab")
        assert view.editing
        for key in "grid and 1 bar":  # label keys type text while editing
            await pilot.press("space" if key == " " else key)
        await pilot.press("escape")
        assert not view.editing
        await pilot.press("delete", "1", "ctrl+t")
        assert view.editing
        await pilot.press("enter")  # Enter in the field submits the item
        await pilot.pause()
        assert app.session is not None and app.session.position == 1
        # Back to the saved answer: it is preselected and its description kept.
        await pilot.press("pageup")
        await _ready(pilot, app)
        assert "■ grid" in _text(app)
        await pilot.press("2", "enter")
        await pilot.pause()
    _close(app)
    values = [x["value"] for x in _results(folder)]
    assert values == [
        {"labels": ["grid"], "description": "grid and 1 bar"},
        {"labels": ["grid", "bars"], "description": "grid and 1 bar"},
    ]


@needs_ffmpeg
async def test_image_external_viewer_detached_suspended_or_named(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "viewer.log"
    feh = bin_dir / "feh"
    feh.write_text(f'#!/bin/sh\necho "$@" > {log}\n', encoding="utf-8")
    feh.chmod(0o755)
    folder = _batch(tmp_path, media, "image", ["pic.png"], {"labels": ["a1"]})
    app = _app(folder)
    monkeypatch.setenv("PATH", f"{bin_dir}")
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        monkeypatch.setenv("DISPLAY", ":0")
        await pilot.press("x")
        await pilot.pause()
        assert "opening pic.png in feh" in _status(app)
        for _ in range(100):
            if log.exists():
                break
            time.sleep(0.02)
        assert log.read_text().split()[-1].endswith("media/pic.png")
        monkeypatch.delenv("DISPLAY")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        await pilot.press("ctrl+o")
        await pilot.pause()
        # A short remedy in the status line; the whole message in the view, never cut.
        assert "no image viewer here: install chafa, or set [viewers] image" in _status(app)
        flat = " ".join(_text(app).replace("│", "").split())
        assert "no program to show the image media/pic.png" in flat
        (bin_dir / "chafa").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        (bin_dir / "chafa").chmod(0o755)
        await pilot.press("x")  # a terminal viewer: under App.suspend (headless: refused)
        await pilot.pause()
        assert "chafa" in _status(app)
        assert app.session is not None and app.session.position == 0
    _close(app)


# -- video -----------------------------------------------------------------------------
@needs_ffmpeg
@pytest.mark.parametrize("size", SIZES)
async def test_video_thumbnails_cursor_segments_and_item_labels(
    tmp_path: Path, media: Path, size: tuple[int, int]
) -> None:
    folder = _batch(
        tmp_path,
        media,
        "video",
        ["clip.mp4", "clip.mp4"],
        {"labels": ["bars", "pattern"], "item_labels": ["usable", "damaged"]},
    )
    app = _app(folder)
    async with app.run_test(size=size) as pilot:
        first = await _ready(pilot, app)
        text = _text(app)
        assert "video · 160×120 · 10 fps · h264" in text and "0:04.0" in text
        assert text.count("▀") > 6 * 8  # six thumbnails
        assert "0:00.3" in text and "0:03.7" in text  # their times
        view = _screen(app).view
        from task_types.video.view import VideoView

        assert isinstance(view, VideoView)
        ed = view.editor
        await pilot.press("enter")
        assert "mark a segment" in _status(app)
        await pilot.press("1")
        assert "mark in (a) and out (f) first" in _status(app)
        await pilot.press("a", "shift+right", "shift+right", "f")
        assert (ed.mark_in, ed.mark_out) == (0.0, 2.0)
        await pilot.press("enter")
        assert "an in/out mark has no segment" in _status(
            app
        )  # pending marks are not lost silently
        await pilot.press("1")
        assert ed.values() == [{"start_s": 0.0, "end_s": 2.0, "label": "bars"}]
        await pilot.press("full_stop")  # next thumbnail after 2.0 s
        assert ed.cursor_s == pytest.approx(2.333, abs=0.01)
        await pilot.press("comma", "comma")
        assert ed.cursor_s == pytest.approx(1.0, abs=0.01)
        await pilot.press("end", "a", "home", "right", "left", "escape")
        assert ed.mark_in is None and ed.cursor_s == 0.0
        await pilot.press("end", "f", "shift+left", "shift+left", "a", "2")
        assert [s["label"] for s in ed.values()] == ["bars", "pattern"]
        await pilot.press("left", "2")  # inside the first segment: relabelled
        assert ed.values()[0]["label"] == "pattern"
        await pilot.press("x")
        assert len(ed.segments) == 1
        await pilot.press("x")
        assert "no segment under the cursor" in _status(app)
        await pilot.press("home", "a", "shift+right", "shift+right", "f", "1")
        await pilot.press("tab", "1", "2", "2")  # item mode: toggles usable
        assert view.chosen == ["usable"]
        await pilot.press("escape")  # leaves item mode
        assert not view.item_mode
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.position == 1
        cached = await _ready(pilot, app)
        print(
            f"\nvideo {size}: thumbnails shown {first * 1000:.0f} ms cold, {cached * 1000:.0f} ms cached"
        )
        await pilot.press("pageup")  # back: the saved answer is shown again, as it was saved
        await _ready(pilot, app)
        back = _screen(app).view
        assert isinstance(back, VideoView) and back is not view
        assert [s["label"] for s in back.editor.values()] == ["bars", "pattern"]
        assert back.chosen == ["usable"] and not back.draft_changed
    _close(app)
    value = _results(folder)[0]["value"]
    assert value == {
        "segments": [
            {"start_s": 0.0, "end_s": 2.0, "label": "bars"},
            {"start_s": 2.0, "end_s": 4.0, "label": "pattern"},
        ],
        "labels": ["usable"],
    }


# -- audio -----------------------------------------------------------------------------
@needs_ffmpeg
@pytest.mark.parametrize("size", SIZES)
async def test_audio_waveform_play_transcript_quality_segments(
    tmp_path: Path, media: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")  # ffplay plays, silently
    folder = _batch(
        tmp_path, media, "audio", ["tone.wav", "tone.wav"], {"labels": ["tone", "silence"]}
    )
    app = _app(folder)
    async with app.run_test(size=size) as pilot:
        first = await _ready(pilot, app)
        text = _text(app)
        assert "audio · pcm_s16le · 16 kHz ×1 · 0:03.0" in text
        assert "█" * 10 in text and "noise" in text
        from task_types.audio.view import AudioView

        view = _screen(app).view
        assert isinstance(view, AudioView)
        assert view.editing  # a transcription batch opens in the transcript
        await pilot.press("enter")
        assert "type what is said first" in _status(app)
        await pilot.press("tab")
        assert "playing from 0:00.0" in _status(app)
        await pilot.pause(0.6)
        assert view.player is not None and view.player.is_playing
        assert view.editor.cursor_s > 0.2  # the cursor follows playback
        await pilot.press("ctrl+t")
        assert view.editing
        for key in ("h", "i", "space", "tab", "t", "o"):  # Tab stops playing while typing
            await pilot.press(key)
        assert not view.player.is_playing
        stopped_at = view.editor.cursor_s
        await pilot.press("escape", "N", "U", "U", "L", "O", "O")
        assert view.quality == ["noise", "other_language"]
        assert not view.editing and view.editor.cursor_s == stopped_at
        await pilot.press("home", "a", "shift+right", "f", "1", "left", "x")
        assert view.editor.segments == []
        await pilot.press("home", "a", "end", "f", "2")
        assert len(view.editor.segments) == 1
        await pilot.press("tab")  # plays again from the start (the cursor was at the end)
        assert view.player.is_playing
        await pilot.press("enter")  # moving on stops the sound
        await pilot.pause()
        assert not view.player.is_playing
        assert app.session is not None and app.session.position == 1
        cached = await _ready(pilot, app)
        print(
            f"\naudio {size}: waveform shown {first * 1000:.0f} ms cold, {cached * 1000:.0f} ms cached"
        )
        await pilot.press("ctrl+l", "pageup")  # back: the saved answer is shown again
        await _ready(pilot, app)
        back = _screen(app).view
        assert isinstance(back, AudioView) and back is not view
        assert back.field is not None and back.field.value == "hi to"
        assert back.quality == ["noise", "other_language"]
        assert [s["label"] for s in back.editor.values()] == ["silence"]
    _close(app)
    value = _results(folder)[0]["value"]
    assert value == {
        "transcript": "hi to",
        "quality": ["noise", "other_language"],
        "segments": [{"start_s": 0.0, "end_s": 3.0, "label": "silence"}],
    }


# -- bad media and no ffmpeg -----------------------------------------------------------
BAD = [
    ("video", "missing.mp4", "file not found"),
    ("video", "truncated.mp4", "truncated"),
    ("video", "notes.mp4", "is a text file (starts 'these are my notes"),
    ("image", "empty.png", "is empty (0 bytes)"),
    ("audio", "notes.mp4", "is a text file"),
]


@needs_ffmpeg
@pytest.mark.parametrize(("kind", "name", "message"), BAD)
async def test_bad_media_is_a_message_and_the_item_can_be_skipped(
    tmp_path: Path, media: Path, kind: str, name: str, message: str
) -> None:
    task = {"labels": ["a1", "b2"]}
    folder = _batch(tmp_path, media, kind, [name, name], task)
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        text = _text(app).replace("\n", " ").replace("│", "")
        assert message in " ".join(text.split()), _text(app)
        assert str(folder) not in text  # paths shown relative to the batch
        if kind == "audio":
            await pilot.press("escape")  # out of the transcript
        await pilot.press("right", "a")
        assert "no time cursor" in _status(app) or kind == "image"
        await pilot.press("space")
        await pilot.pause()
        assert app.session is not None and app.session.position == 1
        await pilot.press("exclamation_mark")
        await pilot.pause()
    _close(app)
    assert _results(folder)[0]["answer"] == "skip"


@needs_ffmpeg
async def test_a_symlink_out_of_the_batch_is_refused(tmp_path: Path, media: Path) -> None:
    folder = _batch(tmp_path, media, "image", ["pic.png"], {"labels": ["a1"]})
    (folder / "media" / "pic.png").unlink()
    (folder / "media" / "pic.png").symlink_to(media / "pic.png")
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        assert "outside the batch folder" in _text(app).replace("\n", "")
        await pilot.press("f")
        assert "no picture to zoom: see the message above" in _status(app)
    _close(app)


@needs_ffmpeg
async def test_without_ffmpeg_a_notice_and_labeling_still_works(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _batch(
        tmp_path, media, "video", ["clip.mp4"], {"labels": ["bars"], "item_labels": ["ok"]}
    )
    audio_folder = _batch(tmp_path, media, "audio", ["tone.wav"], {})
    image_folder = _batch(tmp_path, media, "image", ["pic.png"], {"labels": ["a1"]})
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("ffmpeg") is None
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        flat = " ".join(_text(app).replace("│", "").split())
        assert FFMPEG_NOTICE[:60] in flat
        await pilot.press("right")
        assert "no time cursor" in _status(app)
        await pilot.press("tab", "1", "enter")
        await pilot.pause()
    _close(app)
    assert _results(folder)[0]["value"] == {"segments": [], "labels": ["ok"]}
    app = _app(audio_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        await pilot.press("tab")
        assert "cannot play" in _status(app)
        await pilot.press("escape", "U", "enter")
        await pilot.pause()
    _close(app)
    assert _results(audio_folder)[0]["value"]["quality"] == ["unintelligible"]
    app = _app(image_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        assert "▀" * 20 in _text(app)  # images need no ffmpeg
    _close(app)
    assert os.environ["PATH"] == str(empty)


def test_a_label_key_with_an_empty_marked_range_changes_nothing() -> None:
    from task_types.media_common.models import SegmentEditor

    editor = SegmentEditor(duration_s=10)
    editor.move_to(2)
    editor.set_in()
    editor.move_to(5)
    editor.set_out()
    assert editor.apply_label("A")[0] == "added"
    editor.move_to(3)
    editor.set_in()  # the cursor is still at the mark: an empty range
    assert editor.apply_label("B") == ("empty range", None)
    assert [s.label for s in editor.segments] == ["A"]
