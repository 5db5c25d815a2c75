"""In-app media benchmark (run on demand): python bench/media_app_bench.py

Makes a 10-minute 720p video and a 10-minute audio file with ffmpeg, opens each as a batch
in the real app (headless, Pilot) and prints the time from the item being shown to its
preview (thumbnail strip / waveform) being painted, first with a cold cache, then cached.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.app import LabelDeskApp
from tui.launch import prepare


def make_batches(root: Path) -> list[tuple[Path, str]]:
    video, audio = root / "video", root / "audio"
    for folder in (video, audio):
        (folder / "media").mkdir(parents=True)
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "testsrc2=size=1280x720:rate=25:duration=600", "-f", "lavfi",
         "-i", "sine=frequency=440:duration=600", "-c:v", "libx264", "-preset", "ultrafast",
         "-crf", "35", "-c:a", "aac", "-shortest", str(video / "media" / "long.mp4")],
        check=True,
    )  # fmt: skip
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         "sine=frequency=300:duration=600", "-c:a", "libopus", str(audio / "media" / "long.opus")],
        check=True,
    )  # fmt: skip
    (video / "batch.toml").write_text('id = "v"\ntask_type = "video"\n[task]\nlabels = ["a"]\n')
    (video / "tasks.jsonl").write_text('{"id": "v1", "video": "media/long.mp4"}\n')
    (audio / "batch.toml").write_text('id = "a"\ntask_type = "audio"\n[task]\nlabels = ["a"]\n')
    (audio / "tasks.jsonl").write_text('{"id": "a1", "audio": "media/long.opus"}\n')
    return [(video, "10-min 720p video, thumbnails"), (audio, "10-min audio, waveform")]


async def preview_seconds(folder: Path) -> float:
    p = prepare(folder, annotator=f"bench{time.time_ns()}")
    app = LabelDeskApp(p.session, p.keymap)
    seconds = float("nan")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(1200):
            await pilot.pause(0.05)
            view = getattr(app.screen, "view", None)
            ready = getattr(view, "preview_ready_s", None)
            if ready is not None:
                seconds = float(ready)
                break
    p.session.store.close()
    return seconds


async def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="ld-media-app-"))
    os.environ["LABELDESK_CACHE_DIR"] = str(root / "cache")
    os.environ["LABELDESK_CONFIG_DIR"] = str(root / "config")
    started = time.perf_counter()
    batches = make_batches(root)
    print(f"made the media in {time.perf_counter() - started:.1f} s")
    for folder, name in batches:
        cold = await preview_seconds(folder)
        warm = await preview_seconds(folder)
        print(f"{name}: first {cold * 1000:.0f} ms, cached {warm * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
