"""The real `labeldesk audit` in a real terminal (tmux): assign a sample, pass one item,
fail another with a category, quit, and read audits/qa.jsonl."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results
from tests.test_audit_support import result, write_results
from tests.tmux_terminal import LABELDESK, TmuxTerminal, require_tmux
from tui.core.audit import load_plan

pytestmark = pytest.mark.e2e


def _batch(tmp_path: Path) -> Path:
    tasks = [{"id": f"r-{i}", "text": f"Recensie {i}: prima product."} for i in range(4)]
    folder = make_batch(
        tmp_path / "batch", tasks, id="b1", task={"labels": ["positief", "negatief", "neutraal"]}
    )
    write_results(
        folder,
        [
            result("anna", "r-0", {"labels": ["positief"]}),
            result("anna", "r-1", {"labels": ["negatief"]}),
            result("bob", "r-2", {"labels": ["neutraal"]}),
            result("bob", "r-3", {"labels": ["positief"]}),
        ],
    )
    return folder


def test_assign_then_pass_and_fail_in_the_app(tmp_path: Path, terminal: TmuxTerminal) -> None:
    require_tmux()
    folder = _batch(tmp_path)
    env = {**os.environ, "LABELDESK_CONFIG_DIR": str(tmp_path / "config")}
    assigned = subprocess.run(
        [
            str(LABELDESK),
            "audit",
            "assign",
            str(folder),
            "--auditor",
            "qa",
            "--rate",
            "100%",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert assigned.returncode == 0, assigned.stderr
    plan = load_plan(folder, "qa").items
    assert len(plan) == 4

    terminal.start([str(LABELDESK), "audit", str(folder), "--auditor", "qa"], tmp_path)
    terminal.wait_for("item 1 of 4")
    terminal.wait_for(f"{plan[0].task_id}  by {plan[0].annotator}")
    terminal.keys("p")
    terminal.wait_for(f"pass saved for {plan[0].task_id}")
    terminal.wait_for("item 2 of 4")
    terminal.keys("f")
    terminal.wait_for("fail: which errors?")
    terminal.keys("1")
    terminal.keys("Tab")
    terminal.type_text("te positief")
    terminal.keys("Enter")
    terminal.wait_for(f"fail saved for {plan[1].task_id}")
    terminal.wait_for("2 of 4 done (1 pass, 1 fail, 0 corrected)")
    terminal.keys("C-q")
    screen = terminal.wait_for("LABELDESK-EXIT=")
    assert "LABELDESK-EXIT=0" in screen
    assert "2 verdict(s) saved this session; 2 of 4 planned items audited" in screen

    lines = read_results(folder / "audits" / "qa.jsonl")
    assert [(x["task_id"], x["annotator"], x["revision"]) for x in lines] == [
        (plan[0].task_id, plan[0].annotator, 1),
        (plan[1].task_id, plan[1].annotator, 1),
    ]
    assert [x["verdict"] for x in lines] == ["pass", "fail"]
    assert lines[0]["errors"] == [] and lines[1]["errors"] == ["wrong_label"]
    assert lines[1]["comment"] == "te positief"
    assert all(x["auditor"] == "qa" and x["corrected_value"] is None for x in lines)
    assert all(x["active_ms"] >= 0 and x["keys"] >= 1 for x in lines)
    assert len({x["session_id"] for x in lines}) == 1
