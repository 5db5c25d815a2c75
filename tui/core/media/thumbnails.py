"""Small stills: N evenly spaced video frames, or a downscaled image — PNG bytes, cached.

Frames are taken at the middle of N equal slices of the video (never frame 0, which is often
black, nor the very end, where seeking can find nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tui.core.media import cache
from tui.core.media.errors import MediaError
from tui.core.media.probe import MediaInfo, format_time, probe
from tui.core.media.tools import cancelled_by, current_cancel_event, require_tool, run_tool

if TYPE_CHECKING:
    from PIL.Image import Image

Method = Literal["seek", "select"]
_PNG_END = b"IEND\xaeB`\x82"


def frame_times(duration_s: float, count: int) -> list[float]:
    return [duration_s * (i + 0.5) / count for i in range(count)]


def thumbnail_pngs(
    path: Path,
    count: int = 6,
    width: int = 160,
    method: Method = "seek",
    workers: int = 2,
    timeout_s: float = 20.0,
) -> list[bytes]:
    """`count` frames of the video at `path`, `width` px wide, as PNG bytes. Cached.

    method "seek" runs one ffmpeg per frame with -ss before -i (fast on long videos: it
    decodes from the nearest keyframe only), `workers` at a time; "select" decodes the whole
    video once in one ffmpeg (only sensible for short clips). `timeout_s` is per ffmpeg call
    for "seek" and is scaled with the duration for "select"."""
    if count < 1 or width < 8:
        raise ValueError("count must be >= 1 and width >= 8")
    key = cache.cache_key(path, "thumbs", {"count": count, "width": width})
    cached = cache.read(key)
    if cached is not None:
        pngs = split_pngs(cached)
        if len(pngs) == count:
            return pngs
    info = probe(path, expected="video")
    if info.duration_s is None:
        raise MediaError(path, "has no duration, expected a video")
    fps = info.fps or 25.0
    # Whole frame numbers, so both methods pick the very same frames; a seek lands half a
    # frame early because ffmpeg keeps the first frame at or after the seek time.
    frames = [int(t * fps) for t in frame_times(info.duration_s, count)]
    exe = require_tool("ffmpeg", path)
    if method == "select":
        pngs = _select_frames(exe, path, info, frames, width, timeout_s)
    else:
        seeks = [max(0.0, (n - 0.5) / fps) for n in frames]
        cancel = current_cancel_event()

        def frame(t: float) -> bytes:
            # The pool's threads stop with the caller's cancellation, too.
            with cancelled_by(cancel):
                return _seek_frame(exe, path, t, width, timeout_s)

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            pngs = list(pool.map(frame, seeks))
    cache.write(key, b"".join(pngs))
    return pngs


def thumbnails(
    path: Path, count: int = 6, width: int = 160, method: Method = "seek"
) -> list[Image]:
    """As thumbnail_pngs, decoded to PIL images."""
    return [decode_png(png, path) for png in thumbnail_pngs(path, count, width, method)]


def still(path: Path, info: MediaInfo, width: int = 320) -> Image:
    """One picture standing for the item: the image itself, or the video's middle frame."""
    if info.kind == "image":
        return image_thumbnail(path, width)
    if info.kind == "video":
        return thumbnails(path, count=1, width=width)[0]
    raise MediaError(path, "is audio only; it has no picture (use the waveform)")


def image_thumbnail(path: Path, width: int = 320) -> Image:
    """The image at `path` scaled down to at most `width` px wide (never up). Cached."""
    from PIL import Image as PILImage

    key = cache.cache_key(path, "imgthumb", {"width": width})
    cached = cache.read(key)
    if cached is not None:
        try:
            return decode_png(cached, path)
        except MediaError:
            pass  # a damaged entry is recomputed below
    try:
        with PILImage.open(path) as img:
            img.draft("RGB", (width, width * 4))  # JPEG decodes at reduced scale: much faster
            img.load()
            rgb = _flatten(img)
    except FileNotFoundError:
        raise MediaError(path, "file not found") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(path, f"cannot be read as an image ({exc})") from None
    if rgb.width > width:
        rgb.thumbnail((width, max(1, rgb.height * width // rgb.width)))
    cache.write(key, encode_png(rgb))
    return rgb


def _flatten(img: Image) -> Image:
    # Transparent pixels are shown over black, like the terminal background they end up on.
    from PIL import Image as PILImage

    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        base = PILImage.new("RGBA", rgba.size, (0, 0, 0, 255))
        base.alpha_composite(rgba)
        return base.convert("RGB")
    return img.convert("RGB")


def _seek_frame(exe: str, path: Path, at_s: float, width: int, timeout_s: float) -> bytes:
    import ffmpeg

    argv: list[str] = (
        ffmpeg.input(str(path), ss=f"{at_s:.3f}")
        .output("pipe:", vframes=1, vf=f"scale={width}:-2", format="image2", vcodec="png")
        .global_args("-nostdin", "-loglevel", "error")
        .compile(cmd=exe)
    )
    png = run_tool(argv, path, timeout_s, f"taking the frame at {format_time(at_s)}")
    if not png.endswith(_PNG_END):
        raise MediaError(
            path, f"has no readable frame at {format_time(at_s)} (truncated or damaged video?)"
        )
    return png


def _select_frames(
    exe: str, path: Path, info: MediaInfo, frames: Sequence[int], width: int, timeout_s: float
) -> list[bytes]:
    import ffmpeg

    wanted = sorted(set(frames))
    expr = "+".join(f"eq(n,{n})" for n in wanted)
    argv: list[str] = (
        ffmpeg.input(str(path))
        .filter("select", expr)
        .filter("scale", width, -2)
        .output("pipe:", format="image2pipe", vcodec="png", vsync="vfr")
        .global_args("-nostdin", "-loglevel", "error")
        .compile(cmd=exe)
    )
    budget = timeout_s + (info.duration_s or 0.0) / 4
    pngs = split_pngs(run_tool(argv, path, budget, "taking frames"))
    if len(pngs) != len(wanted):
        raise MediaError(
            path, f"gave {len(pngs)} of {len(wanted)} frames (truncated or damaged video?)"
        )
    by_frame = dict(zip(wanted, pngs, strict=True))
    return [by_frame[n] for n in frames]


def split_pngs(stream: bytes) -> list[bytes]:
    """Cut concatenated PNG files apart at their IEND chunks."""
    out: list[bytes] = []
    start = 0
    while True:
        end = stream.find(_PNG_END, start)
        if end < 0:
            return out
        end += len(_PNG_END)
        out.append(stream[start:end])
        start = end


def decode_png(png: bytes, source: Path) -> Image:
    import io

    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(png)) as img:
            img.load()
            return img.convert("RGB")
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(source, f"a thumbnail could not be decoded ({exc})") from None


def encode_png(img: Image) -> bytes:
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()
