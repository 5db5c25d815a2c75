"""What a media file is: kind, duration, size, codec — from Pillow (images) or ffprobe."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.core.media import cache
from tui.core.media.errors import MEDIA_KINDS, MediaError, MediaKind
from tui.core.media.tools import explain_stderr, require_tool, run_tool

IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".ppm", ".pgm", ".pbm"}
)
# Demuxers that mean "a still picture" when ffprobe is handed an image it was not told about.
_IMAGE_FORMATS = ("image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "gif", "tiff_pipe")


@dataclass(frozen=True, slots=True)
class MediaInfo:
    path: str
    kind: MediaKind
    size_bytes: int
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    codec: str | None = None  # video codec, else audio codec, else the image format
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    has_audio: bool = False

    def describe(self) -> str:
        """One line for the UI: 'video · 1280×720 · 25 fps · h264 · 10:00 · 12.3 MB'."""
        parts: list[str] = [self.kind]
        if self.width and self.height:
            parts.append(f"{self.width}×{self.height}")
        if self.fps:
            parts.append(f"{self.fps:.3g} fps")
        if self.codec:
            parts.append(self.codec)
        if self.kind == "video" and self.audio_codec:
            parts.append(f"audio {self.audio_codec}")
        if self.sample_rate:
            parts.append(f"{self.sample_rate / 1000:g} kHz ×{self.channels or 1}")
        if self.duration_s is not None:
            parts.append(format_time(self.duration_s))
        parts.append(_human_size(self.size_bytes))
        return " · ".join(parts)


def format_time(seconds: float) -> str:
    """m:ss.t below an hour, h:mm:ss above."""
    seconds = max(0.0, seconds)
    if seconds >= 3600:
        h, rem = divmod(int(seconds), 3600)
        return f"{h}:{rem // 60:02d}:{rem % 60:02d}"
    m, s = divmod(seconds, 60)
    return f"{int(m)}:{s:04.1f}"


def _human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def probe(path: Path, expected: MediaKind | None = None, timeout_s: float = 15.0) -> MediaInfo:
    """Probe `path` (absolute, e.g. from resolve_media_path). `expected` is the task field
    the path came from; a file of another kind is a MediaError saying so. Cached."""
    size = _check_file(path)
    key = cache.cache_key(path, "probe", {})
    info = _from_cache(cache.read_json(key))
    if info is None:
        if path.suffix.lower() in IMAGE_SUFFIXES or expected == "image":
            info = _probe_image(path, size)
        else:
            info = _probe_av(path, size, timeout_s)
        cache.write_json(key, dataclasses.asdict(info))
    _check_expected(info, expected, path)
    return info


def _check_file(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise MediaError(path, "file not found") from None
    except OSError as exc:
        raise MediaError(path, f"cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise MediaError(path, "is a folder, expected a media file")
    if st.st_size == 0:
        raise MediaError(path, "is empty (0 bytes), expected a media file")
    return st.st_size


def _from_cache(raw: object) -> MediaInfo | None:
    if not isinstance(raw, dict) or raw.get("kind") not in MEDIA_KINDS:
        return None
    try:
        return MediaInfo(**raw)
    except TypeError:
        return None


def _check_expected(info: MediaInfo, expected: MediaKind | None, path: Path) -> None:
    if expected is None or expected == info.kind:
        return
    if expected == "audio" and info.has_audio:
        return  # a video's sound track is fine for an audio task
    found = "a video without sound" if info.kind == "video" else f"an {info.kind} file"
    if info.kind == "audio":
        found = "audio only"
    raise MediaError(path, f"expected {_article(expected)} {expected}, but the file is {found}")


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def sniff_text(path: Path) -> str | None:
    """The start of the file if it looks like text (a typical wrong-file mistake), else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    if not head or b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the 512-byte boundary still means text.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in text) < 0.95 * len(text):
        return None
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:40]


def _not_media(path: Path, expected_what: str, reason: str) -> MediaError:
    head = sniff_text(path)
    if head is not None:
        return MediaError(path, f"is a text file (starts {head!r}), expected {expected_what}")
    if "moov" in reason and not _has_ftyp(path):
        # The MP4 demuxer reports any non-MP4 data as a missing index; say what it really is.
        reason = "not an MP4/MOV file (no 'ftyp' header); wrong extension or damaged file?"
    return MediaError(path, f"cannot be read as {expected_what}: {reason}")


def _has_ftyp(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(12)[4:8] == b"ftyp"
    except OSError:
        return False


def _probe_image(path: Path, size: int) -> MediaInfo:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt = img.format
            width, height = img.size
            img.verify()  # catches truncated or corrupt PNG chunks without decoding pixels
    except UnidentifiedImageError:
        raise _not_media(path, "an image", "Pillow does not recognise the format") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _not_media(path, "an image", f"damaged or truncated ({exc})") from None
    return MediaInfo(
        path=str(path),
        kind="image",
        size_bytes=size,
        width=width,
        height=height,
        codec=fmt.lower() if fmt else None,
    )


def _probe_av(path: Path, size: int, timeout_s: float) -> MediaInfo:
    exe = require_tool("ffprobe", path)
    argv = [exe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)]
    try:
        out = run_tool(argv, path, timeout_s, "probing")
    except MediaError as exc:
        raise _not_media(path, "a video or audio file", _short(exc.message)) from None
    try:
        data = orjson.loads(out)
    except orjson.JSONDecodeError:
        raise MediaError(path, "ffprobe returned output that is not JSON") from None
    return _info_from_ffprobe(path, size, data)


def _short(message: str) -> str:
    return message.removeprefix("probing failed: ")


def _info_from_ffprobe(path: Path, size: int, data: dict[str, Any]) -> MediaInfo:
    streams: list[dict[str, Any]] = data.get("streams") or []
    fmt: dict[str, Any] = data.get("format") or {}
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None and audio is None:
        raise MediaError(path, "contains no video or audio stream, expected a media file")
    duration = _float(fmt.get("duration")) or _float((video or audio or {}).get("duration"))
    fmt_name = str(fmt.get("format_name", ""))
    kind: MediaKind
    if video is not None:
        still = fmt_name in _IMAGE_FORMATS or fmt_name.endswith("_pipe")
        kind = "image" if still and audio is None else "video"
    else:
        kind = "audio"
    if kind == "video" and not duration:
        raise MediaError(path, "has a video stream but no readable duration (truncated?)")
    return MediaInfo(
        path=str(path),
        kind=kind,
        size_bytes=size,
        duration_s=duration if kind != "image" else None,
        width=_int(video.get("width")) if video else None,
        height=_int(video.get("height")) if video else None,
        fps=_rate(video.get("avg_frame_rate")) if video and kind == "video" else None,
        codec=(video or audio or {}).get("codec_name"),
        audio_codec=audio.get("codec_name") if audio else None,
        sample_rate=_int(audio.get("sample_rate")) if audio else None,
        channels=_int(audio.get("channels")) if audio else None,
        has_audio=audio is not None,
    )


def _float(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if f == f and f > 0 else None


def _int(value: object) -> int | None:
    if not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _rate(value: object) -> float | None:
    if not isinstance(value, str) or "/" not in value:
        return _float(value)
    num, _, den = value.partition("/")
    n, d = _float(num), _float(den)
    return n / d if n and d else None


__all__ = ["IMAGE_SUFFIXES", "MediaInfo", "explain_stderr", "format_time", "probe", "sniff_text"]
