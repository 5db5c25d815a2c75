"""Audio waveforms: per-bucket peak and RMS of a file's sound (audio, or a video's track),
decoded by ffmpeg to mono 16-bit at a low rate, cached, and drawn as Rich text lines.

The waveform is computed once at a fixed resolution (`buckets`) and resampled to whatever
width the terminal has, so resizing never decodes again.
"""

from __future__ import annotations

import math
import operator
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.media import cache
from tui.core.media.errors import MediaError
from tui.core.media.probe import probe
from tui.core.media.tools import require_tool, run_tool

if TYPE_CHECKING:
    from rich.text import Text

_BLOCKS = " ▁▂▃▄▅▆▇█"
# At most this much gain when normalising, so near-silence stays flat instead of filling the box.
_MAX_GAIN = 20.0


@dataclass(frozen=True, slots=True)
class Waveform:
    duration_s: float
    peak: tuple[float, ...]  # 0..1 per bucket, max |sample|
    rms: tuple[float, ...]  # 0..1 per bucket, root mean square

    @property
    def columns(self) -> int:
        return len(self.peak)

    def resample(self, columns: int) -> Waveform:
        """The same waveform in `columns` buckets (peak of the maxima, RMS of the energies).
        Fewer source buckets than columns are repeated, never interpolated."""
        n = len(self.peak)
        if columns < 1:
            raise ValueError("columns must be >= 1")
        if n == 0 or columns == n:
            return self
        peaks: list[float] = []
        rmss: list[float] = []
        for c in range(columns):
            lo = c * n // columns
            hi = max(lo + 1, (c + 1) * n // columns)
            peaks.append(max(self.peak[lo:hi]))
            rmss.append(math.sqrt(sum(r * r for r in self.rms[lo:hi]) / (hi - lo)))
        return Waveform(self.duration_s, tuple(peaks), tuple(rmss))


def waveform(
    path: Path, buckets: int = 1024, rate: int = 4000, timeout_s: float | None = None
) -> Waveform:
    """The waveform of the sound in `path` in `buckets` columns. Cached. The default timeout
    grows with the duration (30 s + 1 s per 10 s of sound)."""
    if buckets < 1 or rate < 100:
        raise ValueError("buckets must be >= 1 and rate >= 100")
    key = cache.cache_key(path, "wave", {"buckets": buckets, "rate": rate})
    cached = _from_cache(cache.read_json(key))
    if cached is not None:
        return cached
    info = probe(path, expected="audio")
    if not info.has_audio:
        raise MediaError(path, "has no sound track, expected audio")
    duration = info.duration_s or 0.0
    exe = require_tool("ffmpeg", path)
    import ffmpeg

    argv: list[str] = (
        ffmpeg.input(str(path))
        .output("pipe:", format="s16le", acodec="pcm_s16le", ac=1, ar=rate, vn=None)
        .global_args("-nostdin", "-loglevel", "error")
        .compile(cmd=exe)
    )
    budget = timeout_s if timeout_s is not None else 30.0 + duration / 10
    raw = run_tool(argv, path, budget, "decoding the sound")
    samples = array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        raise MediaError(path, "decoded to no sound at all (empty or damaged audio stream)")
    result = compute(samples, buckets, duration or len(samples) / rate)
    cache.write_json(key, {"duration_s": result.duration_s, "peak": result.peak, "rms": result.rms})
    return result


def compute(samples: array[int], buckets: int, duration_s: float) -> Waveform:
    """Peak and RMS per bucket of signed 16-bit samples (pure Python: C-speed builtins only)."""
    total = len(samples)
    n = max(1, min(buckets, total))
    peaks: list[float] = []
    rmss: list[float] = []
    for i in range(n):
        chunk = samples[i * total // n : (i + 1) * total // n]
        peaks.append(max(max(chunk), -min(chunk)) / 32768.0)
        energy = sum(map(operator.mul, chunk, chunk))
        rmss.append(math.sqrt(energy / len(chunk)) / 32768.0)
    return Waveform(duration_s, tuple(peaks), tuple(rmss))


def _from_cache(raw: object) -> Waveform | None:
    if not isinstance(raw, dict):
        return None
    peak, rms, duration = raw.get("peak"), raw.get("rms"), raw.get("duration_s")
    if not (isinstance(peak, list) and isinstance(rms, list) and len(peak) == len(rms)):
        return None
    if not isinstance(duration, int | float):
        return None
    return Waveform(float(duration), tuple(map(float, peak)), tuple(map(float, rms)))


def cursor_column(position_s: float, duration_s: float, width: int) -> int:
    """The column (0..width-1) showing time `position_s`."""
    if width < 1:
        raise ValueError("width must be >= 1")
    if duration_s <= 0:
        return 0
    return min(width - 1, max(0, int(position_s / duration_s * width)))


def render_waveform(
    wave: Waveform,
    width: int,
    height: int = 4,
    cursor_s: float | None = None,
    normalize: bool = True,
    peak_style: str = "grey50",
    rms_style: str = "bright_cyan",
    cursor_style: str = "black on bright_yellow",
) -> list[Text]:
    """`height` lines of `width` cells: bars from the bottom, the loud body (RMS) bright
    over the dimmer peaks, and the column at `cursor_s` highlighted."""
    from rich.style import Style
    from rich.text import Text

    if width < 1 or height < 1:
        raise ValueError("width and height must be >= 1")
    shown = wave.resample(width)
    top = max(shown.peak, default=0.0)
    gain = min(_MAX_GAIN, 1.0 / top) if normalize and top > 0 else 1.0
    levels = height * 8
    peak_h = [min(levels, round(p * gain * levels)) for p in shown.peak]
    rms_h = [min(levels, round(r * gain * levels)) for r in shown.rms]
    cursor = cursor_column(cursor_s, wave.duration_s, len(peak_h)) if cursor_s is not None else None
    styles = {"peak": Style.parse(peak_style), "rms": Style.parse(rms_style)}
    cursor_bg = Style.parse(cursor_style)
    lines: list[Text] = []
    for row in range(height):
        floor = (height - 1 - row) * 8  # eighths below this row
        line = Text(no_wrap=True, overflow="crop")
        for col, (ph, rh) in enumerate(zip(peak_h, rms_h, strict=True)):
            fill = max(0, min(8, ph - floor))
            style = styles["rms"] if rh > floor else styles["peak"]
            if col == cursor:
                style = style + cursor_bg
            line.append(_BLOCKS[fill], style)
        lines.append(line)
    return lines
