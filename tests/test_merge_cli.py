"""`labeldesk merge`: the JSONL it writes, the summary, atomic files, refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.test_audit_support import make_batch, result, write_results
from tui.cli import main

POS, NEG = {"labels": ["pos"]}, {"labels": ["neg"]}


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", "t1", POS),
            result("bob", "t1", POS),
            result("anna", "t2", POS),
            result("bob", "t2", NEG),
            result("anna", "t3", NEG),
            result("bob", "t4", None, answer="skip"),
        ],
    )
    return folder


def test_merge_to_stdout_with_summary(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["merge", str(batch)]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["task_id"], x["source"]) for x in lines] == [
        ("t1", "unanimous"),
        ("t2", "unresolved"),
        ("t3", "single"),
    ]
    assert lines[0]["agreed"] == ["anna", "bob"] and lines[0]["value"] == POS
    assert [v["annotator"] for v in lines[1]["votes"]] == ["anna", "bob"]
    assert "3 task(s) merged to stdout" in err
    assert "1 single, 1 unanimous, 0 majority, 0 adjudicated, 1 unresolved" in err
    assert "1 without a vote" in err


def test_merge_to_file_and_json_summary(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "merged.jsonl"
    target.write_text("old\n")
    assert main(["merge", str(batch), "-o", str(target), "--json-summary"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    summary = json.loads(err.strip().splitlines()[-1])
    assert summary["sources"]["unresolved"] == 1 and summary["tasks"] == 3
    assert summary["output"] == str(target)
    assert len(target.read_text().splitlines()) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_merge_refuses_a_symlink_as_output(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "merged.jsonl"
    os.symlink(victim, link)
    assert main(["merge", str(batch), "-o", str(link)]) == 2
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err
    assert victim.read_text() == "keep me\n" and link.is_symlink()


def test_merge_bad_batch_and_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["merge", str(tmp_path / "nope")]) == 2
    assert "no such batch folder" in capsys.readouterr().err
    folder = make_batch(tmp_path / "b")
    (folder / "results").mkdir()
    (folder / "results" / "anna.jsonl").write_text('{"task_id": 3}\n')
    assert main(["merge", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "anna.jsonl:1" in err and "Traceback" not in err


def test_hostile_text_reaches_stdout_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "\x1b]52;c;aGVsbG8=\x07\x9b2J\u202e"
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", f"t1{hostile}", {"labels": [f"pos{hostile}"]}),
            result("bob", f"t1{hostile}", NEG),
        ],
    )
    assert main(["merge", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert not [ch for ch in ("\x1b", "\x07", "\x9b", "\u202e") if ch in out + err]
    [line] = [json.loads(x) for x in out.splitlines()]
    assert line["task_id"] == f"t1{hostile}"  # the same data, escaped as JSON
    assert line["votes"][0]["value"] == {"labels": [f"pos{hostile}"]}


def test_merge_into_a_missing_folder_names_it(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "merged.jsonl"
    assert main(["merge", str(batch), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {target}: No such file or directory" in err
