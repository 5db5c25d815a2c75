"""The merge engine: every source, undone, skip and flag, and when answers of each task
type count as the same (TaskType.answer_key)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.test_audit_support import make_batch, result, write_results
from tui.core.audit.inputs import read_batch_info
from tui.core.merge import AdjudicationWriter, BasedOn, disagreements, merge_batch
from tui.core.task_registry import get_task_type

POS, NEG, NEU = {"labels": ["pos"]}, {"labels": ["neg"]}, {"labels": ["neu"]}


def _by_task(folder: Path) -> dict[str, Any]:
    return {r.task_id: r for r in merge_batch(folder).records}


def test_every_source_and_the_votes_it_came_from(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", "t1", POS),  # single
            result("anna", "t2", POS),  # unanimous
            result("bob", "t2", {"labels": ["pos", "pos"]}),  # the same label set
            result("anna", "t3", POS),  # majority 2 of 3
            result("bob", "t3", NEG),
            result("carl", "t3", POS),
            result("anna", "t4", POS),  # tie 1-1: unresolved
            result("bob", "t4", NEG),
            result("anna", "t5", POS),  # split 1-1-1: unresolved
            result("bob", "t5", NEG),
            result("carl", "t5", NEU),
            result("anna", "t6", POS),  # 2 of 4 is not more than half: unresolved
            result("bob", "t6", POS),
            result("carl", "t6", NEG),
            result("dora", "t6", NEU),
        ],
    )
    merged = merge_batch(folder)
    records = {r.task_id: r for r in merged.records}
    assert {t: r.source for t, r in records.items()} == {
        "t1": "single",
        "t2": "unanimous",
        "t3": "majority",
        "t4": "unresolved",
        "t5": "unresolved",
        "t6": "unresolved",
    }
    assert records["t3"].value == POS and records["t3"].agreed == ("anna", "carl")
    line = records["t3"].to_json_dict()
    assert [(v["annotator"], v["value"]) for v in line["votes"]] == [
        ("anna", POS),
        ("bob", NEG),
        ("carl", POS),
    ]
    assert records["t4"].answer is None and records["t4"].value is None
    assert records["t4"].to_json_dict()["agreed"] == []
    assert merged.counts() == {
        "single": 1,
        "unanimous": 1,
        "majority": 1,
        "adjudicated": 0,
        "unresolved": 3,
    }
    assert [r.task_id for r in disagreements(merged)] == ["t4", "t5", "t6"]
    assert [r.task_id for r in disagreements(merged, with_majority=True)] == [
        "t3",
        "t4",
        "t5",
        "t6",
    ]


def test_undone_withdraws_skip_is_no_vote_flag_is_carried(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", "t1", POS),
            result("bob", "t1", NEG),
            result("bob", "t1", None, answer="undone", revision=2),  # withdrawn: anna alone
            result("anna", "t2", POS),
            result("bob", "t2", None, answer="skip"),  # no vote: single, not a tie
            result("anna", "t3", POS),
            result("bob", "t3", None, answer="flag"),  # no vote, but its flag is kept
            result("anna", "t4", None, answer="skip"),  # no vote at all: no record
            result("anna", "t5", NEG),
            result("bob", "t5", NEG, revision=1),
            result("bob", "t5", POS, revision=2),  # the latest line counts: a tie
        ],
    )
    # A flag with a note on bob's t3 line, and an answer that carries a flag.
    lines = (folder / "results" / "bob.jsonl").read_bytes().splitlines()
    patched = []
    for raw in lines:
        obj = orjson.loads(raw)
        if obj["task_id"] == "t3":
            obj["flag"] = {"reason": "ambiguous", "note": "sarcasm?"}
        if obj["task_id"] == "t5" and obj["revision"] == 2:
            obj["flag"] = {"reason": "guidelines", "note": ""}
        patched.append(orjson.dumps(obj))
    (folder / "results" / "bob.jsonl").write_bytes(b"\n".join(patched) + b"\n")
    merged = merge_batch(folder)
    records = {r.task_id: r for r in merged.records}
    assert records["t1"].source == "single" and [v.annotator for v in records["t1"].votes] == [
        "anna"
    ]
    assert records["t2"].source == "single"
    assert [v.annotator for v in records["t2"].abstained] == ["bob"]
    assert records["t3"].source == "single"
    assert records["t3"].flags == [{"annotator": "bob", "reason": "ambiguous", "note": "sarcasm?"}]
    assert "t4" not in records and merged.no_votes == 1
    assert records["t5"].source == "unresolved"
    assert records["t5"].flags == [{"annotator": "bob", "reason": "guidelines", "note": ""}]
    bob = next(v for v in records["t5"].votes if v.annotator == "bob")
    assert bob.revision == 2 and bob.value == POS


def _adjudicate(folder: Path, name: str, task_id: str, value: dict[str, Any], minute: int) -> None:
    writer = AdjudicationWriter(read_batch_info(folder), name)
    writer.open()
    try:
        writer.record(
            task_id=task_id,
            decision="pick",
            answer="accept",
            value=value,
            chosen=["anna"],
            based_on=[BasedOn("anna", 1), BasedOn("bob", 1)],
            submitted_at=datetime(2026, 11, 30, 9, minute, tzinfo=UTC),
        )
    finally:
        writer.close()


def test_adjudicated_wins_and_the_latest_adjudication_counts(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", "t1", POS),
            result("bob", "t1", NEG),
            result("anna", "t2", POS),
            result("bob", "t2", POS),
        ],
    )
    _adjudicate(folder, "lead", "t1", POS, minute=5)
    _adjudicate(folder, "zed", "t1", NEG, minute=1)  # an earlier decision in a later file
    _adjudicate(folder, "lead", "t2", NEU, minute=2)  # even a unanimous item can be decided
    records = _by_task(folder)
    assert records["t1"].source == "adjudicated"
    assert records["t1"].value == POS and records["t1"].agreed == ("anna",)
    line = records["t1"].to_json_dict()
    assert line["adjudication"]["adjudicator"] == "lead"
    assert line["adjudication"]["stale"] is False
    assert records["t2"].source == "adjudicated" and records["t2"].value == NEU
    assert records["t2"].agreed == ()
    assert (folder / "adjudications" / "lead.jsonl").stat().st_mode & 0o777 == 0o600
    # An annotator who changes the answer afterwards makes the decision stale.
    write_results(folder, [result("bob", "t1", POS, revision=2)])
    assert _by_task(folder)["t1"].to_json_dict()["adjudication"]["stale"] is True


def test_bad_adjudication_lines_are_named_and_skipped(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    write_results(folder, [result("anna", "t1", POS), result("bob", "t1", NEG)])
    (folder / "adjudications").mkdir()
    good = {
        "task_id": "t1",
        "batch_id": "b1",
        "task_type": "classify",
        "annotator": "lead",
        "adjudicator": "lead",
        "decision": "pick",
        "answer": "accept",
        "value": POS,
        "chosen": ["anna"],
        "based_on": [],
        "submitted_at": "2026-11-30T09:00:00.000Z",
        "active_ms": 10,
    }
    bad = {**good, "decision": "maybe"}
    (folder / "adjudications" / "lead.jsonl").write_bytes(
        orjson.dumps(bad) + b"\n" + b"{nope\n" + orjson.dumps({**good, "answer": "skip"}) + b"\n"
    )
    merged = merge_batch(folder)
    assert merged.records[0].source == "unresolved"
    said = [str(p) for p in merged.problems]
    assert any("lead.jsonl:1" in s and "[decision]" in s for s in said), said
    assert any("lead.jsonl:2" in s and "not valid JSON" in s for s in said), said
    assert any("lead.jsonl:3" in s and "[answer]" in s for s in said), said


SPAN = {"token_start": 0, "token_end": 0}


@pytest.mark.parametrize(
    ("task_type", "a", "b", "same"),
    [
        ("binary", {"accept": True, "label": "X"}, {"accept": True, "label": "X"}, True),
        ("binary", {"accept": True, "label": "X"}, {"accept": False, "label": "X"}, False),
        ("classify", {"labels": ["a", "b"]}, {"labels": ["b", "a"]}, True),
        ("classify", {"labels": ["a"]}, {"labels": ["a", "b"]}, False),
        (
            "spans",
            {
                "spans": [
                    {"start": 0, "end": 4, "label": "PER", **SPAN},
                    {"start": 9, "end": 12, "label": "LOC", **SPAN},
                ]
            },
            {
                "spans": [
                    {"start": 9, "end": 12, "label": "LOC", **SPAN},
                    {"start": 0, "end": 4, "label": "PER", **SPAN},
                ]
            },
            True,
        ),
        (
            "spans",
            {"spans": [{"start": 0, "end": 4, "label": "PER", **SPAN}]},
            {"spans": [{"start": 0, "end": 5, "label": "PER", **SPAN}]},
            False,
        ),
        (
            "rate",
            {"ratings": {"helpfulness": 4, "correctness": 5}, "target": 1, "note": "good"},
            {"ratings": {"correctness": 5, "helpfulness": 4}, "target": 1, "note": "fine"},
            True,
        ),
        (
            "rate",
            {"ratings": {"helpfulness": 4}, "target": 1, "note": ""},
            {"ratings": {"helpfulness": 3}, "target": 1, "note": ""},
            False,
        ),
        (
            "compare",
            {"outcome": "win", "winner": "r-a", "shown_order": ["r-a", "r-b"], "seed": 1},
            {
                "outcome": "win",
                "winner": "r-a",
                "shown_order": ["r-b", "r-a"],
                "seed": 7,
                "reason": "x",
            },
            True,
        ),
        (
            "compare",
            {"outcome": "win", "winner": "r-a", "shown_order": ["r-a", "r-b"], "seed": 1},
            {"outcome": "win", "winner": "r-b", "shown_order": ["r-a", "r-b"], "seed": 1},
            False,
        ),
        (
            "compare",
            {"outcome": "tie", "shown_order": ["r-a", "r-b"], "seed": 1},
            {"outcome": "tie", "shown_order": ["r-b", "r-a"], "seed": 2},
            True,
        ),
        (
            "compare",  # rank: the order of the responses
            {"ranking": ["r-a", "r-b", "r-c"], "shown_order": ["r-a", "r-b", "r-c"], "seed": 1},
            {"ranking": ["r-a", "r-b", "r-c"], "shown_order": ["r-c", "r-a", "r-b"], "seed": 4},
            True,
        ),
        (
            "compare",
            {"ranking": ["r-a", "r-b", "r-c"], "shown_order": ["r-a", "r-b", "r-c"], "seed": 1},
            {"ranking": ["r-b", "r-a", "r-c"], "shown_order": ["r-a", "r-b", "r-c"], "seed": 1},
            False,
        ),
        (
            "write",
            {
                "text": "Hello  there,\nfriend",
                "words": 3,
                "chars": 20,
                "language": "en",
                "checks": [],
            },
            {
                "text": "Hello there, friend ",
                "words": 3,
                "chars": 19,
                "language": None,
                "checks": [],
            },
            True,
        ),
        (
            "write",
            {"text": "Hello there", "words": 2, "chars": 11, "language": "en", "checks": []},
            {"text": "Hello, there", "words": 2, "chars": 12, "language": "en", "checks": []},
            False,
        ),
    ],
)
def test_answer_keys_per_task_type(
    task_type: str, a: dict[str, Any], b: dict[str, Any], same: bool
) -> None:
    kind = get_task_type(task_type)
    assert (kind.answer_key(a) == kind.answer_key(b)) is same
    hash(kind.answer_key(a))  # a key must be usable in a dict


def test_default_answer_key_keeps_everything_but_label_order() -> None:
    from tui.core.task_type import TaskType

    plain = get_task_type("audio")
    assert type(plain).answer_key is TaskType.answer_key  # audio uses the default
    a = {"transcript": "hello", "quality": ["noise"], "segments": []}
    assert plain.answer_key(a) == plain.answer_key(dict(reversed(list(a.items()))))
    assert plain.answer_key(a) != plain.answer_key({**a, "transcript": "hello!"})
    assert plain.answer_key(None) == plain.answer_key({})


def test_spans_merge_by_set_of_spans(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "s", task_type="spans", labels=("PER", "LOC"))
    one = {
        "spans": [
            {"start": 0, "end": 4, "label": "PER", **SPAN},
            {"start": 9, "end": 12, "label": "LOC", **SPAN},
        ]
    }
    other = {"spans": list(reversed(one["spans"]))}
    write_results(
        folder,
        [
            result("anna", "t1", one, task_type="spans"),
            result("bob", "t1", other, task_type="spans"),
        ],
    )
    assert _by_task(folder)["t1"].source == "unanimous"


def test_natural_order_and_no_results(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    merged = merge_batch(folder)
    assert merged.records == [] and merged.no_votes == 0
    write_results(folder, [result("anna", f"t{n}", POS) for n in (10, 2, 1)])
    assert [r.task_id for r in merge_batch(folder).records] == ["t1", "t2", "t10"]
