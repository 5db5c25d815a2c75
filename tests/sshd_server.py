"""A real OpenSSH sshd on 127.0.0.1, for end-to-end tests and benchmarks over `ssh -t`.

`start_sshd(folder)` is plain Python (the benchmarks use it without pytest); the `sshd`
fixture wraps it for tests. The server runs as the current user (root in CI) on a free port,
with a host key and a client key generated into `folder`, its own sshd_config (public keys
only, no PAM, no strict modes) and `-D -e` in the background. Use it in a test module with
`from tests.sshd_server import sshd_fixture  # noqa: F401` and a parameter named `sshd`.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

MISSING_REASON = (
    "OpenSSH is not installed here (sshd, ssh, ssh-keygen); .ci/run installs openssh-server"
)


def find_sshd() -> str | None:
    """The absolute path of sshd (it refuses to start from a relative one), or None."""
    found = shutil.which("sshd") or shutil.which("sshd", path="/usr/sbin:/usr/local/sbin:/sbin")
    return os.path.abspath(found) if found else None


def openssh_available() -> bool:
    return all((find_sshd(), shutil.which("ssh"), shutil.which("ssh-keygen")))


def labeldesk_path() -> str:
    """The labeldesk script of this very Python environment, as an absolute path.

    A remote shell has its own PATH (and a pyenv shim on PATH may pick another Python), so
    prefer the script installed next to sys.executable, whose shebang is that interpreter.
    """
    beside = Path(sys.executable).parent / "labeldesk"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("labeldesk")
    if found is None:
        raise RuntimeError("the labeldesk command is not installed (pip install -e .)")
    return os.path.abspath(found)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SshServer:
    """A running sshd and what a client needs to log in to it."""

    port: int
    client_key: Path
    folder: Path
    process: subprocess.Popen[bytes]
    log: Path
    user: str = field(default_factory=lambda: _login_name())

    def ssh_argv(self, remote_command: str, *, tty: bool = True) -> list[str]:
        """`ssh [-t] ... 127.0.0.1 REMOTE_COMMAND`, ignoring every ssh_config and known_hosts."""
        return [
            "ssh",
            *(["-t"] if tty else ["-T"]),
            "-F",
            "/dev/null",
            "-p",
            str(self.port),
            "-i",
            str(self.client_key),
            "-l",
            self.user,
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "127.0.0.1",
            remote_command,
        ]

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _login_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def remote_labeldesk_command(cwd: Path, env: dict[str, str], args: list[str]) -> str:
    """The shell command line that runs this environment's labeldesk on the ssh server."""
    exe = labeldesk_path()
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    path = f"PATH={shlex.quote(str(Path(exe).parent))}:$PATH"
    return f"cd {shlex.quote(str(cwd))} && env {path} {exports} {shlex.join([exe, *args])}"


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "labeldesk-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


def _write_config(folder: Path, port: int) -> Path:
    config = folder / "sshd_config"
    lines = [
        f"Port {port}",
        "ListenAddress 127.0.0.1",
        f"HostKey {folder / 'host_ed25519'}",
        f"AuthorizedKeysFile {folder / 'authorized_keys'}",
        f"PidFile {folder / 'sshd.pid'}",
        "UsePAM no",
        "StrictModes no",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "PermitUserEnvironment no",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "PrintMotd no",
        "PrintLastLog no",
        "UseDNS no",
        "LogLevel ERROR",
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def _wait_for_banner(port: int, process: subprocess.Popen[bytes], timeout: float) -> bool:
    """True once the server on `port` says SSH-2.0; False if sshd exited (e.g. port taken)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
                sock.settimeout(2.0)
                if sock.recv(64).startswith(b"SSH-2.0"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def start_sshd(folder: Path, timeout: float = 15.0, attempts: int = 5) -> SshServer:
    """Generate keys and a config in `folder` and start sshd; return once it answers."""
    sshd = find_sshd()
    if sshd is None:
        raise RuntimeError(MISSING_REASON)
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    _keygen(folder / "host_ed25519")
    _keygen(folder / "client_ed25519")
    shutil.copy(folder / "client_ed25519.pub", folder / "authorized_keys")
    # The privilege separation directory sshd insists on (a fresh container lacks it).
    with contextlib.suppress(PermissionError):
        Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)
    log = folder / "sshd.log"
    for _ in range(attempts):
        port = free_port()
        config = _write_config(folder, port)
        with log.open("ab") as err:
            process = subprocess.Popen(
                [sshd, "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,
            )
        server = SshServer(port, folder / "client_ed25519", folder, process, log)
        if _wait_for_banner(port, process, timeout):
            return server
        server.stop()
    raise RuntimeError(f"sshd did not start; its log:\n{log.read_text(errors='replace')}")


@pytest.fixture(name="sshd")
def sshd_fixture(tmp_path: Path) -> Iterator[SshServer]:
    """A running sshd for this test (skipped only where OpenSSH is not installed)."""
    if not openssh_available():
        pytest.skip(MISSING_REASON)
    server = start_sshd(tmp_path / "sshd")
    try:
        yield server
    finally:
        server.stop()
