"""Drive the real `labeldesk` command in a real terminal (tmux) for end-to-end tests."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

LABELDESK = shutil.which("labeldesk")


def require_tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if LABELDESK is None:
        pytest.fail("the labeldesk command is not installed (pip install -e .)")


class TmuxTerminal:
    """One tmux session running one command; send keys, read the screen."""

    def __init__(self, tmp: Path, width: int = 80, height: int = 24) -> None:
        require_tmux()
        self.name = f"ld-{uuid.uuid4().hex[:8]}"
        # A short socket path of its own: unix socket paths are limited to ~107 bytes.
        self.socket = f"/tmp/ld-tmux-{self.name}.sock"
        self.width = width
        self.height = height
        self.env = {
            "LABELDESK_CONFIG_DIR": str(tmp / "config"),
            "LABELDESK_CACHE_DIR": str(tmp / "cache"),
            "LABELDESK_STATE_DIR": str(tmp / "state"),
            "LABELDESK_LANGUAGE": "en",  # a test that wants Dutch sets it
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
        }

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, check=check
        )

    def start(self, argv: list[str], cwd: Path) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # Keep the pane after the program ends so its last screen (and errors) can be read.
        command = f"cd {shlex.quote(str(cwd))} && env {exports} {shlex.join(argv)}; echo LABELDESK-EXIT=$?; sleep 600"
        self._tmux(
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "bash",
            "-c",
            command,
        )

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """tmux key names: "a", "Enter", "Space", "BSpace", "Escape", "PageUp", "C-q", "Left"."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)
            time.sleep(pause)

    def type_text(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, predicate: Callable[[str], bool] | str, timeout: float = 45.0) -> str:
        check = (lambda s: predicate in s) if isinstance(predicate, str) else predicate
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {predicate!r}; the screen was:\n{screen}")

    def app_pid(self) -> int:
        """The pid of the labeldesk process running in the pane."""
        shell_pid = int(self._tmux("display", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())
        out = subprocess.run(["pgrep", "-P", str(shell_pid)], capture_output=True, text=True).stdout
        for pid in out.split():
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"labeldesk" in cmdline:
                return int(pid)
            # `env VAR=... labeldesk` execs, so the child is labeldesk itself after exec.
        raise AssertionError(f"no labeldesk process under the pane's shell {shell_pid}")

    def kill_app(self, sig: int = 9) -> None:
        os.kill(self.app_pid(), sig)

    def close(self) -> None:
        self._tmux("kill-server", check=False)
        Path(self.socket).unlink(missing_ok=True)


@pytest.fixture
def terminal(tmp_path: Path):  # type: ignore[no-untyped-def]
    term = TmuxTerminal(tmp_path)
    yield term
    term.close()
