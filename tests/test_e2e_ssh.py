"""The real `labeldesk` over a real `ssh -t` to a real sshd, in a real terminal (tmux).

DESIGN §7: "Works in an 80×24 terminal over SSH, with no mouse." The ssh client gets
TERM=xterm-256color and no COLORTERM (ssh does not forward it), as an annotator's would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from tests.conftest import SAMPLES
from tests.sshd_server import (
    SshServer,
    remote_labeldesk_command,
    sshd_fixture,  # noqa: F401  (the `sshd` fixture)
)
from tests.tmux_terminal import TmuxTerminal

pytestmark = pytest.mark.e2e

SAMPLE = SAMPLES / "binary-en"
KEYS = ["a", "x", "a", "a", "x"]  # task_types/binary/keys.toml: a accepts, x rejects
ANSWERS = {"a": "accept", "x": "reject"}


def _task_ids(folder: Path) -> list[str]:
    lines = (folder / "tasks.jsonl").read_bytes().splitlines()
    return [str(orjson.loads(line)["id"]) for line in lines if line.strip()]


def test_label_a_binary_batch_over_ssh(
    tmp_path: Path, terminal: TmuxTerminal, sshd: SshServer
) -> None:
    batch = tmp_path / "binary-en"
    shutil.copytree(SAMPLE, batch, ignore=shutil.ignore_patterns("results", "audits"))
    ids = _task_ids(batch)
    total = len(ids)
    remote = remote_labeldesk_command(
        tmp_path,
        {
            "LABELDESK_CONFIG_DIR": str(tmp_path / "config"),
            "LABELDESK_CACHE_DIR": str(tmp_path / "cache"),
            "TERM": "xterm-256color",
        },
        ["open", str(batch), "--annotator", "anna"],
    )
    terminal.env.pop("COLORTERM", None)  # the ssh client's terminal; ssh would not send it
    terminal.start(sshd.ssh_argv(remote), tmp_path)
    try:
        terminal.wait_for(f"item 1 of {total}", timeout=60)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nsshd log:\n{sshd.log_text()}") from None

    for n, key in enumerate(KEYS):
        terminal.keys(key, pause=0)
        terminal.wait_for(f"saved {ids[n]}", timeout=30)
        terminal.wait_for(f"item {n + 2} of {total}", timeout=30)

    terminal.keys("C-q", pause=0)
    screen = terminal.wait_for("LABELDESK-EXIT=", timeout=30)
    assert "LABELDESK-EXIT=0" in screen, screen

    lines = [
        orjson.loads(line) for line in (batch / "results" / "anna.jsonl").read_bytes().splitlines()
    ]
    assert [(x["task_id"], x["answer"]) for x in lines] == [
        (ids[n], ANSWERS[key]) for n, key in enumerate(KEYS)
    ]
    assert {x["annotator"] for x in lines} == {"anna"}
