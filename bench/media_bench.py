"""Media engine timings on long files: python bench/media_bench.py [--minutes 10] [--keep DIR]

Generates a 720p video (testsrc2 + a tone, cheap encode) and an audio file of the given
length, then prints the time from request to thumbnails ready and to waveform ready, with a
cold cache and cached, for both thumbnail methods. Each cold run uses a fresh cache dir.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate(folder: Path, minutes: float) -> tuple[Path, Path]:
    seconds = str(int(minutes * 60))
    video, audio = folder / "long.mp4", folder / "long.m4a"
    base = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
    if not video.exists():
        subprocess.run(
            [
                *base,
                "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={seconds}",
                "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-g", "250",
                "-c:a", "aac", "-b:a", "64k", str(video),
            ],
            check=True,
        )  # fmt: skip
    if not audio.exists():
        subprocess.run(
            [
                *base,
                "-f", "lavfi", "-i", f"sine=frequency=220:beep_factor=4:duration={seconds}",
                "-c:a", "aac", "-b:a", "96k", str(audio),
            ],
            check=True,
        )  # fmt: skip
    return video, audio


def timed(label: str, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    print(f"  {label:<52} {took * 1000:9.1f} ms")
    return took


def fresh_cache(root: Path, name: str) -> None:
    os.environ["LABELDESK_CACHE_DIR"] = str(root / f"cache-{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--count", type=int, default=6, help="thumbnails per video")
    parser.add_argument("--keep", type=Path, help="generate into / reuse media in this folder")
    args = parser.parse_args()

    from tui.core.media.halfblock import row_lines
    from tui.core.media.probe import probe
    from tui.core.media.thumbnails import thumbnail_pngs, thumbnails
    from tui.core.media.tools import ffmpeg_available
    from tui.core.media.waveform import render_waveform, waveform

    if not ffmpeg_available():
        sys.exit("ffmpeg/ffprobe not found on PATH")
    with tempfile.TemporaryDirectory(prefix="labeldesk-bench-") as tmp:
        root = Path(tmp)
        folder = args.keep or root
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        video, audio = generate(folder, args.minutes)
        print(f"media ready in {time.perf_counter() - t0:.1f} s: {args.minutes:g} min each")
        print(f"  {video.name}: {video.stat().st_size / 1e6:.1f} MB, {audio.name}: "
              f"{audio.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        n = args.count

        print(f"thumbnails ({n} frames, 160 px) — request to ready:")
        fresh_cache(root, "probe")
        timed("probe, cold", lambda: probe(video))
        timed("probe, cached", lambda: probe(video))
        fresh_cache(root, "seek2")
        timed("cold, seek per frame, 2 workers (default)", lambda: thumbnails(video, n))
        timed("cached", lambda: thumbnails(video, n))
        fresh_cache(root, "seek1")
        timed("cold, seek per frame, 1 worker", lambda: thumbnail_pngs(video, n, workers=1))
        fresh_cache(root, "select")
        timed(
            "cold, one ffmpeg with select filter",
            lambda: thumbnail_pngs(video, n, method="select", timeout_s=600),
        )

        print("waveform (1024 buckets, 4 kHz mono) — request to ready:")
        fresh_cache(root, "wave")
        timed("audio file, cold", lambda: waveform(audio))
        timed("audio file, cached", lambda: waveform(audio))
        timed("video's sound track, cold", lambda: waveform(video))
        timed("video's sound track, cached", lambda: waveform(video))

        print("terminal rendering (80 columns):")
        thumbs = thumbnails(video, n)
        wave = waveform(audio)
        timed(f"half-block row of {n} thumbnails, 8 rows", lambda: row_lines(thumbs, 80, 8))
        timed("waveform 80×4 with cursor", lambda: render_waveform(wave, 80, 4, cursor_s=61))


if __name__ == "__main__":
    main()
