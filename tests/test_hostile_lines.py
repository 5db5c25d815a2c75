"""Every reader survives every line (issue 11, item 2): a seeded fuzz over results and audit
lines whose fields have the wrong JSON type or an absurd value. Nothing may raise, and each
bad line is reported with its file and line number."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.batch_factory import make_batch, texts
from tui.core.problems import Problem
from tui.core.result_lines import check_result_line, latest_by_task, read_result_lines

BATCH_ID = "test-batch"
WHEN = "2026-11-22T10:00:03.240Z"
# Values of every JSON type, and numbers no reader can take at face value.
ODD: list[Any] = [
    ["accept"],
    {"a": 1},
    {"labels": ["pos"]},
    17,
    -5,
    2**63 - 1,
    1.2345678901234568e29,
    0.5,
    True,
    None,
    "",
    "17",
    "\x1b]52;c;aGk=\x07",
    [],
    [[1]],
]
RESULT_FIELDS: dict[str, list[Any]] = {
    "task_id": [v for v in ODD if type(v) is not str] + [""],
    "answer": [v for v in ODD if v is not None] + ["maybe", "ACCEPT"],
    "value": [v for v in ODD if v is not None and type(v) is not dict],
    "flag": [v for v in ODD if v is not None and type(v) is not dict]
    + [{"reason": "nope"}, {"reason": ["other"]}, {"reason": "other", "note": 5}],
    "revision": [v for v in ODD if v is not None and not (type(v) is int and 1 <= v <= 10**9)]
    + [0],
    "active_ms": [v for v in ODD if v is not None and not (type(v) is int and 0 <= v < 10**9)],
    "batch_id": [v for v in ODD if v is not None and type(v) is not str],
    "annotator": [v for v in ODD if v is not None and type(v) is not str],
    "task_type": [v for v in ODD if v is not None and type(v) is not str],
    "submitted_at": [v for v in ODD if v is not None and type(v) is not str],
    "gold_correct": [v for v in ODD if v is not None and type(v) is not bool],
    "restored_revision": ["1", 0, -1, [1], 1.5],
}
AUDIT_FIELDS: dict[str, list[Any]] = {
    "task_id": [v for v in ODD if type(v) is not str],
    "annotator": [v for v in ODD if type(v) is not str],
    "auditor": [v for v in ODD if type(v) is not str],
    "batch_id": [v for v in ODD if type(v) is not str],
    "verdict": [v for v in ODD if v is not None] + ["maybe"],
    "revision": [v for v in ODD if not (type(v) is int and 1 <= v <= 10**9)] + [0],
    "errors": [v for v in ODD if v is not None and type(v) is not list] + [[1], [["x"]]],
    "corrected_value": [v for v in ODD if v is not None and type(v) is not dict],
    "active_ms": [v for v in ODD if not (type(v) is int and 0 <= v < 10**9)],
    "submitted_at": [v for v in ODD if type(v) is not str] + ["yesterday"],
    "comment": [v for v in ODD if v is not None and type(v) is not str],
}


def result(task: int, answer: str = "accept", **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "task_id": f"t{task}",
        "batch_id": BATCH_ID,
        "annotator": "anna",
        "task_type": "classify",
        "answer": answer,
        "value": {"labels": ["pos"]} if answer in ("accept", "reject") else None,
        "flag": None,
        "session_id": "s1",
        "started_at": "2026-11-22T10:00:00.120Z",
        "submitted_at": WHEN,
        "active_ms": 3120,
        "keys": 2,
        "revision": 1,
        "guidelines_sha256": None,
        "app_version": "0.1.0",
    }
    line.update(extra)
    return line


def audit(task: int, verdict: str = "fail", **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "task_id": f"t{task}",
        "batch_id": BATCH_ID,
        "auditor": "dora",
        "annotator": "anna",
        "revision": 1,
        "task_type": "classify",
        "verdict": verdict,
        "errors": ["wrong_label"] if verdict != "pass" else [],
        "original_value": {"labels": ["pos"]},
        "corrected_value": {"labels": ["neg"]} if verdict == "corrected" else None,
        "comment": "",
        "session_id": "s2",
        "started_at": "2026-11-22T11:00:00.000Z",
        "submitted_at": "2026-11-22T11:00:04.000Z",
        "active_ms": 4000,
        "keys": 1,
        "app_version": "0.1.0",
    }
    line.update(extra)
    return line


def mutated(
    rng: random.Random, base: dict[str, Any], fields: dict[str, list[Any]]
) -> tuple[dict[str, Any], str]:
    line = copy.deepcopy(base)
    name = rng.choice(sorted(fields))
    value = rng.choice(fields[name])
    if value is None and rng.random() < 0.5:
        line.pop(name, None)
    else:
        line[name] = value
    return line, name


def write_fuzzed(
    folder: Path, seed: int, lines: int = 300
) -> tuple[set[int], set[int], dict[int, str]]:
    """results/anna.jsonl and audits/dora.jsonl with about a third of the lines mutated;
    returns the bad line numbers of each file and the mutated field per results line."""
    rng = random.Random(seed)
    results: list[bytes] = []
    audits: list[bytes] = []
    bad_results: set[int] = set()
    bad_audits: set[int] = set()
    fields: dict[int, str] = {}
    for n in range(1, lines + 1):
        task = rng.randrange(40)
        answer = rng.choice(["accept", "accept", "reject", "skip", "flag", "undone"])
        extra: dict[str, Any] = {}
        if answer == "flag":
            extra["flag"] = {"reason": "ambiguous", "note": "?"}
        base = result(task, answer, **extra)
        if rng.random() < 0.35:
            line, name = mutated(rng, base, RESULT_FIELDS)
            bad_results.add(n)
            fields[n] = name
        else:
            line = base
        results.append(orjson.dumps(line, option=orjson.OPT_PASSTHROUGH_DATACLASS))
        verdict = rng.choice(["pass", "fail", "corrected"])
        good_audit = audit(task, verdict)
        if rng.random() < 0.35:
            line, _ = mutated(rng, good_audit, AUDIT_FIELDS)
            bad_audits.add(n)
        else:
            line = good_audit
        audits.append(orjson.dumps(line))
    (folder / "results").mkdir(exist_ok=True)
    (folder / "audits").mkdir(exist_ok=True)
    (folder / "results" / "anna.jsonl").write_bytes(b"\n".join(results) + b"\n")
    (folder / "audits" / "dora.jsonl").write_bytes(b"\n".join(audits) + b"\n")
    return bad_results, bad_audits, fields


def lines_of(problems: list[Problem], path: Path) -> set[int]:
    return {p.line for p in problems if Path(p.file) == path and p.line is not None}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_batch(
        tmp_path / "b",
        texts(40),
        id=BATCH_ID,
        extra='[audit]\nerror_categories = ["wrong_label", "other"]\n',
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_shared_checker_calls_every_mutated_results_line_bad(folder: Path, seed: int) -> None:
    bad, _, fields = write_fuzzed(folder, seed)
    path = folder / "results" / "anna.jsonl"
    problems: list[Problem] = []
    good = list(read_result_lines(path, problems))
    assert lines_of(problems, path) == bad
    # Only a malformed gold_correct keeps its line (counted without gold, with a warning).
    kept = {line.line for line in good} & bad
    assert all(fields[n] == "gold_correct" for n in kept)
    assert all(p.severity == "warning" for p in problems if p.line in kept)
    for problem in problems:
        assert problem.line is not None
        assert problem.field == fields[problem.line] or (problem.field or "").startswith(
            fields[problem.line] + "."
        ), str(problem)
    assert str(problems[0]).startswith(f"{path}:{problems[0].line}: [")
    latest = latest_by_task(good)
    assert all(line.task_id == key for key, line in latest.items())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_resume_and_kpis_survive_every_line(folder: Path, seed: int) -> None:
    from tui.core.batch import Batch
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession

    bad, _, _ = write_fuzzed(folder, seed)
    path = folder / "results" / "anna.jsonl"
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    problems = store.open()
    try:
        assert lines_of(problems, path) == bad
        session = LabelingSession(batch, store)
        session.resume()
        session.live_figures()
        session.submit("accept", {"labels": ["pos"]}) if not session.done else None
        session.undo()
    finally:
        store.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stats_survive_every_line(
    folder: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main
    from tui.core.stats import compute_stats

    bad_results, bad_audits, fields = write_fuzzed(folder, seed)
    report = compute_stats([folder])
    assert lines_of(report.problems, folder / "results" / "anna.jsonl") == bad_results
    assert lines_of(report.problems, folder / "audits" / "dora.jsonl") == bad_audits
    gold = {n for n in bad_results if fields[n] == "gold_correct"}
    assert report.lines_skipped == len(bad_results) - len(gold) + len(bad_audits)
    for by in ("day", "batch", "task-type", "annotator"):
        compute_stats([folder], by=by)  # type: ignore[arg-type]
    assert main(["stats", str(folder)]) in (0, 1)
    assert main(["stats", str(folder), "--json"]) in (0, 1)
    out = capsys.readouterr().out
    assert "\x1b]52" not in out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_audit_engine_survives_every_line(
    folder: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main
    from tui.core.audit import (
        SampleSpec,
        agreement_report,
        assign_audit,
        audit_report,
        own_audit_summary,
        plan_progress,
    )
    from tui.core.audit.inputs import load_answers, load_audits, read_batch_info

    bad_results, bad_audits, _ = write_fuzzed(folder, seed)
    info = read_batch_info(folder)
    answers = load_answers(info)
    assert lines_of(answers.problems, folder / "results" / "anna.jsonl") >= bad_results
    audits = load_audits(info)
    assert lines_of(audits.problems, folder / "audits" / "dora.jsonl") >= bad_audits
    report = audit_report([folder])
    assert lines_of(report.problems, folder / "results" / "anna.jsonl") >= bad_results
    agreement_report(folder)
    own_audit_summary(folder, "anna")
    assign_audit(folder, "zed", SampleSpec(rate=None, per_annotator=5), seed="s")
    plan_progress(folder, "zed")
    for argv in (
        ["audit", "report", str(folder)],
        ["audit", "report", str(folder), "--json"],
        ["audit", "agreement", str(folder)],
        ["audit", "agreement", str(folder), "--json"],
    ):
        assert main(argv) in (0, 1), argv
    out = capsys.readouterr().out
    assert "\x1b]52" not in out


def test_a_valid_line_is_read_as_it_is() -> None:
    line = check_result_line(result(3, "flag", flag={"reason": "other", "note": "x"}), "f", 7)
    assert not isinstance(line, Problem)
    assert (line.task_id, line.answer, line.active_ms, line.revision) == ("t3", "flag", 3120, 1)
    assert line.flag == {"reason": "other", "note": "x"}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("answer", ["accept"], "[answer] expected one of accept, reject, skip, flag, undone"),
        ("task_id", 12, "[task_id] expected a string, got 12"),
        ("value", "pos", "[value] expected an object"),
        ("flag", "other", "[flag] expected an object"),
        ("revision", "2", "[revision] expected a whole number from 1"),
        ("active_ms", -1, "[active_ms] expected a whole number of milliseconds, 0 or more"),
        ("active_ms", 1e29, "[active_ms] expected a whole number of milliseconds, 0 or more"),
    ],
)
def test_messages_name_the_file_line_and_field(field: str, value: Any, expected: str) -> None:
    problem = check_result_line(result(1, **{field: value}), "results/anna.jsonl", 4)
    assert isinstance(problem, Problem)
    assert str(problem).startswith(f"results/anna.jsonl:4: {expected}"), str(problem)


def test_a_fifo_among_the_results_files_does_not_hang_stats(folder: Path) -> None:
    import os

    from tui.core.stats import compute_stats

    write_fuzzed(folder, 4, lines=20)
    os.mkfifo(folder / "results" / "mallory.jsonl")
    report = compute_stats([folder])
    assert any(
        "not a regular file" in p.message and Path(p.file).name == "mallory.jsonl"
        for p in report.problems
    )
