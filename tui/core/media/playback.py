"""Background audio playback from a time position, with a position clock for a moving cursor.

The player runs in its own session with no terminal (stdin and stdout to /dev/null, stderr
to a temporary file read only when it fails), so it can never draw on the labeling screen
or receive the UI's Ctrl-C. The position is start + elapsed monotonic time: players here
report nothing back, and for a cursor on a waveform a few tens of ms of drift is invisible.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tui.core.media.errors import MediaError

# Players in order of preference. "pipe" players read raw PCM that ffmpeg decodes for them.
PLAYERS = ("ffplay", "mpv", "paplay", "aplay")
_PCM_RATE = 44100
NO_PLAYER_NOTICE = (
    "no audio player found: install ffmpeg (ffplay), mpv, or pulseaudio-utils (paplay) / "
    "alsa-utils (aplay) together with ffmpeg"
)


@dataclass(frozen=True, slots=True)
class PlayerCommand:
    name: str
    argv: tuple[str, ...]
    decoder: tuple[str, ...] = ()  # ffmpeg argv whose stdout feeds argv's stdin, or ()


def _seconds(value: float) -> str:
    return f"{max(0.0, value):.3f}"


def player_command(path: Path, start_s: float = 0.0) -> PlayerCommand | None:
    """The command that would play `path` from `start_s`, or None when nothing can."""
    start = _seconds(start_s)
    argv: tuple[str, ...]
    ffplay = shutil.which("ffplay")
    if ffplay:
        argv = (ffplay, "-nodisp", "-autoexit", "-loglevel", "error", "-ss", start, str(path))
        return PlayerCommand("ffplay", argv)
    mpv = shutil.which("mpv")
    if mpv:
        argv = (mpv, "--no-video", "--really-quiet", "--input-terminal=no", f"--start={start}")
        return PlayerCommand("mpv", (*argv, "--", str(path)))
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    decoder = (
        ffmpeg, "-nostdin", "-loglevel", "error", "-ss", start, "-i", str(path),
        "-vn", "-f", "s16le", "-ac", "2", "-ar", str(_PCM_RATE), "pipe:",
    )  # fmt: skip
    paplay = shutil.which("paplay")
    if paplay:
        argv = (paplay, "--raw", "--format=s16le", "--channels=2", f"--rate={_PCM_RATE}")
        return PlayerCommand("paplay", argv, decoder)
    aplay = shutil.which("aplay")
    if aplay:
        argv = (aplay, "-q", "-t", "raw", "-f", "S16_LE", "-c", "2", "-r", str(_PCM_RATE))
        return PlayerCommand("aplay", argv, decoder)
    return None


class AudioPlayer:
    """One item's sound at a time: start() replaces whatever was playing."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._procs: list[subprocess.Popen[bytes]] = []
        self._errlog: IO[bytes] | None = None
        self._start_s = 0.0
        self._t0 = 0.0
        self._stopped_at: float | None = None
        self._duration_s: float | None = None
        self.player: str | None = None

    def start(self, path: Path, start_s: float = 0.0, duration_s: float | None = None) -> str:
        """Play `path` from `start_s` in the background; returns the player's name.
        MediaError when no player exists or it cannot be started."""
        self.stop()
        if not path.is_file():
            raise MediaError(path, "file not found, cannot play it")
        cmd = player_command(path, start_s)
        if cmd is None:
            raise MediaError(path, f"cannot be played: {NO_PLAYER_NOTICE}")
        # Lives as long as the playback; closed by stop().
        self._errlog = tempfile.TemporaryFile(prefix="labeldesk-player-")  # noqa: SIM115
        try:
            if cmd.decoder:
                feeder = self._spawn(cmd.decoder, subprocess.DEVNULL, subprocess.PIPE)
                self._procs.append(feeder)
                sink = self._spawn(cmd.argv, feeder.stdout, subprocess.DEVNULL)
                if feeder.stdout is not None:
                    feeder.stdout.close()  # the sink owns the pipe now; lets ffmpeg see EPIPE
                self._procs.append(sink)
            else:
                self._procs.append(self._spawn(cmd.argv, subprocess.DEVNULL, subprocess.DEVNULL))
        except OSError as exc:
            self.stop()
            raise MediaError(path, f"cannot start {cmd.name} ({exc})") from None
        self.player = cmd.name
        self._start_s = max(0.0, start_s)
        self._duration_s = duration_s
        self._t0 = self._clock()
        self._stopped_at = None
        return cmd.name

    def _spawn(
        self, argv: tuple[str, ...], stdin: int | IO[bytes] | None, stdout: int
    ) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            argv, stdin=stdin, stdout=stdout, stderr=self._errlog, start_new_session=True
        )

    @property
    def is_playing(self) -> bool:
        return bool(self._procs) and self._procs[-1].poll() is None

    def position_s(self) -> float | None:
        """Where playback is (seconds into the file), None before the first start()."""
        if self.player is None:
            return None
        now = self._stopped_at if self._stopped_at is not None else self._clock()
        pos = self._start_s + max(0.0, now - self._t0)
        if self._duration_s is not None:
            pos = min(pos, self._duration_s)
        return pos

    def failure(self) -> str | None:
        """The player's complaint if it exited with an error (no audio device, bad file)."""
        if not self._procs or self._procs[-1].poll() in (None, 0):
            return None
        if self._errlog is None:
            return f"{self.player} exited with status {self._procs[-1].returncode}"
        self._errlog.seek(0)
        text = self._errlog.read(4096).decode("utf-8", "replace").strip()
        last = text.splitlines()[-1] if text else f"exit status {self._procs[-1].returncode}"
        return f"{self.player} failed: {last}"

    def stop(self) -> None:
        """Stop playback (idempotent); the position stays where it was."""
        if self._procs and self._stopped_at is None:
            self._stopped_at = self._clock()
        for proc in reversed(self._procs):
            if proc.poll() is None:
                # The whole session group: players may fork helpers.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=2.0)
        self._procs = []
        if self._errlog is not None:
            self._errlog.close()
            self._errlog = None
