"""Thumbnails, waveforms, the cache and half-block rendering, with real ffmpeg."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from rich.color import Color
from rich.console import Console

from tui.core.media import cache
from tui.core.media.errors import MediaError
from tui.core.media.halfblock import fit_cells, image_lines, row_lines
from tui.core.media.thumbnails import image_thumbnail, split_pngs, thumbnail_pngs, thumbnails
from tui.core.media.tools import ffmpeg_available
from tui.core.media.waveform import Waveform, cursor_column, render_waveform, waveform

pytestmark = pytest.mark.skipif(not ffmpeg_available(), reason="needs ffmpeg and ffprobe")


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("media")
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=4:size=320x240:rate=25",
        "-c:v", "libx264", "-preset", "ultrafast", str(d / "clip.mp4"),
    )  # fmt: skip
    # 2 s of a loud tone, then 2 s of silence.
    ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=16000",
        "-af", "volume=4,apad=pad_dur=2", str(d / "tone.wav"),
    )  # fmt: skip
    data = (d / "clip.mp4").read_bytes()
    (d / "half.mp4").write_bytes(data[: len(data) // 2])
    return d


def test_thumbnails_count_and_size(media: Path) -> None:
    thumbs = thumbnails(media / "clip.mp4", count=5, width=160)
    assert [t.size for t in thumbs] == [(160, 120)] * 5
    # testsrc moves over time: evenly spaced frames differ from each other.
    assert len({t.tobytes() for t in thumbs}) == 5


def test_select_method_gives_the_same_frames(media: Path, private_cache: Path) -> None:
    seek = thumbnail_pngs(media / "clip.mp4", count=3, width=96, method="seek")
    for entry in private_cache.rglob("thumbs-*"):
        entry.unlink()
    select = thumbnail_pngs(media / "clip.mp4", count=3, width=96, method="select")
    decoded = [[Image.open(io.BytesIO(p)).tobytes() for p in s] for s in (seek, select)]
    assert decoded[0] == decoded[1]


def test_cache_hit_needs_no_ffmpeg(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = thumbnail_pngs(media / "clip.mp4", count=4, width=80)
    wave = waveform(media / "tone.wav", buckets=64)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert not ffmpeg_available()
    assert thumbnail_pngs(media / "clip.mp4", count=4, width=80) == first
    assert waveform(media / "tone.wav", buckets=64) == wave
    # Other parameters are a different entry: that one needs ffmpeg again.
    with pytest.raises(MediaError, match="not installed"):
        thumbnail_pngs(media / "clip.mp4", count=3, width=80)


def test_changed_file_is_not_served_from_cache(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "tone.wav"
    copy.write_bytes((media / "tone.wav").read_bytes())
    waveform(copy, buckets=32)
    copy.write_bytes((media / "tone.wav").read_bytes() + b"\0" * 64)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(MediaError, match="not installed"):
        waveform(copy, buckets=32)


def test_damaged_cache_entry_is_recomputed(media: Path, private_cache: Path) -> None:
    wave = waveform(media / "tone.wav", buckets=16)
    for entry in private_cache.rglob("wave-*"):
        entry.write_bytes(b"{not json")
    assert waveform(media / "tone.wav", buckets=16) == wave


def test_truncated_video_thumbnails(media: Path) -> None:
    with pytest.raises(MediaError, match="truncated"):
        thumbnails(media / "half.mp4", count=3)


def test_waveform_loud_then_silent(media: Path) -> None:
    wave = waveform(media / "tone.wav", buckets=40)
    assert wave.columns == 40
    assert wave.duration_s == pytest.approx(4.0, abs=0.05)
    loud, quiet = wave.rms[1:19], wave.rms[21:]
    assert min(loud) > 0.2 and max(quiet) < 0.001
    assert min(wave.peak[1:19]) > 0.3
    assert all(p >= r for p, r in zip(wave.peak, wave.rms, strict=True))


def test_waveform_render_and_cursor(media: Path) -> None:
    wave = waveform(media / "tone.wav", buckets=200)
    lines = render_waveform(wave, width=40, height=3, cursor_s=3.0)
    assert len(lines) == 3 and all(line.cell_len == 40 for line in lines)
    bottom = lines[-1].plain
    assert bottom[:19].strip(" ") == bottom[:19] and bottom[21:].strip() == ""
    col = cursor_column(3.0, wave.duration_s, 40)
    assert col == 30
    marked = [span for span in lines[0].spans if span.start <= col < span.end]
    assert any(str(span.style).endswith("on bright_yellow") for span in marked)


def test_video_without_sound_has_no_waveform(media: Path) -> None:
    with pytest.raises(
        MediaError, match="expected an audio, but the file is a video without sound"
    ):
        waveform(media / "clip.mp4")


def test_resample_keeps_peaks() -> None:
    wave = Waveform(1.0, (0.1, 0.9, 0.2, 0.2), (0.1, 0.5, 0.1, 0.1))
    half = wave.resample(2)
    assert half.peak == (0.9, 0.2)
    assert half.rms[1] == pytest.approx(0.1)
    assert wave.resample(8).peak == (0.1, 0.1, 0.9, 0.9, 0.2, 0.2, 0.2, 0.2)


# -- half blocks --------------------------------------------------------------------------


def test_fit_keeps_aspect_in_80x24() -> None:
    assert fit_cells(1280, 720, 80, 24) == (80, 45)
    assert fit_cells(720, 1280, 80, 24) == (27, 48)
    assert fit_cells(0, 10, 80, 24) == (0, 0)


def test_halfblock_colours() -> None:
    img = Image.new("RGB", (40, 40), (255, 0, 0))
    img.paste((0, 0, 255), (0, 20, 40, 40))  # lower half blue
    lines = image_lines(img, cols=20, rows=10)
    assert len(lines) == 10 and {line.cell_len for line in lines} == {20}
    assert set(lines[0].plain) == {"▀"}
    top_style = lines[0].get_style_at_offset(Console(), 0)
    bottom_style = lines[-1].get_style_at_offset(Console(), 0)
    assert top_style.color == Color.from_rgb(255, 0, 0)
    assert top_style.bgcolor == Color.from_rgb(255, 0, 0)
    assert bottom_style.color == Color.from_rgb(0, 0, 255)


def test_row_of_thumbnails_fits(media: Path) -> None:
    thumbs = thumbnails(media / "clip.mp4", count=4, width=160)
    lines = row_lines(thumbs, cols=80, rows=6)
    assert len(lines) <= 6 and {line.cell_len for line in lines} == {80}
    with pytest.raises(ValueError, match="do not fit"):
        row_lines(thumbs, cols=5, rows=6)


def test_image_thumbnail_flattens_alpha_and_caches(tmp_path: Path) -> None:
    src = tmp_path / "big.png"
    Image.new("RGBA", (800, 400), (0, 255, 0, 0)).save(src)
    small = image_thumbnail(src, width=100)
    assert small.size == (100, 50) and small.mode == "RGB"
    assert small.getpixel((0, 0)) == (0, 0, 0)
    src.unlink()
    with pytest.raises(MediaError, match="file not found"):
        image_thumbnail(src, width=100)


def test_split_pngs_roundtrip(media: Path) -> None:
    pngs = thumbnail_pngs(media / "clip.mp4", count=3, width=64)
    assert split_pngs(b"".join(pngs)) == pngs


def test_a_cancelled_preview_stops_its_ffmpeg_run(tmp_path: Path) -> None:
    import threading
    import time

    from tui.core.media.errors import MediaError
    from tui.core.media.tools import cancelled_by, run_tool

    event = threading.Event()
    timer = threading.Timer(0.3, event.set)
    timer.start()
    started = time.monotonic()
    with cancelled_by(event), pytest.raises(MediaError, match="cancelled"):
        run_tool(["sleep", "10"], tmp_path / "x.mp4", 30, "probing")
    assert time.monotonic() - started < 5
