"""The real `labeldesk` command in a real terminal (tmux): mark a video segment and write an
audio transcription on copies of the sample batches, then check the JSONL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.batch_factory import read_results
from tests.conftest import SAMPLES
from tests.tmux_terminal import LABELDESK, TmuxTerminal

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg"),
]


def _copy(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLES / name, folder, ignore=shutil.ignore_patterns("results"))
    return folder


def test_mark_a_video_segment_and_transcribe_audio(tmp_path: Path, terminal: TmuxTerminal) -> None:
    video = _copy("video-en", tmp_path)
    terminal.start([str(LABELDESK), str(video), "--annotator", "anna"], tmp_path)
    terminal.wait_for("0:04.6")  # the thumbnails' times: probed and drawn
    terminal.keys("a", "S-Right", "S-Right", "f")
    terminal.wait_for("a label key labels it")
    terminal.keys("1")
    terminal.wait_for("added colour bars 0:00.0–0:02.0")
    terminal.keys("Tab", "1", "Enter")
    terminal.wait_for("saved vid-en-001")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    value = read_results(video / "results" / "anna.jsonl")[0]["value"]
    assert value == {
        "segments": [{"start_s": 0.0, "end_s": 2.0, "label": "colour bars"}],
        "labels": ["usable"],
    }

    terminal.close()
    audio = _copy("audio-nl", tmp_path)
    terminal.start([str(LABELDESK), str(audio), "--annotator", "anna"], tmp_path)
    terminal.wait_for("typing")  # a transcription batch opens in the transcript
    terminal.wait_for("▁")  # the waveform is drawn
    terminal.type_text("Goedemorgen, hoe gaat het met u?")
    terminal.keys("Escape", "N")
    terminal.wait_for("■ noise")
    terminal.keys("Enter")
    terminal.wait_for("saved aud-nl-001")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    value = read_results(audio / "results" / "anna.jsonl")[0]["value"]
    assert value == {
        "transcript": "Goedemorgen, hoe gaat het met u?",
        "quality": ["noise"],
        "segments": [],
    }
