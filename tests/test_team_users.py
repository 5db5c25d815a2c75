"""Two Unix users label one team batch; each one's `labeldesk stats` and `labeldesk audit
agreement` read both results files (issue 12: results files are group-readable in team
mode, 0600 outside it).

Needs root (to create the users and their group); skipped otherwise, with the reason.
The interpreter here may live where other users cannot reach it (/root is 0700), so each
user's work runs in a forked child that drops to that user's uid, gid and groups with
setgroups/setgid/setuid after the modules are loaded: every file access of the child is
then checked by the kernel against that user, exactly as under runuser.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

import tests.team_worker as team_worker
import tui.commands.audit
import tui.commands.stats
import tui.core.audit.agreement
import tui.core.stats
from tests.team_contract import team_batch
from tui.cli import main as labeldesk

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None or shutil.which("groupadd") is None,
    reason=(
        "needs root and useradd/groupadd to create two Unix users and their group "
        f"(running as uid {os.geteuid()})"
    ),
)
_LOADED = (tui.commands.audit, tui.commands.stats, tui.core.audit.agreement, tui.core.stats)


@contextlib.contextmanager
def team_users() -> Iterator[tuple[str, str, str]]:
    suffix = secrets.token_hex(3)
    group, users = f"ldteam{suffix}", (f"ldanna{suffix}", f"ldbram{suffix}")
    subprocess.run(["groupadd", group], check=True)
    made: list[str] = []
    try:
        for user in users:
            subprocess.run(
                ["useradd", "-M", "-N", "-g", group, "-s", "/usr/sbin/nologin", user], check=True
            )
            made.append(user)
        yield group, users[0], users[1]
    finally:
        for user in made:
            subprocess.run(["userdel", user], check=False)
        subprocess.run(["groupdel", group], check=False)


def as_user(user: str, work: Callable[[], int]) -> int:
    """Run `work` in a forked child as `user` (uid, primary group, supplementary groups);
    returns its exit code."""
    entry = pwd.getpwnam(user)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.setgroups(os.getgrouplist(user, entry.pw_gid))
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.umask(0o077)  # the strictest umask: team modes must not depend on it
            code = work()
        except BaseException:
            os.write(2, f"{user}: {traceback.format_exc()}\n".encode())
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def warm_up(tmp_path: Path) -> None:
    """Run everything once as root on a throwaway batch, so every module (and codec) the
    users' children need is loaded before they lose access to the interpreter's files."""
    folder = team_batch(tmp_path / "warm", 4, "annotations_per_task = 1")
    assert team_worker.main(folder, "w1", tmp_path / "w1.report") == 0
    for argv in (
        ["stats", str(folder), "--by", "annotator", "--json"],
        ["audit", "agreement", str(folder), "--json"],
        ["team", "status", str(folder), "--json"],
    ):
        labeldesk(argv)


def test_two_users_label_one_batch_and_read_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warm_up(tmp_path)
    capsys.readouterr()
    with team_users() as (group, anna, bram):
        base = Path(tempfile.mkdtemp(prefix="labeldesk-team-", dir="/tmp"))
        try:
            os.chmod(base, 0o755)
            folder = team_batch(
                base / "batch",
                60,
                "annotations_per_task = 1\nlease_seconds = 30\nclaim_size = 3\n"
                f'group = "{group}"\n'
                "[team.overlap]\ncount = 10\nannotations = 2\nseed = 1\n",
            )
            gid = grp.getgrnam(group).gr_gid
            # The set-up of README "Working as a team", word for word.
            setup = (
                "mkdir -p results team\n"
                f"chgrp -R {group} . && chmod -R g+rX . && chmod 2750 . && chmod 3770 results team"
            )
            subprocess.run(["sh", "-ec", setup], cwd=folder, check=True)
            reports = {}
            for user in (anna, bram):
                reports[user] = base / f"report-{user}"
                reports[user].mkdir(mode=0o700)
                os.chown(reports[user], pwd.getpwnam(user).pw_uid, gid)

            # Both label at once, each as their own Unix user.
            pids = []
            for user in (anna, bram):
                report = reports[user] / "answers"
                pids.append((user, os.fork()))
                if pids[-1][1] == 0:
                    os._exit(as_user(user, lambda u=user, r=report: team_worker.main(folder, u, r)))
            for user, pid in pids:
                assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0, user

            results = folder / "results"
            info = results.stat()
            assert info.st_gid == gid and info.st_mode & stat.S_ISGID
            owners = {}
            for user in (anna, bram):
                path = results / f"{user}.jsonl"
                st = path.stat()
                owners[user] = st.st_uid
                assert stat.S_IMODE(st.st_mode) == 0o640, oct(st.st_mode)  # umask was 077
                assert st.st_gid == gid
                assert path.read_text().count("\n") > 0, f"{user} labeled nothing"
            assert owners[anna] != owners[bram]

            def delete_colleagues_file() -> int:
                try:
                    (results / f"{anna}.jsonl").unlink()
                except PermissionError:
                    return 0  # the sticky bit: only its owner may delete it
                return 1

            assert as_user(bram, delete_colleagues_file) == 0, "bram deleted anna's answers"
            assert (results / f"{anna}.jsonl").exists()
            ledger = folder / "team" / "claims.jsonl"
            assert stat.S_IMODE(ledger.stat().st_mode) == 0o660 and ledger.stat().st_gid == gid

            # Each user's labeldesk reads the colleague's file.
            def command(out: Path, *argv: str) -> Callable[[], int]:
                def run() -> int:
                    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    # pytest captures sys.stdout: the child writes to its own file.
                    sys.stdout = sys.stderr = open(fd, "w", encoding="utf-8")  # noqa: SIM115
                    try:
                        return labeldesk(list(argv))
                    finally:
                        sys.stdout.flush()  # the child leaves by os._exit: no flush there
                        sys.stderr.flush()

                return run

            stats_out = reports[anna] / "stats.json"
            code = as_user(
                anna, command(stats_out, "stats", str(folder), "--by", "annotator", "--json")
            )
            text = stats_out.read_text()
            assert code == 0, text
            assert "cannot read" not in text
            names = {row["key"] for row in orjson.loads(text[text.index("{") :])["groups"]}
            assert names == {anna, bram}, text

            agree_out = reports[bram] / "agreement.json"
            code = as_user(bram, command(agree_out, "audit", "agreement", str(folder), "--json"))
            text = agree_out.read_text()
            assert code == 0, text
            assert "cannot read" not in text and anna in text and bram in text, text

            status_out = reports[bram] / "status.json"
            code = as_user(bram, command(status_out, "team", "status", str(folder), "--json"))
            status = orjson.loads(status_out.read_text())
            assert code == 0 and status["pool_left"] == 0 and status["covered_tasks"] == 60
            assert {a["annotator"] for a in status["annotators"]} == {anna, bram}
        finally:
            shutil.rmtree(base, ignore_errors=True)
