"""A real PostgreSQL server for tests (issue 13): initdb + pg_ctl into a temp folder.

The server listens only on a Unix socket in a private folder (`listen_addresses = ''`), so it
never takes a port that another test or another engineer's server uses, and nothing outside
this machine can reach it. It is started once per test session, stopped at the end, and can
be restarted mid-test (`restart()`, `stop()` / `start()`) to prove the journal replays.

initdb refuses to run as root, and CI runs as root: the server then runs as the unprivileged
`postgres` user that Debian's package creates (through `runuser`), in a folder that user owns
and the tests (root) can reach. As any other user it runs as that user.

Tests skip, with the reason, only when PostgreSQL cannot exist here: no initdb installed, or
root without a `postgres` user to run it as. psycopg missing is a skip too (the `test` extra
installs it, so CI never skips).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "labeldesk"  # initdb -U: the same role name whoever runs the server


def find_pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl: Debian keeps them off PATH, per major version."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def why_no_server() -> str | None:
    """Why PostgreSQL cannot run here (None when it can)."""
    if find_pg_bin() is None:
        return (
            "PostgreSQL is not installed: no initdb on PATH or in /usr/lib/postgresql/*/bin "
            "(apt-get install postgresql; .ci/run installs it)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root and there is no runuser to start PostgreSQL as 'postgres'"
    return None


class PgServer:
    """One PostgreSQL cluster in `base` (a folder this class creates and removes)."""

    def __init__(self) -> None:
        pg_bin = find_pg_bin()
        assert pg_bin is not None
        self.bin = pg_bin
        self.as_user: str | None = "postgres" if os.geteuid() == 0 else None
        # Not pytest's tmp_path: that is root's 0700 folder, which `postgres` cannot enter.
        self.base = Path(tempfile.mkdtemp(prefix="labeldesk-pg-"))
        self.data = self.base / "data"
        self.socket_dir = self.base / "sock"
        self.log = self.base / "server.log"
        self.socket_dir.mkdir()
        os.chmod(self.base, 0o755)
        if self.as_user is not None:
            user = pwd.getpwnam(self.as_user)
            for path in (self.base, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        self.running = False
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                "\n# labeldesk tests: a private Unix socket, no TCP port\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "max_connections = 100\n"
                "shared_buffers = 16MB\n"
                # A test server: durability across an OS crash does not matter here (a
                # server stop or kill keeps every committed row: the WAL is still written).
                "fsync = off\n"
                "full_page_writes = off\n"
            )

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / tool), *args]
        if self.as_user is not None:
            command = ["runuser", "-u", self.as_user, "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, cwd=self.base, timeout=120, check=False
        )
        if result.returncode != 0:
            log = self.log.read_text("utf-8", "replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{tool} failed ({result.returncode}): {result.stdout}{result.stderr}\n{log}"
            )
        return result

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast`: clean shutdown; `immediate`: as if the server died (recovery at start)."""
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
            self.running = False

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket_dir}"

    def create_database(self) -> str:
        """A new empty database; returns its connection string."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    reason = why_no_server()
    if reason is not None:
        pytest.skip(reason)
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    server = PgServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh database on the running test server (started again if a test left it down)."""
    if not pg_server.running:
        pg_server.start()
    return pg_server.create_database()
