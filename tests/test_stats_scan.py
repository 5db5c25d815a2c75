"""`labeldesk stats` figures over generated batch folders, checked against hand arithmetic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from tui.core.stats import compute_stats, find_sources, parse_since, read_min_seconds


def answer(
    task_id: str,
    annotator: str,
    answer: str,
    active_ms: int,
    at: str,
    batch: str = "ba",
    **extra: Any,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "task_id": task_id,
        "batch_id": batch,
        "annotator": annotator,
        "task_type": "classify" if batch == "ba" else "binary",
        "answer": answer,
        "value": {"labels": ["pos"]} if answer in ("accept", "reject") else None,
        "flag": None,
        "session_id": "s",
        "started_at": at,
        "submitted_at": at,
        "active_ms": active_ms,
        "keys": 1,
        "revision": 1,
        "guidelines_sha256": None,
        "app_version": "0.1.0",
    }
    record.update(extra)
    return record


def audit(task_id: str, annotator: str, verdict: str, at: str) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "batch_id": "ba",
        "auditor": "cees",
        "annotator": annotator,
        "revision": 1,
        "task_type": "classify",
        "verdict": verdict,
        "errors": [],
        "session_id": "a",
        "started_at": at,
        "submitted_at": at,
        "active_ms": 1000,
    }


def write(path: Path, rows: list[dict[str, Any] | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for row in rows:
            out.write(row if isinstance(row, bytes) else orjson.dumps(row) + b"\n")
    return path


D22, D23, D24 = "2026-11-22T", "2026-11-23T", "2026-11-24T"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Batch `ba` (min_seconds 3) answered by anna and bram and audited by cees, plus a
    bare results file of batch `bx`. The expected figures are worked out in the tests."""
    batch = tmp_path / "ba"
    batch.mkdir()
    (batch / "batch.toml").write_text('id = "ba"\ntask_type = "classify"\nmin_seconds = 3\n')
    (batch / "tasks.jsonl").write_text('{"id": "a1", "text": "not an answer"}\n')
    write(
        batch / "results" / "anna.jsonl",
        [
            answer("a1", "anna", "accept", 2000, D22 + "09:00:00.000Z", gold_correct=True),
            answer("a2", "anna", "accept", 4000, D22 + "09:10:00.000Z", gold_correct=False),
            answer("a3", "anna", "skip", 1000, D22 + "09:20:00.000Z"),
            answer("a2", "anna", "accept", 6000, D22 + "10:05:00.000Z", gold_correct=True),
            answer("a4", "anna", "reject", 8000, D22 + "10:30:00.000Z"),
            answer("a4", "anna", "undone", 9000, D22 + "10:40:00.000Z"),
            answer("a5", "anna", "flag", 5000, D23 + "08:00:00.000Z"),
        ],
    )
    write(
        batch / "results" / "bram.jsonl",
        [
            answer("a1", "bram", "accept", 10000, D22 + "09:30:00.000Z", gold_correct=False),
            answer("a2", "bram", "reject", 20000, D23 + "09:00:00+00:00"),
            b"{not json\n",
            orjson.dumps(
                {
                    k: v
                    for k, v in answer("a3", "bram", "accept", 1, D22).items()
                    if k != "active_ms"
                }
            )
            + b"\n",
            b"[1, 2]\n",
            b"\n",
        ],
    )
    write(
        batch / "audits" / "cees.jsonl",
        [
            audit("a1", "anna", "fail", D24 + "09:00:00.000Z"),
            audit("a1", "anna", "pass", D24 + "10:00:00.000Z"),  # re-audited: the latest wins
            audit("a2", "anna", "fail", D24 + "10:00:00.000Z"),
            audit("a1", "bram", "corrected", D24 + "10:00:00.000Z"),
            audit("a2", "bram", "corrected", D24 + "10:00:00.000Z"),
        ],
    )
    write(
        tmp_path / "loose" / "other.jsonl",
        [
            answer("x1", "anna", "accept", 1500, D22 + "12:00:00.000Z", batch="bx"),
            answer("x2", "anna", "accept", 2500, D22 + "12:05:00.000Z", batch="bx"),
        ],
    )
    return tmp_path


