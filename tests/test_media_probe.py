"""Media paths and probing, on files generated here by the real ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tui.core.media.errors import MediaError
from tui.core.media.paths import resolve_media_path
from tui.core.media.probe import probe
from tui.core.media.tools import FFMPEG_NOTICE, ffmpeg_available

pytestmark = pytest.mark.skipif(not ffmpeg_available(), reason="needs ffmpeg and ffprobe")


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABELDESK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("media")
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=44100",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
        str(d / "clip.mp4"),
    )  # fmt: skip
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", str(d / "tone.wav"))
    data = (d / "clip.mp4").read_bytes()
    (d / "half.mp4").write_bytes(data[: len(data) // 2])
    (d / "notes.mp4").write_text("these are my notes, not a video\n", encoding="utf-8")
    (d / "empty.png").write_bytes(b"")
    Image.new("RGB", (64, 48), (200, 30, 30)).save(d / "red.png")
    png = (d / "red.png").read_bytes()
    (d / "cut.png").write_bytes(png[: len(png) // 2])
    return d


def test_video_fields(media: Path) -> None:
    info = probe(media / "clip.mp4", expected="video")
    assert info.kind == "video"
    assert (info.width, info.height) == (320, 240)
    assert info.fps == pytest.approx(25.0)
    assert info.codec == "h264"
    assert info.has_audio and info.audio_codec == "aac"
    assert info.sample_rate == 44100 and info.channels == 1
    assert info.duration_s == pytest.approx(3.0, abs=0.1)
    assert info.size_bytes == (media / "clip.mp4").stat().st_size
    assert "320×240" in info.describe()


def test_audio_fields(media: Path) -> None:
    info = probe(media / "tone.wav", expected="audio")
    assert info.kind == "audio"
    assert info.duration_s == pytest.approx(2.0, abs=0.05)
    assert info.channels == 1 and info.width is None


def test_image_by_pillow(media: Path) -> None:
    info = probe(media / "red.png", expected="image")
    assert (info.kind, info.width, info.height, info.codec) == ("image", 64, 48, "png")


def test_video_of_a_video_task_can_feed_an_audio_task(media: Path) -> None:
    assert probe(media / "clip.mp4", expected="audio").kind == "video"


def test_wrong_kind_is_named(media: Path) -> None:
    with pytest.raises(MediaError, match="expected a video, but the file is audio only"):
        probe(media / "tone.wav", expected="video")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing.mp4", "file not found"),
        ("empty.png", r"is empty \(0 bytes\)"),
        ("half.mp4", "truncated or incomplete"),
        ("notes.mp4", "is a text file .*'these are my notes, not a video'.*expected a video"),
        ("cut.png", "cannot be read as an image: damaged or truncated"),
    ],
)
def test_bad_files_get_precise_messages(media: Path, name: str, expected: str) -> None:
    with pytest.raises(MediaError, match=expected) as caught:
        probe(media / name)
    assert caught.value.file == media / name
    problem = caught.value.problem(file="tasks.jsonl", line=7, field="video")
    assert str(problem).startswith("tasks.jsonl:7: [video] ")


def test_binary_garbage_with_mp4_name(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(MediaError, match="no 'ftyp' header"):
        probe(junk)


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "clip.mp4").mkdir()
    with pytest.raises(MediaError, match="is a folder"):
        probe(tmp_path / "clip.mp4")


def test_without_ffmpeg(media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not ffmpeg_available()
    with pytest.raises(MediaError, match="ffprobe is not installed") as caught:
        probe(media / "clip.mp4")
    assert FFMPEG_NOTICE in caught.value.message
    assert probe(media / "red.png").kind == "image"


def test_probe_is_cached(media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = probe(media / "clip.mp4")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert probe(media / "clip.mp4") == first


# -- paths ------------------------------------------------------------------------------


def test_relative_path_resolves_inside(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    assert resolve_media_path(tmp_path, "media/a.png") == (tmp_path / "media/a.png").resolve()
    assert resolve_media_path(tmp_path, "media/../b.png") == (tmp_path / "b.png").resolve()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/etc/passwd", "absolute paths are not allowed"),
        ("media/../../secret.png", "'..' leads outside the batch folder"),
        ("", "got ''"),
        (42, "got int"),
        ("a\x00b.png", "NUL"),
    ],
)
def test_refused_paths(tmp_path: Path, value: object, expected: str) -> None:
    with pytest.raises(MediaError, match=expected):
        resolve_media_path(tmp_path / "batch", value, field="image")


def test_symlink_out_is_refused(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    (batch / "media").mkdir(parents=True)
    outside = tmp_path / "private.png"
    outside.write_bytes(b"x")
    (batch / "media" / "link.png").symlink_to(outside)
    with pytest.raises(MediaError, match=r"is a symlink to .*outside the batch folder") as caught:
        resolve_media_path(batch, "media/link.png")
    assert caught.value.file == "media/link.png"


def test_symlink_inside_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(b"x")
    (tmp_path / "alias.png").symlink_to(tmp_path / "real.png")
    assert resolve_media_path(tmp_path, "alias.png") == (tmp_path / "real.png").resolve()
