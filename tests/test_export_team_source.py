"""Exports of a team batch carry each task's merge source (issue 14 with issue 12)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tests.test_audit_support import result, write_results
from tui.cli import main


def test_every_exported_answer_says_how_its_task_was_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_batch(tmp_path / "b", texts(3), extra="[team]\nannotations_per_task = 2\n")
    answers = [
        ("anna", "t0", "pos"),
        ("bram", "t0", "pos"),
        ("anna", "t1", "pos"),
        ("bram", "t1", "neg"),
        ("anna", "t2", "neu"),
    ]
    write_results(
        folder,
        [
            result(who, task, {"labels": [label]}).model_copy(update={"batch_id": "test-batch"})
            for who, task, label in answers
        ],
    )
    assert main(["export", str(folder), "--format", "jsonl"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {(r["task_id"], r["source"]) for r in lines} == {
        ("t0", "unanimous"),
        ("t1", "unresolved"),
        ("t2", "single"),
    }
    assert main(["export", str(folder), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["task_id"]: r["source"] for r in rows}["t1"] == "unresolved"
    assert main(["export", str(folder), "--format", "prodigy"]) == 0
    prodigy = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {p["_merge_source"] for p in prodigy} == {"unanimous", "unresolved", "single"}
    # Outside team mode there is no merge source.
    solo = make_batch(tmp_path / "s", texts(1))
    write_results(
        solo,
        [result("anna", "t0", {"labels": ["pos"]}).model_copy(update={"batch_id": "test-batch"})],
    )
    assert main(["export", str(solo), "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] is None