def paths(root: Path) -> list[Path]:
    return [root / "ba", root / "loose" / "other.jsonl"]


def test_totals(workspace: Path) -> None:
    report = compute_stats(paths(workspace), min_seconds=2)
    total = report.total
    # anna/ba: a1 2 s, a2 6 s (edited: cumulative), a3 skip 1 s, a5 flag 5 s; a4 undone (9 s
    # worked, no item). bram/ba: a1 10 s, a2 20 s. anna/bx: x1 1.5 s, x2 2.5 s.
    assert total.items == 8
    assert total.active_ms == 2000 + 6000 + 1000 + 9000 + 5000 + 10000 + 20000 + 1500 + 2500
    assert total.rate == pytest.approx(8 * 3600 / 57)
    # sorted: 1, 1.5, 2, 2.5, 5, 6, 10, 20
    assert total.median_s == pytest.approx(3.75)
    assert total.p90_s == pytest.approx(13.0)
    assert (total.skips, total.flags, total.undos) == (1, 1, 1)
    # under 3 s in ba (a1 of anna; the skip does not count) and under 2 s in bx (x1)
    assert total.fast == 2
    assert (total.gold_checked, total.gold_correct) == (3, 2)
    assert (total.audited, total.audit_passed) == (4, 1)
    assert report.lines_read == 7 + 5 + 5 + 2
    assert report.lines_skipped == 3
    assert [Path(f).name for f in report.files] == [
        "anna.jsonl",
        "bram.jsonl",
        "cees.jsonl",
        "other.jsonl",
    ]


def test_min_seconds_of_a_bare_file_only_with_the_option(workspace: Path) -> None:
    assert compute_stats(paths(workspace)).total.fast == 1


def test_malformed_lines_are_reported_with_file_and_line(workspace: Path) -> None:
    report = compute_stats(paths(workspace))
    bram = workspace / "ba" / "results" / "bram.jsonl"
    texts = [str(p) for p in report.problems]
    assert texts[0].startswith(f"{bram}:3: not valid JSON")
    assert texts[1] == (
        f"{bram}:4: [active_ms] expected a whole number of milliseconds, 0 or more, got nothing"
    )
    assert texts[2] == f"{bram}:5: expected a JSON object, got list"
    assert report.problems_total == 3


def test_by_annotator(workspace: Path) -> None:
    report = compute_stats(paths(workspace), by="annotator", min_seconds=2)
    rows = {g.key: g for g in report.groups}
    assert list(rows) == ["anna", "bram"]
    anna, bram = rows["anna"], rows["bram"]
    assert (anna.items, anna.active_ms, anna.fast, anna.undos) == (6, 27000, 2, 1)
    assert (anna.audited, anna.audit_passed, anna.audit_pass_rate) == (2, 1, 0.5)
    assert (bram.items, bram.active_ms) == (2, 30000)
    assert bram.rate == pytest.approx(240.0)
    assert (bram.audit_pass_rate, bram.gold_accuracy) == (0.0, 0.0)
    assert anna.gold_accuracy == 1.0


def test_annotator_filter(workspace: Path) -> None:
    report = compute_stats(paths(workspace), annotators=["bram"])
    total = report.total
    assert (total.items, total.active_ms) == (2, 30000)
    assert total.median_s == pytest.approx(15.0)
    assert total.p90_s == pytest.approx(19.0)
    assert (total.audited, total.audit_passed) == (2, 0)
    assert report.groups == []


def test_since_and_by_day(workspace: Path) -> None:
    report = compute_stats(paths(workspace), since=parse_since("2026-11-23"), by="day")
    rows = {g.key: g for g in report.groups}
    assert list(rows) == ["2026-11-23", "2026-11-24"]
    assert (rows["2026-11-23"].items, rows["2026-11-23"].active_ms) == (2, 25000)
    assert rows["2026-11-23"].flags == 1
    assert (rows["2026-11-24"].items, rows["2026-11-24"].audited) == (0, 4)


