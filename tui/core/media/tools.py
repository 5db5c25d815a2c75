"""Finding and running ffmpeg/ffprobe: every call has a timeout and fails as a MediaError."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from tui.core.media.errors import MediaError

FFMPEG_NOTICE = (
    "ffmpeg/ffprobe is not installed, so video and audio cannot be previewed "
    "(install it, e.g. `sudo apt install ffmpeg` or `brew install ffmpeg`). "
    "Images still preview; labeling works without previews."
)


def find_tool(name: str) -> str | None:
    # Looked up on every call (not cached) so a PATH change takes effect, e.g. in tests.
    return shutil.which(name)


def ffmpeg_available() -> bool:
    """True when both ffmpeg and ffprobe are on PATH."""
    return find_tool("ffmpeg") is not None and find_tool("ffprobe") is not None


def require_tool(name: str, file: Path | str) -> str:
    exe = find_tool(name)
    if exe is None:
        raise MediaError(file, f"cannot be read: {name} is not installed. {FFMPEG_NOTICE}")
    return exe


def run_tool(argv: Sequence[str], file: Path | str, timeout_s: float, what: str) -> bytes:
    """Run argv, return its stdout; a timeout, a failure or a vanished binary is a MediaError
    whose message quotes ffmpeg's own last error line."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise MediaError(file, f"{what} took longer than {timeout_s:g} s and was stopped") from None
    except OSError as exc:
        raise MediaError(file, f"{what} failed: cannot run {argv[0]} ({exc})") from None
    if done.returncode != 0:
        raise MediaError(file, f"{what} failed: {explain_stderr(done.stderr)}")
    return done.stdout


def explain_stderr(stderr: bytes) -> str:
    """ffmpeg's stderr turned into a reason a person can act on."""
    text = stderr.decode("utf-8", "replace")
    if "moov atom not found" in text:
        return "the file is truncated or incomplete (its MP4 index, the 'moov' atom, is missing)"
    if "Invalid data found when processing input" in text:
        return "not a media file ffmpeg can read (invalid data; wrong extension or damaged file?)"
    if "does not contain any stream" in text:
        return "the file contains no audio or video stream"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "ffmpeg gave no reason"
