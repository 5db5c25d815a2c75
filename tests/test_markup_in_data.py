"""Names, labels and comments from files are data, never Rich markup (no crash, shown as is)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.batch_factory import make_batch, texts


def _line(annotator: str, task_id: str, label: str) -> str:
    return json.dumps(
        {
            "task_id": task_id,
            "batch_id": "b[/z]",
            "annotator": annotator,
            "task_type": "classify",
            "answer": "accept",
            "value": {"labels": [label]},
            "session_id": "s",
            "started_at": "2026-11-22T10:00:00.000Z",
            "submitted_at": "2026-11-22T10:00:03.000Z",
            "active_ms": 3000,
            "keys": 1,
            "revision": 1,
        }
    )


def test_stats_with_markup_in_names(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    (folder / "results").mkdir()
    (folder / "results" / "x.jsonl").write_text(_line("x[/y]", "t0", "pos") + "\n")
    for by in ("annotator", "batch"):
        run = subprocess.run(
            ["labeldesk", "stats", str(folder), "--by", by], capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        assert ("x[/y]" if by == "annotator" else "b[/z]") in run.stdout


def test_audit_report_with_markup_in_a_comment_and_label(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), id="b[/z]", task={"labels": ["p[/q]", "neg"]})
    (folder / "results").mkdir()
    (folder / "results" / "anna.jsonl").write_text(_line("anna", "t0", "p[/q]") + "\n")
    audit = {
        "task_id": "t0",
        "batch_id": "b[/z]",
        "auditor": "qa",
        "annotator": "anna",
        "revision": 1,
        "task_type": "classify",
        "verdict": "fail",
        "errors": ["wrong_label"],
        "comment": "see [/guidelines] §3",
        "session_id": "s",
        "started_at": "2026-11-22T11:00:00.000Z",
        "submitted_at": "2026-11-22T11:00:05.000Z",
        "active_ms": 5000,
    }
    (folder / "audits").mkdir()
    (folder / "audits" / "qa.jsonl").write_text(json.dumps(audit) + "\n")
    run = subprocess.run(
        ["labeldesk", "audit", "report", str(folder)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "see [/guidelines] §3" in run.stdout