def test_by_batch_and_task_type(workspace: Path) -> None:
    batches = compute_stats(paths(workspace), by="batch")
    assert [(g.key, g.items) for g in batches.groups] == [("ba", 6), ("bx", 2)]
    types = compute_stats(paths(workspace), by="task-type")
    assert [(g.key, g.items) for g in types.groups] == [("binary", 2), ("classify", 6)]


def test_timeline_is_hourly_with_gaps(workspace: Path) -> None:
    report = compute_stats(paths(workspace))
    assert report.timeline_unit == "hour"
    starts = [p.start for p in report.timeline]
    assert starts[0] == "2026-11-22T09" and starts[-1] == "2026-11-23T09"
    assert len(starts) == 25
    first = report.timeline[0]  # anna a1, a3 and bram a1 (anna's a2 moved to 10h by its edit)
    assert (first.items, first.active_ms) == (3, 13000)
    ten = report.timeline[1]  # a2 (6 s) and the undone a4 (9 s of work, no item)
    assert (ten.items, ten.active_ms) == (1, 15000)
    assert report.timeline[5].items == 0 and report.timeline[5].rate is None


def test_timeline_per_day_over_long_spans(tmp_path: Path) -> None:
    file = write(
        tmp_path / "r.jsonl",
        [
            answer("a", "anna", "accept", 3600, "2026-11-01T10:00:00.000Z"),
            answer("b", "anna", "accept", 3600, "2026-11-10T10:00:00.000Z"),
        ],
    )
    report = compute_stats([file])
    assert report.timeline_unit == "day"
    assert len(report.timeline) == 10
    assert report.timeline[0].rate == pytest.approx(1000.0)


def test_same_task_in_two_files_latest_submitted_wins(tmp_path: Path) -> None:
    newer = answer("a", "anna", "reject", 5000, "2026-11-22T10:00:00.000Z")
    older = answer("a", "anna", "accept", 1000, "2026-11-22T09:00:00.000Z")
    write(tmp_path / "1.jsonl", [newer])
    write(tmp_path / "2.jsonl", [older])
    report = compute_stats([tmp_path])
    assert (report.total.items, report.total.active_ms) == (1, 5000)


def test_within_a_file_the_later_line_wins_even_with_a_clock_jump(tmp_path: Path) -> None:
    file = write(
        tmp_path / "r.jsonl",
        [
            answer("a", "anna", "accept", 1000, "2026-11-22T10:00:00.000Z"),
            answer("a", "anna", "undone", 2000, "2026-11-22T09:59:00.000Z"),
        ],
    )
    report = compute_stats([file])
    assert (report.total.items, report.total.undos) == (0, 1)


def test_a_shallowly_valid_time_never_breaks_the_plot(tmp_path: Path) -> None:
    file = write(
        tmp_path / "r.jsonl",
        [
            answer("a", "anna", "accept", 1000, "2026-1x-22T10:00:00.000Z"),
            answer("b", "anna", "accept", 1000, D22 + "10:00:00.000Z"),
        ],
    )
    report = compute_stats([file])
    assert report.total.items == 2
    assert [(p.start, p.items) for p in report.timeline] == [("2026-11-22T10", 1)]


def test_bad_answer_fields_are_named(tmp_path: Path) -> None:
    file = write(
        tmp_path / "r.jsonl",
        [
            answer("a", "anna", "maybe", 1, D22 + "10:00:00.000Z"),
            answer("b", "anna", "accept", -3, D22 + "10:00:00.000Z"),
            answer("c", "anna", "accept", 1, "yesterday"),
            {"batch_id": "ba", "annotator": "anna", "answer": "accept"},
            answer("d", "anna", "accept", 1, D22 + "10:00:00.000Z", gold_correct="yes"),
        ],
    )
    report = compute_stats([file])
    texts = [str(p) for p in report.problems]
    assert texts == [
        f"{file}:1: [answer] expected one of accept, reject, skip, flag, undone, got 'maybe'",
        f"{file}:2: [active_ms] expected a whole number of milliseconds, 0 or more, got -3",
        f"{file}:3: [submitted_at] expected an ISO 8601 date-time like "
        "2026-11-22T10:00:03.240Z, got 'yesterday'",
        f"{file}:4: [task_id] required field is missing",
        f"{file}:5: [gold_correct] expected true, false or null, got 'yes'; the line counts "
        "without gold",
    ]
    assert report.lines_skipped == 4
    assert (report.total.items, report.total.gold_checked) == (1, 0)


