"""Finding and running ffmpeg/ffprobe: every call has a timeout and fails as a MediaError."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


_cancel = threading.local()


@contextmanager
def cancelled_by(event: threading.Event | None) -> Iterator[None]:
    """Tool runs in this thread stop (the process is killed) once `event` is set: a preview
    nobody will see any more must not keep ffmpeg running or hold a worker thread."""
    previous = getattr(_cancel, "event", None)
    _cancel.event = event
    try:
        yield
    finally:
        _cancel.event = previous


def current_cancel_event() -> threading.Event | None:
    event: threading.Event | None = getattr(_cancel, "event", None)
    return event


def run_tool(argv: Sequence[str], file: Path | str, timeout_s: float, what: str) -> bytes:
    """Run argv, return its stdout; a timeout, a failure or a vanished binary is a MediaError
    whose message quotes ffmpeg's own last error line."""
    cancel = current_cancel_event()
    if cancel is not None and cancel.is_set():
        raise MediaError(file, f"{what} was cancelled")
    try:
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise MediaError(file, f"{what} failed: cannot run {argv[0]} ({exc})") from None
    deadline = time.monotonic() + timeout_s
    while True:
        # Short waits, so a cancellation is noticed within a fifth of a second.
        wait = min(0.2, max(0.0, deadline - time.monotonic()))
        try:
            stdout, stderr = proc.communicate(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                proc.kill()
                proc.communicate()
                raise MediaError(file, f"{what} was cancelled") from None
            if time.monotonic() >= deadline:
                proc.kill()
                proc.communicate()
                raise MediaError(
                    file, f"{what} took longer than {timeout_s:g} s and was stopped"
                ) from None
    if proc.returncode != 0:
        raise MediaError(file, f"{what} failed: {explain_stderr(stderr)}")
    return stdout


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