def test_sources(workspace: Path, tmp_path: Path) -> None:
    sources, problems = find_sources([workspace, workspace / "missing"], 1.5)
    names = [(s.path.name, s.min_seconds) for s in sources]
    assert names == [("anna.jsonl", 3.0), ("bram.jsonl", 3.0), ("cees.jsonl", 3.0)]
    assert [str(p) for p in problems] == [f"{workspace / 'missing'}: no such file or folder"]
    inside, _ = find_sources([workspace / "ba" / "results" / "anna.jsonl"], None)
    assert inside[0].min_seconds == 3.0  # found through the batch folder around it
    twice, _ = find_sources([workspace / "ba", workspace / "ba" / "results" / "anna.jsonl"])
    assert len(twice) == 3


def test_bad_min_seconds_in_batch_toml(tmp_path: Path) -> None:
    toml = tmp_path / "batch.toml"
    toml.write_text('id = "b"\ntask_type = "x"\nmin_seconds = "soon"\n')
    value, problems = read_min_seconds(toml)
    assert value is None
    assert str(problems[0]) == (
        f"{toml}:3: [min_seconds] expected a number of seconds, 0 or more, got 'soon'; "
        "no fast-answer guard used"
    )
    toml.write_text("id = \n")
    value, problems = read_min_seconds(toml)
    assert value is None and problems[0].line == 1 and "not valid TOML" in problems[0].message


def test_parse_since() -> None:
    assert parse_since("2026-11-22") == "2026-11-22T00:00:00.000Z"
    assert parse_since("2026-11-22T11:30+01:00") == "2026-11-22T10:30:00.000Z"
    assert parse_since("2026-11-22T10:30:00Z") == "2026-11-22T10:30:00.000Z"
    with pytest.raises(ValueError, match="expected a date"):
        parse_since("last week")


def test_empty_inputs(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.jsonl", [])
    report = compute_stats([empty])
    assert report.total.items == 0 and report.total.rate is None
    assert report.timeline == [] and report.problems == []
    nothing = compute_stats([])
    assert nothing.files == [] and nothing.total.items == 0


def test_an_answer_with_a_flag_counts_as_an_item_and_as_flagged(tmp_path: Path) -> None:
    flagged = answer("f1", "anna", "accept", 4000, D22 + "12:00:00.000Z", batch="bf")
    flagged["flag"] = {"reason": "ambiguous", "note": "twijfel"}
    alone = answer("f2", "anna", "flag", 3000, D22 + "12:01:00.000Z", batch="bf")
    alone["flag"] = {"reason": "guidelines", "note": ""}
    plain = answer("f3", "anna", "reject", 1000, D22 + "12:02:00.000Z", batch="bf")
    write(tmp_path / "flags.jsonl", [flagged, alone, plain])
    total = compute_stats([tmp_path / "flags.jsonl"], min_seconds=2).total
    assert (total.items, total.flags, total.skips) == (3, 2, 0)
    assert total.fast == 1  # the flagged accept is still a decision, timed like one


def test_the_live_tally_counts_flags_given_with_answers() -> None:
    from tui.core.kpi.tally import AnswerTally

    tally = AnswerTally(
        [
            {"task_id": "a", "answer": "accept", "flag": {"reason": "other", "note": ""}},
            {"task_id": "b", "answer": "flag", "flag": {"reason": "other", "note": ""}},
            {"task_id": "c", "answer": "reject", "flag": None},
        ]
    )
    assert tally.flagged == 2
    tally.add({"task_id": "a", "answer": "accept", "flag": None})  # the flag taken back
    assert tally.flagged == 1
